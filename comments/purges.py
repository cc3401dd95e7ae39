"""An approved comment, or one taken off the site, clears its article's cached page only.

Comments waiting for moderation change nothing a reader sees, so they purge nothing. Listing
pages show comment counts; those follow at the page cache's next expiry rather than purging
every list on each approval.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models.signals import post_delete, post_init, post_save

from newsroom import pagecache

from .models import Comment


def article_purge(article_ids: Iterable[int]) -> None:
    pagecache.purge_after_commit({f"a{pk}" for pk in article_ids})


def _remember(sender: type[Comment], instance: Comment, **kwargs: Any) -> None:
    instance._status_loaded = instance.status  # type: ignore[attr-defined]


def _saved(sender: type[Comment], instance: Comment, **kwargs: Any) -> None:
    before = getattr(instance, "_status_loaded", None)
    if Comment.Status.APPROVED in (before, instance.status):
        article_purge([instance.article_id])
    instance._status_loaded = instance.status  # type: ignore[attr-defined]


def _deleted(sender: type[Comment], instance: Comment, **kwargs: Any) -> None:
    if instance.status == Comment.Status.APPROVED:
        article_purge([instance.article_id])


def connect() -> None:
    post_init.connect(_remember, sender=Comment, dispatch_uid="comments.purges.init")
    post_save.connect(_saved, sender=Comment, dispatch_uid="comments.purges.save")
    post_delete.connect(_deleted, sender=Comment, dispatch_uid="comments.purges.delete")
