"""The comments' background job: tell the moderators about a comment waiting for them."""

from __future__ import annotations

from django_tasks import task

from newsroom import jobs

from .notifications import notify_moderators


@task()
def notify_moderators_of_comment(comment_id: int, attempt: int = 1) -> bool:
    """Email the moderators; a mail failure comes back later (newsroom.jobs.RETRY_DELAYS)."""
    try:
        return notify_moderators(comment_id=comment_id, raise_errors=True)
    except Exception:
        jobs.retry_later(notify_moderators_of_comment, attempt=attempt, comment_id=comment_id)
        return False
