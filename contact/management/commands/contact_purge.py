"""Delete contact messages older than the retention period, for readers' privacy."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from contact.models import ContactMessage
from contact.services import contact_messages_purge


class Command(BaseCommand):
    help = (
        "Delete contact messages older than CONTACT_RETENTION_DAYS (default 730 days, two "
        "years). Run it daily from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Override CONTACT_RETENTION_DAYS for this run.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted, delete nothing."
        )

    def handle(self, *args: Any, days: int | None, dry_run: bool, **options: Any) -> None:
        days = settings.CONTACT_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("The retention period must be at least one day.")
        if dry_run:
            count = ContactMessage.objects.older_than(days).count()
            self.stdout.write(f"would delete: {count} (older than {days} days)")
            return
        count = contact_messages_purge(days=days)
        self.stdout.write(f"deleted: {count} (older than {days} days)")
