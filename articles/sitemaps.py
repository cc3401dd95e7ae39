"""Sitemaps with hreflang alternates, a Google News sitemap and robots.txt.

Every list starts from `Article.objects.published()`, so drafts and scheduled articles never
leak. An article is listed only in the languages it is translated into.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from .models import Article, Category

NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000
LANGUAGES = [code for code, _name in settings.LANGUAGES]


class ArticleSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "daily"
    limit = 5000

    def items(self) -> Any:
        fields = [f"{name}_{code}" for name in ("title", "slug") for code in LANGUAGES]
        return (
            Article.objects.published()
            .only("pk", "publish_at", "updated_at", *fields)
            .order_by("-publish_at", "-pk")
        )

    def get_languages_for_item(self, item: Article) -> list[str]:
        return [code for code in LANGUAGES if getattr(item, f"title_{code}", "")]

    def lastmod(self, item: Article) -> datetime:
        return max(item.updated_at, item.publish_at)


class CategorySitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "hourly"

    def items(self) -> Any:
        return Category.objects.active()


class HomeSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "always"
    priority = 1.0

    def items(self) -> list[str]:
        return ["articles:home"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {
    "home": HomeSitemap,
    "sections": CategorySitemap,
    "articles": ArticleSitemap,
}


@require_GET
def news_sitemap(request: HttpRequest) -> HttpResponse:
    """Google News sitemap: articles of the last 48 hours, at most 1,000 entries in all."""
    since = timezone.now() - NEWS_WINDOW
    entries: list[dict[str, Any]] = []
    recent = Article.objects.published().filter(publish_at__gte=since).newest_first()
    for article in recent[:NEWS_LIMIT]:
        for code in LANGUAGES:
            if len(entries) >= NEWS_LIMIT:
                break
            title = getattr(article, f"title_{code}", "")
            if not title:
                continue
            with translation.override(code):
                location = request.build_absolute_uri(article.get_absolute_url())
            entries.append(
                {
                    "location": location,
                    "language": code,
                    "title": title,
                    "published": timezone.localtime(article.publish_at).isoformat(
                        timespec="seconds"
                    ),
                }
            )
    return render(
        request,
        "articles/news_sitemap.xml",
        {"entries": entries, "publication": settings.SITE_NAME},
        content_type="application/xml; charset=utf-8",
    )


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Keep crawlers out of the admin and previews; point them to both sitemaps."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /fr/preview/",
        "Disallow: /en/preview/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('news-sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and crawlers ask for /favicon.ico whatever the page links: send the SVG icon.

    Resolved per request, so the hashed static name is read from the manifest only once
    collectstatic has written it.
    """
    return HttpResponsePermanentRedirect(static("favicon.svg"))
