"""Google Takeout ZIPs: find the blog's `feed.atom`, refuse unsafe members, keep the images.

Nothing in the archive is trusted: every member name is checked before anything is read (no
`..`, no absolute path, no drive letter, no symlink), the feed is streamed straight out of the
archive, and only image files are written, under a fresh temporary folder, with their size
capped while copying (a member's declared size can lie).
"""

from __future__ import annotations

import re
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import IO, BinaryIO

from .base import UnsupportedExport
from .xml import Source

FEED_RE = re.compile(r"(?:^|/)Blogger/Blogs/([^/]+)/feed\.atom$")
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".bmp", ".heic", ".tif"}
MAX_IMAGE_BYTES = 50 * 1024 * 1024
_DRIVE_RE = re.compile(r"^[A-Za-z]:")
_COPY_CHUNK = 1 << 16


def check_member(info: zipfile.ZipInfo, archive: str) -> None:
    name = info.filename
    parts = re.split(r"[\\/]", name)
    mode = info.external_attr >> 16
    problem = ""
    if name.startswith(("/", "\\")):
        problem = "an absolute path"
    elif _DRIVE_RE.match(name):
        problem = "a drive letter"
    elif ".." in parts:
        problem = "'..' in its path"
    elif "\x00" in name:
        problem = "a NUL character in its name"
    elif stat.S_ISLNK(mode):
        problem = "a symbolic link"
    if problem:
        raise UnsupportedExport(
            f"{archive}: the archive member {name!r} has {problem}; refusing the whole archive."
        )


def find_feed(archive: zipfile.ZipFile, name: str) -> zipfile.ZipInfo:
    feeds = [info for info in archive.infolist() if FEED_RE.search(info.filename)]
    if not feeds:
        raise UnsupportedExport(
            f"{name} is a ZIP archive without a Takeout Blogger feed "
            "(Takeout/Blogger/Blogs/<blog name>/feed.atom): not a Blogger or WordPress export."
        )
    if len(feeds) > 1:
        blogs = ", ".join(FEED_RE.search(info.filename).group(1) for info in feeds)  # type: ignore[union-attr]
        raise UnsupportedExport(
            f"{name} holds several blogs ({blogs}): unpack it and import each feed.atom on its own."
        )
    return feeds[0]


def extract_images(archive: zipfile.ZipFile, name: str) -> Path | None:
    """Copy the image members into a new temporary folder; None when there are none."""
    images = [
        info
        for info in archive.infolist()
        if not info.is_dir() and PurePosixPath(info.filename).suffix.lower() in IMAGE_SUFFIXES
    ]
    if not images:
        return None
    root = Path(tempfile.mkdtemp(prefix="import-media-"))
    try:
        for info in images:
            relative = PurePosixPath(info.filename.replace("\\", "/"))
            target = root.joinpath(*relative.parts)
            if not target.resolve().is_relative_to(root.resolve()):
                raise UnsupportedExport(
                    f"{name}: the archive member {info.filename!r} would land outside its folder."
                )
            target.parent.mkdir(parents=True, exist_ok=True)
            copied = 0
            with archive.open(info) as src, target.open("wb") as dst:
                while chunk := src.read(_COPY_CHUNK):
                    copied += len(chunk)
                    if copied > MAX_IMAGE_BYTES:
                        raise UnsupportedExport(
                            f"{name}: the archive member {info.filename!r} is larger than "
                            f"{MAX_IMAGE_BYTES // (1024 * 1024)} MB; refusing the archive."
                        )
                    dst.write(chunk)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return root


def open_zip(path: Path) -> tuple[Source, Path | None]:
    """Check every member, then return the feed as a streamable source and the images' folder."""
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                check_member(info, path.name)
            feed = find_feed(archive, path.name)
            media_root = extract_images(archive, path.name)
    except zipfile.BadZipFile as exc:
        raise UnsupportedExport(f"{path.name} is a damaged ZIP archive: {exc}.") from None

    member = feed.filename

    def opener() -> BinaryIO:
        archive = zipfile.ZipFile(path)
        try:
            stream = archive.open(member)
        except BaseException:
            archive.close()
            raise
        return _MemberStream(archive, stream)  # type: ignore[return-value]

    return Source(name=f"{path.name}:{member}", open=opener), media_root


class _MemberStream:
    """A member's stream that closes its archive with it."""

    def __init__(self, archive: zipfile.ZipFile, stream: IO[bytes]) -> None:
        self._archive = archive
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        return self._stream.read(size)

    def close(self) -> None:
        self._stream.close()
        self._archive.close()
