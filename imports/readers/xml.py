"""Safe, streaming XML for untrusted export files.

Every export is read with entity expansion, DTDs and external entities refused (billion laughs
and XXE files never get a chance to expand or fetch anything) and element by element, clearing
what has been read, so a 100 MB file costs the memory of one item. A file is checked from end
to end once before anything is imported, so a truncated export is refused before the first
article is written instead of leaving half an archive behind.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET

from .base import UnsupportedExport

ATOM = "http://www.w3.org/2005/Atom"
APP_OLD = "http://purl.org/atom/app#"
APP = "http://www.w3.org/2007/app"
THR = "http://purl.org/syndication/thread/1.0"
GD = "http://schemas.google.com/g/2005"
BLOGGER = "http://schemas.google.com/blogger/2018"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
WP_RE = re.compile(r"^https?://wordpress\.org/export/1\.\d+/$")
EXCERPT_RE = re.compile(r"^https?://wordpress\.org/export/1\.\d+/excerpt/$")

_CHUNK = 1 << 20
_HEAD_LIMIT = 1 << 16

# A stream factory: each call opens the export afresh (a file, or a member of a ZIP).
Opener = Callable[[], BinaryIO]


@dataclass(frozen=True)
class Source:
    name: str  # shown in messages: the file name, or the ZIP member
    open: Opener


ENTITIES_MESSAGE = (
    "{name}: XML entities are not allowed in an export file (a DTD, an entity declaration or an "
    "external entity was found{where}); a genuine Blogger or WordPress export has none."
)


def _entities_error(source: Source, line: int | None = None) -> UnsupportedExport:
    where = f" at line {line}" if line else ""
    return UnsupportedExport(ENTITIES_MESSAGE.format(name=source.name, where=where))


def _malformed_error(source: Source, line: int, column: int, reason: str) -> UnsupportedExport:
    return UnsupportedExport(
        f"{source.name} is not well-formed XML (line {line}, column {column}: {reason}); "
        "the file may be truncated or damaged. Export it again."
    )


class _AppPrefixStream:
    """Declares Blogger's `app:` prefix on the root `<feed>` when the file forgot to.

    Some classic Blogger backups use `<app:control>` without declaring the prefix, which a
    conforming parser rejects. Adding the declaration to the root tag (same line, so line
    numbers in later messages stay right) reads those files as Blogger meant them; an element
    that declares the prefix itself still wins.
    """

    _ROOT = re.compile(rb"<feed\b[^>]*>")

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._pending = b""
        self._head_done = False

    def _fill_head(self) -> None:
        self._head_done = True
        head = self._raw.read(_HEAD_LIMIT)
        match = self._ROOT.search(head)
        if match and b"xmlns:app=" not in match.group(0) and b"app:" in head:
            tag = match.group(0)
            cut = len(tag) - (2 if tag.endswith(b"/>") else 1)
            patched = tag[:cut] + b" xmlns:app='" + APP_OLD.encode() + b"'" + tag[cut:]
            head = head[: match.start()] + patched + head[match.end() :]
        self._pending = head

    def read(self, size: int = -1) -> bytes:
        if not self._head_done:
            self._fill_head()
        if self._pending:
            if size is None or size < 0:
                data, self._pending = self._pending + self._raw.read(), b""
                return data
            data, self._pending = self._pending[:size], self._pending[size:]
            return data
        return self._raw.read(size)

    def close(self) -> None:
        self._raw.close()


def _open(source: Source) -> _AppPrefixStream:
    return _AppPrefixStream(source.open())


def check_well_formed(source: Source) -> None:
    """Read the whole file once with expat alone (no tree, fast) and refuse it if damaged."""

    def forbid(*_args: object) -> None:
        raise DefusedXmlException("entities")

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid
    parser.UnparsedEntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid
    stream = _open(source)
    try:
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except DefusedXmlException:
        raise _entities_error(source, parser.CurrentLineNumber) from None
    except expat.ExpatError as exc:
        raise _malformed_error(
            source, exc.lineno, exc.offset, expat.ErrorString(exc.code)
        ) from None
    finally:
        stream.close()


def iterparse(
    source: Source, events: tuple[str, ...] = ("start", "end")
) -> Iterator[tuple[str, object]]:
    """defusedxml's iterparse with DTDs, entities and external references all refused."""
    stream = _open(source)
    try:
        yield from DefusedET.iterparse(
            stream, events=events, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException:
        raise _entities_error(source) from None
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":", 1)[0]
        raise _malformed_error(source, line, column, reason) from None
    finally:
        stream.close()


def iter_elements(source: Source, wanted: Callable[[Element, int], bool]) -> Iterator[Element]:
    """Yield each complete element for which `wanted(elem, depth)` is true, then free it.

    The element is cleared and detached from its parent once the consumer moves on, so memory
    stays that of one item however long the file is.
    """
    stack: list[Element] = []
    for event, elem in iterparse(source):
        assert isinstance(elem, Element)  # noqa: S101 - start/end events carry elements
        if event == "start":
            stack.append(elem)
            continue
        stack.pop()
        if wanted(elem, len(stack)):
            yield elem
            elem.clear()
            if stack:
                stack[-1].remove(elem)


def local(tag: str) -> tuple[str, str]:
    """('{uri}name') -> (uri, name)."""
    if tag.startswith("{"):
        uri, _, name = tag[1:].partition("}")
        return uri, name
    return "", tag


def text_of(elem: Element | None) -> str:
    if elem is None:
        return ""
    return "".join(elem.itertext()).strip()
