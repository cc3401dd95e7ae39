from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


def pending_label(count: int) -> str:
    return ngettext(
        "%(count)d comment awaiting moderation", "%(count)d comments awaiting moderation", count
    ) % {"count": count}


def pending_count() -> int:
    from .models import Comment

    return Comment.objects.in_moderation().count()


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        """Show moderators the size of their queue on the admin index; give article listings
        their comment counts."""
        from newsroom import annotations
        from newsroom.dashboard import Counter, register_counter

        from .queries import approved_comment_count

        annotations.register("comment_count", approved_comment_count)

        from . import purges

        purges.connect()

        register_counter(
            Counter(
                label=pending_label,
                url_name="admin:comments_comment_changelist",
                permission="comments.can_moderate",
                count=pending_count,
                query="status__exact=pending",
            )
        )
