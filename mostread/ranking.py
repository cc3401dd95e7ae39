"""The most read articles of a language over the last 24 hours and 7 days.

Read from the hourly rows (`ArticleViewCount`), never from the cache counters. Both windows
are ranked by the database in one UNION ALL of two `GROUP BY ... ORDER BY ... LIMIT 5` reads;
a second query loads the few articles named.

Pages never run these queries: the lists are built after a flush that wrote views (the only
moment they can change, apart from the windows sliding and an article being edited), kept in
the cache per language, and a page only reads them (rendered, from the fragment cache, until
the next rebuild: `LISTS_TAG`). Built at render time instead, a cache
miss would add two queries to a home page already at its query budget. `refresh_blocks()`
runs from the flush (so at most once a minute, under its lock), when the lists are older than
`BLOCK_TTL` and a flush comes round, and when an article they show is saved or deleted.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import QuerySet, Sum
from django.utils import translation

from articles.models import Article
from newsroom import pagecache

from .models import ArticleViewCount

TOP = 5
WINDOWS = {"day": 24, "week": 7 * 24}  # hours, the current one included
BLOCK_TTL = 5 * 60  # lists older than this are rebuilt at the next flush
BLOCK_KEEP = 2 * 24 * 3600  # ...and shown meanwhile, however old, for this long at most
BUILT_KEY = "mostread:blocks-built"
# Not a tag any page carries (a flush clears no page): the version of the lists, which the
# rendered block in the fragment cache names, so a rebuild shows at once on uncached pages.
LISTS_TAG = "mostread-lists"
LANGUAGES = [code for code, _name in settings.LANGUAGES]

# Plain dicts ({"pk", "url", "title", "views"}), not a class: cached copies must still load
# after a deploy renames or moves code.
Entry = dict[str, Any]
Block = dict[str, list[Entry]]


def block_key(language: str) -> str:
    return f"mostread:block:{language}"


def _top(language: str, public: QuerySet[Article], hours: int, now: float) -> QuerySet:
    this_hour = datetime.fromtimestamp(now - now % 3600, tz=UTC)
    since = this_hour - timedelta(hours=hours - 1)
    return (
        ArticleViewCount.objects.filter(
            language=language, hour__gte=since, article__in=public.values("pk")
        )
        .values("article_id")
        .annotate(total=Sum("views"))
        .order_by("-total", "-article_id")[:TOP]
    )


def ranked_ids(language: str, *, now: float | None = None) -> dict[str, list[tuple[int, int]]]:
    """(article id, views) per window, most read first: one query.

    Only articles readers may see in `language` (the publishing rule, and a translation) take
    part, so a French list is never padded with an Arabic-only article.
    """
    now = time.time() if now is None else now
    public = Article.objects.published().in_language(language)
    parts, params = [], []
    for index, hours in enumerate(WINDOWS.values()):
        sql, part_params = _top(language, public, hours, now).query.sql_with_params()
        parts.append(f"SELECT {index}, w{index}.* FROM ({sql}) AS w{index}")  # noqa: S608
        params.extend(part_params)
    with connections[ArticleViewCount.objects.db].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    names = list(WINDOWS)
    ranked: dict[str, list[tuple[int, int]]] = {name: [] for name in names}
    for index, article_id, total in sorted(rows, key=lambda row: (row[0], -row[2], -row[1])):
        ranked[names[index]].append((article_id, total))
    return ranked


def build_block(language: str, *, now: float | None = None) -> Block:
    """Both lists in `language`: two queries (one when nothing has been counted)."""
    ranked = ranked_ids(language, now=now)
    wanted = {article_id for entries in ranked.values() for article_id, _views in entries}
    articles: dict[int, Article] = {}
    if wanted:
        fields = [f"{name}_{code}" for name in ("title", "slug") for code in LANGUAGES]
        articles = {
            article.pk: article
            for article in Article.objects.published()
            .in_language(language)
            .filter(pk__in=wanted)
            .only("pk", *fields)
        }
    with translation.override(language):
        return {
            name: [
                {
                    "pk": pk,
                    "url": articles[pk].get_absolute_url(),
                    "title": articles[pk].title,
                    "views": views,
                }
                for pk, views in entries
                if pk in articles
            ]
            for name, entries in ranked.items()
        }


def refresh_blocks(*, now: float | None = None) -> None:
    """Rebuild the lists of every language and keep them for the pages to read."""
    now = time.time() if now is None else now
    blocks = {block_key(code): build_block(code, now=now) for code in LANGUAGES}
    cache.set_many(blocks, BLOCK_KEEP)
    cache.set(BUILT_KEY, now, BLOCK_KEEP)
    cache.set(pagecache.tag_key(LISTS_TAG), time.time(), timeout=None)


def refresh_after_edit() -> None:
    """An article the lists show changed: rebuild them, and clear every page showing them.

    Pages carry the "mostread" tag; a purge of it is rare (an edit of one of the few articles
    listed), whereas the lists' ranking moving on after a flush purges nothing: a cached page
    shows lists at most `PAGE_CACHE_SECONDS` old.
    """
    refresh_blocks()
    pagecache.purge(["mostread"])


def blocks_stale(*, now: float | None = None) -> bool:
    built = cache.get(BUILT_KEY)
    return built is None or built + BLOCK_TTL <= (time.time() if now is None else now)


def most_read(language: str) -> Block:
    """The lists a page shows, from the cache only: no query, ever.

    Empty until the first flush has built them (the block is then left out of the page).
    """
    return cache.get(block_key(language)) or {name: [] for name in WINDOWS}


def shows(article_id: int) -> bool:
    """Whether any language's lists show this article (an edit must then rebuild them)."""
    blocks = cache.get_many([block_key(code) for code in LANGUAGES]).values()
    return any(entry["pk"] == article_id for b in blocks for e in b.values() for entry in e)
