"""A one-second copy of cached pages in each worker's memory, in front of Django.

When a story breaks, the same few pages are asked for thousands of times a second. The page
cache (newsroom/pagecache.py) answers them without SQL, but each answer still goes through
Django's request handling and a round trip to Redis. This WSGI wrapper keeps, for
`PAGE_CACHE_LOCAL_SECONDS` (1 s by default), the bytes of every page the page cache just
served or stored, and answers the next anonymous GET/HEAD of the same URL itself: no Django,
no Redis. It is the micro-cache nginx setups use, inside the process.

What it may serve is decided by the page cache alone: only a response the middleware marked
(`environ[LOCAL_UNTIL]`, the page cache's own hit or store) is kept, never longer than that
entry's own expiry (so scheduled articles stay exact). A purge empties this process's copies at
once; other processes and servers drop theirs within the one second.
"""

from __future__ import annotations

import pickle
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.conf import settings

LOCAL_UNTIL = "newsroom.pagecache.local_until"
MAX_ENTRIES = 256  # the hot pages of one second; bounds a worker's memory to a few MB

_entries: dict[tuple[str, ...], tuple[float, str, list[tuple[str, str]], bytes]] = {}
_lock = threading.Lock()


def clear() -> None:
    """Forget every local copy of a page and the tag versions read (a purge ran here)."""
    with _lock:
        _entries.clear()
    memo = request_versions.get()
    if memo is not None:
        memo.clear()


TRACKING_PARAMS = ("fbclid", "gclid")
MESSAGES_COOKIE = "messages"


def clean_query(query: str) -> str:
    """The query string sorted, without tracking parameters (`utm_*`, fbclid, gclid), so a
    shared link shares the clean URL's copy; the page cache keys on it too."""
    if not query:
        return ""
    return urlencode(
        sorted(
            (name, value)
            for name, value in parse_qsl(query, keep_blank_values=True)
            if not (name.startswith("utm_") or name in TRACKING_PARAMS)
        )
    )


def bypass_cookies() -> tuple[str, str]:
    """Cookies that make a request bypass every cache: staff (a session) and a reader with a
    message waiting."""
    return settings.SESSION_COOKIE_NAME, MESSAGES_COOKIE


def _key(environ: dict[str, Any]) -> tuple[str, ...]:
    query = clean_query(environ.get("QUERY_STRING", ""))
    return (
        environ.get("wsgi.url_scheme", "http"),
        environ.get("HTTP_X_FORWARDED_PROTO", ""),
        environ.get("HTTP_HOST", ""),
        environ.get("PATH_INFO", ""),
        query,
    )


def _bypass(environ: dict[str, Any]) -> bool:
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return True
    cookies = environ.get("HTTP_COOKIE", "")
    return bool(cookies) and any(f"{name}=" in cookies for name in bypass_cookies())


def _bounded_put(
    store: dict[Any, tuple[float, Any]], key: Any, entry: tuple[float, Any], limit: int
) -> None:
    """Keep `entry` (its expiry first) in `store`, dropping expired entries, then the oldest,
    once the store is full: a worker's memory stays bounded."""
    with _lock:
        if len(store) >= limit:
            now = time.time()
            for stale in [k for k, e in store.items() if e[0] <= now]:
                del store[stale]
            while len(store) >= limit:
                store.pop(next(iter(store)))
        store[key] = entry


class LocalPageCache:
    """WSGI middleware: answer from this process's one-second copies, else ask Django."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        seconds = getattr(settings, "PAGE_CACHE_LOCAL_SECONDS", 0)
        if not seconds or not settings.PAGE_CACHE or _bypass(environ):
            return self.app(environ, start_response)
        key = _key(environ)
        entry = _entries.get(key)
        if entry is not None and entry[0] > time.time():
            start_response(entry[1], entry[2])
            return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [entry[3]]
        captured: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured[:] = [status, headers]
            return start_response(status, headers, exc_info)

        result = self.app(environ, capture)
        until = environ.get(LOCAL_UNTIL)
        if until is None or environ["REQUEST_METHOD"] != "GET" or not captured:
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        status, headers = captured
        headers = [(name, value) for name, value in headers if name.lower() != "x-page-cache"]
        headers.append(("X-Page-Cache", "hit"))
        _bounded_put(
            _entries, key, (min(until, time.time() + seconds), status, headers, body), MAX_ENTRIES
        )
        return [body]


# --- per request and per process memory for the fragment caches (newsroom/fragments.py) -----

# Tag versions read during the current request: a page asks for "site", "home" or "a12" once,
# not once per fragment. Set by PageCacheMiddleware; a purge in this process forgets them.
request_versions: ContextVar[dict[str, Any] | None] = ContextVar("tag_versions", default=None)

# Fragments by their versioned key. A key names the tag versions it was built under, so what
# it holds never changes: a copy here is as good as the shared cache's until its expiry.
FRAGMENTS_MAX = 1024
_fragments: dict[str, tuple[float, Any]] = {}


def reset() -> None:
    """Forget everything this process keeps (tests, after emptying the shared cache)."""
    clear()
    with _lock:
        _fragments.clear()


@contextmanager
def request_scope() -> Iterator[None]:
    token = request_versions.set({})
    try:
        yield
    finally:
        request_versions.reset(token)


def fragment_get(key: str) -> Any:
    """The process's copy of a versioned fragment entry, or None (gone or expired)."""
    found = _fragments.get(key)
    if found is None or found[0] <= time.time():
        return None
    value = found[1]
    return value if isinstance(value, dict) else pickle.loads(value)  # noqa: S301 - our own


def fragment_put(key: str, entry: dict[str, Any]) -> None:
    """Keep an entry (HTML as is, data pickled: every reader gets its own objects)."""
    html = isinstance(entry.get("value"), str) and "depends" not in entry
    value = entry if html else pickle.dumps(entry, pickle.HIGHEST_PROTOCOL)
    _bounded_put(_fragments, key, (entry["until"], value), FRAGMENTS_MAX)
