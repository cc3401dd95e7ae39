"""Work out of the request: emails run as background tasks, retried with back-off.

The queue is django-tasks (the backport of Django 6's `django.tasks`, so moving to Django 6
changes an import) with its database backend (django-tasks-db): jobs are rows in the same
PostgreSQL as the content, written in the request's own transaction or right after its
commit, and `manage.py db_worker` runs them. A queue in Redis (RQ) would be faster, but Redis
here keeps nothing on disk, and a reader's message must survive a restart; one database also
means one backup and nothing more to run. `TASKS_BACKEND=immediate` (the default without
`TASKS_BACKEND=database`) runs each job in the process at once, after the commit, for
development and single-process installs.

That API records attempts but does not retry by itself: a job that fails calls
`retry_later()`, which enqueues it again with a growing delay (needs a backend that can defer,
the database one; elsewhere the sweeps, such as `contact_retry_delivery`, catch up).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django_tasks import default_task_backend

logger = logging.getLogger(__name__)

# After the 1st, 2nd... failure; then the job is given up (and logged as an error).
RETRY_DELAYS = (
    timedelta(seconds=15),
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)


def enqueue(task: Any, **kwargs: Any) -> bool:
    """Queue a job; never raises (a queue that cannot take it is logged, sweeps catch up)."""
    try:
        task.enqueue(**kwargs)
    except Exception:
        logger.exception("Could not queue %s(%s)", task.name, kwargs)
        return False
    return True


def can_defer() -> bool:
    return bool(getattr(default_task_backend, "supports_defer", False))


def retry_later(
    task: Any,
    *,
    attempt: int,
    at: datetime | None = None,
    delays: Sequence[timedelta] = RETRY_DELAYS,
    max_attempts: int | None = None,
    **kwargs: Any,
) -> bool:
    """Queue `task` again after its `attempt`-th failure: at `at`, or after the next of
    `delays`; False when it is given up after `max_attempts` (by default, once the delays
    are used up)."""
    max_attempts = max_attempts or len(delays) + 1
    if attempt >= max_attempts:
        logger.error("Giving up %s(%s) after %d attempts", task.name, kwargs, attempt)
        return False
    if not can_defer():
        logger.warning("%s(%s) failed; this task backend cannot retry later", task.name, kwargs)
        return False
    when = at or timezone.now() + delays[min(attempt, len(delays)) - 1]
    try:
        task.using(run_after=when).enqueue(attempt=attempt + 1, **kwargs)
    except Exception:
        logger.exception("Could not queue a retry of %s(%s)", task.name, kwargs)
        return False
    logger.warning("%s(%s) failed (attempt %d); retry at %s", task.name, kwargs, attempt, when)
    return True
