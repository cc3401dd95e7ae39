"""The comment form on a cached article page: every defence holds, no reader sees another's
message."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from comments.forms import CommentForm
from comments.models import Comment
from newsroom.antispam import TOO_FAST_ERROR

from .factories import comment_form_data, make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings):
    settings.COMMENTS_RATE_LIMITS = [(100, 15)]


@pytest.fixture
def article():
    return make_article(title="خبر للتعليق")


def cached_page(article: Any) -> str:
    """The article page as the second anonymous reader gets it: from the page cache."""
    Client().get(article.get_absolute_url())
    response = Client().get(article.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    return response.content.decode()


def reader_post(reader: Client, article: Any, html: str, **fields: Any) -> Any:
    """What the page's script does: fetch the tokens it names, then send the form."""
    token_url = re.search(r'data-token-url="([^"]+)"', html).group(1)
    tokens = reader.get(token_url).json()
    data = comment_form_data(rendered=tokens["rendered"], **fields)
    data["csrfmiddlewaretoken"] = tokens["csrf"]
    return reader.post(f"/comments/post/{article.pk}/", data, REMOTE_ADDR="203.0.113.5")


def test_the_form_on_a_cached_page_still_works(article, monkeypatch):
    monkeypatch.setattr(CommentForm, "min_seconds", 0)  # the reader "took" their time
    html = cached_page(article)
    assert 'name="rendered" id="id_rendered">' in html  # no shared render time
    reader = Client(enforce_csrf_checks=True)
    response = reader_post(reader, article, html)
    assert response.status_code == 302
    assert Comment.objects.filter(article=article).count() == 1


def test_a_post_sent_at_once_with_fresh_tokens_is_still_too_fast(article):
    reader = Client(enforce_csrf_checks=True)
    response = reader_post(reader, article, cached_page(article))
    assert response.status_code == 200
    with translation.override("ar"):
        assert str(TOO_FAST_ERROR) in response.content.decode()
    assert Comment.objects.count() == 0


def test_a_forged_render_time_is_refused(article):
    reader = Client(enforce_csrf_checks=True)
    html = cached_page(article)
    token_url = re.search(r'data-token-url="([^"]+)"', html).group(1)
    tokens = reader.get(token_url).json()
    data = comment_form_data(rendered=tokens["rendered"][:-3] + "abc")
    data["csrfmiddlewaretoken"] = tokens["csrf"]
    response = reader.post(f"/comments/post/{article.pk}/", data)
    assert response.status_code == 200
    assert Comment.objects.count() == 0


def test_a_post_without_a_csrf_token_is_refused(article):
    reader = Client(enforce_csrf_checks=True)
    response = reader.post(f"/comments/post/{article.pk}/", comment_form_data())
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_a_repeated_post_is_stored_once(article, monkeypatch):
    monkeypatch.setattr(CommentForm, "min_seconds", 0)
    html = cached_page(article)
    reader = Client(enforce_csrf_checks=True)
    for _ in range(3):
        assert reader_post(reader, article, html, body="نقرة مزدوجة").status_code == 302
    assert Comment.objects.filter(article=article).count() == 1


def test_the_honeypot_still_catches_bots(article, monkeypatch):
    monkeypatch.setattr(CommentForm, "min_seconds", 0)
    reader = Client(enforce_csrf_checks=True)
    response = reader_post(reader, article, cached_page(article), website="http://spam.example")
    assert response.status_code == 200
    assert Comment.objects.count() == 0


def test_without_script_the_form_comes_back_on_its_own_page_with_the_text_kept(article):
    reader = Client(enforce_csrf_checks=True)
    cached_page(article)
    data = comment_form_data(rendered="", body="تعليق بلا جافاسكريبت")
    response = reader.post(f"/comments/post/{article.pk}/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "تعليق بلا جافاسكريبت" in html
    assert "no-store" in response["Cache-Control"]
    assert Comment.objects.count() == 0
    # The page's own form carries both tokens: sending it (after reading) stores the comment.
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    rendered = re.search(r'name="rendered" value="([^"]+)"', html).group(1)
    assert rendered
    resend = comment_form_data(body="تعليق بلا جافاسكريبت", csrfmiddlewaretoken=csrf)
    assert reader.post(f"/comments/post/{article.pk}/", resend).status_code == 302
    assert Comment.objects.get().body == "تعليق بلا جافاسكريبت"


def test_a_second_reader_never_sees_the_first_readers_message(article, monkeypatch):
    monkeypatch.setattr(CommentForm, "min_seconds", 0)
    html = cached_page(article)
    first = Client(enforce_csrf_checks=True)
    response = reader_post(first, article, html)
    assert response["Location"] == article.get_absolute_url() + "#comments"
    own = first.get(article.get_absolute_url())
    assert "تعليقك في انتظار المراجعة" in own.content.decode()
    assert "no-store" in own["Cache-Control"]
    assert "X-Page-Cache" not in own
    for _ in range(2):
        other = Client().get(article.get_absolute_url())
        assert "تعليقك في انتظار المراجعة" not in other.content.decode()
        assert not other.cookies
    # The message is shown once: the first reader's next visit is the shared page again.
    assert "تعليقك في انتظار المراجعة" not in first.get(article.get_absolute_url()).content.decode()


def test_the_token_endpoint_is_never_cached(client):
    first = client.get("/comments/token/")
    second = client.get("/comments/token/")
    assert first["Cache-Control"] == "private, no-store"
    assert "X-Page-Cache" not in second
    assert first.cookies["csrftoken"].value


def test_an_article_with_comments_closed_loads_no_script(client):
    closed = make_article(comments_enabled=False)
    html = client.get(closed.get_absolute_url()).content.decode()
    # The most-read beacon is the page's only script.
    assert re.findall(r"<script src=\"([^\"]+)\"", html) == ["/static/js/mostread.js"]
    assert "data-token-url" not in html
