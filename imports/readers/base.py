"""What every reader hands back: an `Export` (format, site, a one-shot stream of records)."""

from __future__ import annotations

import shutil
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

from imports.records import Record, SiteRecord
from newsroom.text import strip_invisible


def without_format_characters(text: str) -> str:
    """Drop bidi controls and zero-width characters (the project's one list of them).

    They are invisible, so two slugs that look the same could differ, and an RTL override in
    a URL can make it read as something else.
    """
    return strip_invisible(text)


class UnsupportedExport(Exception):
    """The file is not an export we can read safely; the message is shown to the operator."""


class Export:
    """One opened export file.

    `records()` re-reads the file from the start and streams it, so an export of any size costs
    the same memory; it may be called once, because a ZIP member or a pipe cannot always be
    rewound. A Takeout ZIP's images live in `media_root` until `close()` (or garbage
    collection) removes the temporary folder.
    """

    def __init__(
        self,
        *,
        format: str,
        site: SiteRecord,
        records: Callable[[], Iterator[Record]],
        media_root: Path | None = None,
    ) -> None:
        self.format = format
        self.site = site
        self.media_root = media_root
        self._records = records
        self._used = False
        self._finalizer = (
            weakref.finalize(self, shutil.rmtree, str(media_root), True)
            if media_root is not None
            else None
        )

    def records(self) -> Iterator[Record]:
        """SiteRecord first, then entries, comments and attachments in file order."""
        if self._used:
            raise RuntimeError("Export.records() may be called only once")
        self._used = True
        return self._records()

    def close(self) -> None:
        if self._finalizer is not None:
            self._finalizer()

    def __enter__(self) -> Export:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Export {self.format} {self.site.title!r}>"
