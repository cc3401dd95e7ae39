"""Readers' comments on articles, moderated before they are public; the moderators' blocklist."""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from newsroom.arabic import normalise


def _folded(text: str) -> str:
    """Text as the blocklist compares it: search's Arabic folding, then case folding.

    `normalise()` makes إعلان, اعلان, إعــلان and إعلَان one word (and ی/ي, ة/ه, ٠-٩/0-9), and
    splits و/ف from ال so والإعلان contains الاعلان. Search's `search_terms()` is not used: it
    drops stop words and ال, which would break a moderator's multi-word entries.
    """
    return normalise(text).casefold()


class CommentQuerySet(models.QuerySet["Comment"]):
    def approved(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.APPROVED)

    def in_moderation(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.PENDING)

    def for_article(self, article: Article) -> CommentQuerySet:
        """What readers see under an article: approved comments, oldest first, in one query."""
        return self.approved().filter(article=article).order_by("created_at", "pk")


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        REMOVED = "removed", _("Removed")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    name = models.CharField(_("name"), max_length=80)
    email = models.EmailField(_("email"))
    body = models.TextField(_("comment"), max_length=3000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    moderation_reasons = models.CharField(
        _("why it waits"),
        max_length=300,
        blank=True,
        help_text=_("The spam rules this comment triggered, for moderators."),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True, db_index=True)
    # Same article, same email, same text: the hash finds a double submission, and the
    # per-minute key makes the database refuse the second copy even when both arrive at once.
    content_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    dedupe_key = models.CharField(max_length=80, null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        permissions = [("can_moderate", _("Can moderate comments"))]
        indexes = [
            models.Index(fields=["article", "status", "created_at"]),
            models.Index(fields=["email", "status"], name="comment_email_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key"], name="unique_comment_dedupe_key")
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.body[:40]}"

    @staticmethod
    def hash_content(*, article_id: int, email: str, body: str) -> str:
        """Identity of a submission's content; whitespace and case of the email do not count."""
        text = " ".join(body.split())
        return hashlib.sha256(f"{article_id}\0{email.lower()}\0{text}".encode()).hexdigest()


class BlockedWordQuerySet(models.QuerySet["BlockedWord"]):
    def found_in(self, *texts: str) -> list[str]:
        """The blocked words that appear in any of `texts` (substring match, folded).

        A substring match also catches "buy-viagra-now" and a prefixed or suffixed word
        (والإعلان, إعلانات); it only sends a comment to the moderation queue, never refuses it,
        so a false positive costs a moderator one click. Each text is searched on its own, so
        a phrase does not match across the name and the comment. An entry that folds to
        nothing (only tatweel or tashkeel) matches nothing.
        """
        haystacks = [_folded(text) for text in texts]
        return [
            word
            for word in self.values_list("word", flat=True)
            if (needle := _folded(word)) and any(needle in haystack for haystack in haystacks)
        ]


class BlockedWord(models.Model):
    """A word or phrase that always sends a comment to the moderation queue."""

    word = models.CharField(_("word or phrase"), max_length=100, unique=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = BlockedWordQuerySet.as_manager()

    class Meta:
        ordering = ["word"]
        verbose_name = _("blocked word")
        verbose_name_plural = _("blocked words")

    def __str__(self) -> str:
        return self.word

    def clean(self) -> None:
        self.word = " ".join(self.word.split())
