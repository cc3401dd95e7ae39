"""Broad searches: only the newest matches are ranked, the page says "more than", and stays cheap.

The candidate cap is 1,001 in production; these tests lower it (and the result limit) so that
a handful of articles is "more than the cap". On PostgreSQL the newest matches come either
from the walk over the newest index rows or, when that walk is too short, from the GIN
index: `window` covers both. On SQLite only the general query exists.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from search.models import SearchDocument
from search.query import PAGE_SIZE, query_terms, search_articles, similar_title_ids
from search.services import search_index_rebuild

from .factories import make_article, make_category

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["walk", "gin"])
def window(request: Any, monkeypatch: Any) -> str:
    """The walk over the newest rows is long enough (default) or too short to answer."""
    if request.param == "gin":
        monkeypatch.setattr("search.recent.RECENT_WINDOW", 2)
    return request.param


@pytest.fixture
def small_caps(monkeypatch: Any) -> None:
    monkeypatch.setattr("search.query.MAX_RESULTS", 3)
    monkeypatch.setattr("search.query.MAX_RANKED", 4)
    monkeypatch.setattr("search.query.MAX_CANDIDATES", 4)


@pytest.fixture
def archive() -> dict[str, Article]:
    """Five articles about the port: an old one with it in the title, then newer ones."""
    now = timezone.now()
    return {
        "old_title": make_article(
            title="توسعة الميناء الكبرى", publish_at=now - timedelta(days=30)
        ),
        "new_title": make_article(title="افتتاح الميناء", publish_at=now - timedelta(days=3)),
        **{
            f"body_{n}": make_article(
                title=f"أخبار اليوم {n}",
                body="<p>زار الوفد الميناء صباحا.</p>",
                publish_at=now - timedelta(hours=n),
            )
            for n in (1, 2, 3)
        },
    }


def search_page(client: Any, **params: Any) -> str:
    response = client.get(reverse("search:search"), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.usefixtures("small_caps")
def test_a_broad_search_ranks_the_newest_matches_best_first(
    client: Any, window: str, archive: dict[str, Article]
) -> None:
    html = search_page(client, q="الميناء")
    assert html.count('class="card search-result"') == 3
    # Among the four newest matches the title match comes first, then the newest body matches;
    # the month-old article, however good its title, is past the candidates.
    assert html.index("افتتاح الميناء") < html.index("أخبار اليوم 1") < html.index("أخبار اليوم 2")
    assert "أخبار اليوم 3" not in html
    assert "توسعة الميناء الكبرى" not in html


@pytest.mark.usefixtures("small_caps")
def test_a_broad_search_says_more_than_the_limit_in_every_language(
    client: Any, archive: dict[str, Article]
) -> None:
    assert "أكثر من 3 مقال" in search_page(client, q="الميناء")
    for article in archive.values():
        article.title_fr = f"Le port {article.pk}"
        article.title_en = f"The port {article.pk}"
        article.save()
    fr = client.get("/fr/search/", {"q": "port"}).content.decode()
    en = client.get("/en/search/", {"q": "port"}).content.decode()
    assert "Plus de 3 articles" in fr
    assert "More than 3 articles" in en


@pytest.mark.usefixtures("small_caps")
def test_the_date_filter_reaches_past_the_newest_matches(
    client: Any, window: str, archive: dict[str, Article]
) -> None:
    html = search_page(
        client, q="الميناء", date_to=(timezone.now() - timedelta(days=10)).date().isoformat()
    )
    assert html.count('class="card search-result"') == 1
    assert "توسعة الميناء الكبرى" in html


def test_filters_apply_to_the_newest_matches_on_both_roads(monkeypatch: Any, window: str) -> None:
    monkeypatch.setattr("search.query.MAX_CANDIDATES", 1)
    sport = make_category(name="رياضة")
    now = timezone.now()
    in_sport = make_article(
        title="المنتخب يفوز", category=sport, publish_at=now - timedelta(days=5)
    )
    newest = make_article(title="المنتخب يتعادل", publish_at=now - timedelta(hours=1))
    make_article(title="المنتخب يستعد", status=Article.Status.DRAFT)
    terms = query_terms("المنتخب", "ar")
    assert search_articles(terms=terms, language="ar") == [newest.pk]
    assert search_articles(terms=terms, language="ar", category=sport) == [in_sport.pk]
    assert search_articles(
        terms=terms, language="ar", date_to=(now - timedelta(days=2)).date()
    ) == [in_sport.pk]


def test_a_broad_search_page_keeps_its_query_budget(
    client: Any, django_assert_max_num_queries: Any
) -> None:
    category = make_category()
    for n in range(PAGE_SIZE * 2 + 5):
        make_article(title=f"أخبار الميناء {n}", category=category, summary_ar="ملخص الخبر")
    search_page(client, q="ملخص")  # the header's sections and the footer are cached fragments
    with django_assert_max_num_queries(3):
        html = search_page(client, q="الميناء", page="2")
    assert html.count('class="card search-result"') == PAGE_SIZE


def test_index_rows_keep_the_publication_time_of_their_article() -> None:
    when = timezone.now() - timedelta(days=2)
    article = make_article(title="خبر", title_fr="Une nouvelle", publish_at=when)
    assert set(SearchDocument.objects.values_list("publish_at", flat=True)) == {when}
    SearchDocument.objects.update(publish_at=None)
    search_index_rebuild()
    rows = SearchDocument.objects.filter(article=article)
    assert set(rows.values_list("publish_at", flat=True)) == {when}
    assert rows.count() == 2


def test_an_article_published_by_an_update_is_found_by_date_on_both_roads(window: str) -> None:
    """Its index row was written as a draft, without a time: the article's own time counts."""
    article = make_article(title="تقرير عن الميناء", status=Article.Status.DRAFT, publish_at=None)
    last_week = timezone.now() - timedelta(days=7)
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.PUBLISHED, publish_at=last_week
    )
    terms = query_terms("الميناء", "ar")
    day = timezone.localdate(last_week)  # the filters are days in the site's time zone
    assert search_articles(terms=terms, language="ar", date_from=day) == [article.pk]
    assert search_articles(terms=terms, language="ar", date_to=day) == [article.pk]
    before = day - timedelta(days=2)
    assert search_articles(terms=terms, language="ar", date_to=before) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm needs PostgreSQL")
def test_a_typo_looks_among_the_newest_titles_first_then_the_whole_archive(
    monkeypatch: Any,
) -> None:
    monkeypatch.setattr("search.query.RECENT_WINDOW", 2)
    now = timezone.now()
    old = make_article(title="الاستراتيجية الوطنية للماء", publish_at=now - timedelta(days=400))
    for n in (1, 2):
        make_article(title=f"أخبار اليوم {n}", publish_at=now - timedelta(hours=n))
    terms = query_terms("الاستراتيجيا", "ar")
    # Nothing close among the two newest: the whole archive is compared.
    assert similar_title_ids(terms=terms, language="ar", limit=10) == [old.pk]
    newer = make_article(title="الاستراتيجية الفلاحية", publish_at=now - timedelta(minutes=5))
    # A close title among the newest answers alone, without comparing the archive.
    assert similar_title_ids(terms=terms, language="ar", limit=10) == [newer.pk]
