"""Fragments that rarely change (the section menu, the home page's section blocks, the footer)
are built once and reused by every page render until the change they show is saved."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Category
from newsroom import pagecache
from newsroom.fragments import cached_fragment

from .factories import make_article, make_category, make_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uncached_pages(settings):
    """What is measured here is the render of a page, not the whole-page cache."""
    settings.PAGE_CACHE = False


def sql_of(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_a_second_render_reads_neither_the_sections_nor_the_footer_pages(client):
    make_article(category=make_category(name="اقتصاد"))
    make_page(title="من نحن")
    sql_of(client, "/")
    again = sql_of(client, "/")
    assert not any('FROM "articles_category"' in sql for sql in again)
    assert not any("pages_page" in sql for sql in again)


def test_a_section_rename_shows_in_the_menu_and_the_blocks_at_once(client):
    section = make_category(name="رياضة")
    make_article(category=section)
    assert "رياضة" in client.get("/").content.decode()
    section.name_ar = "الرياضة الوطنية"
    section.save()
    page = client.get("/").content.decode()
    assert "الرياضة الوطنية" in page
    assert "رياضة<" not in page


def test_a_new_section_appears_in_the_menu_of_every_page(client):
    article = make_article(category=make_category(name="رياضة"))
    client.get(article.get_absolute_url())
    make_category(name="ثقافة")
    assert "ثقافة" in client.get(article.get_absolute_url()).content.decode()


def test_a_publication_shows_in_its_section_block_at_once(client):
    section = make_category(name="رياضة")
    make_article(title="الخبر الأول", category=section)
    client.get("/")
    for n in range(5):  # pushes the first one out of the block of four, and off the lead
        make_article(title=f"خبر لاحق {n}", category=section)
    page = client.get("/").content.decode()
    assert "خبر لاحق 0" in page and "خبر لاحق 4" in page


def test_a_new_footer_page_shows_at_once(client):
    client.get("/")
    make_page(title="سياسة الخصوصية")
    assert "سياسة الخصوصية" in client.get("/").content.decode()


def test_the_menu_is_in_the_language_of_the_page(client):
    make_article(
        category=make_category(name="رياضة", name_fr="Sport"), title_fr="Match", slug_fr="match"
    )
    assert "رياضة" in client.get("/").content.decode()
    french = client.get("/fr/").content.decode()
    assert "Sport" in french


def test_a_fragment_is_rebuilt_after_a_purge_of_its_tag_only():
    built = []

    def build() -> int:
        built.append(1)
        return len(built)

    assert cached_fragment("x", ["home"], "ar", build) == 1
    assert cached_fragment("x", ["home"], "ar", build) == 1
    assert cached_fragment("x", ["home"], "fr", build) == 2  # each language its own
    pagecache.purge(["t1"])
    assert cached_fragment("x", ["home"], "ar", build) == 1
    pagecache.purge(["home"])
    assert cached_fragment("x", ["home"], "ar", build) == 3
    pagecache.purge(["site"])
    assert cached_fragment("x", ["home"], "ar", build) == 4


def test_a_broken_cache_still_renders_the_page(client, monkeypatch):
    make_article(category=make_category(name="رياضة"))

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr("newsroom.fragments.cache.get_many", broken)
    assert "رياضة" in client.get("/").content.decode()


def test_a_fragment_does_not_stop_the_page_cache_storing_the_page(client, settings):
    settings.PAGE_CACHE = True
    make_article(category=make_category(name="رياضة"))
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"
    assert Category.objects.exists()


def test_a_scheduled_article_appears_in_the_cached_lists_at_its_minute(client):
    import time
    from datetime import timedelta

    from django.utils import timezone

    section = make_category(name="رياضة")
    make_article(category=section)
    when = timezone.now() + timedelta(seconds=2)
    make_article(title="خبر مبرمج", category=section, publish_at=when)
    pages = ["/", section.get_absolute_url()]
    for url in pages:
        assert "خبر مبرمج" not in client.get(url).content.decode()
    time.sleep(max(0.0, (when - timezone.now()).total_seconds()) + 0.05)
    for url in pages:
        assert "خبر مبرمج" in client.get(url).content.decode(), url


def test_newer_and_older_links_come_from_one_query(client, django_assert_max_num_queries):
    from articles.views import adjacent_articles

    first, middle, last = (make_article() for _ in range(3))
    with django_assert_max_num_queries(1):
        assert adjacent_articles(middle) == (last, first)
    assert adjacent_articles(first) == (middle, None)
    assert adjacent_articles(last) == (None, middle)


def test_a_warm_section_page_reads_no_section_and_no_list(client, django_assert_num_queries):
    """The section is found in the cached sections, its cards and count in the list's cached
    fragment: a second request runs no query at all."""
    section = make_category(name="رياضة")
    for n in range(3):
        make_article(title=f"خبر {n}", category=section)
    first = client.get(section.get_absolute_url())
    with django_assert_num_queries(0):
        second = client.get(section.get_absolute_url())
    assert second.status_code == 200
    assert second.content == first.content


def test_a_section_closed_renamed_or_reopened_shows_at_once(client):
    section = make_category(name="رياضة", slug="riyada")
    make_article(category=section)
    assert client.get("/category/riyada/").status_code == 200
    section.slug_ar = "sport-ar"
    section.save()
    assert client.get("/category/riyada/").status_code == 404
    assert client.get("/category/sport-ar/").status_code == 200
    section.is_active = False
    section.save()
    assert client.get("/category/sport-ar/").status_code == 404
    section.is_active = True
    section.save()
    assert client.get("/category/sport-ar/").status_code == 200


def test_a_section_is_found_by_its_french_slug_then_its_arabic_one(client):
    section = make_category(name="رياضة", slug="riyada", name_fr="Sport", slug_fr="sport")
    other = make_category(name="ثقافة", slug="sport-fr-collision")
    make_article(category=section)
    client.get("/fr/")  # the sections are cached
    assert client.get("/fr/category/sport/").status_code == 200
    # An Arabic slug in a French URL is a link built where the French one was missing.
    assert client.get("/fr/category/riyada/").status_code == 301
    assert client.get("/category/sport/").status_code == 404
    assert client.get("/category/riyada/").status_code == 200
    assert client.get(f"/category/{other.slug}/").status_code == 200


def current_in_menu(client, url: str) -> list[str]:
    """The links of the section menu marked as the page being shown."""
    import re

    page = client.get(url).content.decode()
    menu = re.search(r'<nav class="sections".*?</nav>', page, re.S).group(0)
    return re.findall(r'<a href="([^"]+)"[^>]*aria-current="page"', menu)


def test_the_cached_menu_marks_the_page_being_shown(client):
    sport, culture = make_category(name="رياضة"), make_category(name="ثقافة")
    article = make_article(category=sport)
    make_article(category=culture)
    for _ in range(2):  # built, then read from the cache
        assert current_in_menu(client, "/") == ["/"]
        assert current_in_menu(client, sport.get_absolute_url()) == [sport.get_absolute_url()]
        assert current_in_menu(client, culture.get_absolute_url()) == [culture.get_absolute_url()]
        assert current_in_menu(client, article.get_absolute_url()) == []
        assert current_in_menu(client, "/archive/") == []
        assert current_in_menu(client, "/fr/") == ["/fr/"]


def test_a_warm_article_page_reads_the_cache_in_one_round_trip(client, monkeypatch):
    """The common tags, the article's own and those its page named before (section, tags,
    bylines, neighbours) in one read: every fragment of the page (metadata, text, related
    cards, most read) is then a local hit."""
    from django.core.cache import cache

    section = make_category(name="رياضة")
    older, article, newer = (make_article(category=section) for _ in range(3))
    url = article.get_absolute_url()
    first = client.get(url)
    trips: list[str] = []
    inside: list[bool] = []
    get, get_many = cache.get, cache.get_many

    def counted_get(*args, **kwargs):
        if not inside:  # the local-memory cache answers get_many with gets
            trips.append("get")
        return get(*args, **kwargs)

    def counted_get_many(*args, **kwargs):
        trips.append("get_many")
        inside.append(True)
        try:
            return get_many(*args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(cache, "get", counted_get)
    monkeypatch.setattr(cache, "get_many", counted_get_many)
    second = client.get(url)
    assert trips == ["get_many"]
    assert second.content == first.content
    assert newer.get_absolute_url() in second.content.decode()
    assert older.get_absolute_url() in second.content.decode()


def test_the_cached_top_of_the_home_page_follows_publications(client):
    """The breaking strip and the lead are one cached fragment per kind of page: with the lead
    (page 1) and without (the next pages); a publication shows on both at once."""
    for n in range(25):
        make_article(title=f"خبر {n}")
    for _ in range(2):  # built, then cached
        first, second = (client.get(url).content.decode() for url in ("/", "/?page=2"))
        assert 'class="lead"' in first and "خبر 24" in first
        assert 'class="lead"' not in second
        assert 'class="breaking"' not in first + second
    make_article(title="عاجل جديد", is_breaking=True)
    first, second = (client.get(url).content.decode() for url in ("/", "/?page=2"))
    for page in (first, second):
        strip = page[page.index('class="breaking"') : page.index("</section>")]
        assert "عاجل جديد" in strip
    lead = first[first.index('class="lead"') :]
    assert lead.index("عاجل جديد") < lead.index("</section>")
    assert 'class="lead"' not in second
