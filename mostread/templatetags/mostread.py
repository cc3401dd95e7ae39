"""`{% most_read %}` on the home page, `{% most_read article %}` on an article page.

The block is the same for every page of a language (so cached pages stay shared); on an
article page the tag also adds the beacon script, which carries the article id and language
in data attributes: the script is static and the ids are part of the cached HTML.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from articles.models import Article
from newsroom.fragments import cached_fragment
from newsroom.i18n import current_language
from newsroom.pagecache import tag_response

from ..ranking import LISTS_TAG
from ..ranking import most_read as ranked

register = template.Library()


@register.inclusion_tag("mostread/block.html", takes_context=True)
def most_read(context: template.Context, article: Article | None = None) -> dict[str, Any]:
    language = current_language()
    # The rendered lists, until the next rebuild of the lists (LISTS_TAG) or an edit of an
    # article they show ("mostread"): no cache read of the lists and no render per page.
    lists = cached_fragment(
        "mostread",
        [LISTS_TAG, "mostread"],
        language,
        lambda: render_to_string("mostread/lists.html", ranked(language)),
        scheduled=False,
    )
    if context.get("request") is not None:
        # Purged when an article the lists show is edited or unpublished.
        tag_response(context["request"], "mostread")
    beacon = None
    # A staff preview is not a reader's view.
    if article is not None and not context.get("preview") and article.is_published():
        beacon = {"url": reverse("mostread:hit"), "article": article.pk, "language": language}
    return {"lists": mark_safe(lists), "beacon": beacon}  # noqa: S308 - our template's HTML
