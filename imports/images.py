"""Images of the old blog: find them, take the full-size file, and get its bytes.

Blogger never embeds an image: a body points to Google's servers, usually as a thumbnail
inside a link to the large file (`<a href="…/s1600/x.jpg"><img src="…/s320/x.jpg"></a>`). The
link wins, and any size segment is rewritten to the full-size one. Bytes come from a local
folder (an unpacked Takeout, `wp-content/uploads`, the Takeout ZIP's images) or, when the
operator allows it, from the network; otherwise the image stays remote and is reported.
"""

from __future__ import annotations

import html as html_lib
import os
import re
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

MAX_BYTES = 10 * 1024 * 1024
TIMEOUT_SECONDS = 10
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp")

LOCAL = "local"
DOWNLOAD = "download"
REMOTE = "remote"

_ATTR = re.compile(r"([a-zA-Z][a-zA-Z0-9:-]*)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+))")
_IMG = r"<img\b[^>]*>"
_LINKED_OR_BARE = re.compile(
    rf"<a\b(?P<a>[^>]*)>\s*(?P<img1>{_IMG})\s*</a>|(?P<img2>{_IMG})", re.IGNORECASE
)
_SIZE_SEGMENT = re.compile(r"/(?:s\d+(?:-[a-z]+)*|w\d+-h\d+(?:-[a-z0-9]+)*|s\d+-h)/", re.I)
_SIZE_SUFFIX = re.compile(r"=(?:s\d+|w\d+(?:-h\d+)?)(?:-[a-z0-9]+)*$", re.I)


class ImageFailed(Exception):
    """This image could not be had; the message says why, for the report."""


def attributes(tag: str) -> dict[str, str]:
    return {
        match.group(1).lower(): html_lib.unescape(
            next(g for g in match.groups()[1:] if g is not None)
        )
        for match in _ATTR.finditer(tag)
    }


def full_size_url(url: str) -> str:
    """The largest variant Blogger serves: `/sNNN/`, `/sNNN-c/`, `/wNNN-hNNN/` become `/s1600/`."""
    parts = urlsplit(url)
    path = parts.path
    segments = list(_SIZE_SEGMENT.finditer(path))
    if segments:
        last = segments[-1]  # the size is the last folder before the file name
        path = f"{path[: last.start()]}/s1600/{path[last.end() :]}"
    path = _SIZE_SUFFIX.sub("=s1600", path)
    return parts._replace(path=path).geturl()


def looks_like_image(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = unquote(parts.path).lower()
    google = host.endswith(("blogspot.com", "googleusercontent.com", "ggpht.com"))
    return path.endswith(IMAGE_SUFFIXES) or google


@dataclass(frozen=True)
class FoundImage:
    url: str  # full size
    alt: str
    start: int
    end: int


def find_images(html: str) -> list[FoundImage]:
    """Every `<img>`, with the `<a href>` around it when that link is the larger file."""
    found = []
    for match in _LINKED_OR_BARE.finditer(html or ""):
        img = attributes(match.group("img1") or match.group("img2"))
        src = img.get("src", "").strip()
        link = attributes(match.group("a") or "").get("href", "").strip()
        url = link if link and looks_like_image(link) else src
        if not url:
            continue
        found.append(FoundImage(full_size_url(url), img.get("alt", "").strip(), *match.span()))
    return found


def replace_images(html: str, replacement: Callable[[FoundImage], str]) -> str:
    out, position = [], 0
    for image in find_images(html):
        out.append(html[position : image.start])
        out.append(replacement(image))
        position = image.end
    out.append(html[position:])
    return "".join(out)


def _key(text: str) -> str:
    text = unquote(unquote(text))  # `%255B` double encoding is common in Blogger URLs
    return unicodedata.normalize("NFC", text).lower()


class ImageSource:
    """Where the bytes of an image come from: local folders first, then the network if allowed."""

    def __init__(self, *, folders: Iterable[Path | None], download: bool) -> None:
        self.folders = [Path(folder) for folder in folders if folder]
        self.download = download
        self._by_name: dict[str, list[Path]] | None = None

    def _index(self) -> dict[str, list[Path]]:
        if self._by_name is None:
            self._by_name = {}
            for folder in self.folders:
                for root, _dirs, files in os.walk(folder):
                    for name in files:
                        self._by_name.setdefault(_key(name), []).append(Path(root) / name)
        return self._by_name

    def local_file(self, url: str) -> Path | None:
        """The file whose path ends like the URL's path (longest match), else same name."""
        if not self.folders:
            return None
        parts = [_key(part) for part in PurePosixPath(urlsplit(url).path).parts[1:]]
        if not parts:
            return None
        candidates = self._index().get(parts[-1], [])
        if not candidates:
            return None

        def shared_tail(path: Path) -> int:
            mine = [_key(part) for part in path.parts]
            count = 0
            while count < min(len(mine), len(parts)) and mine[-1 - count] == parts[-1 - count]:
                count += 1
            return count

        return max(candidates, key=shared_tail)

    def plan(self, url: str) -> str:
        if self.local_file(url) is not None:
            return LOCAL
        if self.download and urlsplit(url).scheme in {"http", "https"}:
            return DOWNLOAD
        return REMOTE

    def fetch(self, url: str) -> bytes:
        local = self.local_file(url)
        if local is not None:
            if local.stat().st_size > MAX_BYTES:
                raise ImageFailed(f"{local.name}: larger than 10 MB")
            return local.read_bytes()
        if not self.download:
            raise ImageFailed("not found in the media folders")
        return download(url)


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to another http(s) URL (urllib would also follow one to ftp:)."""

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme not in {"http", "https"}:
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpOnlyRedirects)


def download(url: str) -> bytes:
    """GET an image over http(s) only, 10 s timeout, 10 MB at most."""
    if urlsplit(url).scheme not in {"http", "https"}:
        raise ImageFailed("only http and https images are downloaded")
    request = urllib.request.Request(url, headers={"User-Agent": "newsroom-import/1"})  # noqa: S310
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            data = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise ImageFailed(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise ImageFailed(str(getattr(exc, "reason", exc))) from exc
    if len(data) > MAX_BYTES:
        raise ImageFailed("larger than 10 MB")
    return data


def filename_of(url: str) -> str:
    name = PurePosixPath(unquote(urlsplit(url).path)).name
    return name[:100] or "image"
