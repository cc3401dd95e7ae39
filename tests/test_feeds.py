"""RSS and Atom feeds: parse cleanly, newest first, per language and per section."""

from __future__ import annotations

import ast
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import feedparser
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.utils import timezone, translation

import articles.feeds
from articles.feeds import LatestArticlesFeed
from articles.models import Article

from .factories import image_bytes, make_article, make_author, make_category

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _arabic_outside_requests():
    with translation.override("ar"):
        yield


def parse(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_feed_parses_and_lists_newest_published_articles_first(client, url):
    make_article(title="قديم", publish_at=timezone.now() - timedelta(days=1))
    make_article(title="جديد")
    make_article(title="مسودة", status=Article.Status.DRAFT)
    make_article(title="مجدول", publish_at=timezone.now() + timedelta(hours=1))
    _response, feed = parse(client, url)
    assert [entry.title for entry in feed.entries] == ["جديد", "قديم"]
    assert feed.feed.language == "ar" if "rss" in url else True
    assert feed.entries[0].link.startswith("http://testserver/news/")


def test_rss_has_summary_full_body_author_and_cover_enclosure(client):
    name = default_storage.save("renditions/1/a-1280.jpg", ContentFile(image_bytes()))
    author = make_author(name="سلمى بناني")
    make_article(
        title="خبر بصورة",
        summary_ar="ملخص قصير",
        body="<p>النص الكامل للمقال.</p>",
        authors=[author],
        cover_image="covers/x.jpg",
        cover_width=1280,
        cover_height=720,
        cover_alt_ar="صورة",
        cover_renditions={"source": "covers/x.jpg", "jpeg": [[1280, 720, name]], "webp": []},
    )
    response, feed = parse(client, "/feeds/rss/")
    entry = feed.entries[0]
    assert entry.summary == "ملخص قصير"
    assert "النص الكامل للمقال." in entry.content[0].value
    assert entry.author == "سلمى بناني"
    enclosure = entry.enclosures[0]
    assert enclosure.href == f"http://testserver/media/{name}"
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) == default_storage.size(name)
    assert b"xmlns:content=" in response.content


def test_atom_has_the_full_body_as_content(client):
    make_article(title="خبر", body="<p>النص الكامل.</p>", summary_ar="ملخص")
    _response, feed = parse(client, "/feeds/atom/")
    entry = feed.entries[0]
    assert any("النص الكامل." in c.value for c in entry.content)
    assert entry.summary == "ملخص"


def test_french_feed_lists_only_french_articles_in_french(client):
    make_article(
        title="خبر مترجم",
        title_fr="Article traduit",
        slug_fr="article-traduit",
        body_fr="<p>Texte</p>",
    )
    make_article(title="خبر بالعربية فقط")
    _response, feed = parse(client, "/fr/feeds/rss/")
    assert [entry.title for entry in feed.entries] == ["Article traduit"]
    assert feed.feed.language == "fr"
    assert "/fr/news/" in feed.entries[0].link


def test_category_feed_lists_only_its_section(client):
    sport = make_category(name="رياضة")
    make_article(title="هدف", category=sport)
    make_article(title="اقتصاد")
    for url in [f"{sport.get_absolute_url()}rss/", f"{sport.get_absolute_url()}atom/"]:
        _response, feed = parse(client, url)
        assert [entry.title for entry in feed.entries] == ["هدف"]
        assert "رياضة" in feed.feed.title


def test_category_feed_of_a_missing_section_is_404(client):
    assert client.get("/category/nothing/rss/").status_code == 404


def test_hostile_titles_stay_well_formed_in_the_feed(client):
    make_article(title="<b>عريض</b> & \u202e مقلوب")
    _response, feed = parse(client, "/feeds/rss/")
    assert feed.entries[0].title.startswith("<b>عريض</b> &") or "عريض" in feed.entries[0].title


def test_several_authors_are_joined_with_the_comma_of_the_feeds_language(client):
    first = make_author(name="سلمى", name_fr="Salma")
    second = make_author(name="علي", name_fr="Ali")
    make_article(authors=[first, second], title_fr="Article", slug_fr="article")
    assert parse(client, "/feeds/rss/")[1].entries[0].author == "سلمى، علي"
    assert parse(client, "/fr/feeds/rss/")[1].entries[0].author == "Salma, Ali"


@pytest.mark.django_db(transaction=True)
def test_two_feeds_rendered_at_once_keep_their_own_language_and_host(settings, monkeypatch):
    """Threaded workers serve two feeds at the same moment from the one feed object."""
    settings.ALLOWED_HOSTS = ["arabic.example", "french.example"]
    make_article(
        title="خبر مترجم",
        title_fr="Article traduit",
        slug_fr="article-traduit",
        body='<p><img src="/media/ar.jpg" alt=""></p>',
        body_fr='<p><img src="/media/fr.jpg" alt=""></p>',
    )
    # Hold both requests inside the feed until each has started: what one of them left on
    # a shared object would then be what the other reads.
    barrier = threading.Barrier(2, timeout=10)
    original = LatestArticlesFeed.get_object

    def get_object(self, request, *args, **kwargs):
        found = original(self, request, *args, **kwargs)
        barrier.wait()
        return found

    monkeypatch.setattr(LatestArticlesFeed, "get_object", get_object)
    results: dict[str, Any] = {}

    def fetch(url: str, host: str) -> None:
        try:
            results[host] = Client().get(url, HTTP_HOST=host).content
        finally:
            connection.close()

    threads = [
        threading.Thread(target=fetch, args=("/feeds/rss/", "arabic.example")),
        threading.Thread(target=fetch, args=("/fr/feeds/rss/", "french.example")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    arabic = feedparser.parse(results["arabic.example"]).entries[0]
    french = feedparser.parse(results["french.example"]).entries[0]
    assert arabic.title == "خبر مترجم"
    assert french.title == "Article traduit"
    assert arabic.link.startswith("http://arabic.example/news/")
    assert french.link.startswith("http://french.example/fr/news/")
    assert 'src="http://arabic.example/media/ar.jpg"' in arabic.content[0].value
    assert 'src="http://french.example/media/fr.jpg"' in french.content[0].value


def test_feeds_read_through_models_and_querysets_not_views():
    """Feeds and pages share lookups through the model layer, never a view module."""
    source = Path(articles.feeds.__file__).read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            imported.add(module)
            imported.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    assert not any(name.startswith((".views", "articles.views")) for name in imported)
