"""What search engines and social networks read: page metadata and schema.org JSON-LD.

Views call `seo_for()` (title, description, canonical URL, hreflang alternates, OpenGraph
image) and, for an article, `article_seo()`, so templates only print the result.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from newsroom.i18n import current_language, translated_url

from .images import Renditions
from .models import Article

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def article_languages(article: Article) -> list[str]:
    """Languages an article has a translation in (Arabic always)."""
    return [code for code in LANGUAGE_CODES if getattr(article, f"title_{code}", "")]


def url_in(language: str, obj: Any) -> str:
    with translation.override(language):
        return obj.get_absolute_url()


def seo_for(
    request: HttpRequest,
    *,
    title: str,
    description: str = "",
    obj: Any = None,
    languages: list[str] | None = None,
    page: Page | None = None,
    image: str = "",
    og_type: str = "website",
) -> dict[str, Any]:
    """The metadata of one page: unique title, description, canonical URL, hreflang links.

    `obj` (anything with get_absolute_url) gives per-language URLs with translated slugs;
    otherwise Django's translate_url() maps the current path. A page number beyond 1 is part
    of the canonical URL and the title, so each page of a list is unique.
    """
    query = ""
    if page is not None and page.number > 1:
        query = f"?page={page.number}"
        title = _("%(title)s, page %(number)s") % {"title": title, "number": page.number}
    languages = languages or LANGUAGE_CODES
    alternates = []
    for code in languages:
        path = url_in(code, obj) if obj is not None else translated_url(request.path, code)
        alternates.append({"code": code, "url": request.build_absolute_uri(path) + query})
    current = current_language()
    canonical = next((a["url"] for a in alternates if a["code"] == current), None)
    return {
        "title": title,
        "description": Truncator(description or title).chars(160),
        "canonical": canonical or request.build_absolute_uri(request.path) + query,
        "alternates": alternates,
        "x_default": next((a["url"] for a in alternates if a["code"] == "ar"), ""),
        "image": request.build_absolute_uri(image) if image else "",
        "type": og_type,
    }


def cover_url(article: Article) -> str:
    """The largest stored JPEG rendition, else the original (img fallback, OpenGraph, JSON-LD)."""
    largest = Renditions(article.cover_renditions).largest("jpeg")
    if largest is not None:
        return largest.url
    return article.cover_image.url if article.cover_image else ""


def news_article_jsonld(request: HttpRequest, article: Article, image: str) -> dict[str, Any]:
    """schema.org NewsArticle: what search engines read for headline, dates and bylines."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "inLanguage": translation.get_language(),
        "mainEntityOfPage": request.build_absolute_uri(article.get_absolute_url()),
        "datePublished": timezone.localtime(article.publish_at).isoformat(timespec="seconds"),
        "dateModified": timezone.localtime(max(article.publish_at, article.updated_at)).isoformat(
            timespec="seconds"
        ),
        "articleSection": article.category.name,
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": request.build_absolute_uri(author.get_absolute_url()),
            }
            for author in article.authors.all()
        ]
        or [{"@type": "Organization", "name": article.byline or settings.SITE_NAME}],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": settings.SITE_NAME,
            "url": request.build_absolute_uri("/"),
        },
    }
    if article.summary:
        # Left out rather than empty, and never the Arabic standfirst under another language.
        data["description"] = article.summary
    if image:
        data["image"] = [request.build_absolute_uri(image)]
    return data


def article_meta(article: Article) -> tuple[str, str]:
    """The page title and description: the SEO fields of this language, else title and summary.

    Read per language on purpose: modeltranslation would fill an empty French meta title with
    the Arabic one.
    """
    language = current_language()
    meta_title = getattr(article, f"meta_title_{language}", "") or ""
    meta_description = getattr(article, f"meta_description_{language}", "") or ""
    title = meta_title.strip() or f"{article.title} | {settings.SITE_NAME}"
    summary = getattr(article, f"summary_{language}", "") or ""
    description = meta_description.strip() or summary or Truncator(article.title).chars(160)
    return title, description


def article_seo(request: HttpRequest, article: Article) -> tuple[dict[str, Any], dict[str, Any]]:
    """The metadata and the NewsArticle JSON-LD of an article page (or its preview)."""
    image = cover_url(article)
    title, description = article_meta(article)
    seo = seo_for(
        request,
        title=title,
        description=description,
        obj=article,
        languages=article_languages(article),
        image=image,
        og_type="article",
    )
    return seo, news_article_jsonld(request, article, image)
