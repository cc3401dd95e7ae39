"""Comments of the imported posts, with their threading and their moderation state.

They bypass the reader-facing defences (rate limits, blocklist, notifications): they were
moderated at the source, and their state is kept. A comment that arrives before its post or
its parent waits until the end of the file.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from comments.models import Comment
from newsroom.text import strip_invisible

from .bodies import plain_text
from .models import ImportedItem
from .records import CommentRecord, CommentStatus
from .report import ITEM_ERRORS

ANONYMOUS = "مجهول"
# Comment.email is required; a comment exported without one gets this reserved address,
# which can never receive mail nor match a reader's own address.
NO_EMAIL = "no-email@import.invalid"
_COMMENT_STATUS = {
    CommentStatus.APPROVED: Comment.Status.APPROVED,
    CommentStatus.PENDING: Comment.Status.PENDING,
    CommentStatus.SPAM: Comment.Status.SPAM,
    CommentStatus.REMOVED: Comment.Status.REMOVED,
}


class CommentSteps:
    """Part of Importer (imports/importer.py): the comment steps."""

    report: Any
    _articles: dict[str, int]
    _comments: dict[str, tuple[int, int]]
    _waiting_comments: list[CommentRecord]
    _item: Any
    _remember: Any

    def _count_comment_plan(self, record: CommentRecord) -> None:
        state = "pingback (skipped)" if record.is_pingback else record.status.value
        self.report.plan[f"comments: {state}"] += 1

    def _comment(self, record: CommentRecord, *, final: bool) -> bool:
        """Import one comment; False when its post or parent is not known yet (try later)."""
        if record.is_pingback:
            self.report.count("comment", "skipped")
            return True
        if self._item(ImportedItem.Kind.COMMENT, record.source_id) is not None:
            self.report.count("comment", "unchanged")
            return True
        article_pk = self._articles.get(record.entry_source_id)
        parent = self._comment_ref(record.parent_source_id) if record.parent_source_id else None
        if article_pk is None or (record.parent_source_id and parent is None):
            if not final:
                return False
            missing = "post" if article_pk is None else "parent comment"
            self.report.warn(f"comment {record.source_id}: its {missing} was not imported")
            self.report.count("comment", "skipped")
            return True
        name = " ".join(strip_invisible(record.author_name or "").split())[:80] or ANONYMOUS
        email = (record.author_email or "").strip().lower()[:254] or NO_EMAIL
        body = plain_text(record.body_text)[:3000]
        try:
            with transaction.atomic():
                comment = Comment.objects.create(
                    article_id=article_pk,
                    parent_id=parent[1] if parent else None,
                    name=name,
                    email=email,
                    body=body,
                    status=_COMMENT_STATUS[record.status],
                    content_hash=Comment.hash_content(
                        article_id=article_pk, email=email, body=body
                    ),
                )
                if record.published is not None:
                    Comment.objects.filter(pk=comment.pk).update(created_at=record.published)
                self._remember(ImportedItem.Kind.COMMENT, record.source_id, comment, new=True)
        except ITEM_ERRORS as exc:
            self.report.warn(f"comment {record.source_id}: not imported ({exc})")
            self.report.count("comment", "failed")
            return True
        self._comments[record.source_id] = (comment.pk, parent[1] if parent else comment.pk)
        self.report.count("comment", "created")
        return True

    def _late_comments(self) -> None:
        """Comments that came before their post or parent: retry until nothing moves."""
        waiting = self._waiting_comments
        while waiting:
            still = [record for record in waiting if not self._comment(record, final=False)]
            if len(still) == len(waiting):
                for record in still:
                    self._comment(record, final=True)
                break
            waiting = still
        self._waiting_comments = []

    def _comment_ref(self, source_id: str) -> tuple[int, int] | None:
        """(pk, top-level pk) of a comment imported by this run or an earlier one."""
        if source_id in self._comments:
            return self._comments[source_id]
        item = self._item(ImportedItem.Kind.COMMENT, source_id)
        row = (
            Comment.objects.filter(pk=item.object_id).values_list("pk", "parent_id").first()
            if item is not None
            else None
        )
        if row is None:
            return None
        self._comments[source_id] = (row[0], row[1] or row[0])
        return self._comments[source_id]
