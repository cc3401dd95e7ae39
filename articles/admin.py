"""The editors' workspace. The roles (articles/permissions.py) decide; the admin applies
them to its querysets, read-only fields, status choices and actions, and the workflow's
transitions go through articles/services.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import models, router, transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .forms import ArticleAdminForm, EditConflictError, TranslatedAdminForm, conflict_message
from .history import ReadableHistoryAdminMixin
from .images import Renditions, SafeImageFormField, process_cover
from .models import Article, ArticleAuthor, Author, Category, Tag
from .permissions import can_delete, can_edit, statuses_for, user_can_publish

EDITOR_ONLY_FIELDS = ("is_featured", "is_breaking")


@admin.register(Category)
class CategoryAdmin(TabbedTranslationAdmin):
    form = TranslatedAdminForm
    list_display = ("name", "slug", "order", "is_active")
    list_editable = ("order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name_ar", "name_fr", "name_en")
    prepopulated_fields = {"slug_ar": ("name_ar",)}


@admin.register(Tag)
class TagAdmin(TabbedTranslationAdmin):
    form = TranslatedAdminForm
    list_display = ("name", "slug")
    search_fields = ("name_ar", "name_fr", "name_en", "slug_ar")
    prepopulated_fields = {"slug_ar": ("name_ar",)}


@admin.register(Author)
class AuthorAdmin(TabbedTranslationAdmin):
    form = TranslatedAdminForm
    list_display = ("name", "slug", "user")
    search_fields = ("name_ar", "name_fr", "name_en", "slug")
    prepopulated_fields = {"slug": ("name_ar",)}
    autocomplete_fields = ("user",)
    formfield_overrides = {models.ImageField: {"form_class": SafeImageFormField}}


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    extra = 1
    autocomplete_fields = ("author",)
    fields = ("author", "order")
    verbose_name = _("author")
    verbose_name_plural = _("authors (in byline order)")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_edit(request.user, obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_edit(request.user, obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_edit(request.user, obj) and super().has_delete_permission(request, obj)


@admin.register(Article)
class ArticleAdmin(ReadableHistoryAdminMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    form = ArticleAdminForm
    list_display = (
        "thumbnail",
        "title",
        "status",
        "category",
        "author_names",
        "publish_at",
        "is_featured",
        "is_breaking",
    )
    list_display_links = ("thumbnail", "title")
    list_filter = ("status", "category", "is_featured", "is_breaking", "publish_at", "tags")
    list_select_related = ("category",)
    search_fields = (
        "title_ar",
        "title_fr",
        "title_en",
        "summary_ar",
        "summary_fr",
        "summary_en",
        "kicker_ar",
        "byline",
    )
    date_hierarchy = "publish_at"
    autocomplete_fields = ("tags", "category")
    prepopulated_fields = {"slug_ar": ("title_ar",)}
    inlines = (ArticleAuthorInline,)
    actions = ("submit_for_review", "publish_now", "unpublish")
    list_per_page = 50
    formfield_overrides = {models.ImageField: {"form_class": SafeImageFormField}}
    history_list_display = ("status",)

    class Media:
        css = {"all": ("css/admin.css",)}
        js = ("js/admin-editor.js", "js/admin-autosave.js", "js/admin-counters.js")

    fieldsets = (
        (None, {"fields": ("kicker", "title", "summary", "body", "slug", "opened_version")}),
        (_("Classification"), {"fields": ("category", "tags", "byline")}),
        (
            _("Cover image"),
            {"fields": ("cover_image", "cover_alt", "cover_caption", "cover_credit")},
        ),
        (
            _("Publishing"),
            {
                "fields": (
                    "status",
                    "publish_at",
                    "is_featured",
                    "is_breaking",
                    "comments_enabled",
                    "first_published_at",
                    "updated_at",
                )
            },
        ),
        (
            _("SEO"),
            {
                "classes": ("collapse",),
                "fields": ("meta_title", "meta_description"),
                "description": _(
                    "What search engines and social networks show. Left empty, the title and "
                    "the summary are used."
                ),
            },
        ),
    )

    # --- roles -----------------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        queryset = super().get_queryset(request).select_related("category").with_authors()
        return queryset.editable_by(request.user)

    def get_ordering(self, request: HttpRequest) -> list[Any]:
        # Review queue first, then drafts; a click on a column header replaces this order.
        return services.workflow_ordering()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and can_edit(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and can_delete(request.user, obj)

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return user_can_publish(request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        readonly: tuple[str, ...] = ("first_published_at", "updated_at")
        if not user_can_publish(request.user):
            readonly += EDITOR_ONLY_FIELDS
        return readonly

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "status" and not user_can_publish(request.user):
            allowed = statuses_for(request.user)
            kwargs["choices"] = [c for c in Article.Status.choices if c[0] in allowed]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if not user_can_publish(request.user):
            actions.pop("delete_selected", None)  # journalists delete drafts one by one
        return actions

    # --- changelist columns ------------------------------------------------------------------

    @admin.display(description=_("image"))
    def thumbnail(self, obj: Article) -> str:
        smallest = Renditions(obj.cover_renditions).smallest("jpeg")
        if smallest is not None:
            url = smallest.url
        elif obj.cover_image:
            url = obj.cover_image.url
        else:
            return "—"
        return format_html('<img src="{}" alt="" width="64" loading="lazy">', url)

    @admin.display(description=_("authors"))
    def author_names(self, obj: Article) -> str:
        names = format_html_join("، ", "{}", ((a.name,) for a in obj.authors.all()))
        return names or obj.byline or "—"

    # --- saving --------------------------------------------------------------------------------

    def get_formset_kwargs(
        self, request: HttpRequest, obj: Any, inline: Any, prefix: str
    ) -> dict[str, Any]:
        """A new article starts with its writer's own byline."""
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, ArticleAuthorInline) and obj.pk is None and request.method == "GET":
            profile = Author.objects.filter(user=request.user).first()
            if profile is not None:
                kwargs["initial"] = [{"author": profile.pk, "order": 0}]
        return kwargs

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        else:
            self._claim_version(obj, form)
        # The same service as the workflow's actions: a status set to "In review" here is a
        # submission, recorded and announced to the editors as the action does.
        services.article_save_from_form(
            article=obj,
            user=request.user,
            status_changed="status" in form.changed_data,
            request=request,
        )
        if "cover_image" in form.changed_data or (obj.cover_image and not obj.cover_renditions):
            transaction.on_commit(lambda: process_cover(obj))

    @staticmethod
    def _claim_version(obj: Article, form: Any) -> None:
        """Raise the stored version by one, only if it is still the one the form was opened at.

        The form already compared them (holding the row on PostgreSQL); this conditional
        UPDATE is what makes it safe everywhere: of two saves based on the same version, one
        matches no row and is rolled back.
        """
        opened = form.cleaned_data.get("opened_version")
        if opened is None:
            opened = Article.objects.filter(pk=obj.pk).values_list("version", flat=True).first()
        claimed = Article.objects.filter(pk=obj.pk, version=opened).update(version=F("version") + 1)
        if not claimed:
            raise EditConflictError(conflict_message(obj.pk))
        obj.version = (opened or 0) + 1

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        article = form.instance
        if not change and not article.byline and not article.authors.exists():
            profile = Author.objects.filter(user=request.user).first()
            if profile is not None:
                ArticleAuthor.objects.create(article=article, author=profile, order=0)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflictError as conflict:
            # Lost the race after the form's check: the transaction was rolled back. The
            # browser keeps the unsaved text (admin-autosave.js) for after the reload.
            self.message_user(request, str(conflict), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    # --- restoring versions --------------------------------------------------------------------

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        request._restoring_version = True  # type: ignore[attr-defined]
        try:
            with transaction.atomic(using=router.db_for_write(Article)):
                return super().history_form_view(request, object_id, version_id, extra_context)
        except EditConflictError as conflict:
            self.message_user(request, str(conflict), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        if obj is not None and getattr(request, "_restoring_version", False):
            self._restore_cover(request, obj)
        return super().get_form(request, obj, **kwargs)

    def _restore_cover(self, request: HttpRequest, obj: Article) -> None:
        """Give a restored version a cover that exists, with the renditions that go with it.

        Versions keep the cover's file name. A name whose file is gone (an old version from
        before covers were renamed in the history, or a file deleted by hand) falls back to
        the article's current cover, and the editor is told.
        """
        current = Article.objects.filter(pk=obj.pk).first()
        if current is None or getattr(obj, "_cover_restored", False):
            return
        obj._cover_restored = True  # type: ignore[attr-defined]
        current_exists = bool(current.cover_image) and current.cover_image.storage.exists(
            current.cover_image.name
        )
        if obj.cover_image and not obj.cover_image.storage.exists(obj.cover_image.name):
            if current_exists:
                obj.cover_image = current.cover_image.name
                message = _(
                    "The cover image of this version no longer exists; the current cover is kept."
                )
            else:
                obj.cover_image = ""
                message = _(
                    "The cover image of this version no longer exists; the article will have "
                    "no cover until you upload one."
                )
            self.message_user(request, message, messages.WARNING)
        if obj.cover_image and obj.cover_image.name == current.cover_image.name:
            obj.cover_renditions = current.cover_renditions
            obj.cover_width, obj.cover_height = current.cover_width, current.cover_height
        else:
            obj.cover_renditions = {}

    def view_on_site(self, obj: Article) -> str:
        if obj.is_published():
            return obj.get_absolute_url()
        return reverse("articles:preview", kwargs={"pk": obj.pk})

    # --- actions -------------------------------------------------------------------------------

    @admin.action(description=_("Submit for review"), permissions=["change"])
    def submit_for_review(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        count = sum(
            services.article_submit_for_review(article=article, user=request.user, request=request)
            for article in queryset
            if can_edit(request.user, article)
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d article submitted for review.",
                "%(count)d articles submitted for review.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Publish now"), permissions=["publish"])
    def publish_now(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        now = timezone.now()
        count = sum(
            services.article_publish(article=article, user=request.user, when=now)
            for article in queryset
        )
        self.message_user(
            request,
            ngettext("%(count)d article published.", "%(count)d articles published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish (back to draft)"), permissions=["publish"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        count = sum(
            services.article_unpublish(article=article, user=request.user)
            for article in queryset.filter(status=Article.Status.PUBLISHED)
        )
        self.message_user(
            request,
            ngettext("%(count)d article unpublished.", "%(count)d articles unpublished.", count)
            % {"count": count},
            messages.SUCCESS,
        )
