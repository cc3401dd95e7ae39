"""Export readers: one per format, all yielding the plain records of `imports.records`.

`open_export(path)` decides the format from the content (never the name), checks the whole
file once (a damaged or hostile file is refused before anything is imported) and returns an
`Export` whose `records()` streams the file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from . import blogger, wxr
from .base import Export, UnsupportedExport
from .detect import BLOGGER_CLASSIC, BLOGGER_TAKEOUT, WXR, ZIP, detect_xml, sniff_bytes
from .xml import Source, check_well_formed
from .zip import open_zip

__all__ = ["Export", "UnsupportedExport", "open_export", "FORMATS"]

FORMATS = (BLOGGER_CLASSIC, BLOGGER_TAKEOUT, WXR)


def open_export(path: Path | str) -> Export:
    """Open a Blogger backup, a Takeout feed.atom or ZIP, or a WordPress WXR file."""
    path = Path(path)
    if not path.is_file():
        raise UnsupportedExport(f"{path} is not a file.")
    with path.open("rb") as handle:
        head = handle.read(512)
    media_root = None
    if sniff_bytes(head, path.name) == ZIP:
        source, media_root = open_zip(path)
    else:
        source = Source(name=path.name, open=lambda: path.open("rb"))
    try:
        fmt = detect_xml(source)
        check_well_formed(source)
        if fmt == WXR:
            site = wxr.read_site(source)
            return Export(
                format=fmt,
                site=site,
                records=lambda: wxr.iter_records(source, site),
                media_root=media_root,
            )
        site = blogger.read_site(source, fmt)
        return Export(
            format=fmt,
            site=site,
            records=lambda: blogger.iter_records(source, site),
            media_root=media_root,
        )
    except BaseException:
        if media_root is not None:
            shutil.rmtree(media_root, ignore_errors=True)
        raise
