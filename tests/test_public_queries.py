"""Speed: every public page runs a fixed number of SQL queries, however many articles it shows."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import translation

from .factories import make_article, make_author, make_category, make_tag

pytestmark = pytest.mark.django_db

BUDGET = 10  # measured: home 7, lists 4-5, article 8 (comments included), feeds 2-3, sitemaps 1
# The home page once its fragments are cached (menu, lead, breaking strip, count, cards,
# section blocks, footer). Measured: none at all; six is the promise, with room for a new
# block that is not cached yet.
HOME_BUDGET = 6


@pytest.fixture(autouse=True)
def _views_not_the_page_cache(settings):
    """These budgets are the views' own (a cached page runs none: tests/test_pagecache.py)."""
    settings.PAGE_CACHE = False


@pytest.fixture(autouse=True)
def _arabic_outside_requests():
    with translation.override("ar"):
        yield


def fill(count: int, *, sections: int = 3):
    """`count` articles over a few sections, each with two authors and two tags."""
    categories = [make_category() for _ in range(sections)]
    authors = [make_author(), make_author()]
    tags = [make_tag(), make_tag()]
    articles = [
        make_article(
            category=categories[n % sections],
            authors=authors,
            tags=tags,
            is_breaking=n % 5 == 0,
            is_featured=n == 1,
        )
        for n in range(count)
    ]
    return categories, authors, tags, articles


def urls_for(categories, authors, tags, articles) -> list[str]:
    return [
        "/",
        "/fr/",
        categories[0].get_absolute_url(),
        tags[0].get_absolute_url(),
        authors[0].get_absolute_url(),
        "/archive/",
        f"/archive/{articles[0].publish_at.year}/",
        f"/archive/{articles[0].publish_at.year}/{articles[0].publish_at.month}/",
        articles[len(articles) // 2].get_absolute_url(),
        "/feeds/rss/",
        "/feeds/atom/",
        f"{categories[0].get_absolute_url()}rss/",
        "/sitemap-articles.xml",
        "/news-sitemap.xml",
    ]


@pytest.mark.parametrize("count", [3, 30])
def test_public_pages_stay_within_the_query_budget(client, django_assert_max_num_queries, count):
    data = fill(count)
    for url in urls_for(*data):
        with django_assert_max_num_queries(BUDGET):
            response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("url", ["/", "/fr/", "/en/", "/?page=2"])
def test_the_home_page_runs_at_most_six_queries(client, django_assert_max_num_queries, url):
    categories, _authors, _tags, articles = fill(45, sections=6)
    for article in articles[::2]:
        article.title_fr, article.slug_fr = "Article", f"article-{article.pk}"
        article.title_en, article.slug_en = "Story", f"story-{article.pk}"
        article.save()
    client.get(url)  # builds the cached fragments
    with django_assert_max_num_queries(HOME_BUDGET):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="card"') >= 10


def test_query_count_does_not_grow_with_the_number_of_articles(client, django_assert_num_queries):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = fill(3)
    counts_small = []
    for url in urls_for(*small):
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        counts_small.append(len(ctx.captured_queries))
    big = fill(30, sections=6)
    cache.clear()  # both rounds start with the same (empty) cache of footer links
    counts_big = []
    for url in urls_for(*big):
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        counts_big.append(len(ctx.captured_queries))
    assert counts_big == counts_small


@pytest.mark.parametrize("pictures", [1, 6])
def test_body_pictures_add_one_query_to_the_article_page_however_many(client, pictures):
    """The only allowed rise: one lookup of the library rows a body's pictures point at."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from library.services import image_add

    from .factories import image_bytes

    _categories, _authors, _tags, articles = fill(3)
    plain = articles[1]
    cache.clear()  # the footer's cached links would otherwise be read in one run only
    with CaptureQueriesContext(connection) as without:
        client.get(plain.get_absolute_url())
    figures = ""
    for n in range(pictures):
        image = image_add(data=image_bytes(size=(400 + n, 300)), alt="صورة", caption="تعليق")
        figures += (
            f'<figure><img src="/media/{image.file.name}" alt="صورة" data-media-id="{image.pk}">'
            "<figcaption>تعليق</figcaption></figure>"
        )
    plain.body_ar = f"<p>نص.</p>{figures}"
    plain.save()
    cache.clear()
    with CaptureQueriesContext(connection) as with_pictures:
        response = client.get(plain.get_absolute_url())
    assert response.content.decode().count("<picture>") == pictures
    assert len(with_pictures.captured_queries) == len(without.captured_queries) + 1
    assert len(with_pictures.captured_queries) <= BUDGET


def test_footer_links_to_static_pages_add_no_query_per_page(client):
    """The footer's page links are cached: one query the first time, none afterwards."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import make_page

    for n in range(5):
        make_page(title=f"صفحة {n}")
    data = fill(3)
    for home in ("/", "/fr/", "/en/"):
        client.get(home)  # one query per language, then cached
    for url in urls_for(*data):
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        assert not any("pages_page" in q["sql"] for q in ctx.captured_queries), url


def test_a_warm_article_page_runs_no_query(client, django_assert_max_num_queries):
    _categories, _authors, _tags, articles = fill(12)
    url = articles[5].get_absolute_url()
    client.get(url)  # builds the article's cached parts
    with django_assert_max_num_queries(0):
        response = client.get(url)
    assert response.status_code == 200
    assert articles[5].title in response.content.decode()


@pytest.fixture
def cards_built(monkeypatch) -> list[int]:
    """Counts the list querysets built (`for_cards()`), run or not."""
    from articles.models import ArticleQuerySet

    built: list[int] = []
    original = ArticleQuerySet.for_cards

    def spy(self):
        built.append(1)
        return original(self)

    monkeypatch.setattr(ArticleQuerySet, "for_cards", spy)
    return built


@pytest.mark.parametrize("which", ["home", "home-2", "section", "section-2", "tag"])
def test_a_warm_list_builds_no_queryset_for_its_cards(client, cards_built, which):
    """With its cards and count cached, a list page builds the cards' queryset not at all:
    building one (publishing rule, translations, comment counts) costs more than the page."""
    categories, _authors, tags, _articles = fill(45, sections=1)
    url = {
        "home": "/",
        "home-2": "/?page=2",
        "section": categories[0].get_absolute_url(),
        "section-2": f"{categories[0].get_absolute_url()}?page=2",
        "tag": tags[0].get_absolute_url(),
    }[which]
    cold = client.get(url)
    assert cards_built  # the first request builds the list and caches it
    cards_built.clear()
    warm = client.get(url)
    assert cards_built == []
    assert warm.status_code == 200
    assert warm.content == cold.content
    assert warm.content.decode().count('class="card"') >= 10


def test_a_warm_home_page_runs_no_query(client, django_assert_num_queries):
    fill(30)
    client.get("/")
    with django_assert_num_queries(0):
        response = client.get("/")
    assert response.content.decode().count('class="card"') >= 10


@pytest.mark.parametrize("path", ["/", "section"])
def test_warm_lists_still_answer_404_past_the_last_page(client, path):
    """The count comes from the cache, the page number is still checked against it."""
    categories, *_rest = fill(25, sections=1)
    url = categories[0].get_absolute_url() if path == "section" else "/"
    assert client.get(url).status_code == 200
    assert client.get(url, {"page": "2"}).status_code == 200
    assert client.get(url, {"page": "3"}).status_code == 404
    assert client.get(url, {"page": "0"}).status_code == 404
    assert client.get(url, {"page": "abc"}).content == client.get(url).content


def test_an_empty_archive_month_is_404_with_its_count_cached(client):
    _categories, _authors, _tags, articles = fill(3)
    month = articles[0].publish_at
    empty = f"/archive/{month.year - 1}/{month.month}/"
    full = f"/archive/{month.year}/{month.month}/"
    for _ in range(2):
        assert client.get(full).status_code == 200
        assert client.get(empty).status_code == 404
