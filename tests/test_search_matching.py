"""Search finds Arabic as readers really type it, on PostgreSQL and on SQLite alike.

Run this file with DATABASE_URL pointing at PostgreSQL to exercise the full-text path; the
default SQLite run exercises the fallback. Both must pass the same assertions.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone, translation

from articles.models import Article
from search.query import query_terms, search_articles

from .factories import make_article, make_category, make_seed_article

pytestmark = pytest.mark.django_db


def found(query: str, language: str = "ar", **filters: Any) -> list[int]:
    with translation.override(language):
        terms = query_terms(query, language)
        return list(search_articles(terms=terms, language=language, **filters))


@pytest.fixture
def seed() -> Article:
    return make_seed_article()


@pytest.fixture
def other() -> Article:
    return make_article(title="مهرجان الموسيقى في فاس", body="<p>حفلات في المدينة القديمة.</p>")


def test_a_query_with_arabic_yeh_finds_the_seed_written_with_persian_yeh(
    seed: Article, other: Article
) -> None:
    assert "عملیة" in seed.body_ar  # the seed really has the Persian letter
    assert found("عملية") == [seed.pk]


def test_with_and_without_hamza_find_the_same_articles(seed: Article, other: Article) -> None:
    assert found("الامريكية") == found("الأمريكية") == [seed.pk]


def test_waw_glued_to_the_article_finds_articles_about_morocco(other: Article) -> None:
    morocco = make_article(title="المغرب يستقبل وفدا", body="<p>زيارة رسمية.</p>")
    assert found("والمغرب") == [morocco.pk]
    assert found("فالمغرب") == [morocco.pk]


def test_alef_maqsura_and_yeh_spellings_meet(other: Article) -> None:
    hospital = make_article(title="افتتاح مستشفي جديد", body="<p>خدمات صحية.</p>")
    assert found("مستشفى") == [hospital.pk]


def test_persian_digits_find_western_digits(other: Article) -> None:
    budget = make_article(title="ميزانية 2024 أمام البرلمان", body="<p>نقاش طويل.</p>")
    assert found("۲۰۲۴") == [budget.pk]
    assert found("٢٠٢٤") == [budget.pk]


def test_a_query_with_tashkeel_matches_plain_text(seed: Article, other: Article) -> None:
    assert found("المَغْرِب") == [seed.pk]
    assert found("الأَمْرِيكِيَّة") == [seed.pk]


def test_tatweel_and_invisible_characters_in_the_query_do_not_matter(seed: Article) -> None:
    assert found("المغـــرب") == [seed.pk]
    assert found("الم\u200fغرب\u200d") == [seed.pk]


def test_every_query_word_must_match(seed: Article, other: Article) -> None:
    assert found("المغرب فاس") == []
    assert found("بوريطة مراكش") == [seed.pk]


@pytest.mark.parametrize(
    "status",
    [Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.ARCHIVED],
)
def test_unpublished_articles_are_never_found(status: str) -> None:
    make_article(title="تقرير سري عن الميناء", status=status)
    assert found("الميناء") == []


def test_a_scheduled_article_is_not_found_before_its_time() -> None:
    make_article(title="خبر مجدول عن الميناء", publish_at=timezone.now() + timedelta(days=1))
    assert found("الميناء") == []


def test_a_title_match_ranks_above_a_body_match() -> None:
    in_body = make_article(title="أخبار اليوم", body="<p>زار الوفد الميناء صباحا.</p>")
    in_title = make_article(
        title="توسعة الميناء",
        body="<p>أشغال كبرى.</p>",
        publish_at=timezone.now() - timedelta(days=3),
    )
    assert found("الميناء") == [in_title.pk, in_body.pk]


def test_html_of_the_body_is_not_searchable() -> None:
    make_article(title="خبر", body='<p><a href="https://example.com/strong">رابط</a></p>')
    assert found("strong") == []
    assert found("example") == []


def test_french_articles_are_found_in_french_with_french_stemming() -> None:
    article = make_article(
        title="نتائج الانتخابات",
        title_fr="Résultats des élections législatives",
        slug_fr="resultats",
        body_fr="<p>Les électeurs ont voté dimanche.</p>",
    )
    make_article(title="خبر عربي فقط")
    assert found("élection", "fr") == [article.pk]
    assert found("électeur", "fr") == [article.pk]
    # The Arabic index does not hold the French text.
    assert found("élection", "ar") == []


def test_english_articles_are_found_in_english_with_english_stemming() -> None:
    article = make_article(
        title="الحكومة تطلق برنامجا",
        title_en="Government launches programmes",
        slug_en="government",
        body_en="<p>The ministers announced new housing programmes.</p>",
    )
    assert found("programme", "en") == [article.pk]
    assert found("housing", "en") == [article.pk]
    assert found("programme", "fr") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming needs PostgreSQL")
def test_postgresql_stems_inflected_english_and_french_forms() -> None:
    article = make_article(
        title="خبر",
        title_en="Elections",
        title_fr="Élire",
        body_en="<p>Voters were electing mayors.</p>",
        body_fr="<p>Les citoyens ont élu leurs maires.</p>",
    )
    assert found("elected", "en") == [article.pk]
    assert found("maire", "fr") == [article.pk]


def test_category_and_date_filters_narrow_the_results() -> None:
    sport = make_category(name="رياضة")
    now = timezone.now()
    recent = make_article(title="المنتخب يفوز", category=sport, publish_at=now - timedelta(days=1))
    old = make_article(title="المنتخب يتعادل", publish_at=now - timedelta(days=40))
    assert set(found("المنتخب")) == {recent.pk, old.pk}
    assert found("المنتخب", category=sport) == [recent.pk]
    assert found("المنتخب", date_from=(now - timedelta(days=10)).date()) == [recent.pk]
    assert found("المنتخب", date_to=(now - timedelta(days=30)).date()) == [old.pk]
