"""The moderation queue: filters, search, bulk approve / spam / hide for moderators only.

Hiding (status "removed") takes a comment off the site and can be undone; deleting it for
good is Django's own delete, kept for editors (moderators have no delete permission), and
labelled so the two are never confused.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import BlockedWord, Comment
from .services import comments_set_status


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    # Few, narrow columns so the queue fits 1280 px without scrolling sideways: the comment
    # (with why it waits) wraps, the article title is cut short; the address stays on the page.
    list_display = ("excerpt", "name", "article_title", "status", "created_at")
    list_display_links = ("excerpt",)
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
    # The decisions offered as buttons on a comment's page: POST value -> status.
    DECISIONS = {
        "approve": Comment.Status.APPROVED,
        "spam": Comment.Status.SPAM,
        "hide": Comment.Status.REMOVED,
    }

    class Media:
        css = {"all": ("css/admin.css",)}

    @admin.display(description=_("comment"))
    def excerpt(self, obj: Comment) -> str:
        text = format_html('<span dir="auto">{}</span>', Truncator(obj.body).chars(140))
        if obj.moderation_reasons:
            return format_html(
                '{}<br><small class="moderation-reasons" dir="auto">{}</small>',
                text,
                obj.moderation_reasons,
            )
        return text

    @admin.display(description=_("article"), ordering="article__title_ar")
    def article_title(self, obj: Comment) -> str:
        return format_html('<span dir="auto">{}</span>', Truncator(obj.article.title).chars(40))

    def get_readonly_fields(self, request: HttpRequest, obj: Comment | None = None) -> tuple:
        """Only moderators change a comment's state, in the form as in the bulk actions."""
        readonly = tuple(super().get_readonly_fields(request, obj))
        return readonly if self.has_moderate_permission(request) else (*readonly, "status")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # comments come from readers

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("comments.can_moderate")

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            function, name, _description = actions["delete_selected"]
            actions[name] = (function, name, _("Delete selected comments permanently"))
        return actions

    # --- the decision buttons on a comment's page --------------------------------------------

    def render_change_form(self, request: HttpRequest, context: dict, *args: Any, **kwargs: Any):
        context["moderation_decisions"] = self.has_moderate_permission(request)
        return super().render_change_form(request, context, *args, **kwargs)

    def _decision(self, request: HttpRequest) -> str | None:
        if request.method != "POST" or not self.has_moderate_permission(request):
            return None
        return self.DECISIONS.get(request.POST.get("_moderate", ""))

    def save_model(self, request: HttpRequest, obj: Comment, form: Any, change: bool) -> None:
        decision = self._decision(request)
        if decision:
            obj.status = decision
        super().save_model(request, obj, form, change)

    def response_change(self, request: HttpRequest, obj: Comment) -> HttpResponse:
        decision = self._decision(request)
        if not decision:
            return super().response_change(request, obj)
        self.message_user(
            request,
            _("The comment by “%(name)s” is now “%(status)s”.")
            % {"name": obj.name, "status": Comment.Status(decision).label},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self._changelist_url(request))

    def _changelist_url(self, request: HttpRequest) -> str:
        url = reverse("admin:comments_comment_changelist", current_app=self.admin_site.name)
        filters = self.get_preserved_filters(request)
        return add_preserved_filters({"preserved_filters": filters, "opts": self.opts}, url)

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

    @admin.action(
        description=_("Hide selected comments from the site (can be undone)"),
        permissions=["moderate"],
    )
    def remove(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._set_status(request, queryset, Comment.Status.REMOVED)


@admin.register(BlockedWord)
class BlockedWordAdmin(admin.ModelAdmin):
    list_display = ("word", "created_at")
    search_fields = ("word",)
