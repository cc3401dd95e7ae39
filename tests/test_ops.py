"""Health checks for the load balancer, and the headers that tell which server answered."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command

from newsroom import ops
from newsroom.ops import JsonFormatter, RequestIdFilter, ServedBy
from newsroom.pagecache_local import LocalPageCache

from .factories import make_article, make_category
from .helpers import wsgi_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(settings: Any) -> ServedBy:
    settings.SERVER_ID = "app-1"
    return ServedBy(LocalPageCache(WSGIHandler()))


def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"]


def test_readyz_checks_database_cache_and_storage(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "storage": "ok"}


def test_readyz_is_503_naming_the_part_that_failed(client, monkeypatch):
    def broken() -> None:
        raise ConnectionError("redis down")

    monkeypatch.setattr(ops, "_check_cache", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "failed: ConnectionError"
    assert response.json()["ready"] is False


def test_every_response_names_the_server_and_carries_a_request_id(app):
    status, headers, _ = wsgi_get(app, "/healthz")
    assert headers["X-Served-By"] == "app-1"
    assert len(headers["X-Request-ID"]) == 32


def test_the_proxys_request_id_is_kept_and_a_hostile_one_replaced(app):
    _, headers, _ = wsgi_get(app, "/healthz", headers={"X_REQUEST_ID": "nginx-4f2a.9"})
    assert headers["X-Request-ID"] == "nginx-4f2a.9"
    _, headers, _ = wsgi_get(app, "/healthz", headers={"X_REQUEST_ID": "a\r\nSet-Cookie: x=1"})
    assert headers["X-Request-ID"] != "a\r\nSet-Cookie: x=1" and "Set-Cookie" not in headers


def test_a_cached_copy_names_the_server_that_sends_it(app, settings):
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_LOCAL_SECONDS = 60
    make_article(title="خبر", category=make_category(name="سياسة"))
    wsgi_get(app, "/")
    settings.SERVER_ID = "app-2"
    _, headers, _ = wsgi_get(app, "/")
    assert headers["X-Page-Cache"] == "hit" and headers["X-Served-By"] == "app-2"


def test_logs_carry_the_request_id_as_json():
    record = logging.LogRecord("newsroom", logging.WARNING, __file__, 1, "سلام %s", ("x",), None)
    token = ops.REQUEST_ID.set("req-42")
    try:
        RequestIdFilter().filter(record)
    finally:
        ops.REQUEST_ID.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-42" and line["message"] == "سلام x"
    assert line["level"] == "WARNING"


def test_the_web_servers_error_page_is_the_sites_own(tmp_path, settings):
    target = tmp_path / "errors" / "50x.html"
    call_command("render_error_page", str(target), stdout=io.StringIO())
    page = target.read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    assert settings.SITE_NAME in page
    assert 'class="error-page"' in page
    assert "/static/css/site" in page  # styled even when no app server answers


def test_a_loaded_worker_keeps_its_start_up_heap_out_of_full_collections() -> None:
    """A full collection in the middle of a request walked every start-up object (~25 ms)."""
    import gc

    import newsroom.wsgi

    assert callable(newsroom.wsgi.application)
    assert gc.get_freeze_count() > 10_000
