"""Template helpers of the public site: navigation, language switcher, images, JSON-LD."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.html import _json_script_escapes
from django.utils.safestring import SafeString, mark_safe

from articles.images import Renditions
from articles.models import Article, Category

register = template.Library()

LANGUAGE_NAMES = {"ar": "العربية", "fr": "Français", "en": "English"}


@register.simple_tag(takes_context=True)
def nav_categories(context: template.Context) -> list[Category]:
    """Active sections for the header; a view that already loaded them passes them along."""
    if "nav_categories" in context:
        return context["nav_categories"]
    return list(Category.objects.active())


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[dict[str, Any]]:
    """One link per language, to this page's translation where there is one.

    Pages give their alternates in `seo`; a language missing there (an article without a
    French translation) links to that language's home page instead.
    """
    seo = context.get("seo")
    request = context.get("request")
    alternates = {a["code"]: a["url"] for a in (seo or {}).get("alternates", [])}
    current = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    links = []
    for code, _name in settings.LANGUAGES:
        url = alternates.get(code)
        if url is None and seo is None and request is not None:
            # Pages of other apps (search, contact) give no alternates: same path, other prefix.
            url = translate_url(request.get_full_path(), code)
        if url is None:
            with translation.override(code):
                url = reverse("articles:home")
        links.append(
            {
                "code": code,
                "name": LANGUAGE_NAMES.get(code, code),
                "url": url,
                "current": code == current,
            }
        )
    return links


@register.inclusion_tag("includes/picture.html")
def cover_picture(article: Article, sizes: str = "100vw", eager: bool = False) -> dict[str, Any]:
    """A <picture> from the stored renditions (WebP, then JPEG), lazy unless above the fold."""
    renditions = Renditions(article.cover_renditions)
    largest = renditions.largest("jpeg")
    fallback = ""
    if largest is not None:
        fallback = largest.url
    elif article.cover_image:
        fallback = article.cover_image.url
    return {
        "article": article,
        "src": fallback,
        "webp": renditions.srcset("webp"),
        "jpeg": renditions.srcset("jpeg"),
        "sizes": sizes,
        "eager": eager,
    }


@register.filter
def jsonld(value: Any) -> SafeString:
    """JSON for a <script type="application/ld+json"> block, with <, > and & escaped."""
    text = json.dumps(value, ensure_ascii=False, cls=None).translate(_json_script_escapes)
    return mark_safe(text)  # noqa: S308 - escaped above, like django's json_script


@register.filter
def iso(value: Any) -> str:
    """ISO 8601 with the site's time zone offset, for <time datetime> and metadata."""
    from django.utils import timezone

    if value is None:
        return ""
    return timezone.localtime(value).isoformat(timespec="seconds")


@register.filter
def placed(messages: Any, place: str = "") -> list[Any]:
    """The messages meant for one place on the page, named by their `extra_tags`.

    A message with no place shows at the top of the page; one placed "comments" (sent after a
    comment is posted) shows inside the comment section, next to the form the reader used.
    """
    return [message for message in messages or () if (message.extra_tags or "") == place]
