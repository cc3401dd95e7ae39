"""Request helpers shared by test modules: admin actions, posting forms, reading a page's head.

Test modules import from here (and from factories.py), never from each other, so that moving
or deleting one test file never breaks another.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse

from articles.models import Article
from comments.models import Comment

from .factories import comment_form_data

ARTICLE_CHANGELIST = reverse("admin:articles_article_changelist")
COMMENT_CHANGELIST = "/admin/comments/comment/"
CONTACT_URL = "/contact/"


def article_change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def run_article_action(client: Any, action: str, *articles: Article) -> Any:
    """An admin bulk action on the article list, followed to the page it lands on."""
    return client.post(
        ARTICLE_CHANGELIST,
        {"action": action, "_selected_action": [a.pk for a in articles], "index": 0},
        follow=True,
    )


def run_comment_action(client: Any, action: str, comments: list[Comment]) -> Any:
    """An admin bulk action on the moderation queue, followed to the page it lands on."""
    return client.post(
        COMMENT_CHANGELIST,
        {"action": action, "_selected_action": [c.pk for c in comments]},
        follow=True,
    )


def post_comment(client: Any, article: Any, *, ip: str = "203.0.113.10", **overrides: Any) -> Any:
    return client.post(
        f"/comments/post/{article.pk}/",
        comment_form_data(**overrides),
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT="Mozilla/5.0 (test)",
    )


def head_of(client: Any, url: str) -> str:
    html = client.get(url).content.decode()
    return html[: html.index("</head>")]


def meta(head: str, attr: str, name: str) -> str:
    match = re.search(rf'<meta {attr}="{re.escape(name)}" content="([^"]*)"', head)
    assert match, f"no {name} in head"
    return match.group(1)


def admin_login(page: Any, live_server: Any, username: str) -> None:
    """Sign in through the admin's login form in the browser (password from make_user)."""
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def wsgi_get(
    app: Callable[..., Any],
    path: str,
    *,
    method: str = "GET",
    query: str = "",
    headers: dict[str, str] | None = None,
) -> tuple[str, dict[str, str], bytes]:
    """One request through a WSGI application as gunicorn would send it: status, headers, body.

    For the layers wrapped around Django in newsroom/wsgi.py, which the test client skips.
    `headers` are CGI names without the HTTP_ prefix (`{"COOKIE": "a=b"}`).
    """
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    environ.update({f"HTTP_{name}": value for name, value in (headers or {}).items()})
    answer: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[Any], exc_info: Any = None) -> None:
        answer["status"], answer["headers"] = status, dict(response_headers)

    # As Django's test client does: the test's database connection stays open across requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = app(environ, start_response)
        body = b"".join(result)
        getattr(result, "close", lambda: None)()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], body
