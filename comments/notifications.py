"""Email to moderators about comments waiting for them.

Sent after the comment is committed (see `comment_submit`), so a slow or broken mail server
never delays or undoes the reader's post. A failure is logged; the comment stays in the
moderation queue, where the admin index counter shows it, so nothing is lost.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from newsroom.text import one_line

from .models import Comment

logger = logging.getLogger(__name__)


def notify_moderators(*, comment_id: int, raise_errors: bool = False) -> bool:
    """Email MODERATOR_EMAILS about one pending comment; True if the mail server took it.

    With `raise_errors` a mail failure is raised (the job retries it) instead of returned.
    """
    recipients = list(settings.MODERATOR_EMAILS)
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if not recipients or comment is None or comment.status != Comment.Status.PENDING:
        return False
    admin_url = settings.SITE_URL + reverse("admin:comments_comment_change", args=[comment.pk])
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Comment awaiting moderation: %(title)s") % {
            "title": one_line(comment.article.title, 80)
        }
        lines = [
            _("A reader's comment is waiting for your approval."),
            "",
            _("Article: %(title)s") % {"title": one_line(comment.article.title, 120)},
            _("Name: %(name)s") % {"name": one_line(comment.name, 120)},
            _("Email: %(email)s") % {"email": comment.email},
        ]
        if comment.moderation_reasons:
            lines.append(_("Why it waits: %(reasons)s") % {"reasons": comment.moderation_reasons})
        lines += ["", comment.body, "", _("Moderate it here: %(url)s") % {"url": admin_url}]
    message = EmailMessage(
        subject=one_line(subject, 150),
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    try:
        message.send()
    except Exception:  # any transport failure: log it, the comment is safe in the queue
        logger.exception("Could not email moderators about comment %s", comment.pk)
        if raise_errors:
            raise
        return False
    return True
