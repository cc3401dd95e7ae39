"""Keeping the index current: one row per article and language, rebuilt from the article.

Rows are written on every save (receiver in signals.py, connected in apps.py) and in bulk by
`manage.py rebuild_search_index`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from django.db import connection, transaction

from articles.models import Article

from .backend import CONFIGS, is_postgresql
from .models import SearchDocument
from .text import index_text, plain_text


def _document(article: Article, language: str) -> SearchDocument | None:
    title = getattr(article, f"title_{language}", "") or ""
    if not title.strip():
        return None  # no translation in this language: nothing to find there
    kicker = getattr(article, f"kicker_{language}", "") or ""
    summary = getattr(article, f"summary_{language}", "") or ""
    body = plain_text(getattr(article, f"body_{language}", ""))
    return SearchDocument(
        article_id=article.pk,
        language=language,
        title=index_text(title, language),
        summary=index_text(f"{kicker} {summary}", language),
        body=index_text(body, language),
        publish_at=article.publish_at,
    )


def search_index_update(*, articles: Iterable[Article]) -> int:
    """Rebuild the index rows of `articles` (all languages); returns how many rows exist now.

    Delete-and-insert in one transaction: a translation removed from an article disappears
    from the index too. Two queries whatever the number of articles, which is what lets
    `rebuild_search_index` index an archive of 100,000 articles in batches.
    """
    articles = list(articles)
    documents = [
        document
        for article in articles
        for language in CONFIGS
        if (document := _document(article, language)) is not None
    ]
    ids = [article.pk for article in articles]
    with transaction.atomic():
        SearchDocument.objects.filter(article_id__in=ids).delete()
        if is_postgresql():
            _insert_vectors(documents)
        else:
            SearchDocument.objects.bulk_create(documents)
    return len(documents)


def _insert_vectors(documents: Sequence[SearchDocument]) -> None:
    """PostgreSQL: rows holding the weighted vector and the title, not the summary and body.

    Every broad query reads the matching rows to rank them; without the texts (which only
    the SQLite fallback needs) the table is a third of the size and ranking about a third
    faster. One INSERT per batch, the vectors computed by the database.
    """
    if not documents:
        return
    table = connection.ops.quote_name(SearchDocument._meta.db_table)
    sql = f"""
        INSERT INTO {table} (article_id, language, title, summary, body, vector, publish_at)
        SELECT d.article_id, d.language, d.title, '', '',
               setweight(to_tsvector(d.config::regconfig, d.title), 'A')
               || setweight(to_tsvector(d.config::regconfig, d.summary), 'B')
               || setweight(to_tsvector(d.config::regconfig, d.body), 'C'),
               d.publish_at
        FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[],
                    %s::timestamptz[])
             AS d(article_id, language, config, title, summary, body, publish_at)
    """  # noqa: S608 - the table name comes from the model, every value is a parameter
    columns = [
        [d.article_id for d in documents],
        [d.language for d in documents],
        [CONFIGS[d.language] for d in documents],
        [d.title for d in documents],
        [d.summary for d in documents],
        [d.body for d in documents],
        [d.publish_at for d in documents],
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, columns)


def search_index_rebuild(
    *, batch_size: int = 1000, progress: Callable[[int], None] | None = None
) -> int:
    """Index every article (bulk_create in `load_demo` bypasses the save signal)."""
    fields = ["pk", "publish_at"] + [
        f"{name}_{language}"
        for name in ("kicker", "title", "summary", "body")
        for language in CONFIGS
    ]
    total, last_pk = 0, 0
    while True:
        batch = list(
            Article.objects.filter(pk__gt=last_pk).order_by("pk").only(*fields)[:batch_size]
        )
        if not batch:
            return total
        total += search_index_update(articles=batch)
        last_pk = batch[-1].pk
        if progress is not None:
            progress(len(batch))
