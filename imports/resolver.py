"""Where an old link leads now: a stored row first, then the shapes every old site shares.

Called only for a request that would otherwise be a 404 (see middleware.py). A stored row
costs one indexed query on `old_path`; the code rules below cover paths that need no row
(`/search?q=`, date archives, the site feeds) and cost nothing, or one `exists()` for an
archive, which must not send a reader from a dead link to an empty page. Anything else
answers None and the 404 stands: an unknown old link is never sent to the home page.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote, urlencode, urlsplit

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, models
from django.db.models import F
from django.http import QueryDict
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from articles.models import Article, Category
from pages.models import Page

from .models import LegacyRedirect
from .redirects import normalise_path

logger = logging.getLogger(__name__)


class TargetGone(Exception):
    """The old link is known, but what it led to is deleted or no longer public."""


MAX_KEY_LENGTH = LegacyRedirect._meta.get_field("old_path").max_length

_YEAR = r"(?P<year>(?:19|20)\d\d)"
_MONTH = r"(?P<month>0?[1-9]|1[0-2])"
_YEAR_ARCHIVE = re.compile(rf"^/{_YEAR}$")
_MONTH_ARCHIVE = re.compile(rf"^/{_YEAR}/{_MONTH}(?:/(?:\d\d?|page/\d+))?$")
_BLOGGER_ARCHIVE = re.compile(rf"^/{_YEAR}_{_MONTH}(?:_\d\d)?_archive\.html$")
# WordPress `<anything>/feed/`, `/feed/atom/`, `/feed/rss2/`...
_WP_FEED = re.compile(r"^(?P<parent>.*?)/feed(?:/(?P<kind>atom|rss2?|rdf))?$")
_WP_PAGED = re.compile(r"^(?P<parent>/.+?)/page/\d+$")
_BLOGGER_LABEL_FEED = re.compile(r"^/feeds/posts/(?:default|summary)/-/(?P<label>.+)$")
_SITE_FEEDS = {
    "/feeds/posts/default": "atom",
    "/feeds/posts/summary": "atom",
    "/feeds/comments/default": "atom",
    "/atom.xml": "atom",
    "/rss.xml": "rss",
}


def public_queryset(model: type[models.Model]) -> models.QuerySet:
    """What a reader may open: a redirect never shows a draft, a hidden section or a deleted row."""
    if model is Article:
        return Article.objects.published()
    if model is Page:
        return Page.objects.published()
    if model is Category:
        return Category.objects.active()
    return model._default_manager.all()


def _feed_flavour(path: str, query: QueryDict) -> str | None:
    """'rss' or 'atom' when the old link asked for a feed, else None.

    Blogger's feeds are Atom unless `alt=rss`; WordPress's are RSS unless `/feed/atom/`.
    """
    alt = query.get("alt", "").lower()
    if path == "/rss.xml":
        return "rss"
    if path in _SITE_FEEDS or _BLOGGER_LABEL_FEED.match(path):
        return "rss" if alt == "rss" else "atom"
    wp = _WP_FEED.match(path)
    if wp:
        return "atom" if wp.group("kind") == "atom" else "rss"
    return None


def _parent_key(path: str) -> str | None:
    """The stored path whose target this path inherits, looked up in the same query.

    A label feed inherits the label page's target, `<x>/feed/` and `<x>/page/2/` that of `<x>`.
    """
    label = _BLOGGER_LABEL_FEED.match(path)
    if label:
        return "/search/label/" + label.group("label")
    wp = _WP_FEED.match(path) or _WP_PAGED.match(path)
    if wp and wp.group("parent") not in ("", "/comments"):
        return wp.group("parent")
    return None


def _section_feed(slug: str, flavour: str) -> str:
    name = "articles:category-atom" if flavour == "atom" else "articles:category-rss"
    return reverse(name, kwargs={"slug": slug})


def _row_url(row: LegacyRedirect, flavour: str | None) -> str | None:
    """The row's target as it is now; None when the target is gone or not public."""
    if row.target_url:
        url = row.target_url
        if flavour and url.startswith("/"):
            try:
                match = resolve(url.split("?", 1)[0])
            except Resolver404:
                return url
            if match.view_name == "articles:category":
                return _section_feed(match.kwargs["slug"], flavour)
        return url
    if row.content_type_id is None or row.object_id is None:
        return None
    model = ContentType.objects.get_for_id(row.content_type_id).model_class()
    if model is None:
        return None
    target = public_queryset(model).filter(pk=row.object_id).first()
    if target is None:
        return None
    if flavour and isinstance(target, Category):
        return _section_feed(target.slug, flavour)
    return target.get_absolute_url()


def _count_hit(row: LegacyRedirect) -> None:
    """Hits tell editors which old links still bring readers; a failed count never blocks one."""
    try:
        LegacyRedirect.objects.filter(pk=row.pk).update(hits=F("hits") + 1)
    except DatabaseError:  # pragma: no cover - a read-only replica, a locked SQLite file
        logger.warning("Could not count a hit of the old link %s", row.old_path)


def _archive_url(year: int, month: int | None) -> str | None:
    articles = Article.objects.published().filter(publish_at__year=year)
    if month is not None:
        articles = articles.filter(publish_at__month=month)
    if not articles.exists():
        return None
    if month is None:
        return reverse("articles:archive-year", kwargs={"year": year})
    return reverse("articles:archive-month", kwargs={"year": year, "month": month})


def _pattern_url(path: str, query: QueryDict, flavour: str | None) -> str | None:
    """The old shapes that need no stored row."""
    if path == "/search":
        q = query.get("q", "").strip()
        if q:
            return reverse("search:search") + "?" + urlencode({"q": q})
        if any(k in query for k in ("updated-max", "updated-min", "max-results", "by-date")):
            return reverse("articles:home")  # Blogger's "older posts" paging
        return reverse("search:search")
    wp = _WP_FEED.match(path)
    if path in _SITE_FEEDS or (wp and wp.group("parent") in ("", "/comments")):
        return reverse("articles:atom" if flavour == "atom" else "articles:rss")
    for pattern in (_MONTH_ARCHIVE, _BLOGGER_ARCHIVE):
        match = pattern.match(path)
        if match:
            return _archive_url(int(match.group("year")), int(match.group("month")))
    match = _YEAR_ARCHIVE.match(path)
    if match:
        return _archive_url(int(match.group("year")), None)
    return None


def old_link_target(full_path: str, query: QueryDict) -> str | None:
    """The URL an old link answers with a 301, or None to keep the 404.

    Raises TargetGone for a stored old link whose target is deleted or not public.

    `full_path` is the request's path with its query (percent-encoded as sent or decoded);
    `query` its parsed query string, for the parameters a key drops (`q`, `alt`).
    """
    key = normalise_path(full_path)
    if len(key) > MAX_KEY_LENGTH:
        return None
    path = key.split("?", 1)[0]
    flavour = _feed_flavour(path, query)
    parent = _parent_key(path)
    candidates = [key] if parent is None else [key, parent]
    rows = {
        row.old_path: row
        for row in LegacyRedirect.objects.filter(old_path__in=candidates).only(
            "old_path", "content_type_id", "object_id", "target_url"
        )
    }
    row = rows.get(key) or (rows.get(parent) if parent else None)
    if row is not None:
        url = _row_url(row, flavour)
        if url is None:
            raise TargetGone(row.old_path)
        if _same_path(url, full_path):
            return None
        _count_hit(row)
        return url
    try:
        url = _pattern_url(path, query, flavour)
    except NoReverseMatch:  # pragma: no cover - a URL name renamed without updating this map
        logger.exception("An old link rule names a URL that no longer exists")
        return None
    if url is None or _same_path(url, full_path):
        return None
    return url


def _same_path(url: str, full_path: str) -> bool:
    """A target at the very path that just answered 404 would send the reader round in a loop."""
    return unquote(urlsplit(url).path) == unquote(urlsplit(full_path).path)
