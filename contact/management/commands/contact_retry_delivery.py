"""Deliver contact messages a mail outage left behind; run it from cron every few minutes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from contact.services import contact_messages_retry


class Command(BaseCommand):
    help = (
        "Email the owners every stored contact message that is not delivered yet and whose "
        "back-off has elapsed. Safe to run from several places at once: each message is "
        "claimed before it is sent, so none goes out twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--limit", type=int, default=100, help="At most this many messages per run."
        )

    def handle(self, *args: Any, limit: int, **options: Any) -> None:
        delivered, failed = contact_messages_retry(limit=limit)
        self.stdout.write(f"delivered: {delivered}, still undelivered: {failed}")
