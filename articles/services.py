"""The publishing workflow: draft -> in review -> published (-> back to draft).

The admin's actions and its change form both go through these functions, so an article
submitted for review tells the editors the same way whichever button the journalist used.

Who is told: the active members of the Editors group who have an email address. Superusers
are not written to unless they are also in the Editors group: the role, not the account's
technical power, decides who reviews. The email leaves after the database commit, and a
mail failure is logged and never undoes or blocks the submission: the article is safe in
the review queue, which the admin index counts for every editor.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from newsroom import jobs, roles
from newsroom.text import one_line

from .models import Article

logger = logging.getLogger(__name__)

# What the change reason of a version says, stored as a key and shown translated (history).
REASON_SUBMITTED = "submitted for review"
REASON_PUBLISHED = "published"
REASON_UNPUBLISHED = "unpublished"


def workflow_rank() -> Case:
    """0 for articles in review, 1 for drafts, 2 for the rest: where editors look first."""
    return Case(
        When(status=Article.Status.REVIEW, then=Value(0)),
        When(status=Article.Status.DRAFT, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def workflow_ordering() -> list[Any]:
    """Review queue, then drafts, then the rest; newest first within each group.

    Drafts have no publish time yet, so "newest" falls back to when they were created.
    """
    return [
        OrderBy(workflow_rank()),
        OrderBy(Coalesce("publish_at", "created_at"), descending=True),
        "-pk",
    ]


def record_change(
    article: Article, *, user: Any, reason: str | None = None, raise_version: bool = True
) -> None:
    """Note who did what for the next saved version of the history.

    The only code that sets django-simple-history's private attributes. A transition also
    raises the version an open form compares with, so a form opened before it refuses to
    overwrite it (the edit-conflict check in articles/forms.py), as it would after another
    editor's save; the change form has raised it already (`raise_version=False`).
    """
    if raise_version:
        article.version = (article.version or 0) + 1
    if reason:
        article._change_reason = reason
    if user is not None and getattr(user, "pk", None):
        article._history_user = user


def article_submit_for_review(
    *, article: Article, user: Any, request: HttpRequest | None = None
) -> bool:
    """Move a draft to the review queue and tell the editors; False if it was not a draft."""
    if article.status != Article.Status.DRAFT:
        return False
    with transaction.atomic():
        article.status = Article.Status.REVIEW
        record_change(article, user=user, reason=REASON_SUBMITTED)
        article.save()
        article_review_requested(article=article, user=user, request=request)
    return True


def article_save_from_form(
    *, article: Article, user: Any, status_changed: bool, request: HttpRequest | None = None
) -> None:
    """Save the admin's change form; a status set to "In review" is a submission.

    Such a save is recorded and announced to the editors exactly as the "Submit for review"
    action does, whichever way the journalist chose. Publishing through the form sets the
    publication times as the action does.
    """
    if article.status == Article.Status.PUBLISHED:
        article.mark_published(article.publish_at)
    submitted = article.status == Article.Status.REVIEW and (
        article._state.adding or status_changed
    )
    record_change(
        article,
        user=user,
        reason=REASON_SUBMITTED if submitted else None,
        raise_version=False,
    )
    article.save()
    if submitted:
        article_review_requested(article=article, user=user, request=request)


def article_review_requested(
    *, article: Article, user: Any, request: HttpRequest | None = None
) -> None:
    """Email the editors about `article` once the current transaction commits.

    Called by article_submit_for_review() and by the admin's change form when a journalist
    sets the status to "In review" and saves.
    """
    admin_url = reverse("admin:articles_article_change", args=[article.pk])
    admin_url = request.build_absolute_uri(admin_url) if request else settings.SITE_URL + admin_url
    article_id, user_id = article.pk, getattr(user, "pk", None)
    transaction.on_commit(lambda: _queue_review_notice(article_id, user_id, admin_url))


def _queue_review_notice(article_id: int, submitter_id: int | None, admin_url: str) -> None:
    from .tasks import notify_editors  # the job calls back into this module

    jobs.enqueue(
        notify_editors, article_id=article_id, submitter_id=submitter_id, admin_url=admin_url
    )


def editor_emails() -> list[str]:
    users = (
        get_user_model()
        .objects.filter(groups__name=roles.EDITORS, is_active=True)
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def notify_editors_of_review(
    *, article_id: int, submitter_id: int | None, admin_url: str, raise_errors: bool = False
) -> bool:
    """One email to the editors about one article waiting for review; True if it was sent.

    With `raise_errors` a mail failure is raised (the job retries it) instead of returned.
    """
    article = Article.objects.select_related("category").filter(pk=article_id).first()
    recipients = editor_emails()
    if article is None or not recipients:
        return False
    submitter = get_user_model().objects.filter(pk=submitter_id).first()
    who = (submitter.get_full_name() or submitter.get_username()) if submitter else "—"
    with translation.override(settings.LANGUAGE_CODE):
        title = one_line(article.title_ar or article.title or "", 120)
        subject = _("Article awaiting review: %(title)s") % {"title": title}
        lines = [
            _("%(name)s submitted an article for review.") % {"name": one_line(who, 120)},
            "",
            _("Title: %(title)s") % {"title": title},
            _("Section: %(section)s") % {"section": one_line(str(article.category), 120)},
            "",
            _("Review it here: %(url)s") % {"url": admin_url},
        ]
    message = EmailMessage(
        subject=one_line(subject, 150),
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    try:
        message.send()
    except Exception:  # any transport failure: the article waits in the review queue anyway
        logger.exception("Could not email the editors about article %s", article_id)
        if raise_errors:
            raise
        return False
    return True


def article_publish(*, article: Article, user: Any, when: datetime | None = None) -> bool:
    """Publish now (or at `when`); False if it was already live."""
    if article.is_published():
        return False
    article.mark_published(when or timezone.now())
    record_change(article, user=user, reason=REASON_PUBLISHED)
    article.save()
    return True


def article_unpublish(*, article: Article, user: Any) -> bool:
    """Take a published article off the site, back to draft; False if it was not published."""
    if article.status != Article.Status.PUBLISHED:
        return False
    article.status = Article.Status.DRAFT
    record_change(article, user=user, reason=REASON_UNPUBLISHED)
    article.save()
    return True
