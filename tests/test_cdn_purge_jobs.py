"""CDN purges through the task queue: the publish returns before any CDN call, the worker
delivers the tags, and a CDN that is down gets them once it is back.

The readers' side does not wait: the site's own cache shows the publish on the next request.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from articles.services import article_publish

from .cdn_fakes import CLOUDFLARE_OK, CLOUDFLARE_REFUSED, FakeCloudflare
from .factories import make_article, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cloudflare(settings: Any) -> Iterator[FakeCloudflare]:
    """The production set-up: jobs in the database, Cloudflare purged by tag."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    api = FakeCloudflare(default=(200, CLOUDFLARE_OK))
    api.start()
    settings.CLOUDFLARE_API_URL = f"{api.url}/client/v4"
    settings.CLOUDFLARE_ZONE_ID = "zone-1"
    settings.CLOUDFLARE_API_TOKEN = "cf-token"  # noqa: S105
    settings.CDN_PURGE_RETRIES = 0
    settings.PAGE_CACHE_PURGERS = [
        "newsroom.pagecache.AppCachePurger",
        "newsroom.cdn.CloudflarePurger",
    ]
    yield api
    api.stop()


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
    assert {f"a{draft.pk}", "home"} <= set(cloudflare.tags())
    assert DBTaskResult.objects.filter(status="READY").count() == 0


def test_a_cdn_that_is_down_gets_the_purge_once_it_is_back(cloudflare):
    draft = make_article(status=Article.Status.DRAFT)
    cloudflare.default = (503, CLOUDFLARE_REFUSED)
    article_publish(article=draft, user=make_user(username="editor", role="Editors"))
    run_worker()
    assert cloudflare.calls  # tried, refused
    retries = DBTaskResult.objects.filter(status="READY")
    assert retries.exists()
    assert all(job.run_after > timezone.now() for job in retries)  # booked for later
    calls_so_far = len(cloudflare.calls)
    run_worker()
    assert len(cloudflare.calls) == calls_so_far  # a retry never runs early
    cloudflare.default = (200, CLOUDFLARE_OK)
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
