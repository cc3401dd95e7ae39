"""Template helpers for articles on public pages: cover pictures and JSON-LD.

The page frame (navigation, language switcher, dates, messages) is `site_chrome` in newsroom.
"""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.html import _json_script_escapes
from django.utils.safestring import SafeString, mark_safe

from articles.images import Renditions
from articles.models import Article

register = template.Library()


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
