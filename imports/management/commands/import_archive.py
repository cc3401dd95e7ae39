"""`manage.py import_archive PATH`: move a Blogger or WordPress archive in.

The format is recognised from the file's content by imports.readers; this command only reads
the options, runs the importer and reports. Exit status 1 for a file it cannot read or a bad
label map, with the reason on stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from imports.importer import Importer
from imports.labels import LabelMapError, load_label_map


class Command(BaseCommand):
    help = "Import a Blogger backup, a Blogger Takeout (feed.atom or ZIP) or a WordPress WXR file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The export file (or the Takeout ZIP).")
        parser.add_argument("--dry-run", action="store_true", help="Write nothing; print the plan.")
        parser.add_argument(
            "--old-host",
            action="append",
            default=[],
            dest="old_hosts",
            metavar="HOST",
            help="A host name of the old site (repeatable); links to it are rewritten.",
        )
        parser.add_argument("--label-map", type=Path, help="CSV: label,kind (section|tag),slug.")
        parser.add_argument(
            "--media-dir", type=Path, help="Folder holding the old site's image files."
        )
        parser.add_argument(
            "--download-images", action="store_true", help="Fetch images not found locally."
        )
        parser.add_argument(
            "--update", action="store_true", help="Update items that changed at the source."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="With --update, also overwrite items edited here after the import.",
        )
        parser.add_argument(
            "--report",
            type=Path,
            help="Where to write the report (default: import-report-<time>.txt here).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bars.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            from imports import readers  # the readers live in their own package
        except ImportError as exc:
            raise CommandError("The export readers are not installed.") from exc

        unsupported = getattr(readers, "UnsupportedExport", ValueError)
        if options["force"] and not options["update"]:
            raise CommandError("--force only makes sense with --update.")
        try:
            label_map = load_label_map(options["label_map"])
        except LabelMapError as exc:
            raise CommandError(f"Label map: {exc}") from exc
        if options["media_dir"] is not None and not options["media_dir"].is_dir():
            raise CommandError(f"--media-dir {options['media_dir']}: not a folder.")
        try:
            export = readers.open_export(options["path"])
        except unsupported as exc:
            raise CommandError(f"{options['path']}: {exc}") from exc
        except OSError as exc:
            raise CommandError(f"{options['path']}: {exc.strerror or exc}") from exc

        progress = not options["no_progress"] and sys.stderr.isatty()
        importer = Importer(
            export=export,
            label_map=label_map,
            media_dir=options["media_dir"],
            download_images=options["download_images"],
            update=options["update"],
            force=options["force"],
            dry_run=options["dry_run"],
            old_hosts=options["old_hosts"],
            stdout=self.stdout,
            progress=progress,
        )
        try:
            report = importer.run()
        except unsupported as exc:  # a reader may find the file broken half way through
            raise CommandError(f"{options['path']}: {exc}") from exc
        text = report.render()
        if options["dry_run"]:
            self.stdout.write(text)
        else:
            self.stdout.write("Summary (created, updated, unchanged, skipped, failed):")
            self.stdout.write("\n".join(report.summary_lines()))
            if report.warnings:
                self.stdout.write(f"{len(report.warnings)} warnings: see the report.")
        target = options["report"]
        if target is None and not options["dry_run"]:
            target = Path(f"import-report-{timezone.now():%Y%m%d-%H%M%S}.txt")
        if target is not None:
            target.write_text(text, encoding="utf-8")
            self.stdout.write(f"Report written to {target}")
