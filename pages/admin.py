"""Editors write static pages; the form has the same rich-text editor as articles."""

from __future__ import annotations

from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from .models import Page


@admin.register(Page)
class PageAdmin(TabbedTranslationAdmin):
    list_display = ("title", "slug", "is_published", "show_in_footer", "order", "updated_at")
    list_editable = ("is_published", "show_in_footer", "order")
    list_filter = ("is_published", "show_in_footer")
    search_fields = ("title_ar", "title_fr", "title_en", "slug_ar")
    prepopulated_fields = {"slug_ar": ("title_ar",)}
    fields = ("title", "slug", "body", "is_published", "show_in_footer", "order")

    class Media:
        css = {"all": ("css/admin.css",)}
