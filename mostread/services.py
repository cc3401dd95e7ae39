"""Counting page views in the shared cache, and writing them to the database in batches.

Why not one write per view: most article pages are served whole from the page cache, and a
story that takes off is read thousands of times a minute. An UPDATE per view would make the
busiest moment the database's worst (row locks on the same hot rows, one transaction each).
A counter in the cache (Redis in production) costs one atomic increment; `flush_counts()`
moves the counters into `ArticleViewCount` with one upsert, at most once a minute (started
by the beacon itself, see `maybe_flush()`) or from the `flush_most_read` command.

Keys, all in Django's default cache, per hour bucket (hours since the epoch, UTC):

- `mostread:n:<bucket>:<article>:<lang>`: views counted and not yet written;
- `mostread:slots:<bucket>`: how many (article, language) pairs the bucket has seen;
- `mostread:slot:<bucket>:<n>`: the n-th pair, "article:lang".

The numbered slots let a flush find every counter with `get_many`, without Redis SCAN, so the
same code runs on Redis and on the local-memory cache of the tests. A flush claims what it
read by decrementing each counter by that amount (views counted meanwhile stay for the next
flush), so two flushes never write the same view twice. Across processes this needs a shared
cache (Redis): with a local-memory cache each process counts and flushes its own views.
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.db import transaction

from articles.models import Article
from articles.seo import article_languages

from .models import ArticleViewCount
from .ranking import LANGUAGES, blocks_stale, refresh_blocks

logger = logging.getLogger(__name__)

HOUR = 3600
KEEP_BUCKETS = 48  # hours a counter waits for a flush before it is given up
KEY_TTL = (KEEP_BUCKETS + 2) * HOUR
FLUSH_INTERVAL = 60  # seconds between two flushes started by readers' views
CLOSE_GRACE = 300  # seconds after an hour ends before its counters are final and removed
KEEP_DAYS = 8  # rows older than this are deleted: the block looks back 7 days
PUBLIC_TTL = HOUR  # how long "article 12 is public in ar, fr" is believed
MISSING_TTL = 60  # ...and "article 12 is not public" (a scheduled one may appear soon)
LOCK_KEY = "mostread:flush-lock"
LOCK_TTL = 300
DUE_KEY = "mostread:flush-due"


def bucket_of(timestamp: float) -> int:
    """Hours since the epoch: counters are kept per hour, the grain of the 24-hour window."""
    return int(timestamp // HOUR)


def hour_of(bucket: int) -> datetime:
    """The start of an hour bucket, as the aware datetime stored in `ArticleViewCount.hour`."""
    return datetime.fromtimestamp(bucket * HOUR, tz=UTC)


def _counter_key(bucket: int, article_id: int, language: str) -> str:
    return f"mostread:n:{bucket}:{article_id}:{language}"


def _slots_key(bucket: int) -> str:
    return f"mostread:slots:{bucket}"


def _slot_key(bucket: int, number: int) -> str:
    return f"mostread:slot:{bucket}:{number}"


def _article_key(article_id: int) -> str:
    return f"mostread:article:{article_id}"


# --- counting ----------------------------------------------------------------------------------


def remember_public(article: Article, *, deleted: bool = False) -> None:
    """Record, when an article is saved or deleted, the languages readers may read it in (none
    while it is a draft or scheduled, or once deleted), so the beacon usually needs no query
    to know it may count it."""
    languages = article_languages(article) if article.is_published() and not deleted else []
    cache.set(_article_key(article.pk), languages, PUBLIC_TTL if languages else MISSING_TTL)


def public_languages(article_id: int) -> list[str]:
    """Languages readers may read an article in; empty for unknown or unpublished ones.

    Cached, so a beacon costs one query per article per hour at most, not one per view.
    """
    languages = cache.get(_article_key(article_id))
    if languages is None:
        article = (
            Article.objects.published()
            .filter(pk=article_id)
            .only("pk", *(f"title_{code}" for code in LANGUAGES))
            .first()
        )
        languages = article_languages(article) if article else []
        cache.set(_article_key(article_id), languages, PUBLIC_TTL if languages else MISSING_TTL)
    return languages


def _incr_or_add(key: str) -> bool:
    """Add one to `key`, creating it at 1 if missing; True when this call created it."""
    try:
        cache.incr(key)
    except ValueError:
        if cache.add(key, 1, KEY_TTL):
            return True
        cache.incr(key)  # another process created it meanwhile
    return False


def _register(bucket: int, article_id: int, language: str) -> None:
    try:
        number = cache.incr(_slots_key(bucket))
    except ValueError:
        number = 1 if cache.add(_slots_key(bucket), 1, KEY_TTL) else cache.incr(_slots_key(bucket))
    cache.set(_slot_key(bucket, number), f"{article_id}:{language}", KEY_TTL)


def count_view(article_id: int, language: str, *, now: float | None = None) -> None:
    """One more view of an article in a language, in the cache only: no database write."""
    bucket = bucket_of(time.time() if now is None else now)
    if _incr_or_add(_counter_key(bucket, article_id, language)):
        _register(bucket, article_id, language)


# --- flushing ----------------------------------------------------------------------------------


def maybe_flush(*, now: float | None = None) -> int | None:
    """Flush if a minute has passed since the last flush; cheap (one cache read) otherwise.

    The first view after a quiet spell only starts the clock, so a burst of views is written
    as one batch rather than as a flush of its first view.
    """
    now = time.time() if now is None else now
    due = cache.get(DUE_KEY)
    if due is None:
        cache.add(DUE_KEY, now + FLUSH_INTERVAL, KEY_TTL)
        return None
    if due > now:
        return None
    cache.set(DUE_KEY, now + FLUSH_INTERVAL, KEY_TTL)
    return flush_counts(now=now)


def flush_counts(*, now: float | None = None) -> int | None:
    """Move the counted views into `ArticleViewCount`; the number of rows written.

    Then rebuild the "most read" lists if views were written or the lists have aged. None
    when another flush holds the lock (another server, or the command): it will write these
    views itself, and waiting for it would only hold up a reader's request.
    """
    now = time.time() if now is None else now
    token = uuid.uuid4().hex
    if not cache.add(LOCK_KEY, token, LOCK_TTL):
        return None
    try:
        written = _flush(now)
        if written or blocks_stale(now=now):
            refresh_blocks(now=now)
        return written
    finally:
        if cache.get(LOCK_KEY) == token:
            cache.delete(LOCK_KEY)


def _pending(buckets: list[int]) -> dict[str, tuple[int, int, str]]:
    """Every registered counter key of `buckets`, with what it counts."""
    slot_counts = cache.get_many([_slots_key(bucket) for bucket in buckets])
    pending: dict[str, tuple[int, int, str]] = {}
    for bucket in buckets:
        count = slot_counts.get(_slots_key(bucket)) or 0
        if not count:
            continue
        slots = cache.get_many([_slot_key(bucket, n) for n in range(1, count + 1)])
        for pair in set(slots.values()):
            article, _sep, language = pair.partition(":")
            pending[_counter_key(bucket, int(article), language)] = (bucket, int(article), language)
    return pending


def _claim(pending: dict[str, tuple[int, int, str]]) -> dict[tuple[int, int, str], int]:
    """Take the views read from each counter, leaving those counted since."""
    taken: dict[tuple[int, int, str], int] = {}
    for key, views in cache.get_many(list(pending)).items():
        if not views:
            continue
        try:
            cache.decr(key, views)
        except ValueError:  # expired in between: nothing left to take
            continue
        taken[pending[key]] = views
    return taken


def _give_back(taken: dict[tuple[int, int, str], int]) -> None:
    for (bucket, article_id, language), views in taken.items():
        key = _counter_key(bucket, article_id, language)
        try:
            cache.incr(key, views)
        except ValueError:
            cache.add(key, views, KEY_TTL)


def _close(buckets: list[int], now: float) -> None:
    """Forget the keys of hours that ended a while ago and have just been written."""
    for bucket in buckets:
        if (bucket + 1) * HOUR + CLOSE_GRACE > now:
            continue
        count = cache.get(_slots_key(bucket)) or 0
        slots = cache.get_many([_slot_key(bucket, n) for n in range(1, count + 1)])
        counters = []
        for pair in set(slots.values()):
            article, _sep, language = pair.partition(":")
            counters.append(_counter_key(bucket, int(article), language))
        cache.delete_many([*counters, *slots, _slots_key(bucket)])


def _flush(now: float) -> int:
    current = bucket_of(now)
    buckets = list(range(current - KEEP_BUCKETS, current + 1))
    pending = _pending(buckets)
    if not pending:
        return 0
    taken = _claim(pending)
    try:
        written = write_counts(taken, now=now)
    except Exception:
        _give_back(taken)  # the next flush tries again
        raise
    _close(sorted({bucket for bucket, _a, _l in pending.values()}), now)
    return written


def write_counts(taken: dict[tuple[int, int, str], int], *, now: float) -> int:
    """Add views to their rows in one upsert, and prune rows past the 7-day window.

    Runs under the flush lock, so reading the current totals and writing the sums cannot
    interleave with another flush. Views of an article deleted since are dropped.
    """
    if not taken:
        return 0
    article_ids = {article_id for _b, article_id, _l in taken}
    hours = {hour_of(bucket) for bucket, _a, _l in taken}
    with transaction.atomic():
        alive = set(Article.objects.filter(pk__in=article_ids).values_list("pk", flat=True))
        existing = {
            (row.article_id, row.language, row.hour): row.views
            for row in ArticleViewCount.objects.filter(article_id__in=alive, hour__in=hours).only(
                "article_id", "language", "hour", "views"
            )
        }
        rows = []
        for (bucket, article_id, language), views in sorted(taken.items()):
            if article_id not in alive:
                continue
            hour = hour_of(bucket)
            total = existing.get((article_id, language, hour), 0) + views
            rows.append(
                ArticleViewCount(article_id=article_id, language=language, hour=hour, views=total)
            )
        ArticleViewCount.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["article", "language", "hour"],
            update_fields=["views"],
        )
        cutoff = datetime.fromtimestamp(now, tz=UTC) - timedelta(days=KEEP_DAYS)
        ArticleViewCount.objects.filter(hour__lt=cutoff).delete()
    return len(rows)
