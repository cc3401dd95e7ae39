"""The anonymous page cache: whole responses in Django's cache, tagged, purged after commit.

A reader without a session gets a public page straight from the shared cache (Redis in
production), before sessions, authentication or any view run: no SQL at all. A miss renders
the view, which declares what the page shows with `tag_response()` ("home", "a12", "s3"...);
the response is stored with those tags and sent with CDN headers carrying them. A save calls
`purge_after_commit(tags)`, and `purge()` hands the tags to every backend of
`PAGE_CACHE_PURGERS` (the app's own cache is always one of them).

Tags are versioned rather than indexed: each tag has one cache key holding the time of its last
purge, and an entry records the versions of its tags when it was built. An entry whose tags
moved on is stale. This needs no set operations, so it works on any Django cache backend, and
purging a tag is one write whatever the number of pages carrying it. A render that overlaps a
purge of one of its tags is not stored, so a page read before a commit never outlives it.

Scheduled publishing needs no cron: no entry (and no CDN copy) outlives the next moment the
site changes by itself (the next scheduled article, the end of a breaking strip), which apps
report through `register_schedule()`.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import partial, wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.module_loading import import_string
from django.utils.translation import get_language_from_path

from newsroom import pagecache_local
from newsroom.cdn_headers import _drop_accept_language, private, public_headers
from newsroom.pagecache_local import LOCAL_UNTIL

logger = logging.getLogger(__name__)

TAGS_ATTR = "_page_cache_tags"
PREFIX = "pagecache"
NEXT_CHANGE_KEY = f"{PREFIX}:next-change"
NEVER_CACHED = ("/admin/", "/i18n/")
NEVER_CACHED_PARTS = ("/preview/", "/comments/", "/contact/", "/search/")

_schedules: list[Callable[[], datetime | None]] = []
_bulk: ContextVar[bool] = ContextVar("pagecache_bulk", default=False)
_purge_deadline: ContextVar[float | None] = ContextVar("pagecache_purge_deadline", default=None)


# --- declaring what a page shows -------------------------------------------------------------


def tag_response(target: HttpRequest | HttpResponseBase, *tags: str) -> None:
    """Declare the tags of the page being built; call it on the request or the response."""
    current = getattr(target, TAGS_ATTR, None)
    if current is None:
        current = set()
        setattr(target, TAGS_ATTR, current)
    current.update(str(tag) for tag in tags if tag)


def page_tags(*tags: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator for views that show one fixed kind of content (feeds, sitemaps)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            tag_response(request, *tags)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def register_schedule(next_change: Callable[[], datetime | None]) -> None:
    """Register a function returning the next time pages change without a save (or None)."""
    _schedules.append(next_change)


# --- purging ---------------------------------------------------------------------------------


def tag_key(tag: str) -> str:
    """The key holding a tag's version (the time of its last purge); fragments read it too."""
    return f"{PREFIX}:tag:{tag}"


class AppCachePurger:
    """The app's own cache: a purged tag gets a new version, so its entries stop matching."""

    def purge(self, tags: list[str]) -> None:
        now = time.time()
        cache.set_many({tag_key(tag): now for tag in tags}, timeout=None)
        cache.delete(NEXT_CHANGE_KEY)
        pagecache_local.clear()


def purgers() -> list[Any]:
    paths = getattr(settings, "PAGE_CACHE_PURGERS", ["newsroom.pagecache.AppCachePurger"])
    return [import_string(path)() for path in paths]


def purge(tags: Iterable[str]) -> None:
    """Clear every page carrying one of `tags`, here and at each configured CDN.

    The app's own cache at once (readers see a publish on their next request); CDNs through the
    task queue when it can retry later (newsroom/tasks.py), else here within CDN_PURGE_BUDGET.
    """
    unique = sorted({str(tag) for tag in tags if tag})
    if not unique:
        return
    backends = purgers()
    run_purgers([b for b in backends if isinstance(b, AppCachePurger)], unique)
    if others := [b for b in backends if not isinstance(b, AppCachePurger)]:
        from newsroom.tasks import purge_at_cdns_later  # that module imports this one

        if not purge_at_cdns_later(unique):
            run_purgers(others, unique)


def run_purgers(backends: list[Any], tags: list[str]) -> bool:
    """Run backends within one time budget; one that raises is logged and skipped (-> False)."""
    token = _purge_deadline.set(time.monotonic() + settings.CDN_PURGE_BUDGET)
    ok = True
    try:
        for backend in backends:
            try:
                backend.purge(tags)
            except Exception:
                ok = False
                logger.exception("Page cache purge failed in %s", type(backend).__name__)
    finally:
        _purge_deadline.reset(token)
    return ok


def purge_time_left() -> float | None:
    """Seconds the running `purge()` may still spend on CDNs; None outside one.

    Backends that call out (newsroom/cdn.py) cut their timeouts and retries to it, so a
    publish waits at most `CDN_PURGE_BUDGET` seconds on all of them together.
    """
    deadline = _purge_deadline.get()
    return None if deadline is None else deadline - time.monotonic()


def _after_commit(callback: Callable[[], None]) -> None:
    transaction.on_commit(callback)


def purge_after_commit(tags: Iterable[str]) -> None:
    """Purge once the current transaction commits; a rollback purges nothing."""
    if _bulk.get():
        return
    _after_commit(partial(purge, list(tags)))


@contextmanager
def bulk() -> Iterator[None]:
    """Many saves in a row (an import): no purge per save, one purge of every page at the end.

    Signal receivers may check `in_bulk()` to skip working out their tags.
    """
    token = _bulk.set(True)
    try:
        yield
    finally:
        _bulk.reset(token)
    _after_commit(partial(purge, ["site"]))


def in_bulk() -> bool:
    return _bulk.get()


# --- scheduling --------------------------------------------------------------------------


def next_change() -> float | None:
    """The next time a page changes by itself, as a timestamp; cached until then."""
    cached = cache.get(NEXT_CHANGE_KEY)
    now = time.time()
    if cached is not None and (cached["at"] is None or cached["at"] > now):
        return cached["at"]
    moments = [moment.timestamp() for fn in _schedules if (moment := fn()) is not None]
    upcoming = [moment for moment in moments if moment > now]
    at = min(upcoming) if upcoming else None
    ttl = settings.PAGE_CACHE_SECONDS if at is None else max(1, math.ceil(at - now))
    cache.set(NEXT_CHANGE_KEY, {"at": at}, timeout=min(ttl, settings.PAGE_CACHE_SECONDS))
    return at


# --- the middleware --------------------------------------------------------------------------


def cache_key(request: HttpRequest) -> str:
    """Scheme, host, path, the query without tracking parameters (sorted), and the language."""
    query = pagecache_local.clean_query(request.META.get("QUERY_STRING", ""))
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    raw = f"{request.scheme}://{request.get_host()}\0{request.path}\0{query}\0{language}"
    return f"{PREFIX}:page:{hashlib.sha256(raw.encode()).hexdigest()[:40]}"


def bypasses(request: HttpRequest) -> bool:
    """Staff (a session) and a reader with a message waiting get fresh, private pages."""
    return any(name in request.COOKIES for name in pagecache_local.bypass_cookies())


def _never_cached(path: str) -> bool:
    return path.startswith(NEVER_CACHED) or any(part in path for part in NEVER_CACHED_PARTS)


def _storable(response: HttpResponseBase) -> bool:
    if response.status_code not in (200, 404) or response.streaming or response.cookies:
        return False
    vary = response.get("Vary", "").lower()
    control = response.get("Cache-Control", "").lower()
    return (
        "cookie" not in vary
        and "*" not in vary
        and not any(word in control for word in ("private", "no-store", "no-cache"))
    )


class PageCacheMiddleware:
    """Answer anonymous GET/HEAD from the page cache; store tagged public responses.

    Listed right after SecurityMiddleware and WhiteNoise, so a hit skips sessions,
    authentication, CSRF and every view. Middleware listed after it that changes a 404 into
    something else (a legacy redirect) runs before the response is stored, so only genuine
    404s are kept, briefly and tagged "404" (every content save purges them).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with pagecache_local.request_scope():  # tag versions are read once per request
            return self.respond(request)

    def respond(self, request: HttpRequest) -> HttpResponseBase:
        if not settings.PAGE_CACHE:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return private(self.get_response(request))
        if _never_cached(request.path_info):
            response = self.get_response(request)
            if request.path_info.startswith("/admin/"):
                private(response)
            return response
        if bypasses(request):
            return private(self.get_response(request))
        try:
            key = cache_key(request)
        except Exception:  # DisallowedHost and the like: let the normal stack answer
            return self.get_response(request)
        try:
            hit = self.lookup(key)
        except Exception:  # the cache server is down: serve the page, uncached
            logger.exception("Page cache lookup failed")
            hit = None
        if hit is not None:
            request.META[LOCAL_UNTIL] = hit.expires_at
            return hit
        started = time.time()
        response = self.get_response(request)
        tags = getattr(request, TAGS_ATTR, set()) | getattr(response, TAGS_ATTR, set())
        if response.status_code == 404:
            tags = {"404", "site"}
        if not tags or not _storable(response):
            return response
        language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        tags = tags | {"site", f"lang-{language}"}
        _drop_accept_language(response)
        try:
            request.META[LOCAL_UNTIL] = self.store(key, response, tags, started)
        except Exception:
            logger.exception("Page cache store failed")
        return response

    def lookup(self, key: str) -> HttpResponse | None:
        entry = cache.get(key)
        if entry is None or entry["expires_at"] <= time.time():
            return None
        versions = cache.get_many([tag_key(tag) for tag in entry["tags"]])
        for tag, version in entry["tags"].items():
            if versions.get(tag_key(tag)) != version:
                return None
        response = HttpResponse(entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        public_headers(response, entry["tags"], entry["change_at"], entry["ceiling"])
        response["X-Page-Cache"] = "hit"
        response.expires_at = entry["expires_at"]
        return response

    def store(
        self, key: str, response: HttpResponseBase, tags: set[str], started: float
    ) -> float | None:
        """Keep the response unless a purge overlapped its render; when it is kept, until when."""
        now = time.time()
        seconds = (
            settings.PAGE_CACHE_404_SECONDS
            if response.status_code == 404
            else settings.PAGE_CACHE_SECONDS
        )
        expires_at = now + seconds
        upcoming = next_change()
        if upcoming is not None:
            expires_at = min(expires_at, upcoming)
        ceiling = seconds if response.status_code == 404 else settings.CDN_S_MAXAGE
        public_headers(response, tags, upcoming, ceiling)
        response["X-Page-Cache"] = "miss"
        keys = {tag: tag_key(tag) for tag in tags}
        versions = cache.get_many(list(keys.values()))
        missing = [k for k in keys.values() if k not in versions]
        for missing_key in missing:
            # Never purged (or evicted): no purge ran during this render, or its key would exist.
            cache.add(missing_key, started, timeout=None)
        if missing:
            versions.update(cache.get_many(missing))
        if any(versions.get(k) is None or versions[k] > started for k in keys.values()):
            return  # a purge ran while this page was built: it may show the old state
        ttl = math.ceil(expires_at - now)
        if ttl <= 0:
            return
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in ("x-page-cache", "cache-control", "surrogate-key", "cache-tag")
        ]
        entry = {
            "status": response.status_code,
            "content": response.content,
            "headers": headers,
            "tags": {tag: versions[keys[tag]] for tag in tags},
            "expires_at": expires_at,
            "change_at": upcoming,
            "ceiling": ceiling,
        }
        cache.set(key, entry, timeout=ttl)
        return expires_at
