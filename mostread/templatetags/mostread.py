"""`{% most_read %}` on the home page, `{% most_read article %}` on an article page.

The block is the same for every page of a language (so cached pages stay shared); on an
article page the tag also adds the beacon script, which carries the article id and language
in data attributes: the script is static and the ids are part of the cached HTML.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from articles.models import Article
from newsroom.i18n import current_language
from newsroom.pagecache import tag_response

from ..ranking import most_read as ranked

register = template.Library()


@register.inclusion_tag("mostread/block.html", takes_context=True)
def most_read(context: template.Context, article: Article | None = None) -> dict[str, Any]:
    language = current_language()
    block = ranked(language)
    if context.get("request") is not None:
        # Purged when an article the lists show is edited or unpublished.
        tag_response(context["request"], "mostread")
    beacon = None
    # A staff preview is not a reader's view.
    if article is not None and not context.get("preview") and article.is_published():
        beacon = {"url": reverse("mostread:hit"), "article": article.pk, "language": language}
    return {"day": block["day"], "week": block["week"], "beacon": beacon}
