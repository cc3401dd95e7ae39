"""PostgreSQL: the newest matches of a query, ranked, read the cheapest way for its breadth.

A broad query ("المغرب", or two words that always come together such as "بنك المغرب")
matches tens of thousands of rows. PostgreSQL estimates the matches of several words as if
the words were independent, so it often takes the wrong road for them: it reads every match
through the GIN index before sorting them by time, or walks the whole time index testing
every row for a query whose matches are all old ("2023"). This statement leaves it no
choice, in two roads:

- the walk: the language's index rows newest first (`search_doc_newest_idx`), at most
  RECENT_WINDOW of them, stopping as soon as it has `limit` published matches. When it
  finds that many, they are exactly the newest matches of the whole archive;
- otherwise (a narrower query, or matches that are all older): every match from the GIN
  index (a bitmap, small rows of time and id), sorted by time, each checked against its
  article newest first until `limit` are visible. Nothing is ranked before that limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.utils import timezone

from articles.models import Article, Category

from .backend import CONFIGS
from .models import SearchDocument

#: How many of the newest index rows of a language the walk reads at most: a query whose
#: matches are rarer than one row in ten goes to the GIN index, where it is cheap.
RECENT_WINDOW = 10_000


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _bounds(
    date_from: date | None, date_to: date | None, column: str
) -> tuple[list[str], list[object]]:
    """The dates as days in the site's time zone: bounds on a publication time column."""
    conditions: list[str] = []
    params: list[object] = []
    if date_from is not None:
        conditions.append(f"{column} >= %s")
        params.append(_day_start(date_from))
    if date_to is not None:
        conditions.append(f"{column} < %s")
        params.append(_day_start(date_to + timedelta(days=1)))
    return conditions, params


def newest_matches(
    *,
    terms: Sequence[str],
    language: str,
    limit: int,
    category: Category | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[tuple[float, datetime, int]]:
    """(rank, publication time, article id) of the `limit` newest matches, in one query.

    The second road has a condition PostgreSQL checks once, before reading anything, so it
    costs nothing when the walk answers. Both roads apply the same rules: published and
    due, the category, and the dates, on the article itself; the index row's copy of the
    publication time orders the candidates.
    """
    now = timezone.now()
    visible = ["a.status = %s", "a.publish_at <= %s"]
    visible_params: list[object] = [Article.Status.PUBLISHED, now]
    if category is not None:
        visible.append("a.category_id = %s")
        visible_params.append(category.pk)
    dates, date_params = _bounds(date_from, date_to, "a.publish_at")
    visible += dates
    visible_params += date_params
    # The index row's copy of the time only narrows the candidates of a date search: a row
    # written before its article got a time (published by an update) still counts.
    bounds, row_date_params = _bounds(date_from, date_to, "d.publish_at")
    row_dates = f"AND (d.publish_at IS NULL OR {' AND '.join(bounds)})" if bounds else ""
    table = connection.ops.quote_name(SearchDocument._meta.db_table)
    articles = connection.ops.quote_name(Article._meta.db_table)
    config, words = CONFIGS[language], " ".join(terms)
    # The LIMIT inside the walk's derived table keeps PostgreSQL from pushing the match into
    # it: the rows come from the time index, newest first, and the outer LIMIT stops the walk.
    # Drafts without a publication time (first in a descending index) take no place in it.
    # `hits` is only read by the second road; being a MATERIALIZED CTE without an order, it
    # is a bitmap scan of the GIN index. The LATERAL check (a LIMIT makes it a loop, never a
    # hash join of every article) keeps the time order, so the outer LIMIT stops it early.
    sql = f"""
        WITH recent AS MATERIALIZED (
            SELECT ts_rank(w.vector, q.query), a.publish_at, w.article_id
            FROM (
                SELECT article_id, publish_at, vector FROM {table}
                WHERE language = %s AND publish_at IS NOT NULL
                ORDER BY publish_at DESC, article_id DESC
                LIMIT %s
            ) AS w
            CROSS JOIN plainto_tsquery(%s::regconfig, %s) AS q(query)
            JOIN {articles} AS a ON a.id = w.article_id
            WHERE w.vector @@ q.query AND {" AND ".join(visible)}
            ORDER BY w.publish_at DESC, w.article_id DESC
            LIMIT %s
        ),
        hits AS MATERIALIZED (
            SELECT d.publish_at, d.article_id FROM {table} AS d
            WHERE d.language = %s AND d.vector @@ plainto_tsquery(%s::regconfig, %s)
              {row_dates}
        ),
        older AS MATERIALIZED (
            SELECT shown.publish_at, h.article_id
            FROM (SELECT * FROM hits ORDER BY publish_at DESC, article_id DESC) AS h
            CROSS JOIN LATERAL (
                SELECT a.publish_at FROM {articles} AS a
                WHERE a.id = h.article_id AND {" AND ".join(visible)}
                LIMIT 1
            ) AS shown
            LIMIT %s
        )
        SELECT * FROM recent WHERE (SELECT count(*) FROM recent) >= %s
        UNION ALL
        SELECT ts_rank(d.vector, q.query), o.publish_at, o.article_id
        FROM older AS o
        JOIN {table} AS d ON d.article_id = o.article_id AND d.language = %s
        CROSS JOIN plainto_tsquery(%s::regconfig, %s) AS q(query)
        WHERE (SELECT count(*) FROM recent) < %s
    """  # noqa: S608 - table names come from the models, every value is a parameter
    params: list[object] = [
        *(language, RECENT_WINDOW, config, words, *visible_params, limit),
        *(language, config, words, *row_date_params),
        *(*visible_params, limit),
        limit,
        *(language, config, words, limit),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
