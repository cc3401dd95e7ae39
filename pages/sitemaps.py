"""The static pages' part of the site's sitemap; newsroom/urls.py puts the parts together."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap

from .models import Page


class PageSitemap(Sitemap):
    """Published static pages, each in the languages it is translated into."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "monthly"
    priority = 0.3

    def items(self) -> Any:
        return Page.objects.published().order_by("order", "pk")

    def get_languages_for_item(self, item: Any) -> list[str]:
        return item.languages()

    def lastmod(self, item: Any) -> datetime:
        return item.updated_at
