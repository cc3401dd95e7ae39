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

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.conf import settings

LOCAL_UNTIL = "newsroom.pagecache.local_until"
MAX_ENTRIES = 256  # the hot pages of one second; bounds a worker's memory to a few MB

_entries: dict[tuple[str, ...], tuple[float, str, list[tuple[str, str]], bytes]] = {}
_lock = threading.Lock()


def clear() -> None:
    """Forget every local copy (a purge ran in this process)."""
    with _lock:
        _entries.clear()


def _key(environ: dict[str, Any]) -> tuple[str, ...]:
    query = environ.get("QUERY_STRING", "")
    if query:
        pairs = sorted(
            (name, value)
            for name, value in parse_qsl(query, keep_blank_values=True)
            if not (name.startswith("utm_") or name in ("fbclid", "gclid"))
        )
        query = urlencode(pairs)
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
    return bool(cookies) and (
        f"{settings.SESSION_COOKIE_NAME}=" in cookies or "messages=" in cookies
    )


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
        now = time.time()
        with _lock:
            if len(_entries) >= MAX_ENTRIES:
                for stale in [k for k, e in _entries.items() if e[0] <= now]:
                    del _entries[stale]
                while len(_entries) >= MAX_ENTRIES:
                    _entries.pop(next(iter(_entries)))
            _entries[key] = (min(until, now + seconds), status, headers, body)
        return [body]
