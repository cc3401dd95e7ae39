"""In a real browser: the cached article page reports its view through the beacon."""

from __future__ import annotations

import urllib.request

import pytest

from mostread.models import ArticleViewCount
from mostread.services import flush_counts

from .factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Safari/537.36"
)


def is_beacon(response) -> bool:
    return response.url.endswith("/mostread/hit/")


def test_a_reader_on_a_cached_page_is_counted_once(browser, live_server):
    article = make_article(title="خبر يقرأ من الذاكرة")
    url = live_server.url + article.get_absolute_url()
    urllib.request.urlopen(url, timeout=10).read()  # noqa: S310 - another reader fills the cache
    context = browser.new_context(locale="ar", user_agent=READER)
    page = context.new_page()
    with page.expect_response(is_beacon) as beacon:
        response = page.goto(url)
    assert response.headers["x-page-cache"] == "hit"
    assert beacon.value.status == 204
    assert beacon.value.request.method == "POST"
    assert context.cookies() == []
    context.close()
    flush_counts()
    assert ArticleViewCount.objects.get(article=article, language="ar").views == 1


def test_a_headless_browser_is_not_counted(page, live_server):
    article = make_article(title="خبر يزوره روبوت")
    with page.expect_response(is_beacon) as beacon:
        page.goto(live_server.url + article.get_absolute_url())
    assert beacon.value.status == 204
    flush_counts()
    assert not ArticleViewCount.objects.exists()
