"""The headers of cached pages: what browsers and CDNs may keep, for how long, under which tags.

Split from newsroom/pagecache.py, which decides what is cached; this decides what the
response says about it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.http import HttpResponseBase
from django.utils.cache import patch_cache_control


def _drop_accept_language(response: HttpResponseBase) -> None:
    """Public pages are in the language of their path (Arabic when unprefixed), whatever the
    browser asks: LocaleMiddleware's `Vary: Accept-Language` would only split CDN caches."""
    if not response.has_header("Vary"):
        return
    kept = [
        v.strip() for v in response["Vary"].split(",") if v.strip().lower() != "accept-language"
    ]
    if kept:
        response["Vary"] = ", ".join(kept)
    else:
        del response["Vary"]


def private(response: HttpResponseBase) -> HttpResponseBase:
    patch_cache_control(response, private=True, no_store=True)
    response.headers.pop("Expires", None)
    return response


def public_headers(
    response: HttpResponseBase, tags: Iterable[str], change_at: float | None, ceiling: int
) -> None:
    """Browser and CDN lifetimes, cut short before the next scheduled change; the tags."""
    s_maxage = min(settings.CDN_S_MAXAGE, ceiling)
    max_age = min(settings.CDN_MAX_AGE, s_maxage)
    swr = settings.CDN_STALE_WHILE_REVALIDATE
    if change_at is not None and change_at - time.time() < s_maxage + swr:
        # A copy (even a stale one) must not outlive the change.
        remaining = max(0, int(change_at - time.time()))
        s_maxage, max_age, swr = min(s_maxage, remaining), min(max_age, remaining), 0
    directives: dict[str, Any] = {"public": True, "max_age": max_age, "s_maxage": s_maxage}
    if swr:
        directives["stale_while_revalidate"] = swr
    directives["stale_if_error"] = settings.CDN_STALE_IF_ERROR
    if "Cache-Control" in response:
        del response["Cache-Control"]
    patch_cache_control(response, **directives)
    ordered = sorted(tags)
    response["Surrogate-Key"] = " ".join(ordered)
    response["Cache-Tag"] = ",".join(ordered)
