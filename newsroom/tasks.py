"""CDN purges as background jobs: a publish clears the app's own cache at once and queues the
rest, so an editor never waits on a CDN's API, and a CDN that is down is tried again later.

`pagecache.purge()` hands the tags to `purge_at_cdns_later()`. With a task backend that can
defer (the database one, run by `manage.py db_worker`) the CDN calls become a job; with the
immediate backend they run in the request as before, within `CDN_PURGE_BUDGET`. A job whose
CDN failed (tags left pending, or a backend raising) comes back with a growing delay; the
pending tags also go out with the next purge or `manage.py retry_purges`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django_tasks import task

from newsroom import jobs, pagecache

# CDN copies may show the old page until a purge lands: retry sooner than emails do.
RETRY_DELAYS = (
    timedelta(seconds=5),
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
)


def cdn_purgers() -> list[Any]:
    """The configured purge backends other than the app's own cache."""
    return [b for b in pagecache.purgers() if not isinstance(b, pagecache.AppCachePurger)]


def purge_at_cdns_later(tags: list[str]) -> bool:
    """Queue the CDN purge of `tags`; False when it must run now (no deferring queue)."""
    return jobs.can_defer() and jobs.enqueue(purge_at_cdns, tags=list(tags))


def pending_tags(backends: list[Any]) -> int:
    """How many tags the backends' targets still hold pending after a failure."""
    from newsroom.cdn import PendingPurges

    targets = [t for b in backends if hasattr(b, "targets") for t in b.targets()]
    return sum(len(PendingPurges(target.name).tags()) for target in targets)


@task()
def purge_at_cdns(tags: list[str], attempt: int = 1) -> bool:
    """Send `tags` to every configured CDN; True when nothing is left to send.

    Purges are idempotent, so a retry simply sends the same tags again (with whatever the
    targets kept pending meanwhile)."""
    backends = cdn_purgers()
    ok = pagecache.run_purgers(backends, tags)
    if ok and not pending_tags(backends):
        return True
    jobs.retry_later(purge_at_cdns, attempt=attempt, delays=RETRY_DELAYS, tags=tags)
    return False
