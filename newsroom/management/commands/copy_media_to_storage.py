"""Copy the media files of a local folder into the configured media storage (an S3 bucket).

Run it once when moving a site from local disk to MEDIA_STORAGE=s3, and again just before the
switch: files already in the bucket with the same size are skipped, so a second run only
copies what was uploaded in between. Storage names are the paths below the folder, exactly
what the database holds ("library/ab/….jpg"), so no row has to change.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser


def local_files(root: Path) -> list[tuple[str, Path]]:
    """Every regular file below root as (storage name with "/", path), sorted by name."""
    found = []
    for folder, _dirs, files in os.walk(root):
        for filename in files:
            path = Path(folder) / filename
            if path.is_file():
                found.append((path.relative_to(root).as_posix(), path))
    return sorted(found)


class Command(BaseCommand):
    help = (
        "Copy files from a local media folder (default MEDIA_ROOT) into the configured media "
        "storage, keeping their names; files already there with the same size are skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source",
            default=None,
            help="Local folder to copy from (default: MEDIA_ROOT).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be copied, copy nothing."
        )

    def handle(self, *args: Any, source: str | None, dry_run: bool, **options: Any) -> None:
        root = Path(source or settings.MEDIA_ROOT)
        if not root.is_dir():
            raise CommandError(f"No such folder: {root}")
        storage = default_storage
        copied = replaced = skipped = failed = 0
        copied_bytes = 0
        for name, path in local_files(root):
            size = path.stat().st_size
            try:
                exists = storage.exists(name)
                if exists and storage.size(name) == size:
                    skipped += 1
                    continue
                if dry_run:
                    self.stdout.write(f"would copy: {name}")
                elif not self._copy(storage, name, path, replace=exists):
                    failed += 1
                    continue
            except Exception as exc:  # one bad file (or a network error) must not stop the rest
                self.stderr.write(f"failed: {name}: {exc}")
                failed += 1
                continue
            replaced += int(exists)
            copied += int(not exists)
            copied_bytes += size
        verb = "would copy" if dry_run else "copied"
        self.stdout.write(
            f"{verb}: {copied}, replaced (size differed): {replaced}, "
            f"skipped (already there): {skipped}, failed: {failed}, "
            f"{copied_bytes / 1024 / 1024:.1f} MB from {root}"
        )
        if failed:
            raise CommandError(f"{failed} file(s) could not be copied; run the command again.")

    def _copy(self, storage: Any, name: str, path: Path, *, replace: bool) -> bool:
        """Store the file under exactly its name; a stale copy of another size is replaced."""
        if replace:
            storage.delete(name)
        with path.open("rb") as handle:
            stored = storage.save(name, File(handle, name=name))
        if stored != name:
            self.stderr.write(f"failed: {name}: the storage chose another name ({stored})")
            storage.delete(stored)
            return False
        return True
