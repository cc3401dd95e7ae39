from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


def _unread_label(count: int) -> str:
    return ngettext(
        "%(count)d unread contact message", "%(count)d unread contact messages", count
    ) % {"count": count}


def _undelivered_label(count: int) -> str:
    return ngettext(
        "%(count)d contact message not delivered by email yet",
        "%(count)d contact messages not delivered by email yet",
        count,
    ) % {"count": count}


class ContactConfig(AppConfig):
    name = "contact"
    verbose_name = _("Contact")

    def ready(self) -> None:
        """Put the inbox's unread and undelivered counts on the admin index."""
        from newsroom.dashboard import Counter, register_counter

        from .models import ContactMessage

        register_counter(
            Counter(
                label=_unread_label,
                url_name="admin:contact_contactmessage_changelist",
                permission="contact.view_contactmessage",
                count=lambda: ContactMessage.objects.unread().count(),
                query="status__exact=new",
            )
        )
        register_counter(
            Counter(
                label=_undelivered_label,
                url_name="admin:contact_contactmessage_changelist",
                permission="contact.view_contactmessage",
                count=lambda: ContactMessage.objects.undelivered().count(),
                query="delivered=no",
            )
        )
