"""Writes for the contact form: store a message, deliver it by email, track the owners' work.

The order is the whole point: a message is committed to the database first and emailed only
after the commit, by a background job (contact/tasks.py), so a mail outage (or a crash between
the two) never loses a reader's message.
Delivery claims the message with a conditional UPDATE before sending, so the request that stored
it, the retry command and a second copy of that command never email the same message twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from newsroom import jobs
from newsroom.text import one_line, strip_invisible

from .models import ContactMessage, ContactSubject

logger = logging.getLogger(__name__)

# How long a delivery attempt owns a message; longer than any SMTP timeout, so a slow send is
# never overtaken by a retry, yet a process that dies mid-send releases the message eventually.
DELIVERY_LEASE = timedelta(minutes=10)
RETRY_BASE = timedelta(minutes=1)
RETRY_MAX = timedelta(hours=6)
DUPLICATE_WINDOW = timedelta(minutes=10)


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off (1, 2, 4 ... minutes, at most 6 hours) after `attempts` failures."""
    return min(RETRY_BASE * (2 ** max(attempts - 1, 0)), RETRY_MAX)


def contact_message_submit(
    *,
    subject: ContactSubject,
    name: str,
    email: str,
    message: str,
    language: str = "",
    ip_address: str | None = None,
    user_agent: str = "",
) -> ContactMessage:
    """Store a reader's message, then email the owners once the transaction has committed.

    The same text from the same address within DUPLICATE_WINDOW (a double click, a reload
    of the POST) returns the message already stored instead of filing and emailing it twice.
    """
    duplicate = ContactMessage.objects.filter(
        email__iexact=email,
        message=message,
        created_at__gte=timezone.now() - DUPLICATE_WINDOW,
    ).first()
    if duplicate is not None:
        return duplicate
    with translation.override(settings.LANGUAGE_CODE):
        subject_label = one_line(strip_invisible(subject.name))  # the owners read Arabic
    with transaction.atomic():
        stored = ContactMessage.objects.create(
            subject=subject,
            subject_label=subject_label,
            name=name,
            email=email,
            message=message,
            language=language[:10],
            ip_address=ip_address or None,
            user_agent=user_agent[:300],
        )
        # robust: whatever goes wrong while queueing, the reader still gets the thank-you page.
        transaction.on_commit(lambda: _queue_delivery(stored.pk), robust=True)
    return stored


def _queue_delivery(message_id: int) -> None:
    """Hand the delivery to the task queue (a worker, or this process at once when immediate)."""
    from .tasks import deliver_contact_message  # the job calls back into this module

    jobs.enqueue(deliver_contact_message, message_id=message_id)


def _claim(message: ContactMessage, now: datetime) -> bool:
    """Take the delivery lease if the message is still undelivered and due; True when won."""
    won = (
        ContactMessage.objects.filter(pk=message.pk, delivered_at__isnull=True)
        .exclude(status=ContactMessage.Status.SPAM)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(
            next_attempt_at=now + DELIVERY_LEASE,
            delivery_attempts=F("delivery_attempts") + 1,
            # Cleared while a send is in flight: "undelivered with an error" then always means
            # "waiting for its back-off", which an owner may cut short (retry now).
            last_error="",
        )
    )
    return won == 1


def build_email(message: ContactMessage) -> EmailMessage:
    """The owners' notification: From the site (no spoofing), Reply-To the reader."""
    recipients = (
        message.subject.recipient_list() if message.subject else list(settings.CONTACT_RECIPIENTS)
    )
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"
    with translation.override(settings.LANGUAGE_CODE):
        subject = one_line(
            _("[%(site)s] %(subject)s, from %(name)s")
            % {"site": settings.SITE_NAME, "subject": message.subject_label, "name": message.name}
        )
        admin_url = settings.SITE_URL + reverse(
            "admin:contact_contactmessage_change", args=[message.pk]
        )
        rows = [
            (_("Name"), one_line(message.name)),
            (_("Email"), message.email),
            (_("Subject"), one_line(message.subject_label)),
            (_("Language"), message.language),
            (_("Received"), f"{timezone.localtime(message.created_at):%Y-%m-%d %H:%M}"),
            (_("In the inbox"), admin_url),
        ]
        lines = [f"{label}: {value}" for label, value in rows] + ["", message.message]
    return EmailMessage(
        subject=subject,
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        reply_to=[formataddr((one_line(message.name), message.email))],
        # A stable Message-ID lets mail clients fold a duplicate if a send is ever repeated.
        headers={"Message-ID": f"<contact-{message.pk}@{domain}>"},
    )


def contact_message_deliver(*, message: ContactMessage) -> bool:
    """Email one stored message to the owners; record the outcome on the message.

    Returns True if this call delivered it. Never raises for a mail failure: the error and the
    next attempt time are saved, and the retry command takes it from there.
    """
    now = timezone.now()
    if not _claim(message, now):
        return False
    message.refresh_from_db()
    try:
        build_email(message).send(fail_silently=False)
    except Exception as error:  # any mail failure is recorded, never raised
        delay = retry_delay(message.delivery_attempts)
        ContactMessage.objects.filter(pk=message.pk).update(
            last_error=f"{type(error).__name__}: {error}"[:1000],
            next_attempt_at=timezone.now() + delay,
        )
        logger.warning(
            "Contact message %s not delivered (attempt %s), retry in %s: %s",
            message.pk,
            message.delivery_attempts,
            delay,
            error,
        )
        message.refresh_from_db()
        return False
    ContactMessage.objects.filter(pk=message.pk).update(
        delivered_at=timezone.now(), next_attempt_at=None, last_error=""
    )
    message.refresh_from_db()
    return True


def contact_messages_retry(*, limit: int = 100, now: datetime | None = None) -> tuple[int, int]:
    """Deliver the undelivered messages whose back-off has elapsed; (delivered, failed)."""
    ids = list(ContactMessage.objects.due_for_delivery(now).values_list("pk", flat=True)[:limit])
    delivered = failed = 0
    for message in ContactMessage.objects.filter(pk__in=ids).order_by("created_at", "pk"):
        if contact_message_deliver(message=message):
            delivered += 1
        elif not message.is_delivered:
            failed += 1
    return delivered, failed


def contact_message_retry_now(*, message: ContactMessage) -> bool:
    """An owner asked to retry at once: cut a back-off wait short (never a send in flight)."""
    ContactMessage.objects.filter(
        pk=message.pk, delivered_at__isnull=True, last_error__gt=""
    ).update(next_attempt_at=timezone.now())
    return contact_message_deliver(message=message)


def contact_message_mark_read(*, message: ContactMessage) -> bool:
    """Move a new message to read when an owner opens it; True if this call changed it."""
    now = timezone.now()
    changed = ContactMessage.objects.filter(pk=message.pk, status=ContactMessage.Status.NEW).update(
        status=ContactMessage.Status.READ, read_at=now
    )
    if changed:
        message.status, message.read_at = ContactMessage.Status.READ, now
    return changed == 1


def contact_messages_set_status(*, messages: QuerySet[ContactMessage], status: str) -> int:
    """Bulk state change from the inbox; the first read time is kept once set."""
    queryset = ContactMessage.objects.filter(pk__in=messages.values("pk"))
    count = queryset.update(status=status)
    if status != ContactMessage.Status.NEW:
        queryset.filter(read_at__isnull=True).update(read_at=timezone.now())
    return count


def contact_messages_purge(*, days: int | None = None, now: datetime | None = None) -> int:
    """Delete messages older than the retention period (privacy); returns how many went."""
    days = settings.CONTACT_RETENTION_DAYS if days is None else days
    deleted, _per_model = ContactMessage.objects.older_than(days, now).delete()
    return deleted
