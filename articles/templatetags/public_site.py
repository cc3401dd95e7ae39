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
from articles.seo import cover_url

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def cover_picture(article: Article, sizes: str = "100vw", eager: bool = False) -> dict[str, Any]:
    """A <picture> from the stored renditions (WebP, then JPEG), lazy unless above the fold."""
    renditions = Renditions(article.cover_renditions)
    return {
        "article": article,
        "src": cover_url(article),
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
