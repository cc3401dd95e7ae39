"""Messages readers send through the contact form, and the subjects they choose from.

A message is stored before any email is attempted, so the database is the source of truth and
email is only a notification: the delivery fields record how that notification went, and the
retry command picks up what a mail outage left behind.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def parse_recipients(text: str) -> list[str]:
    """Split an owners' list of addresses written one per line or separated by commas."""
    return [part.strip() for part in text.replace(",", "\n").splitlines() if part.strip()]


def validate_recipients(text: str) -> None:
    """Refuse a recipient list with a malformed address, so a typo never swallows messages."""
    for address in parse_recipients(text):
        try:
            validate_email(address)
        except ValidationError as error:
            raise ValidationError(
                _("“%(address)s” is not a valid email address."),
                code="invalid_recipient",
                params={"address": address},
            ) from error


class ContactSubjectQuerySet(models.QuerySet["ContactSubject"]):
    def active(self) -> ContactSubjectQuerySet:
        return self.filter(is_active=True)


class ContactSubject(models.Model):
    """A choice in the form's subject list, routed to its own recipients."""

    key = models.SlugField(
        _("key"),
        max_length=40,
        unique=True,
        help_text=_("A stable identifier, used by data migrations; not shown to readers."),
    )
    name = models.CharField(_("name"), max_length=80)
    recipients = models.TextField(
        _("recipients"),
        blank=True,
        validators=[validate_recipients],
        help_text=_(
            "Addresses that receive messages on this subject, one per line. "
            "Empty: the site's default contact addresses."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ContactSubjectQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("contact subject")
        verbose_name_plural = _("contact subjects")

    def __str__(self) -> str:
        return self.name

    def recipient_list(self) -> list[str]:
        """This subject's recipients, or the site-wide fallback when none are set."""
        return parse_recipients(self.recipients) or list(settings.CONTACT_RECIPIENTS)


class ContactMessageQuerySet(models.QuerySet["ContactMessage"]):
    def unread(self) -> ContactMessageQuerySet:
        return self.filter(status=ContactMessage.Status.NEW)

    def undelivered(self) -> ContactMessageQuerySet:
        """Messages whose email never went out; spam is not worth an owner's inbox."""
        return self.filter(delivered_at__isnull=True).exclude(status=ContactMessage.Status.SPAM)

    def due_for_delivery(self, now: datetime | None = None) -> ContactMessageQuerySet:
        """Undelivered messages whose back-off has elapsed, oldest first."""
        now = now or timezone.now()
        return (
            self.undelivered()
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .order_by("created_at", "pk")
        )

    def older_than(self, days: int, now: datetime | None = None) -> ContactMessageQuerySet:
        return self.filter(created_at__lt=(now or timezone.now()) - timedelta(days=days))


class ContactMessage(models.Model):
    """One reader's message: immutable content, a workflow state and a delivery record."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        READ = "read", _("Read")
        ANSWERED = "answered", _("Answered")
        SPAM = "spam", _("Spam")

    NAME_MAX = 100
    MESSAGE_MAX = 5000

    subject = models.ForeignKey(
        ContactSubject,
        verbose_name=_("subject"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="messages",
    )
    # The subject's name when the message was sent, so renaming or deleting it loses nothing.
    subject_label = models.CharField(_("subject as sent"), max_length=80)
    name = models.CharField(_("name"), max_length=NAME_MAX)
    email = models.EmailField(_("email"))
    message = models.TextField(_("message"), max_length=MESSAGE_MAX)
    language = models.CharField(_("language"), max_length=10, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    read_at = models.DateTimeField(_("first read"), null=True, blank=True)

    delivery_attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0)
    last_error = models.TextField(_("last delivery error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next delivery attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    objects = ContactMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        indexes = [models.Index(fields=["delivered_at", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.name}: {self.subject_label}"

    @property
    def is_delivered(self) -> bool:
        return self.delivered_at is not None
