"""The owners' inbox: readers' messages, read-only, worked through by state.

Only users with `contact.view_contactmessage` (the Site owners role, and superusers) see it.
Content is never editable: a message is evidence of what a reader wrote, so staff may change
its state (new, read, answered, spam) and nothing else. Opening a message marks it read.
"""

from __future__ import annotations

import csv
from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin

from .models import ContactMessage, ContactSubject
from .services import (
    contact_message_mark_read,
    contact_message_retry_now,
    contact_messages_set_status,
)

CONTENT_FIELDS = (
    "received",
    "sender",
    "email",
    "subject_label",
    "message_text",
    "language",
    "ip_address",
    "user_agent",
    "read_at",
)
DELIVERY_FIELDS = ("delivered_at", "delivery_attempts", "last_error", "next_attempt_at")
# Spreadsheets run cells that start with these as formulas; a reader's text must stay text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


class DeliveryFilter(admin.SimpleListFilter):
    title = _("email delivery")
    parameter_name = "delivered"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Delivered")), ("no", _("Not delivered yet"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.filter(delivered_at__isnull=False)
        if self.value() == "no":
            return queryset.undelivered()
        return queryset


class LanguageFilter(admin.SimpleListFilter):
    """The reader's language by name (العربية, Français), not by code."""

    title = _("language")
    parameter_name = "language"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return list(settings.LANGUAGES)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(language=self.value()) if self.value() else queryset


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = (
        "received",
        "sender",
        "email",
        "subject_label",
        "excerpt",
        "status",
        "delivered",
    )
    list_display_links = ("received", "sender")
    list_filter = ("status", DeliveryFilter, "subject", LanguageFilter, "created_at")
    search_fields = ("name", "email", "subject_label", "message")
    date_hierarchy = "created_at"
    list_per_page = 50
    list_select_related = False
    actions = [
        "mark_read",
        "mark_answered",
        "mark_spam",
        "mark_new",
        "retry_delivery",
        "export_csv",
    ]
    fieldsets = (
        (None, {"fields": ("status",)}),
        (_("Message"), {"fields": CONTENT_FIELDS}),
        (_("Email delivery"), {"fields": DELIVERY_FIELDS}),
    )

    # --- who may do what ---------------------------------------------------------------------

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # messages come from readers only

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return CONTENT_FIELDS + DELIVERY_FIELDS

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if not self.has_change_permission(request):
            for name in ("mark_read", "mark_answered", "mark_spam", "mark_new", "retry_delivery"):
                actions.pop(name, None)
        return actions

    # --- columns and read-only fields ------------------------------------------------------

    @admin.display(description=_("received"), ordering="created_at")
    def received(self, obj: ContactMessage) -> str:
        return timezone.localtime(obj.created_at).strftime("%Y-%m-%d %H:%M")

    @admin.display(description=_("name"), ordering="name")
    def sender(self, obj: ContactMessage) -> str:
        return format_html('<bdi dir="auto">{}</bdi>', obj.name)

    @admin.display(description=_("message"))
    def excerpt(self, obj: ContactMessage) -> str:
        return format_html('<span dir="auto">{}</span>', Truncator(obj.message).chars(80))

    @admin.display(description=_("message"))
    def message_text(self, obj: ContactMessage) -> str:
        return format_html('<div dir="auto">{}</div>', linebreaksbr(obj.message, autoescape=True))

    @admin.display(description=_("delivered"), boolean=True, ordering="delivered_at")
    def delivered(self, obj: ContactMessage) -> bool:
        return obj.delivered_at is not None

    # --- opening a message marks it read ---------------------------------------------------

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None and self.has_view_permission(request, obj):
                contact_message_mark_read(message=obj)
        return super().change_view(request, object_id, form_url, extra_context)

    # --- bulk actions ------------------------------------------------------------------------

    def _set_status(self, request: HttpRequest, queryset: QuerySet[Any], status: str) -> None:
        count = contact_messages_set_status(messages=queryset, status=status)
        label = ContactMessage.Status(status).label
        self.message_user(
            request,
            ngettext(
                "%(count)d message marked “%(state)s”.",
                "%(count)d messages marked “%(state)s”.",
                count,
            )
            % {"count": count, "state": label},
            messages.SUCCESS,
        )

    @admin.action(description=_("Mark as read"), permissions=["change"])
    def mark_read(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._set_status(request, queryset, ContactMessage.Status.READ)

    @admin.action(description=_("Mark as answered"), permissions=["change"])
    def mark_answered(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._set_status(request, queryset, ContactMessage.Status.ANSWERED)

    @admin.action(description=_("Mark as spam"), permissions=["change"])
    def mark_spam(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._set_status(request, queryset, ContactMessage.Status.SPAM)

    @admin.action(description=_("Mark as unread"), permissions=["change"])
    def mark_new(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._set_status(request, queryset, ContactMessage.Status.NEW)

    @admin.action(description=_("Retry email delivery now"), permissions=["change"])
    def retry_delivery(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        delivered = failed = 0
        for message in queryset.undelivered():
            if contact_message_retry_now(message=message):
                delivered += 1
            else:
                failed += 1
        if delivered:
            self.message_user(
                request,
                ngettext("%(count)d message delivered.", "%(count)d messages delivered.", delivered)
                % {"count": delivered},
                messages.SUCCESS,
            )
        if failed:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message could not be delivered; it will be retried.",
                    "%(count)d messages could not be delivered; they will be retried.",
                    failed,
                )
                % {"count": failed},
                messages.WARNING,
            )

    @admin.action(description=_("Export as CSV"), permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="contact-messages-{stamp}.csv"'
        response.write("\ufeff")  # spreadsheets read the file as UTF-8 (Arabic) with a BOM
        writer = csv.writer(response)
        writer.writerow(
            ["id", "received", "status", "subject", "name", "email", "language", "delivered",
             "message"]
        )  # fmt: skip
        for message in queryset.order_by("created_at", "pk").iterator():
            writer.writerow(
                [
                    message.pk,
                    timezone.localtime(message.created_at).isoformat(timespec="seconds"),
                    message.status,
                    csv_cell(message.subject_label),
                    csv_cell(message.name),
                    csv_cell(message.email),
                    message.language,
                    "yes" if message.delivered_at else "no",
                    csv_cell(message.message),
                ]
            )
        return response


@admin.register(ContactSubject)
class ContactSubjectAdmin(TabbedTranslationAdmin):
    list_display = ("name", "key", "recipients", "order", "is_active")
    list_editable = ("order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name_ar", "name_fr", "name_en", "key", "recipients")
    prepopulated_fields = {"key": ("name_en",)}
