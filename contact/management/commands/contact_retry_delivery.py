"""Deliver contact messages a mail outage left behind.

Run it from cron every few minutes, or as a long-running worker with `--every 60`.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections, connection

from contact.services import contact_messages_retry


class Command(BaseCommand):
    help = (
        "Email the owners every stored contact message that is not delivered yet and whose "
        "back-off has elapsed. Safe to run from several places at once: each message is "
        "claimed before it is sent, so none goes out twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--limit", type=int, default=100, help="At most this many messages per pass."
        )
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running as a worker, one pass every SECONDS (default: one pass, exit).",
        )
        parser.add_argument(
            "--passes",
            type=int,
            default=0,
            help="With --every, stop after this many passes (default: run until stopped).",
        )

    def handle(self, *args: Any, limit: int, every: int, passes: int, **options: Any) -> None:
        if every < 0 or passes < 0 or limit < 1:
            raise CommandError("--limit must be positive; --every and --passes not negative.")
        done = 0
        while True:
            if not connection.in_atomic_block:
                close_old_connections()  # a worker outlives database restarts and timeouts
            delivered, failed = contact_messages_retry(limit=limit)
            self.stdout.write(f"delivered: {delivered}, still undelivered: {failed}")
            done += 1
            if not every or (passes and done >= passes):
                return
            time.sleep(every)
