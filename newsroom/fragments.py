"""Fragments of pages that rarely change (navigation, section blocks, footer), cached by tag.

A fragment is kept in Django's cache under a key that holds the versions of the page cache's
tags (newsroom/pagecache.py) it shows: the purge that clears the pages showing it ("home",
"s3", "nav"...) also retires the fragment, whose next read misses and rebuilds. No purge code
knows about fragments. They work with the page cache on or off: they are what makes a page
built from scratch cheap.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache

from . import pagecache_local
from .pagecache import PREFIX, next_change, tag_key

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Tags nearly every page's fragments read (the frame, the lists, the most read block, whose
# lists' version is "mostread-lists"): fetched in one round trip.
COMMON_TAGS = ("site", "home", "nav", "pages", "mostread", "mostread-lists")


def _versions(tags: list[str]) -> dict[str, Any]:
    """The current version of each tag; a tag never purged (or evicted) gets a new one.

    The new version is dated an hour back: a page being rendered now must not take it for a
    purge during its render (the page cache then refuses to store it), and it still differs
    from every version a fragment was stored under before. Within a request each tag is read
    once (`pagecache_local.request_versions`).
    """
    keys = [tag_key(tag) for tag in tags]
    memo = pagecache_local.request_versions.get()
    known = memo if memo is not None else {}
    wanted = [key for key in keys if key not in known]
    if memo is not None and not memo:  # a request's first read takes the common tags along
        wanted += [key for key in map(tag_key, COMMON_TAGS) if key not in wanted]
    versions = cache.get_many(wanted) if wanted else {}
    missing = [key for key in wanted if key not in versions]
    if missing:
        past = time.time() - 3600
        for key in missing:
            cache.add(key, past, timeout=None)
        versions.update(cache.get_many(missing))
    if memo is not None:
        memo.update(versions)
        return {key: memo.get(key) for key in keys}
    return versions


def fragment_key(name: str, tags: Iterable[str], language: str, *, also: Iterable[str] = ()) -> str:
    """The key of fragment `name` in `language` for as long as none of `tags` is purged.

    "site" (purged by a bulk import) always counts. The versions are read before the data, so
    a purge during a rebuild leaves the rebuilt copy under a key nobody reads again. The
    versions of `also` (tags the page is expected to read next) come in the same round trip.
    """
    ordered = sorted({*tags, "site"})
    versions = _versions([*ordered, *also])
    stamp = "\0".join([name, language, *(f"{tag}={versions.get(tag_key(tag))}" for tag in ordered)])
    return f"{PREFIX}:fragment:{hashlib.sha256(stamp.encode()).hexdigest()[:40]}"


def _get(key: str) -> dict[str, Any] | None:
    """This process's copy of the entry, else the shared cache's (then kept here too)."""
    entry = pagecache_local.fragment_get(key)
    if entry is None:
        entry = cache.get(key)
        if entry is not None:
            pagecache_local.fragment_put(key, entry)
    return entry


def _set(key: str, entry: dict[str, Any], ttl: int) -> None:
    cache.set(key, entry, timeout=ttl)
    pagecache_local.fragment_put(key, entry)


def _lifetime(scheduled: bool) -> float:
    """Until the next moment the site changes by itself (a scheduled article, the end of a
    breaking strip: no purge marks those), at most PAGE_CACHE_SECONDS."""
    until = time.time() + settings.PAGE_CACHE_SECONDS
    upcoming = next_change() if scheduled else None
    return until if upcoming is None else min(until, upcoming)


def cached_fragment(
    name: str,
    tags: Iterable[str],
    language: str,
    build: Callable[[], T],
    *,
    scheduled: bool = True,
    also: Iterable[str] = (),
) -> T:
    """`build()`'s result (rendered HTML or plain data), shared by every process through the
    cache until one of `tags` is purged, the site changes on schedule, or PAGE_CACHE_SECONDS
    pass (the bound on what no tag covers, such as comment counts). `scheduled=False` is for
    what no schedule changes (the menu, the footer, one article's text). A failing cache
    server means building it every time. `also`: see `fragment_key`."""
    try:
        key = fragment_key(name, tags, language, also=also)
        entry = _get(key)
    except Exception:
        logger.exception("Fragment cache lookup failed")
        return build()
    if entry is not None and entry["until"] > time.time():
        return entry["value"]
    value = build()
    try:
        until = _lifetime(scheduled)
        ttl = math.ceil(until - time.time())
        if ttl > 0:
            _set(key, {"value": value, "until": until}, ttl)
    except Exception:
        logger.exception("Fragment cache store failed")
    return value


def cached_object(
    name: str,
    tags: Iterable[str],
    build: Callable[[], tuple[T, Iterable[str]]],
    *,
    scheduled: bool = True,
    also: Iterable[str] = (),
) -> T:
    """Like `cached_fragment`, for data that names more tags than the caller knows before
    loading it (an article's section, tags and authors, whose renames purge only their own
    tag): `build()` returns the value and those tags, and the copy serves while neither
    `tags` nor those were purged. A copy built while one of them was purged is not kept.
    The versions of `also` (tags the page reads next) come in the same round trip."""
    try:
        key = fragment_key(name, tags, "")
        entry = _get(key)
        if entry is not None and entry["until"] > time.time():
            depends = entry["depends"]
            versions = _versions([*depends, *also])
            if all(versions.get(tag_key(t)) == v for t, v in depends.items()):
                return entry["value"]
    except Exception:
        logger.exception("Object cache lookup failed")
        return build()[0]
    started = time.time()
    value, more = build()
    try:
        names = sorted(set(more))
        versions = _versions(names)
        depends = {tag: versions[tag_key(tag)] for tag in names}
        until = _lifetime(scheduled)
        ttl = math.ceil(until - time.time())
        if ttl > 0 and all(version <= started for version in depends.values()):
            _set(key, {"value": value, "until": until, "depends": depends}, ttl)
    except Exception:
        logger.exception("Object cache store failed")
    return value
