"""PostgreSQL: the newest matches of a broad query, read from the newest index rows only.

A broad query ("المغرب", or two words that always come together such as "بنك المغرب")
matches tens of thousands of rows. PostgreSQL estimates the matches of several words as if
the words were independent, so it often believes such a query is narrow and reads every match
through the GIN index before sorting them by time. This query cannot take that road: it walks
the language's index rows newest first (`search_doc_newest_idx`), at most RECENT_WINDOW of
them, and stops as soon as it has `limit` published matches. When it finds that many, they
are exactly the newest matches of the whole archive; when it does not (a narrower query, or
filters that reach further back), the general query answers instead, in the same statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from articles.models import Article, Category

from .backend import CONFIGS
from .models import SearchDocument

#: How many of the newest index rows of a language the walk reads at most: a query whose
#: matches are rarer than one row in ten goes to the GIN index, where it is cheap.
RECENT_WINDOW = 10_000


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def newest_matches(
    *,
    terms: Sequence[str],
    language: str,
    limit: int,
    general: QuerySet,
    category: Category | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[tuple[float, datetime, int]]:
    """(rank, publication time, article id) of the `limit` newest matches, in one query.

    The walk first; `general` (the same matches' publication time and id, newest first, as a
    queryset) only when the newest RECENT_WINDOW index rows hold fewer than `limit` matches:
    its branch has a condition PostgreSQL checks once, before reading anything. The walk
    applies the same rules as `general`: published and due, the category, and the dates as
    days in the site's time zone (bounds on the publication time, so the index applies).
    """
    conditions = ["a.status = %s", "a.publish_at <= %s"]
    params: list[object] = [Article.Status.PUBLISHED, timezone.now()]
    if category is not None:
        conditions.append("a.category_id = %s")
        params.append(category.pk)
    if date_from is not None:
        conditions.append("a.publish_at >= %s")
        params.append(_day_start(date_from))
    if date_to is not None:
        conditions.append("a.publish_at < %s")
        params.append(_day_start(date_to + timedelta(days=1)))
    table = connection.ops.quote_name(SearchDocument._meta.db_table)
    articles = connection.ops.quote_name(Article._meta.db_table)
    general_sql, general_params = general.query.sql_with_params()
    # The LIMIT inside the derived table keeps PostgreSQL from pushing the match into it:
    # the rows come from the time index, newest first, and the outer LIMIT stops the walk.
    # Drafts without a publication time (first in a descending index) take no place in it.
    # Ranks of the general query's rows are computed after its LIMIT, from their index rows:
    # sorting tens of thousands of matches by time then carries no vectors.
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
            WHERE w.vector @@ q.query AND {" AND ".join(conditions)}
            ORDER BY w.publish_at DESC, w.article_id DESC
            LIMIT %s
        )
        SELECT * FROM recent WHERE (SELECT count(*) FROM recent) >= %s
        UNION ALL
        SELECT ts_rank(d.vector, q.query), general.publish_at, general.pk
        FROM ({general_sql}) AS general
        JOIN {table} AS d ON d.article_id = general.pk AND d.language = %s
        CROSS JOIN plainto_tsquery(%s::regconfig, %s) AS q(query)
        WHERE (SELECT count(*) FROM recent) < %s
    """  # noqa: S608 - table names come from the models, every value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                language,
                RECENT_WINDOW,
                CONFIGS[language],
                " ".join(terms),
                *params,
                limit,
                limit,
                *general_params,
                language,
                CONFIGS[language],
                " ".join(terms),
                limit,
            ],
        )
        return cursor.fetchall()
