"""The search page as readers see it, in Arabic, French and English, whatever they type."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article
from search.query import PAGE_SIZE

from .factories import make_article, make_category, make_seed_article

pytestmark = pytest.mark.django_db


def search_url(language: str = "ar") -> str:
    with translation.override(language):
        return reverse("search:search")


def get(client: Any, language: str = "ar", **params: Any) -> Any:
    response = client.get(search_url(language), params)
    assert response.status_code == 200
    return response


def test_the_search_url_round_trips_in_every_language() -> None:
    assert search_url("ar") == "/search/"
    assert search_url("fr") == "/fr/search/"
    assert search_url("en") == "/en/search/"


def test_the_seed_is_found_with_the_match_highlighted_in_its_own_spelling(client: Any) -> None:
    seed = make_seed_article()
    response = get(client, q="عملية")
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert html.count('<article class="card search-result">') == 1
    assert f'href="{seed.get_absolute_url()}"' in html
    marked = re.findall(r"<mark>([^<]*)</mark>", html)
    assert marked
    # The reader sees the article's own words, not the folded index text (عمليه).
    assert all(word in seed.body_ar for word in marked)
    assert "عمليه" not in html


def test_the_query_stays_in_the_search_boxes(client: Any) -> None:
    make_seed_article()
    response = get(client, q="الأمريكية")
    assert 'name="q" value="الأمريكية"' in response.content.decode()


def test_no_results_says_so_with_the_query(client: Any) -> None:
    make_seed_article()
    response = get(client, q="زلزال")
    html = response.content.decode()
    assert "<bdi>زلزال</bdi>" in html
    assert "search-result" not in html


def test_an_empty_query_asks_for_words(client: Any) -> None:
    for params in ({}, {"q": ""}, {"q": "   "}):
        response = get(client, **params)
        assert 'class="search-message"' in response.content.decode()
        assert "search-result" not in response.content.decode()


def test_a_query_over_200_characters_is_refused_with_a_clear_message(client: Any) -> None:
    make_seed_article()
    response = get(client, q="م" * 201)
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "200" in html
    assert "search-result" not in html


def test_a_query_of_exactly_200_characters_is_searched(client: Any) -> None:
    response = get(client, q=("المغرب " * 40)[:200])
    assert 'role="alert"' not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "؟!،.",  # only punctuation
        "...---",
        "في من على إلى",  # only stop words
        "%",
        "_",
        "%_%",
        "\\",
        "'",
        "' OR 1=1 --",
        "'; DROP TABLE articles_article; --",
        "a & b | !c <-> d:*",  # tsquery syntax
        "\u200f\u200e\u202e\u2066",  # only bidi controls
        "\u200b\u200c\u200d",  # only zero-width characters
        "\ufffd",
        "ﷺ",
    ],
)
def test_odd_queries_never_fail(client: Any, query: str) -> None:
    make_seed_article()
    response = get(client, q=query)
    assert "search-result" not in response.content.decode()


def test_a_nul_byte_in_the_query_is_refused_politely(client: Any) -> None:
    make_seed_article()
    response = get(client, q="المغرب\x00")
    assert 'role="alert"' in response.content.decode()


def test_html_in_the_query_is_escaped_everywhere(client: Any) -> None:
    make_seed_article()
    response = get(client, q='<script>alert("x")</script>')
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_article_text_that_looks_like_html_is_escaped_in_the_snippet(client: Any) -> None:
    make_article(
        title="درس في الأمن الرقمي",
        body="<p>مثال الهجوم &lt;script&gt;alert(1)&lt;/script&gt; في المتصفح.</p>",
    )
    response = get(client, q="الهجوم")
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<mark>الهجوم</mark>" in html


def test_a_repeated_q_parameter_uses_one_value(client: Any) -> None:
    seed = make_seed_article()
    response = client.get(search_url(), {"q": ["زلزال", "بوريطة"]})
    assert f'href="{seed.get_absolute_url()}"' in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "المغرب", "page": "abc"},
        {"q": "المغرب", "date_from": "not-a-date"},
        {"q": "المغرب", "date_from": "2024-02-30"},
        {"q": "المغرب", "date_to": "99999-01-01"},
        {"q": "المغرب", "category": "لا-يوجد"},
        {"q": "المغرب", "category": "' OR 1=1"},
    ],
)
def test_malformed_parameters_never_fail(client: Any, params: dict[str, str]) -> None:
    make_seed_article()
    get(client, **params)


def test_a_start_date_after_the_end_date_is_explained(client: Any) -> None:
    response = get(client, q="المغرب", date_from="2024-05-01", date_to="2024-01-01")
    assert 'role="alert"' in response.content.decode()


def test_unpublished_articles_never_appear_on_the_page(client: Any) -> None:
    make_article(title="مسودة عن الميناء", status=Article.Status.DRAFT)
    make_article(title="مجدول عن الميناء", publish_at=timezone.now() + timedelta(hours=1))
    response = get(client, q="الميناء")
    assert "search-result" not in response.content.decode()


def test_french_readers_search_french_articles_and_see_french_titles(client: Any) -> None:
    article = make_article(
        title="الانتخابات",
        title_fr="Les élections communales",
        slug_fr="elections",
        body_fr="<p>Les bureaux de vote ont fermé.</p>",
    )
    make_article(title="مقال بالعربية فقط")
    response = get(client, "fr", q="élections")
    html = response.content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    assert "Les élections communales" in html
    assert html.count('class="card search-result"') == 1
    with translation.override("fr"):
        assert article.get_absolute_url() in html


def test_english_readers_search_english_articles(client: Any) -> None:
    make_article(
        title="الحكومة",
        title_en="Government unveils housing plan",
        slug_en="housing",
        body_en="<p>The plan covers new homes.</p>",
    )
    response = get(client, "en", q="housing")
    assert "Government unveils housing plan" in response.content.decode()


def test_results_are_paginated_and_the_links_keep_the_query(client: Any) -> None:
    category = make_category()
    for n in range(PAGE_SIZE + 3):
        make_article(title=f"أخبار الميناء {n}", category=category)
    first = get(client, q="الميناء").content.decode()
    assert first.count('class="card search-result"') == PAGE_SIZE
    assert 'rel="next"' in first
    assert "q=%D8%A7%D9%84%D9%85%D9%8A%D9%86%D8%A7%D8%A1" in first
    second = get(client, q="الميناء", page="2").content.decode()
    assert second.count('class="card search-result"') == 3


def test_the_page_runs_a_fixed_number_of_queries(
    client: Any, django_assert_max_num_queries: Any
) -> None:
    category = make_category()
    for n in range(PAGE_SIZE + 5):
        make_article(title=f"أخبار الميناء {n}", category=category, summary_ar="ملخص الخبر")
    get(client, q="ملخص")  # the header's sections and the footer are cached fragments
    # The results (one statement), their articles, and their extracts (PostgreSQL).
    with django_assert_max_num_queries(3):
        response = get(client, q="الميناء", category=category.slug)
    assert response.content.decode().count('class="card search-result"') == PAGE_SIZE


def test_the_category_filter_is_offered_and_applied(client: Any) -> None:
    sport = make_category(name="رياضة")
    make_article(title="المنتخب يفوز", category=sport)
    make_article(title="المنتخب في البرلمان")
    response = get(client, q="المنتخب", category=sport.slug)
    html = response.content.decode()
    assert html.count('class="card search-result"') == 1
    assert "المنتخب يفوز" in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm needs PostgreSQL")
def test_a_misspelt_title_word_falls_back_to_similar_titles(client: Any) -> None:
    make_article(title="الاستراتيجية الوطنية للماء", body="<p>نص.</p>")
    response = get(client, q="الاستراتيجيا")
    html = response.content.decode()
    assert "الاستراتيجية الوطنية للماء" in html
    assert html.count('class="card search-result"') == 1


@pytest.mark.parametrize(
    ("language", "heading", "empty"),
    [
        ("ar", "البحث في الأرشيف", "اكتب كلمة أو أكثر للبحث في الأرشيف."),
        ("fr", "Rechercher dans les archives", "Saisissez un ou plusieurs mots"),
        ("en", "Search the archive", "Type one or more words to search the archive."),
    ],
)
def test_the_page_speaks_the_readers_language(
    client: Any, language: str, heading: str, empty: str
) -> None:
    html = get(client, language).content.decode()
    assert heading in html
    assert empty in html


def test_the_result_count_uses_arabic_plural_forms(client: Any) -> None:
    for n in range(3):
        make_article(title=f"أخبار الميناء {n}")
    assert "3 مقالات" in get(client, q="الميناء").content.decode()


def test_a_very_broad_search_says_more_than_the_limit(client: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr("search.query.MAX_RESULTS", 3)
    monkeypatch.setattr("search.query.MAX_RANKED", 4)
    for n in range(5):
        make_article(title=f"أخبار الميناء {n}")
    html = get(client, q="الميناء").content.decode()
    assert "أكثر من 3 مقال" in html
    assert html.count('class="card search-result"') == 3


def test_a_french_snippet_never_shows_the_arabic_text(client: Any) -> None:
    make_article(
        title="الميناء",
        summary_ar="ملخص عربي",
        body="<p>نص عربي طويل</p>",
        title_fr="Le port de Tanger",
        slug_fr="port",
    )
    html = get(client, "fr", q="Tanger").content.decode()
    assert "Le port de Tanger" in html
    assert "نص عربي" not in html and "ملخص عربي" not in html


def test_a_page_number_past_the_last_page_is_a_404_and_nonsense_reads_as_page_1(
    client: Any,
) -> None:
    make_seed_article()
    assert client.get(search_url(), {"q": "المغرب", "page": "abc"}).status_code == 200
    assert client.get(search_url(), {"q": "المغرب", "page": "999"}).status_code == 404
    assert client.get(search_url(), {"q": "المغرب", "page": "99999"}).status_code == 404
    assert client.get(search_url(), {"q": "المغرب", "page": "0"}).status_code == 404
    assert client.get(search_url(), {"q": "المغرب", "page": "-1"}).status_code == 404


def test_the_filters_keep_what_the_reader_chose(client: Any) -> None:
    sport = make_category(name="رياضة")
    make_article(title="المنتخب يفوز", category=sport)
    html = get(client, q="المنتخب", category=sport.slug, date_from="2024-01-01").content.decode()
    assert f'<option value="{sport.slug}" selected>رياضة</option>' in html
    assert 'name="date_from" id="search-date_from" value="2024-01-01"' in html
    assert '<label for="search-category">' in html
    assert "aria-invalid" not in html


def test_a_wrong_filter_is_marked_and_keeps_the_readers_text(client: Any) -> None:
    make_article(title="المنتخب يفوز")
    html = get(client, q="المنتخب", category="nope", date_to="<b>2024").content.decode()
    assert 'id="search-category" aria-invalid="true"' in html
    assert 'value="&lt;b&gt;2024" aria-invalid="true"' in html
    assert "<b>2024" not in html
    assert " selected>" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"category": "", "date_from": "", "date_to": ""},
        {"category": "x" * 5000, "date_from": "2" * 5000},
        {"category": "' OR 1=1 --", "date_to": "2024-01-01'; DROP TABLE x;--"},
        {"category": "\u200bسياسة\u202e", "date_from": "\u202e2024-01-01"},
        {"category": '"><script>alert(1)</script>', "date_from": '"><img src=x>'},
    ],
)
def test_the_filter_controls_echo_any_value_safely(client: Any, params: dict[str, str]) -> None:
    make_article(title="المنتخب يفوز")
    html = get(client, q="المنتخب", **params).content.decode()
    assert "<script>alert(1)" not in html and "<img src=x>" not in html
    assert html.count('<select name="category"') == 1


def test_a_repeated_filter_uses_one_value(client: Any) -> None:
    sport = make_category(name="رياضة")
    make_article(title="المنتخب يفوز", category=sport)
    response = client.get(
        search_url(), [("q", "المنتخب"), ("category", "x"), ("category", sport.slug)]
    )
    assert f'<option value="{sport.slug}" selected>' in response.content.decode()
