"""Nothing lost under load: 50 concurrent comments against gunicorn on PostgreSQL, all stored once.

Runs a real gunicorn server (2 workers x 8 threads) on a free 127.0.0.1 port, pointed at the
test database, behind one "trusted proxy" so each request can come from its own address
through X-Forwarded-For. PostgreSQL only: SQLite serialises writers, which proves nothing.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from comments.forms import CommentForm
from comments.models import Comment
from newsroom.antispam import signed_render_time

from . import servers
from .factories import make_article

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the load test needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parent.parent
CONCURRENT = 50


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@pytest.fixture
def gunicorn() -> Iterator[str]:
    env = {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    with servers.gunicorn(env=env, workers=2, threads=8) as base:
        yield base


def csrf_pair(base: str, path: str) -> tuple[str, str]:
    """The CSRF cookie and form token the article page's form fetches, reusable for every post."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + path, timeout=10).read().decode()
    token_url = re.search(r'data-token-url="([^"]+)"', html).group(1)
    token = json.loads(opener.open(base + token_url, timeout=10).read())["csrf"]
    cookie = next(c.value for c in jar if c.name == "csrftoken")
    return cookie, token


def post(base: str, article: Any, cookie: str, token: str, *, ip: str, **fields: str) -> int:
    data = {
        "csrfmiddlewaretoken": token,
        "name": "قارئ",
        "email": "reader@example.ma",
        "body": "تعليق",
        "website": "",
        "rendered": signed_render_time(CommentForm, timezone.now() - timedelta(minutes=1)),
        **fields,
    }
    request = urllib.request.Request(  # noqa: S310
        f"{base}/comments/post/{article.pk}/",
        data=urllib.parse.urlencode(data).encode(),
        headers={"Cookie": f"csrftoken={cookie}", "X-Forwarded-For": ip},
        method="POST",
    )
    try:
        return urllib.request.build_opener(_NoRedirect).open(request, timeout=20).status
    except urllib.error.HTTPError as response:
        return response.code


def test_fifty_concurrent_comments_from_fifty_addresses_are_all_stored_once(gunicorn):
    article = make_article()
    cookie, token = csrf_pair(gunicorn, article.get_absolute_url())

    def one(n: int) -> int:
        return post(
            gunicorn,
            article,
            cookie,
            token,
            ip=f"198.51.100.{n + 1}",
            email=f"reader{n}@example.ma",
            body=f"تعليق رقم {n}",
        )

    with ThreadPoolExecutor(max_workers=CONCURRENT) as pool:
        statuses = list(pool.map(one, range(CONCURRENT)))

    assert statuses == [302] * CONCURRENT
    stored = Comment.objects.filter(article=article)
    assert stored.count() == CONCURRENT
    assert stored.values("email").distinct().count() == CONCURRENT
    assert {c.ip_address for c in stored} == {f"198.51.100.{n + 1}" for n in range(CONCURRENT)}


def test_the_same_form_submitted_ten_times_at_once_is_stored_once(gunicorn):
    article = make_article()
    cookie, token = csrf_pair(gunicorn, article.get_absolute_url())
    if timezone.now().second >= 57:  # keep the burst inside one minute of the dedupe key
        time.sleep(61 - timezone.now().second)

    def one(_n: int) -> int:
        return post(gunicorn, article, cookie, token, ip="198.51.100.200", body="نقرة مزدوجة")

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(one, range(10)))

    assert statuses == [302] * 10  # every click lands on the article, none on an error
    assert Comment.objects.filter(article=article).count() == 1
