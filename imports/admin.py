"""The old links in the admin (editors fix or add them) and the import log (read only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import ImportedItem, LegacyRedirect
from .redirects import EDITOR_SOURCE, normalise_path, repoint_to


class LegacyRedirectForm(forms.ModelForm):
    """An old path is stored as its key; a target is one of our pages or another site.

    A target that is itself an old link would make readers (and search engines) follow two
    redirects: the form asks for that link's own target instead.
    """

    class Meta:
        model = LegacyRedirect
        fields = ("old_path", "target_url")
        help_texts = {
            "old_path": _(
                "The address on the old site, e.g. /2024/07/blog-post_12.html or a full link."
            ),
            "target_url": _(
                "Where readers go now: an address of this site (/news/12/…) or a full link. "
                "When set, it replaces the imported target."
            ),
        }

    def clean_old_path(self) -> str:
        return normalise_path(self.cleaned_data["old_path"])

    def clean_target_url(self) -> str:
        url = self.cleaned_data.get("target_url", "").strip()
        if not url:
            if self.instance.content_type_id is None:
                raise forms.ValidationError(_("Give the address readers should go to."))
            return ""
        if not url.startswith(("/", "https://", "http://")) or url.startswith("//"):
            raise forms.ValidationError(
                _("Give an address of this site starting with / or a full link (https://…).")
            )
        if url.startswith("/"):
            key = normalise_path(url)
            if key == normalise_path(self.data.get("old_path", "") or self.instance.old_path):
                raise forms.ValidationError(_("An old link cannot lead to itself."))
            if LegacyRedirect.objects.filter(old_path=key).exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError(
                    _("This address is itself an old link: give the address it leads to.")
                )
        return url


@admin.register(LegacyRedirect)
class LegacyRedirectAdmin(admin.ModelAdmin):
    form = LegacyRedirectForm
    list_display = ("old_path", "target_link", "hits", "source")
    search_fields = ("old_path",)
    list_filter = ("source",)
    list_select_related = ("content_type",)
    list_per_page = 100
    readonly_fields = ("target_link", "hits", "source", "created_at")
    fields = ("old_path", "target_link", "target_url", "hits", "source", "created_at")

    def get_queryset(self, request: HttpRequest) -> QuerySet[LegacyRedirect]:
        return super().get_queryset(request).prefetch_related("target")

    @admin.display(description=_("leads to"))
    def target_link(self, obj: LegacyRedirect) -> str:
        if obj.target_url:
            return format_html('<a href="{}" dir="ltr">{}</a>', obj.target_url, obj.target_url)
        target = obj.target if obj.content_type_id else None
        if target is None:
            return _("(gone: this old link answers 410)")
        return format_html(
            '<a href="{}">{} · {}</a>',
            target.get_absolute_url(),
            obj.content_type.model_class()._meta.verbose_name,
            target,
        )

    def save_model(
        self, request: HttpRequest, obj: LegacyRedirect, form: Any, change: bool
    ) -> None:
        """An editor's target wins over the imported one, and a re-import keeps it."""
        if not change or "target_url" in form.changed_data:
            obj.source = EDITOR_SOURCE
            if obj.target_url:
                obj.content_type, obj.object_id = None, None
        super().save_model(request, obj, form, change)
        repoint_to(obj)


@admin.register(ImportedItem)
class ImportedItemAdmin(admin.ModelAdmin):
    """What came in from which source item: read only, the import keeps it."""

    list_display = ("source", "kind", "source_id", "object_id", "created_at", "updated_at")
    list_filter = ("kind", "source")
    search_fields = ("source_id",)
    list_per_page = 100

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
