"""Most read: real views counted from a beacon (cached pages too), written in batches, listed."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from mostread import services
from mostread.models import ArticleViewCount
from mostread.ranking import build_block, most_read, refresh_blocks

from .factories import make_article

pytestmark = pytest.mark.django_db

HIT_URL = "/mostread/hit/"
BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120 Safari/537.36"
)


def beacon(client: Any, article: Any, language: str = "ar", **headers: Any) -> Any:
    """What static/js/mostread.js sends: a same-origin form-encoded POST."""
    data = {"article": str(article.pk if hasattr(article, "pk") else article), "lang": language}
    headers = {
        "HTTP_USER_AGENT": BROWSER,
        "HTTP_ORIGIN": "http://testserver",
        "HTTP_SEC_FETCH_SITE": "same-origin",
        **headers,
    }
    return client.post(HIT_URL, data, **headers)


def views_of(article: Article, language: str = "ar") -> int:
    return sum(
        ArticleViewCount.objects.filter(article=article, language=language).values_list(
            "views", flat=True
        )
    )


def translated(title: str, **kwargs: Any) -> Article:
    return make_article(
        title=title,
        title_fr=f"{title} (fr)",
        slug_fr=f"fr-{Article.objects.count()}",
        body_fr="<p>Texte.</p>",
        **kwargs,
    )


def add_views(article: Article, language: str, views: int, hours_ago: int) -> None:
    hour = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(hours=hours_ago)
    ArticleViewCount.objects.create(article=article, language=language, hour=hour, views=views)


def block_titles(html: str, label: str) -> list[str]:
    """Titles listed under one of the block's headings ("24 ساعة" or "7 أيام")."""
    start = html.index(f'<h3 class="most-read__label">{label}</h3>')
    chunk = html[start : html.index("</ol>", start)]
    return re.findall(r'<a href="[^"]+">([^<]+)</a>', chunk)


@pytest.fixture
def article(django_capture_on_commit_callbacks: Any) -> Article:
    """A published article, saved and committed (its public languages are then recorded)."""
    with django_capture_on_commit_callbacks(execute=True):
        return make_article(title="خبر يقرأه الجميع")


# --- the beacon --------------------------------------------------------------------------------


def test_a_view_of_a_page_served_from_the_page_cache_is_counted(client, settings, article):
    settings.PAGE_CACHE = True
    url = article.get_absolute_url()
    client.get(url)
    cached = client.get(url)
    assert cached["X-Page-Cache"] == "hit"
    html = cached.content.decode()
    assert 'src="/static/js/mostread.js"' in html
    assert f'data-article="{article.pk}"' in html and 'data-lang="ar"' in html
    response = beacon(client, article)
    assert response.status_code == 204
    services.flush_counts()
    assert views_of(article) == 1


def test_the_beacon_sets_no_cookie_and_is_never_cached(client, settings, article):
    settings.PAGE_CACHE = True
    response = beacon(client, article)
    assert response.status_code == 204
    assert response.cookies == {}
    assert "Set-Cookie" not in response
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert client.get(HIT_URL).status_code == 405


def test_the_beacon_leaves_the_readers_session_alone(client, article, editor):
    client.force_login(editor)
    session_key = client.session.session_key
    response = beacon(client, article)
    assert response.status_code == 204
    assert "Set-Cookie" not in response
    assert client.session.session_key == session_key


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
        "python-requests/2.32",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120 Safari/537.36",
    ],
)
def test_crawlers_are_not_counted(client, article, agent):
    response = beacon(client, article, HTTP_USER_AGENT=agent)
    assert response.status_code == 204
    services.flush_counts()
    assert views_of(article) == 0


@pytest.mark.parametrize("header", ["HTTP_PURPOSE", "HTTP_SEC_PURPOSE"])
def test_prefetches_are_not_counted(client, article, header):
    beacon(client, article, **{header: "prefetch"})
    services.flush_counts()
    assert views_of(article) == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
    ],
)
def test_posts_from_other_sites_are_refused(client, article, headers):
    response = beacon(client, article, **headers)
    assert response.status_code == 403
    services.flush_counts()
    assert views_of(article) == 0


def test_clients_that_send_no_origin_headers_are_counted(client, article):
    response = client.post(HIT_URL, {"article": article.pk, "lang": "ar"}, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 204
    services.flush_counts()
    assert views_of(article) == 1


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({}, 400),
        ({"lang": "ar"}, 400),
        ({"article": "abc", "lang": "ar"}, 400),
        ({"article": "١٢", "lang": "ar"}, 400),
        ({"article": "-1", "lang": "ar"}, 400),
        ({"article": "{pk}", "lang": "de"}, 400),
        ({"article": "{pk}"}, 400),
        ({"article": "999999", "lang": "ar"}, 404),
        ({"article": "{pk}", "lang": "fr"}, 404),  # no French translation
        ({"article": "{draft}", "lang": "ar"}, 404),
        ({"article": "{scheduled}", "lang": "ar"}, 404),
    ],
)
def test_bad_input_is_refused_and_counts_nothing(client, article, data, status):
    draft = make_article(status=Article.Status.DRAFT)
    scheduled = make_article(publish_at=timezone.now() + timedelta(hours=2))
    ids = {"pk": article.pk, "draft": draft.pk, "scheduled": scheduled.pk}
    data = {key: value.format(**ids) for key, value in data.items()}
    response = client.post(HIT_URL, data, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == status
    assert response.cookies == {}
    services.flush_counts()
    assert ArticleViewCount.objects.count() == 0


def test_an_oversized_body_is_refused(client, article):
    response = client.post(
        HIT_URL,
        f"article={article.pk}&lang=ar&padding={'x' * 500}",
        content_type="application/x-www-form-urlencoded",
        HTTP_USER_AGENT=BROWSER,
    )
    assert response.status_code == 400
    services.flush_counts()
    assert ArticleViewCount.objects.count() == 0


# --- counting and flushing ---------------------------------------------------------------------


def test_views_cost_no_query_until_the_flush_writes_them_in_a_few(
    client, article, django_assert_num_queries, django_assert_max_num_queries
):
    other = make_article()
    client.get(article.get_absolute_url())  # its save told the counter the article is public
    services.public_languages(other.pk)
    with django_assert_num_queries(0):
        for _ in range(25):
            assert beacon(client, article).status_code == 204
        for _ in range(5):
            assert beacon(client, other).status_code == 204
    assert ArticleViewCount.objects.count() == 0
    # Writing: articles, rows, upsert, prune (and the transaction); then the lists, two
    # queries per language.
    with django_assert_max_num_queries(5 + 2 * 3):
        assert services.flush_counts() == 2
    assert views_of(article) == 25
    assert views_of(other) == 5


def test_a_batch_of_many_articles_is_flushed_in_the_same_number_of_queries(
    django_assert_max_num_queries,
):
    articles = [make_article() for _ in range(30)]
    for item in articles:
        services.count_view(item.pk, "ar")
    with django_assert_max_num_queries(5 + 2 * 3):
        assert services.flush_counts() == 30
    assert ArticleViewCount.objects.count() == 30


def test_flushing_twice_does_not_count_twice(article):
    for _ in range(3):
        services.count_view(article.pk, "ar")
    assert services.flush_counts() == 1
    assert services.flush_counts() == 0
    assert views_of(article) == 3
    services.count_view(article.pk, "ar")
    services.flush_counts()
    assert views_of(article) == 4
    assert ArticleViewCount.objects.filter(article=article).count() == 1


def test_a_flush_waits_its_turn_when_another_holds_the_lock(article, django_assert_num_queries):
    services.count_view(article.pk, "ar")
    cache.add(services.LOCK_KEY, "another server", services.LOCK_TTL)
    with django_assert_num_queries(0):
        assert services.flush_counts() is None
    assert views_of(article) == 0
    cache.delete(services.LOCK_KEY)
    assert services.flush_counts() == 1
    assert views_of(article) == 1


def test_views_counted_during_a_flush_wait_for_the_next(article, monkeypatch):
    services.count_view(article.pk, "ar")
    real_write = services.write_counts

    def write_while_a_reader_arrives(taken: Any, *, now: float) -> int:
        services.count_view(article.pk, "ar")
        return real_write(taken, now=now)

    monkeypatch.setattr(services, "write_counts", write_while_a_reader_arrives)
    services.flush_counts()
    assert views_of(article) == 1
    monkeypatch.setattr(services, "write_counts", real_write)
    services.flush_counts()
    assert views_of(article) == 2


def test_a_failed_write_keeps_the_views_for_the_next_flush(article, monkeypatch):
    services.count_view(article.pk, "ar")

    def broken(taken: Any, *, now: float) -> int:
        raise RuntimeError("database away")

    monkeypatch.setattr(services, "write_counts", broken)
    with pytest.raises(RuntimeError):
        services.flush_counts()
    monkeypatch.undo()
    assert services.flush_counts() == 1
    assert views_of(article) == 1


def test_views_go_to_their_hour_and_old_hours_are_forgotten_once_written(article):
    now = time.time()
    services.count_view(article.pk, "ar", now=now - 3 * 3600)
    services.count_view(article.pk, "ar", now=now)
    services.count_view(article.pk, "fr", now=now)
    assert services.flush_counts(now=now) == 3
    hours = sorted(ArticleViewCount.objects.values_list("hour", flat=True))
    assert hours[0] == services.hour_of(services.bucket_of(now - 3 * 3600))
    assert cache.get(services._slots_key(services.bucket_of(now - 3 * 3600))) is None
    assert cache.get(services._slots_key(services.bucket_of(now))) == 2


def test_rows_older_than_eight_days_are_pruned_on_flush(article):
    add_views(article, "ar", 50, hours_ago=9 * 24)
    add_views(article, "ar", 5, hours_ago=2)
    services.count_view(article.pk, "ar")
    services.flush_counts()
    assert views_of(article) == 6


def test_a_deleted_article_does_not_break_the_flush(article):
    gone = make_article()
    services.count_view(gone.pk, "ar")
    services.count_view(article.pk, "ar")
    gone.delete()
    assert services.flush_counts() == 1
    assert views_of(article) == 1


def test_readers_views_start_a_flush_at_most_once_a_minute(client, article):
    beacon(client, article)  # the first view starts the clock
    assert ArticleViewCount.objects.count() == 0
    beacon(client, article)
    assert ArticleViewCount.objects.count() == 0
    cache.set(services.DUE_KEY, time.time() - 1)  # a minute later
    beacon(client, article)
    assert views_of(article) == 3
    beacon(client, article)
    assert views_of(article) == 3  # the next flush is a minute away again


def test_the_command_flushes(article, capsys):
    services.count_view(article.pk, "ar")
    call_command("flush_most_read")
    assert "1 rows written" in capsys.readouterr().out
    assert views_of(article) == 1


# --- the block ---------------------------------------------------------------------------------


def test_the_block_ranks_the_last_24_hours_and_the_last_7_days_apart(client):
    yesterday_hit = make_article(title="حدث قديم")
    today_hit = make_article(title="حدث اليوم")
    add_views(yesterday_hit, "ar", 500, hours_ago=30)
    add_views(yesterday_hit, "ar", 5, hours_ago=1)
    add_views(today_hit, "ar", 40, hours_ago=0)
    refresh_blocks()
    html = client.get("/").content.decode()
    assert "الأكثر قراءة" in html
    assert block_titles(html, "24 ساعة") == ["حدث اليوم", "حدث قديم"]
    assert block_titles(html, "7 أيام") == ["حدث قديم", "حدث اليوم"]


def test_views_older_than_seven_days_leave_the_block(client):
    old = make_article(title="خبر الأسبوع الماضي")
    add_views(old, "ar", 900, hours_ago=7 * 24 + 1)
    refresh_blocks()
    assert "most-read" not in client.get("/").content.decode()


def test_the_block_shows_five_articles_at_most(client):
    for n in range(7):
        add_views(make_article(title=f"خبر {n}"), "ar", 10 + n, hours_ago=1)
    refresh_blocks()
    html = client.get("/").content.decode()
    assert block_titles(html, "24 ساعة") == [f"خبر {n}" for n in (6, 5, 4, 3, 2)]


def test_a_french_page_lists_only_articles_read_in_french_that_have_a_french_text(client):
    both = translated("خبر مترجم")
    arabic_only = make_article(title="خبر بالعربية فقط")
    add_views(both, "fr", 10, hours_ago=1)
    add_views(arabic_only, "fr", 99, hours_ago=1)  # counted before its translation was removed
    add_views(arabic_only, "ar", 50, hours_ago=1)
    refresh_blocks()
    html = client.get("/fr/").content.decode()
    assert "Les plus lus" in html
    assert block_titles(html, "24 heures") == ["خبر مترجم (fr)"]
    assert f'<a href="/fr/news/{both.pk}/' in html[html.index("most-read") :]
    assert "بالعربية فقط" not in html
    arabic = client.get("/").content.decode()
    assert block_titles(arabic, "24 ساعة") == ["خبر بالعربية فقط"]


def test_an_article_unpublished_leaves_the_block_of_every_cached_page_at_once(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE = True
    pulled = make_article(title="خبر سحب")
    kept = make_article(title="خبر باق")
    bystander = make_article(title="خبر لا علاقة له")  # its page is no neighbour of the pulled
    add_views(pulled, "ar", 100, hours_ago=1)
    add_views(kept, "ar", 1, hours_ago=1)
    refresh_blocks()
    urls = ("/", kept.get_absolute_url(), bystander.get_absolute_url())
    for url in urls:
        html = client.get(url).content.decode()
        assert block_titles(html, "24 ساعة") == ["خبر سحب", "خبر باق"]
        assert client.get(url)["X-Page-Cache"] == "hit"
    pulled.status = Article.Status.ARCHIVED
    with django_capture_on_commit_callbacks(execute=True):
        pulled.save()
    for url in urls:
        assert block_titles(client.get(url).content.decode(), "24 ساعة") == ["خبر باق"], url


def test_the_block_is_titled_in_each_language(client):
    item = make_article(
        title="خبر", title_fr="Nouvelle", slug_fr="nouvelle", title_en="News", slug_en="news"
    )
    for language in ("ar", "fr", "en"):
        add_views(item, language, 3, hours_ago=1)
    refresh_blocks()
    pages = {
        "/": ("الأكثر قراءة", "24 ساعة", "7 أيام"),
        "/fr/": ("Les plus lus", "24 heures", "7 jours"),
        "/en/": ("Most read", "24 hours", "7 days"),
    }
    for url, words in pages.items():
        html = client.get(url).content.decode()
        for word in words:
            assert word in html, (url, word)


def test_no_block_until_something_has_been_counted(client, article):
    refresh_blocks()
    assert "most-read" not in client.get("/").content.decode()
    assert "most-read" not in client.get(article.get_absolute_url()).content.decode()


def test_the_first_flush_builds_the_block(client, settings, article):
    settings.PAGE_CACHE = False  # cached pages follow within PAGE_CACHE_SECONDS
    services.count_view(article.pk, "ar")
    assert "most-read" not in client.get("/").content.decode()
    services.flush_counts()
    assert block_titles(client.get("/").content.decode(), "24 ساعة") == [article.title]


def test_an_edited_title_shows_in_the_block_after_the_save(
    client, article, django_capture_on_commit_callbacks
):
    add_views(article, "ar", 3, hours_ago=1)
    refresh_blocks()
    article.title_ar = "عنوان مصحح"
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    assert block_titles(client.get("/").content.decode(), "24 ساعة") == ["عنوان مصحح"]


def test_the_article_page_shows_the_block_and_a_preview_sends_no_beacon(client, article, editor):
    add_views(article, "ar", 3, hours_ago=1)
    refresh_blocks()
    html = client.get(article.get_absolute_url()).content.decode()
    assert block_titles(html, "24 ساعة") == [article.title]
    client.force_login(editor)
    preview = client.get(f"/preview/{article.pk}/").content.decode()
    assert "mostread.js" not in preview


def test_the_lists_are_built_in_two_queries_per_language(django_assert_num_queries):
    first, second = make_article(), make_article()
    add_views(first, "ar", 3, hours_ago=1)
    add_views(second, "ar", 30, hours_ago=50)
    with django_assert_num_queries(2):
        block = build_block("ar")
    assert [entry["title"] for entry in block["day"]] == [first.title]
    assert [entry["title"] for entry in block["week"]] == [second.title, first.title]
    with django_assert_num_queries(1):  # nothing counted in French: no articles to load
        assert build_block("fr") == {"day": [], "week": []}


def test_pages_read_the_block_without_a_query(client, settings, django_assert_num_queries):
    settings.PAGE_CACHE = False
    item = make_article()
    add_views(item, "ar", 3, hours_ago=1)
    refresh_blocks()
    with django_assert_num_queries(0):
        assert most_read("ar")["day"][0]["title"] == item.title
    for url in ("/", "/fr/", item.get_absolute_url()):
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        assert not any("mostread_" in q["sql"] for q in ctx.captured_queries), url


def test_a_warm_page_neither_reads_nor_renders_the_lists_again(client, settings, monkeypatch):
    """The rendered lists are a cached fragment: pages read them in no round trip of their own."""
    from mostread.templatetags import mostread as tags

    settings.PAGE_CACHE = False
    item = make_article()
    add_views(item, "ar", 3, hours_ago=1)
    refresh_blocks()
    first = client.get("/").content.decode()
    read: list[str] = []
    monkeypatch.setattr(tags, "ranked", lambda language: read.append(language) or {})
    again = client.get("/").content.decode()
    assert read == []
    assert block_titles(again, "24 ساعة") == block_titles(first, "24 ساعة") == [item.title]


def test_each_rebuild_of_the_lists_shows_at_once_on_uncached_pages(client, settings):
    settings.PAGE_CACHE = False
    first, second = make_article(title="الأول"), make_article(title="الثاني")
    add_views(first, "ar", 5, hours_ago=1)
    add_views(second, "ar", 3, hours_ago=1)
    refresh_blocks()
    for url in ("/", second.get_absolute_url()):
        assert block_titles(client.get(url).content.decode(), "24 ساعة") == ["الأول", "الثاني"]
    add_views(second, "ar", 10, hours_ago=0)
    refresh_blocks()
    for url in ("/", second.get_absolute_url()):
        assert block_titles(client.get(url).content.decode(), "24 ساعة") == ["الثاني", "الأول"]


def test_a_save_tells_the_beacon_at_once_whether_the_article_may_be_counted(
    client, article, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert beacon(client, article).status_code == 204
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.DRAFT
        article.save()
    with django_assert_num_queries(0):
        assert beacon(client, article).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=article.pk).delete()
    with django_assert_num_queries(0):
        assert beacon(client, article).status_code == 404
