"""The moderation queue: filters, search, bulk approve / spam / remove for moderators only."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import BlockedWord, Comment
from .services import comments_set_status


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("excerpt", "name", "article", "status", "created_at", "ip_address", "reasons")
    list_filter = ("status", ("article", admin.RelatedOnlyFieldListFilter), "created_at")
    search_fields = ("name", "email", "body", "ip_address", "article__title_ar")
    list_select_related = ("article",)
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")
    actions = ("approve", "mark_spam", "remove")
    readonly_fields = (
        "article",
        "parent",
        "ip_address",
        "user_agent",
        "created_at",
        "moderation_reasons",
    )
    fields = (
        "article",
        "parent",
        "name",
        "email",
        "body",
        "status",
        "moderation_reasons",
        "ip_address",
        "user_agent",
        "created_at",
    )
    list_per_page = 50

    @admin.display(description=_("comment"))
    def excerpt(self, obj: Comment) -> str:
        return Truncator(obj.body).chars(80)

    @admin.display(description=_("why it waits"))
    def reasons(self, obj: Comment) -> str:
        return obj.moderation_reasons

    def get_readonly_fields(self, request: HttpRequest, obj: Comment | None = None) -> tuple:
        """Only moderators change a comment's state, in the form as in the bulk actions."""
        readonly = tuple(super().get_readonly_fields(request, obj))
        return readonly if self.has_moderate_permission(request) else (*readonly, "status")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # comments come from readers

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("comments.can_moderate")

    def _set_status(self, request: HttpRequest, queryset: QuerySet[Comment], status: str) -> None:
        changed = comments_set_status(
            comment_ids=list(queryset.values_list("pk", flat=True)), status=status
        )
        label = Comment.Status(status).label
        self.message_user(
            request,
            ngettext(
                "%(count)d comment marked as “%(status)s”.",
                "%(count)d comments marked as “%(status)s”.",
                changed,
            )
            % {"count": changed, "status": label},
            messages.SUCCESS,
        )

    @admin.action(description=_("Approve selected comments"), permissions=["moderate"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._set_status(request, queryset, Comment.Status.APPROVED)

    @admin.action(description=_("Mark selected comments as spam"), permissions=["moderate"])
    def mark_spam(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._set_status(request, queryset, Comment.Status.SPAM)

    @admin.action(description=_("Remove selected comments"), permissions=["moderate"])
    def remove(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._set_status(request, queryset, Comment.Status.REMOVED)


@admin.register(BlockedWord)
class BlockedWordAdmin(admin.ModelAdmin):
    list_display = ("word", "created_at")
    search_fields = ("word",)
