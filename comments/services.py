"""Writing comments: the moderation rules and the one function that stores a submission.

The view validates the form and calls `comment_submit()`; everything that decides what
happens to a comment (closed, duplicate, rate limited, trusted or held) lives here, so the
rules read in one place and tests can call them without HTTP.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from newsroom import jobs
from newsroom.antispam import check_rate_limit

from .models import BlockedWord, Comment
from .purges import article_purge
from .tasks import notify_moderators_of_comment

MAX_LINKS = 2
DUPLICATE_WINDOW = timedelta(minutes=1)
# (count, seconds): one comment every 15 seconds, twenty an hour, per address and per email.
DEFAULT_RATE_LIMITS = [(1, 15), (20, 3600)]
_LINK = re.compile(r"(?i)\b(?:https?://|www\.)|\[url|<a\s")


class CommentsClosed(ValidationError):
    """The article no longer takes comments (switched off, or older than the closing delay)."""

    def __init__(self) -> None:
        super().__init__(_("Comments are closed for this article."), code="closed")


@dataclass(frozen=True)
class SubmitResult:
    comment: Comment
    created: bool  # False when the submission repeated one already stored

    @property
    def published(self) -> bool:
        return self.comment.status == Comment.Status.APPROVED


def comments_open(article: Article, *, now: timezone.datetime | None = None) -> bool:
    """Whether readers may comment: published, switched on, and within the closing delay.

    COMMENTS_CLOSE_AFTER_DAYS counts from the first publication (falling back to the publish
    time); 0 keeps comments open for good.
    """
    if not article.comments_enabled or not article.is_published():
        return False
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    if days <= 0:
        return True
    since = article.first_published_at or article.publish_at
    return since is not None and (now or timezone.now()) - since <= timedelta(days=days)


def count_links(text: str) -> int:
    return len(_LINK.findall(text))


def moderation_reasons(*, name: str, body: str) -> list[str]:
    """The spam rules a comment triggers; any reason sends it to the moderation queue."""
    reasons = []
    links = count_links(body) + count_links(name)
    if links > MAX_LINKS:
        reasons.append(f"{links} links")
    blocked = BlockedWord.objects.found_in(name, body)
    if blocked:
        reasons.append("blocked: " + ", ".join(blocked))
    return reasons


def is_trusted(email: str) -> bool:
    """A commenter with an earlier approved comment (same email) is published at once."""
    return Comment.objects.approved().filter(email=email.lower()).exists()


def _recent_duplicate(content_hash: str) -> Comment | None:
    since = timezone.now() - DUPLICATE_WINDOW
    return (
        Comment.objects.filter(content_hash=content_hash, created_at__gte=since)
        .order_by("pk")
        .first()
    )


def comment_submit(
    *,
    article: Article,
    name: str,
    email: str,
    body: str,
    parent: Comment | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
) -> SubmitResult:
    """Store a reader's comment exactly once; moderators hear of it after the commit.

    Order matters: a double-submitted form (same article, email and text within a minute)
    returns the first copy before the rate limit is charged, so a double click never shows
    the reader a "too many comments" error. Two copies racing each other collide on the
    unique `dedupe_key` (hash + minute) and the loser returns the winner. The rate limit is
    charged inside the transaction, so a refused comment leaves nothing behind.

    Raises CommentsClosed or RateLimited (both ValidationError) with a translated message.
    """
    if not comments_open(article):
        raise CommentsClosed
    email = email.strip().lower()
    content_hash = Comment.hash_content(article_id=article.pk, email=email, body=body)
    duplicate = _recent_duplicate(content_hash)
    if duplicate is not None:
        return SubmitResult(duplicate, created=False)

    reasons = moderation_reasons(name=name, body=body)
    trusted = not reasons and is_trusted(email)
    now = timezone.now()
    comment = Comment(
        article=article,
        parent=parent,
        name=name,
        email=email,
        body=body,
        status=Comment.Status.APPROVED if trusted else Comment.Status.PENDING,
        moderation_reasons="; ".join(reasons)[:300],
        ip_address=ip_address or None,
        user_agent=user_agent[:300],
        content_hash=content_hash,
        dedupe_key=f"{content_hash[:64]}:{int(now.timestamp() // 60)}",
    )
    try:
        with transaction.atomic():
            comment.save()
            check_rate_limit(
                scope="comments",
                keys={"ip": ip_address or "", "email": email},
                limits=getattr(settings, "COMMENTS_RATE_LIMITS", DEFAULT_RATE_LIMITS),
            )
    except IntegrityError:
        winner = Comment.objects.filter(dedupe_key=comment.dedupe_key).first()
        if winner is None:
            raise
        return SubmitResult(winner, created=False)

    if comment.status == Comment.Status.PENDING:
        transaction.on_commit(
            lambda: jobs.enqueue(notify_moderators_of_comment, comment_id=comment.pk)
        )
    return SubmitResult(comment, created=True)


def comments_set_status(*, comment_ids: list[int], status: str) -> int:
    """Moderation in bulk (approve, mark as spam, remove); returns how many changed.

    A bulk update sends no signals: the affected articles' cached pages are purged here.
    """
    changing = Comment.objects.filter(pk__in=comment_ids).exclude(status=status)
    shown = changing if status == Comment.Status.APPROVED else changing.approved()
    articles = set(shown.values_list("article_id", flat=True))
    changed = changing.update(status=status)
    # After the update: outside a transaction the purge runs at once, and a page rendered
    # between a purge and the update would be stored with the old comments.
    article_purge(articles)
    return changed
