"""Cloudflare and Fastly purges, against local servers playing their APIs.

What an editor notices: a publish is never held up or broken by a CDN, and the site's own
cache shows the change at once. What an operator notices: the CDN gets exactly the tags,
in calls its API accepts; a purge that failed is sent later, once.
"""

from __future__ import annotations

import importlib
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import Client

from articles.models import Article
from articles.services import article_publish
from newsroom import pagecache
from newsroom.cdn import PendingPurges

from .cdn_fakes import CLOUDFLARE_OK, CLOUDFLARE_REFUSED, FakeAPI, FakeCloudflare, FakeFastly
from .factories import make_article, make_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def cloudflare(settings: Any) -> Iterator[FakeCloudflare]:
    api = FakeCloudflare(default=(200, CLOUDFLARE_OK))
    api.start()
    settings.CLOUDFLARE_API_URL = f"{api.url}/client/v4"
    settings.CLOUDFLARE_ZONE_ID = "zone-1"
    settings.CLOUDFLARE_API_TOKEN = "cf-token"  # noqa: S105
    yield api
    api.released.set()
    api.stop()


@pytest.fixture
def fastly(settings: Any) -> Iterator[FakeFastly]:
    api = FakeFastly(default=(200, {"a1": "108-1391560174-974124"}))
    api.start()
    settings.FASTLY_API_URL = api.url
    settings.FASTLY_SERVICE_ID = "svc-1"
    settings.FASTLY_API_TOKEN = "fastly-token"  # noqa: S105
    settings.FASTLY_SOFT_PURGE = False
    yield api
    api.released.set()
    api.stop()


@pytest.fixture
def cdns(settings: Any, cloudflare: FakeCloudflare, fastly: FakeFastly) -> dict[str, FakeAPI]:
    settings.PAGE_CACHE_PURGERS = [
        "newsroom.pagecache.AppCachePurger",
        "newsroom.cdn.CloudflarePurger",
        "newsroom.cdn.FastlyPurger",
    ]
    settings.CDN_PURGE_TIMEOUT = 2
    settings.CDN_PURGE_RETRIES = 2
    settings.CDN_PURGE_BUDGET = 4
    return {"cloudflare": cloudflare, "fastly": fastly}


def pending(target: str) -> set[str]:
    return PendingPurges(target).tags()


def test_cloudflare_gets_the_tags_with_the_token(cdns, cloudflare):
    pagecache.purge(["home", "a12"])
    [call] = cloudflare.calls
    assert call.method == "POST"
    assert call.path == "/client/v4/zones/zone-1/purge_cache"
    assert call.headers["Authorization"] == "Bearer cf-token"
    assert call.headers["Content-Type"] == "application/json"
    assert call.json() == {"tags": ["a12", "home"]}
    assert pending("cloudflare:zone-1") == set()


def test_fastly_gets_the_keys_with_the_token(cdns, fastly):
    pagecache.purge(["home", "a12"])
    [call] = fastly.calls
    assert call.method == "POST"
    assert call.path == "/service/svc-1/purge"
    assert call.headers["Fastly-Key"] == "fastly-token"
    assert call.headers["Surrogate-Key"] == "a12 home"
    assert "Fastly-Soft-Purge" not in call.headers
    assert pending("fastly:svc-1") == set()


def test_fastly_soft_purges_when_asked(cdns, fastly, settings):
    settings.FASTLY_SOFT_PURGE = True
    pagecache.purge(["home"])
    assert fastly.calls[0].headers["Fastly-Soft-Purge"] == "1"


def test_many_tags_go_in_calls_each_api_accepts(cdns, cloudflare, fastly):
    tags = [f"a{n}" for n in range(600)]
    pagecache.purge(tags)
    assert [len(cloudflare.tags_of(call)) for call in cloudflare.calls] == [100] * 6
    assert [len(fastly.tags_of(call)) for call in fastly.calls] == [256, 256, 88]
    for api in (cloudflare, fastly):
        assert api.tags() == Counter(tags)  # every tag, once


def test_a_server_error_is_retried(cdns, cloudflare, fastly):
    cloudflare.replies = [(503, {"success": False, "errors": []})]
    fastly.replies = [(500, {"msg": "internal error"})]
    pagecache.purge(["home"])
    for api in (cloudflare, fastly):
        assert len(api.calls) == 2
        assert api.tags() == Counter({"home": 2})
    assert pending("cloudflare:zone-1") == pending("fastly:svc-1") == set()


def test_cloudflare_refusing_with_success_false_is_retried(cdns, cloudflare):
    cloudflare.replies = [(200, CLOUDFLARE_REFUSED)]
    pagecache.purge(["home"])
    assert len(cloudflare.calls) == 2
    assert pending("cloudflare:zone-1") == set()


def test_an_outage_never_blocks_publishing_and_retry_purges_delivers_once_back(
    cdns, cloudflare, fastly, editor, client
):
    section = make_category(name="اقتصاد")
    make_article(title="خبر الصباح", category=section)
    for url in ("/", section.get_absolute_url()):
        client.get(url)
        assert Client().get(url)["X-Page-Cache"] == "hit"
    cloudflare.stop()
    fastly.stop()

    draft = make_article(title="عاجل: قرار جديد", category=section, status=Article.Status.DRAFT)
    assert article_publish(article=draft, user=editor)

    assert Article.objects.published().filter(pk=draft.pk).exists()
    for url in ("/", section.get_absolute_url()):  # the site's own cache is purged all the same
        response = Client().get(url)
        assert response["X-Page-Cache"] == "miss"
        assert "عاجل: قرار جديد" in response.content.decode()
    kept = pending("cloudflare:zone-1")
    assert {"home", f"a{draft.pk}", f"s{section.pk}"} <= kept
    assert pending("fastly:svc-1") == kept

    cloudflare.calls.clear()
    fastly.calls.clear()
    cloudflare.start()
    fastly.start()
    call_command("retry_purges")
    for api in (cloudflare, fastly):
        assert api.tags() == Counter(kept)  # every pending tag, exactly once
    assert pending("cloudflare:zone-1") == pending("fastly:svc-1") == set()
    calls = len(cloudflare.calls) + len(fastly.calls)
    call_command("retry_purges")
    assert len(cloudflare.calls) + len(fastly.calls) == calls  # nothing left to send


def test_pending_tags_go_with_the_next_purge(cdns, cloudflare):
    cloudflare.stop()
    pagecache.purge(["a1"])
    assert pending("cloudflare:zone-1") == {"a1"}
    cloudflare.start()
    pagecache.purge(["a2"])
    [call] = cloudflare.calls
    assert call.json() == {"tags": ["a1", "a2"]}
    assert pending("cloudflare:zone-1") == set()


def test_retry_purges_reports_what_is_still_pending(cdns, cloudflare):
    cloudflare.stop()
    pagecache.purge(["a1"])
    with pytest.raises(CommandError, match="1 tags still pending"):
        call_command("retry_purges")
    assert pending("cloudflare:zone-1") == {"a1"}


def test_a_hanging_cdn_holds_a_publish_no_longer_than_the_budget(
    cdns, cloudflare, fastly, editor, settings
):
    settings.CDN_PURGE_TIMEOUT = 1
    settings.CDN_PURGE_BUDGET = 2
    make_article(title="قديم")
    Client().get("/")
    draft = make_article(title="عاجل", status=Article.Status.DRAFT)
    cloudflare.delay = fastly.delay = 30

    started = time.monotonic()
    assert article_publish(article=draft, user=editor)
    elapsed = time.monotonic() - started

    assert 1 <= elapsed < 3  # one timed-out call at least, both CDNs within 2 s in all
    assert cloudflare.calls  # tried, timed out
    assert "عاجل" in Client().get("/").content.decode()
    assert f"a{draft.pk}" in pending("cloudflare:zone-1")
    assert f"a{draft.pk}" in pending("fastly:svc-1")


# --- configuration -------------------------------------------------------------------------


@pytest.fixture
def reload_settings(monkeypatch: Any) -> Iterator[Any]:
    """Load the settings module again under the environment a test sets."""
    from newsroom import settings as module

    for name in ("CLOUDFLARE_ZONE_ID", "CLOUDFLARE_API_TOKEN", "FASTLY_SERVICE_ID"):
        monkeypatch.delenv(name, raising=False)
    for name in ("FASTLY_API_TOKEN", "VARNISH_PURGE_URLS", "PAGE_CACHE_PURGERS"):
        monkeypatch.delenv(name, raising=False)
    try:
        yield lambda: importlib.reload(module)
    finally:
        monkeypatch.undo()
        importlib.reload(module)


def test_a_cdn_is_purged_once_its_credentials_are_set(reload_settings, monkeypatch):
    assert reload_settings().PAGE_CACHE_PURGERS == ["newsroom.pagecache.AppCachePurger"]
    monkeypatch.setenv("CLOUDFLARE_ZONE_ID", "zone-1")
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "cf-token")
    monkeypatch.setenv("FASTLY_SERVICE_ID", "svc-1")
    monkeypatch.setenv("FASTLY_API_TOKEN", "fastly-token")
    monkeypatch.setenv("VARNISH_PURGE_URLS", "http://127.0.0.1:6081/")
    monkeypatch.setenv("PAGE_CACHE_PURGERS", "newsroom.cdn.VarnishPurger")  # as listed before
    assert reload_settings().PAGE_CACHE_PURGERS == [
        "newsroom.pagecache.AppCachePurger",
        "newsroom.cdn.VarnishPurger",
        "newsroom.cdn.CloudflarePurger",
        "newsroom.cdn.FastlyPurger",
    ]


def test_half_configured_cdn_credentials_stop_the_start(reload_settings, monkeypatch):
    monkeypatch.setenv("CLOUDFLARE_ZONE_ID", "zone-1")
    with pytest.raises(ImproperlyConfigured, match="CLOUDFLARE_API_TOKEN"):
        reload_settings()
