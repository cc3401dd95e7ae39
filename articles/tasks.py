"""The newsroom's background job: tell the editors an article waits for their review."""

from __future__ import annotations

from django_tasks import task

from newsroom import jobs

from .services import notify_editors_of_review


@task()
def notify_editors(
    article_id: int, submitter_id: int | None, admin_url: str, attempt: int = 1
) -> bool:
    """Email the editors; a mail failure comes back later (newsroom.jobs.RETRY_DELAYS)."""
    try:
        return notify_editors_of_review(
            article_id=article_id, submitter_id=submitter_id, admin_url=admin_url, raise_errors=True
        )
    except Exception:
        jobs.retry_later(
            notify_editors,
            attempt=attempt,
            article_id=article_id,
            submitter_id=submitter_id,
            admin_url=admin_url,
        )
        return False
