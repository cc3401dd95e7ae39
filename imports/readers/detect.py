"""Which export is this? Decided from the bytes and the XML, never from the file name.

Operators rename files, Takeout calls its feed `feed.atom`, Blogger's backup ends in `.xml` and
WordPress's too: the name proves nothing. The first bytes tell a ZIP from XML; for XML the root
element and the namespaces declared before the first item tell the formats apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element

from .base import UnsupportedExport
from .xml import ATOM, BLOGGER, GD, WP_RE, Source, iterparse, local, text_of

BLOGGER_CLASSIC = "blogger-classic"
BLOGGER_TAKEOUT = "blogger-takeout"
WXR = "wxr"
ZIP = "zip"

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
KIND_SCHEME = GD + "#kind"
_KNOWN_BINARY = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"\x1f\x8b": "a gzip archive",
}
_SNIFF_EVENTS = 400


def sniff_bytes(head: bytes, name: str) -> str | None:
    """'zip' for a ZIP, None for what may be XML; refuse anything else at once."""
    if head.startswith(ZIP_MAGIC):
        return ZIP
    for magic, what in _KNOWN_BINARY.items():
        if head.startswith(magic):
            raise UnsupportedExport(
                f"{name} is {what}, not a Blogger or WordPress export (XML or a Takeout ZIP)."
            )
    stripped = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if not (stripped.startswith(b"<") or head.startswith((b"\xff\xfe", b"\xfe\xff"))):
        raise UnsupportedExport(
            f"{name} is neither XML nor a ZIP archive: not a Blogger or WordPress export."
        )
    return None


def detect_xml(source: Source) -> str:
    """Read the root and the head of the file (up to the first item) and name the format."""
    events = iterparse(source, ("start-ns", "start", "end"))
    try:
        root, namespaces, is_blogger = _read_head(events)
    finally:
        events.close()
    return _name_format(source, root, namespaces, is_blogger)


def _read_head(events: Iterator[tuple[str, object]]) -> tuple[str, set[str], bool]:
    root = ""
    namespaces: set[str] = set()
    depth = 0
    is_blogger = False
    for count, (event, item) in enumerate(events):
        if event == "start-ns":
            namespaces.add(item[1])  # type: ignore[index]
            continue
        assert isinstance(item, Element)  # noqa: S101 - start/end events carry elements
        if event == "start":
            depth += 1
            if not root:
                root = item.tag
                if local(root) not in ((ATOM, "feed"), ("", "rss")):
                    break
            if local(item.tag)[0] == BLOGGER:
                namespaces.add(BLOGGER)
            continue
        depth -= 1
        uri, name = local(item.tag)
        if uri == ATOM and depth == 1 and name == "id":
            is_blogger = is_blogger or text_of(item).startswith("tag:blogger.com,")
        if uri == ATOM and depth == 1 and name == "generator":
            is_blogger = is_blogger or text_of(item).lower() == "blogger"
        if uri == ATOM and name == "category" and item.get("scheme") == KIND_SCHEME:
            is_blogger = True
        if (uri, name) in ((ATOM, "entry"), ("", "item")) or count > _SNIFF_EVENTS:
            break
    return root, namespaces, is_blogger


def _name_format(source: Source, root: str, namespaces: set[str], is_blogger: bool) -> str:
    if local(root) == (ATOM, "feed"):
        if BLOGGER in namespaces:
            return BLOGGER_TAKEOUT
        if is_blogger:
            return BLOGGER_CLASSIC
        raise UnsupportedExport(
            f"{source.name} is an Atom feed, but not a Blogger export "
            "(neither a 'Back up content' file nor a Takeout feed.atom)."
        )
    if local(root) == ("", "rss"):
        if any(WP_RE.match(uri) for uri in namespaces):
            return WXR
        raise UnsupportedExport(
            f"{source.name} is an RSS feed, but not a WordPress export (WXR): "
            "export it from WordPress under Tools > Export."
        )
    shown = local(root)[1] or "?"
    raise UnsupportedExport(
        f"{source.name} is XML with a <{shown}> root: not a Blogger or WordPress export."
    )
