"""Send the CDN purges that failed earlier and were kept pending (newsroom/cdn.py).

Pending tags also go out with the next purge, but a quiet site may not publish for a while:
run this from cron or a worker every minute or so, and by hand after a CDN outage. It exits
with an error while some tags are still pending, so a scheduler can report it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from newsroom import pagecache


class Command(BaseCommand):
    help = "Send the CDN purges kept pending after a failure; fail if some are still pending."

    def handle(self, *args: Any, **options: Any) -> None:
        still_pending = 0
        for backend in pagecache.purgers():
            retry = getattr(backend, "retry_pending", None)
            if retry is None:
                continue
            for target, sent, left in retry():
                still_pending += left
                if left:
                    self.stderr.write(f"{target}: {sent} tags sent, {left} still pending")
                elif sent:
                    self.stdout.write(f"{target}: {sent} tags sent")
                else:
                    self.stdout.write(f"{target}: nothing pending")
        if still_pending:
            raise CommandError(f"{still_pending} tags still pending; try again later")
