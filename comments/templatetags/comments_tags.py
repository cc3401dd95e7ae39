"""`{% comment_thread article as thread %}`: everything the comment section shows, in one query."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache as cache_once
from typing import Any

from django import template

from articles.models import Article

from ..forms import CommentForm
from ..models import Comment
from ..services import comments_open

register = template.Library()


@dataclass
class Thread:
    comments: list[Comment] = field(default_factory=list)  # top level, oldest first
    count: int = 0  # approved comments, replies included
    is_open: bool = False
    form: CommentForm | None = None
    replying_to: Comment | None = None


def build_thread(article: Article, *, reply_to: str | None = None) -> Thread:
    """Approved comments as a one-level tree, fetched in a single query whatever their number.

    Replies are attached in Python (`comment.thread_replies`) rather than prefetched, so the
    count of queries stays the same with 0 or 500 comments.
    """
    approved = list(
        Comment.objects.for_article(article).only(
            "pk", "parent_id", "name", "body", "created_at", "article_id", "status"
        )
    )
    by_id = {comment.pk: comment for comment in approved}
    top: list[Comment] = []
    for comment in approved:
        comment.thread_replies = []  # type: ignore[attr-defined]
    for comment in approved:
        parent = by_id.get(comment.parent_id) if comment.parent_id else None
        if parent is not None:
            parent.thread_replies.append(comment)  # type: ignore[attr-defined]
        elif comment.parent_id is None:
            top.append(comment)
    thread = Thread(comments=top, count=len(approved), is_open=comments_open(article))
    if thread.is_open:
        replying_to = by_id.get(int(reply_to)) if reply_to and reply_to.isdigit() else None
        if replying_to is not None and replying_to.parent_id:
            replying_to = by_id.get(replying_to.parent_id)
        thread.replying_to = replying_to
        thread.form = CommentForm(
            article=article, initial={"parent": replying_to.pk if replying_to else None}
        )
    return thread


def _reply_to(context: dict[str, Any]) -> str:
    request = context.get("request")
    reply_to = request.GET.get("reply_to", "") if request is not None else ""
    return reply_to if reply_to.isdigit() and len(reply_to) < 12 else ""


@register.simple_tag(takes_context=True)
def comment_thread(context: dict[str, Any], article: Article) -> Callable[[], Thread]:
    """The thread, built on first use: inside a cached fragment, a hit never builds it."""
    reply_to = _reply_to(context)
    return cache_once(lambda: build_thread(article, reply_to=reply_to))


@register.simple_tag(takes_context=True)
def comments_fragment(context: dict[str, Any], article: Article) -> str:
    """The name of the section's cached fragment: the article and the comment replied to.

    The part is the same for every reader (the form's tokens come from comments:token), and
    every moderation of one of its comments purges the article's tag "a<id>".
    """
    return f"comments:{article.pk}:{_reply_to(context)}"


@register.filter
def article_tag(article: Article) -> str:
    """The page cache tag of an article's page, which every moderation of its comments purges."""
    return f"a{article.pk}"
