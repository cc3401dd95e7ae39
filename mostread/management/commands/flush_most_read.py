"""Write the views counted in the cache to the database now (cron, deploys, quiet sites).

Readers' views start a flush at most once a minute; on a quiet site the last views of an
hour would wait for the next reader, so a cron line running this every few minutes keeps
the block current.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from mostread.services import flush_counts


class Command(BaseCommand):
    help = "Write the most-read view counters from the cache to the database."

    def handle(self, *args: Any, **options: Any) -> None:
        written = flush_counts()
        if written is None:
            self.stdout.write("Another flush is running; nothing done.")
        else:
            self.stdout.write(f"{written} rows written.")
