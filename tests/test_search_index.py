"""The search index follows the articles: saves, translations, deletions, bulk loads."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from articles.models import Article
from search.management.commands.bench_search import varied_queries
from search.models import SearchDocument
from search.query import query_terms, search_articles

from .factories import make_article, make_category

pytestmark = pytest.mark.django_db


def found(query: str, language: str = "ar") -> list[int]:
    terms = query_terms(query, language)
    return search_articles(terms=terms, language=language)


def test_a_saved_article_is_indexed_in_each_language_it_has() -> None:
    article = make_article(title="خبر عربي")
    assert set(article.search_documents.values_list("language", flat=True)) == {"ar"}
    article.title_fr = "Une nouvelle"
    article.save()
    assert set(article.search_documents.values_list("language", flat=True)) == {"ar", "fr"}


def test_removing_a_translation_removes_it_from_search() -> None:
    article = make_article(title="خبر", title_fr="Le port de Tanger", slug_fr="port")
    assert found("Tanger", "fr") == [article.pk]
    article.title_fr = ""
    article.save()
    assert found("Tanger", "fr") == []
    assert set(article.search_documents.values_list("language", flat=True)) == {"ar"}


def test_an_edited_title_is_searchable_at_once_and_the_old_one_is_gone() -> None:
    article = make_article(title="افتتاح الميناء")
    article.title_ar = "افتتاح المطار"
    article.save()
    assert found("المطار") == [article.pk]
    assert found("الميناء") == []


def test_publishing_a_draft_makes_it_findable_without_reindexing() -> None:
    article = make_article(title="تقرير عن الفلاحة", status=Article.Status.DRAFT)
    assert found("الفلاحة") == []
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.PUBLISHED, publish_at=timezone.now()
    )
    assert found("الفلاحة") == [article.pk]


def test_a_deleted_article_leaves_nothing_in_the_index() -> None:
    article = make_article(title="خبر سيحذف")
    article.delete()
    assert not SearchDocument.objects.exists()


def test_the_index_holds_normalised_text_without_html() -> None:
    article = make_article(
        title="المَغْرِب والأمريكية",
        body='<p>عملیة <strong>مستشفى</strong></p><p><a href="https://x.test">۲۰۲۴</a></p>',
    )
    document = article.search_documents.get(language="ar")
    assert document.title == "مغرب امريكيه"
    if connection.vendor == "postgresql":
        # PostgreSQL keeps the body only in the vector (narrow rows rank faster).
        assert document.body == ""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT vector::text FROM articles_searchdocument WHERE id = %s", [document.pk]
            )
            (indexed,) = cursor.fetchone()
    else:
        indexed = document.body
        assert indexed == "عمليه مستشفي 2024"
    assert "2024" in indexed
    assert "<" not in indexed
    assert "strong" not in indexed


@pytest.mark.skipif(connection.vendor != "postgresql", reason="tsvector on PostgreSQL only")
def test_postgresql_documents_carry_a_weighted_vector() -> None:
    article = make_article(title="الميناء", summary_ar="طنجة", body="<p>الصيد</p>")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT vector::text FROM articles_searchdocument WHERE article_id = %s", [article.pk]
        )
        (vector,) = cursor.fetchone()
    assert ":1A" in vector and ":2B" in vector and ":3C" in vector


@pytest.mark.skipif(connection.vendor != "postgresql", reason="indexes exist on PostgreSQL only")
def test_postgresql_has_the_gin_indexes_and_pg_trgm() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() is not None
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'articles_searchdocument'"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert {"search_doc_vector_gin", "search_doc_title_trgm"} <= names


def test_bulk_created_articles_are_found_after_rebuilding_the_index() -> None:
    category = make_category()
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            title_ar=f"مهرجان السينما {n}",
            slug=f"bulk-{n}",
            category=category,
            status=Article.Status.PUBLISHED,
            publish_at=now,
        )
        for n in range(5)
    )
    assert found("مهرجان") == []  # bulk_create skips the save signal
    out = StringIO()
    call_command("rebuild_search_index", "--no-progress", "--batch-size", "2", stdout=out)
    assert "5 documents" in out.getvalue()
    assert len(found("مهرجان")) == 5


def test_the_benchmark_plans_a_hundred_varied_queries() -> None:
    plan = varied_queries(100)
    assert len(plan) == 100
    assert len({(path, tuple(sorted(params.items()))) for path, params in plan}) >= 90
    assert {path for path, _ in plan} == {"/search/", "/fr/search/", "/en/search/"}


def test_the_benchmark_refuses_a_database_that_is_not_for_benchmarks() -> None:
    with pytest.raises(CommandError):
        call_command("bench_search", "--count", "10", stdout=StringIO())
