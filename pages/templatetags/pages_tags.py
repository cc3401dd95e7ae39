"""`{% footer_pages as pages %}`: the footer's links to static pages, cached per language."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.core.cache import cache

from newsroom.i18n import current_language

from ..models import Page

register = template.Library()

CACHE_KEY = "pages:footer:{language}"
CACHE_SECONDS = 24 * 60 * 60


def footer_cache_keys() -> list[str]:
    return [CACHE_KEY.format(language=code) for code, _name in settings.LANGUAGES]


@register.simple_tag
def footer_pages() -> list[dict[str, str]]:
    """Published footer pages translated into the current language, in their order.

    Every public page shows the footer, so the links come from the cache: one query per
    language after a page is saved or deleted (signals.py clears the keys), none otherwise.
    """
    language = current_language()
    key = CACHE_KEY.format(language=language)
    links = cache.get(key)
    if links is None:
        links = [
            {"title": page.title, "url": page.get_absolute_url()}
            for page in Page.objects.in_footer().in_language(language)
        ]
        cache.set(key, links, CACHE_SECONDS)
    return links
