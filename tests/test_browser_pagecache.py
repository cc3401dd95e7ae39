"""In a real browser: the cached article page's comment form, with and without JavaScript."""

from __future__ import annotations

import urllib.request

import pytest

from comments.forms import CommentForm
from comments.models import Comment

from .factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_script_fetches_the_tokens_only_when_the_reader_starts_writing(
    page, live_server, monkeypatch
):
    monkeypatch.setattr(CommentForm, "min_seconds", 0)
    article = make_article(title="خبر مخزن")
    url = live_server.url + article.get_absolute_url()
    urllib.request.urlopen(url, timeout=10).read()  # noqa: S310 - another reader fills the cache
    token_requests: list[str] = []
    page.on("request", lambda r: token_requests.append(r.url) if "/token/" in r.url else None)
    response = page.goto(url)
    assert response.headers["x-page-cache"] == "hit"
    assert token_requests == []  # reading costs the site nothing beyond the cached page
    page.fill("#id_name", "سمير")
    page.fill("#id_email", "samir@example.ma")
    page.fill("#id_body", "تعليق من صفحة مخزنة")
    page.click("#comment-form button[type=submit]")
    page.wait_for_load_state()
    assert len(token_requests) == 1
    assert page.url.endswith("#comments")
    assert "تعليقك في انتظار المراجعة" in page.locator("#comments [role=status]").inner_text()
    assert Comment.objects.get().body == "تعليق من صفحة مخزنة"


def test_without_javascript_the_reader_confirms_on_the_comment_page(browser, live_server):
    article = make_article(title="خبر بلا سكربت")
    context = browser.new_context(java_script_enabled=False, locale="ar")
    page = context.new_page()
    page.goto(live_server.url + article.get_absolute_url())
    page.fill("#id_name", "فاطمة")
    page.fill("#id_email", "fatima@example.ma")
    page.fill("#id_body", "تعليق بلا جافاسكريبت")
    page.click("#comment-form button[type=submit]")
    page.wait_for_load_state()
    assert Comment.objects.count() == 0
    assert page.locator("#id_body").input_value() == "تعليق بلا جافاسكريبت"
    page.wait_for_timeout(3100)  # a person reads the page before sending again
    page.click("#comment-form button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("#comments")
    assert "تعليقك في انتظار المراجعة" in page.locator("#comments [role=status]").inner_text()
    assert Comment.objects.get().name == "فاطمة"
    context.close()
