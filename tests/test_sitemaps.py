"""Sitemaps list only published articles, with hreflang alternates; robots.txt finds them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from articles.models import Article

from .factories import make_article, make_category

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@pytest.fixture(autouse=True)
def _arabic_outside_requests():
    with translation.override("ar"):
        yield


def xml_of(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    return ET.fromstring(response.content)  # noqa: S314 - our own server's response


def test_sitemap_index_points_to_every_section(client):
    root = xml_of(client, "/sitemap.xml")
    locations = [loc.text for loc in root.findall("sm:sitemap/sm:loc", NS)]
    assert "http://testserver/sitemap-articles.xml" in locations
    assert "http://testserver/sitemap-sections.xml" in locations
    assert "http://testserver/sitemap-home.xml" in locations


def test_article_sitemap_lists_only_published_articles(client):
    live = make_article(title="منشور")
    draft = make_article(title="مسودة", status=Article.Status.DRAFT)
    scheduled = make_article(title="مجدول", publish_at=timezone.now() + timedelta(hours=1))
    text = client.get("/sitemap-articles.xml").content.decode()
    assert f"/news/{live.pk}/" in text
    assert f"/news/{draft.pk}/" not in text
    assert f"/news/{scheduled.pk}/" not in text


def test_article_sitemap_gives_hreflang_alternates_only_for_translations(client):
    article = make_article(title="خبر مترجم", title_fr="Article traduit", slug_fr="article-traduit")
    arabic_only = make_article(title="عربي فقط")
    root = xml_of(client, "/sitemap-articles.xml")
    urls = {u.find("sm:loc", NS).text: u for u in root.findall("sm:url", NS)}
    french = f"http://testserver/fr/news/{article.pk}/article-traduit/"
    assert french in urls
    links = {
        link.get("hreflang"): link.get("href") for link in urls[french].findall("xhtml:link", NS)
    }
    assert set(links) == {"ar", "fr", "x-default"}
    assert not any(f"/fr/news/{arabic_only.pk}/" in loc for loc in urls)
    assert not any(f"/en/news/{article.pk}/" in loc for loc in urls)


def test_sections_sitemap_lists_active_sections(client):
    live = make_category(name="رياضة")
    closed = make_category(name="مغلق", is_active=False)
    text = client.get("/sitemap-sections.xml").content.decode()
    assert live.get_absolute_url() in text
    assert closed.get_absolute_url() not in text


def test_news_sitemap_lists_articles_of_the_last_48_hours_with_publication_and_language(client):
    recent = make_article(title="خبر حديث", title_fr="Récent", slug_fr="recent")
    old = make_article(title="خبر قديم", publish_at=timezone.now() - timedelta(hours=49))
    draft = make_article(title="مسودة", status=Article.Status.DRAFT)
    root = xml_of(client, "/news-sitemap.xml")
    entries = root.findall("sm:url", NS)
    locations = [u.find("sm:loc", NS).text for u in entries]
    assert f"http://testserver{recent.get_absolute_url()}" in locations
    assert f"http://testserver/fr/news/{recent.pk}/recent/" in locations
    assert not any(f"/news/{old.pk}/" in loc for loc in locations)
    assert not any(f"/news/{draft.pk}/" in loc for loc in locations)
    first = entries[0].find("news:news", NS)
    assert first.find("news:publication/news:name", NS).text
    assert first.find("news:publication/news:language", NS).text in {"ar", "fr"}
    assert first.find("news:publication_date", NS).text.endswith(("+01:00", "+00:00"))
    assert first.find("news:title", NS).text


def test_news_sitemap_stops_at_1000_entries(client, monkeypatch):
    from articles import sitemaps

    monkeypatch.setattr(sitemaps, "NEWS_LIMIT", 3)
    for _ in range(5):
        make_article()
    root = xml_of(client, "/news-sitemap.xml")
    assert len(root.findall("sm:url", NS)) == 3


def test_robots_txt_points_to_both_sitemaps_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/news-sitemap.xml" in text
    assert "Disallow: /admin/" in text
