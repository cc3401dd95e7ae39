"""A real Varnish with xkey in front of the site: a publish purges the pages it changes there."""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from articles.models import Article
from articles.services import article_publish

from .conftest import free_port
from .factories import make_article, make_category, make_user

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("varnishd") is None, reason="varnish is not installed"),
]


@pytest.fixture
def varnish(live_server: Any, tmp_path: Path, settings: Any) -> Iterator[str]:
    """Varnish on a free 127.0.0.1 port with the project's VCL, in front of the live server."""
    backend_port = live_server.url.rsplit(":", 1)[1]
    vcl = (ROOT / "deploy" / "varnish" / "newsroom.vcl").read_text()
    config = tmp_path / "newsroom.vcl"
    config.write_text(vcl.replace('.port = "8000";', f'.port = "{backend_port}";'))
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [
            "varnishd", "-F", "-j", "none", "-n", str(tmp_path / "instance"),
            "-a", f"127.0.0.1:{port}", "-f", str(config), "-s", "malloc,32m",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/robots.txt", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("varnish did not start")
        settings.PAGE_CACHE_PURGERS = [
            "newsroom.pagecache.AppCachePurger",
            "newsroom.cdn.VarnishPurger",
        ]
        settings.VARNISH_PURGE_URLS = [base + "/"]
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def fetch(url: str) -> tuple[str, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        return response.read().decode(), dict(response.headers)


def test_a_publish_purges_the_affected_pages_at_varnish(varnish):
    editor = make_user(username="editor-varnish", is_staff=True)
    section = make_category(name="اقتصاد")
    make_article(title="خبر الصباح", category=section)
    other_section = make_category(name="ثقافة")
    # Older than the morning story: neither in the section nor next to the new article.
    unrelated = make_article(
        title="معرض الكتاب",
        category=other_section,
        publish_at=timezone.now() - timedelta(days=3),
    )
    section_url = varnish + section.get_absolute_url()
    pages = [varnish + "/", section_url]
    for url in [*pages, varnish + unrelated.get_absolute_url()]:
        fetch(url)
        html, headers = fetch(url)
        assert headers["X-Varnish-Cache"] == "hit", url
        assert "Surrogate-Key" not in headers  # the tags stay between the app and Varnish

    draft = make_article(title="عاجل: قرار جديد", category=section, status=Article.Status.DRAFT)
    article_publish(article=draft, user=editor)

    for url in pages:
        html, headers = fetch(url)
        assert headers["X-Varnish-Cache"] == "miss", url
        assert "عاجل: قرار جديد" in html
    assert fetch(varnish + unrelated.get_absolute_url())[1]["X-Varnish-Cache"] == "hit"


def test_an_unreachable_varnish_never_blocks_publishing(settings):
    settings.PAGE_CACHE_PURGERS = [
        "newsroom.pagecache.AppCachePurger",
        "newsroom.cdn.VarnishPurger",
    ]
    settings.VARNISH_PURGE_URLS = [f"http://127.0.0.1:{free_port()}/"]
    settings.VARNISH_PURGE_RETRIES = 1
    editor = make_user(username="editor-varnish2", is_staff=True)
    draft = make_article(title="خبر", status=Article.Status.DRAFT)
    assert article_publish(article=draft, user=editor)
    assert Article.objects.published().filter(pk=draft.pk).exists()
