"""CDN purges through the task queue: the publish returns before any CDN call, the worker
delivers the tags, and a CDN that is down gets them once it is back.

The readers' side does not wait: the site's own cache shows the publish on the next request.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from articles.services import article_publish

from .conftest import free_port
from .factories import make_article, make_user

pytestmark = pytest.mark.django_db(transaction=True)


class FakeCloudflare:
    """Cloudflare's purge API on 127.0.0.1: records each call's tags; `status` is its answer."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.status = 200
        self.port = free_port()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                api.calls.append(json.loads(body)["tags"])
                data = json.dumps({"success": api.status == 200, "errors": []}).encode()
                self.send_response(api.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def tags(self) -> set[str]:
        return {tag for call in self.calls for tag in call}


@pytest.fixture
def cloudflare(settings: Any) -> Iterator[FakeCloudflare]:
    """The production set-up: jobs in the database, Cloudflare purged by tag."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    api = FakeCloudflare()
    settings.CLOUDFLARE_API_URL = f"http://127.0.0.1:{api.port}/client/v4"
    settings.CLOUDFLARE_ZONE_ID = "zone-1"
    settings.CLOUDFLARE_API_TOKEN = "cf-token"  # noqa: S105
    settings.CDN_PURGE_RETRIES = 0
    settings.PAGE_CACHE_PURGERS = [
        "newsroom.pagecache.AppCachePurger",
        "newsroom.cdn.CloudflarePurger",
    ]
    yield api
    api.server.shutdown()
    api.server.server_close()


def run_worker() -> None:
    """One pass of `manage.py db_worker` over every job that is due."""
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def make_retries_due() -> None:
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now() - timedelta(1))


def test_a_publish_queues_the_cdn_purge_and_the_worker_delivers_it(cloudflare):
    client = Client()
    draft = make_article(title="خبر عاجل من الرباط", status=Article.Status.DRAFT)
    home = client.get("/")
    assert "خبر عاجل من الرباط" not in home.content.decode()

    article_publish(article=draft, user=make_user(username="editor", role="Editors"))

    assert cloudflare.calls == []  # the publish did not wait on the CDN
    assert DBTaskResult.objects.filter(status="READY").count() >= 1
    assert "خبر عاجل من الرباط" in client.get("/").content.decode()  # own cache: at once
    run_worker()
    assert {f"a{draft.pk}", "home"} <= cloudflare.tags()
    assert DBTaskResult.objects.filter(status="READY").count() == 0


def test_a_cdn_that_is_down_gets_the_purge_once_it_is_back(cloudflare):
    draft = make_article(status=Article.Status.DRAFT)
    cloudflare.status = 503
    article_publish(article=draft, user=make_user(username="editor", role="Editors"))
    run_worker()
    assert cloudflare.calls  # tried, refused
    retries = DBTaskResult.objects.filter(status="READY")
    assert retries.exists()
    assert all(job.run_after > timezone.now() for job in retries)  # booked for later
    calls_so_far = len(cloudflare.calls)
    run_worker()
    assert len(cloudflare.calls) == calls_so_far  # a retry never runs early
    cloudflare.status = 200
    cloudflare.calls.clear()
    make_retries_due()
    run_worker()
    assert f"a{draft.pk}" in cloudflare.tags()
    assert DBTaskResult.objects.filter(status="READY").count() == 0


def test_without_a_deferring_queue_the_cdn_is_purged_in_the_request(cloudflare, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    draft = make_article(status=Article.Status.DRAFT)
    article_publish(article=draft, user=make_user(username="editor", role="Editors"))
    assert f"a{draft.pk}" in cloudflare.tags()
    assert not DBTaskResult.objects.exists()
