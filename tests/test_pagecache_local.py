"""The one-second copy in each worker: the hottest pages are answered before Django runs."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.utils import timezone

from articles.models import Article
from articles.services import article_publish
from newsroom import pagecache_local
from newsroom.pagecache_local import LocalPageCache

from .factories import make_article, make_category
from .helpers import wsgi_get

pytestmark = pytest.mark.django_db


class CountingHandler(WSGIHandler):
    """Django's own WSGI handler, counting the requests that reached it."""

    calls = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        type(self).calls += 1
        return super().__call__(environ, start_response)


@pytest.fixture
def app(settings: Any) -> LocalPageCache:
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_LOCAL_SECONDS = 60
    pagecache_local.clear()
    CountingHandler.calls = 0
    yield LocalPageCache(CountingHandler())
    pagecache_local.clear()


def get(
    app: LocalPageCache, path: str, method: str = "GET", cookie: str = "", query: str = ""
) -> tuple[str, dict[str, str], bytes]:
    return wsgi_get(
        app, path, method=method, query=query, headers={"COOKIE": cookie} if cookie else {}
    )


@pytest.fixture
def section() -> Any:
    return make_category(name="سياسة")


def test_a_hot_page_is_answered_without_django_or_sql(app, section, django_assert_num_queries):
    make_article(title="الخبر الأول", category=section)
    first = get(app, "/")
    assert first[0] == "200 OK" and "الخبر الأول" in first[2].decode()
    with django_assert_num_queries(0):
        second = get(app, "/")
    assert CountingHandler.calls == 1
    assert second[2] == first[2]
    assert second[1]["X-Page-Cache"] == "hit"
    assert "Set-Cookie" not in second[1]
    assert second[1]["Cache-Control"].startswith("public")


def test_a_publish_shows_at_once_in_this_process(app, section, editor):
    get(app, "/")
    draft = make_article(title="عاجل: خبر جديد", category=section, status=Article.Status.DRAFT)
    article_publish(article=draft, user=editor)
    assert "خبر جديد" in get(app, "/")[2].decode()


def test_tracking_parameters_share_the_copy(app, section):
    make_article(title="خبر", category=section)
    get(app, "/")
    get(app, "/", query="utm_source=facebook&fbclid=abc")
    assert CountingHandler.calls == 1
    get(app, "/", query="page=1")
    assert CountingHandler.calls == 2


def test_staff_and_readers_with_a_message_always_reach_django(app, section):
    make_article(title="خبر", category=section)
    get(app, "/")
    status, headers, _ = get(app, "/", cookie="sessionid=abc")
    get(app, "/", cookie="messages=xyz")
    assert CountingHandler.calls == 3
    assert "no-store" in headers["Cache-Control"]


def test_other_cookies_do_not_split_the_copy(app, section):
    make_article(title="خبر", category=section)
    get(app, "/")
    get(app, "/", cookie="_ga=GA1.2.3; theme=dark")
    assert CountingHandler.calls == 1


def test_pages_the_page_cache_does_not_keep_are_never_copied(app, section):
    get(app, "/contact/")
    get(app, "/contact/")
    get(app, "/search/", query="q=%D8%AE%D8%A8%D8%B1")
    get(app, "/search/", query="q=%D8%AE%D8%A8%D8%B1")
    assert CountingHandler.calls == 4


def test_head_gets_headers_only(app, section):
    make_article(title="خبر", category=section)
    get(app, "/")
    status, headers, body = get(app, "/", method="HEAD")
    assert status == "200 OK" and body == b"" and CountingHandler.calls == 1


def test_the_copy_never_outlives_the_next_scheduled_article(app, section):
    make_article(title="خبر", category=section)
    soon = timezone.now() + timedelta(seconds=30)
    make_article(title="مجدول", category=section, publish_at=soon)
    get(app, "/")
    [(until, *_)] = pagecache_local._entries.values()
    assert until <= soon.timestamp() + 0.001
    assert until > time.time()


def test_off_when_the_setting_is_zero(app, section, settings):
    settings.PAGE_CACHE_LOCAL_SECONDS = 0
    make_article(title="خبر", category=section)
    get(app, "/")
    get(app, "/")
    assert CountingHandler.calls == 2


def test_off_with_the_page_cache(app, section, settings):
    settings.PAGE_CACHE = False
    make_article(title="خبر", category=section)
    get(app, "/")
    get(app, "/")
    assert CountingHandler.calls == 2


def test_memory_is_bounded(app, section, monkeypatch):
    monkeypatch.setattr(pagecache_local, "MAX_ENTRIES", 3)
    make_article(title="خبر", category=section)
    for page in range(1, 6):
        get(app, "/", query=f"page=1&x={page}")
    assert len(pagecache_local._entries) == 3
