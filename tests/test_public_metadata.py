"""Metadata: unique titles and descriptions, canonical and hreflang links, OpenGraph, JSON-LD."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from django.utils import translation

from .factories import make_article, make_author, make_category, make_seed_article, make_tag
from .helpers import head_of, meta

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _arabic_outside_requests():
    with translation.override("ar"):
        yield


def test_every_page_has_its_own_title_and_description(client):
    section = make_category(name="رياضة")
    tag = make_tag(name="المغرب")
    author = make_author(name="سلمى بناني")
    article = make_seed_article(category=section, tags=[tag], authors=[author])
    for _ in range(21):
        make_article(category=section)
    urls = [
        "/",
        "/?page=2",
        section.get_absolute_url(),
        tag.get_absolute_url(),
        author.get_absolute_url(),
        article.get_absolute_url(),
        "/archive/2026/",
    ]
    titles, descriptions = set(), set()
    for url in urls:
        head = head_of(client, url)
        titles.add(re.search(r"<title>(.*?)</title>", head, re.S).group(1).strip())
        descriptions.add(meta(head, "name", "description"))
    assert len(titles) == len(urls)
    assert len(descriptions) >= len(urls) - 1  # home pages 1 and 2 share the site description


def test_article_head_has_canonical_hreflang_opengraph_and_twitter_tags(client):
    article = make_article(
        title="خبر مترجم",
        summary_ar="ملخص الخبر",
        title_fr="Article traduit",
        slug_fr="article-traduit",
        cover_image="covers/x.jpg",
        cover_width=1280,
        cover_height=720,
        cover_alt_ar="صورة",
    )
    head = head_of(client, article.get_absolute_url())
    canonical = f"http://testserver{article.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in head
    assert f'<link rel="alternate" hreflang="ar" href="{canonical}">' in head
    assert (
        f'<link rel="alternate" hreflang="fr" '
        f'href="http://testserver/fr/news/{article.pk}/article-traduit/">' in head
    )
    assert 'hreflang="en"' not in head  # no English translation
    assert f'hreflang="x-default" href="{canonical}"' in head
    assert meta(head, "property", "og:type") == "article"
    assert meta(head, "property", "og:title").startswith("خبر مترجم")
    assert meta(head, "property", "og:description") == "ملخص الخبر"
    assert meta(head, "property", "og:url") == canonical
    assert meta(head, "property", "og:locale") == "ar_MA"
    assert meta(head, "property", "og:image") == "http://testserver/media/covers/x.jpg"
    assert meta(head, "name", "twitter:card") == "summary_large_image"


def test_article_has_news_article_json_ld(client):
    author = make_author(name="سلمى بناني")
    tz = datetime.now().astimezone().tzinfo
    article = make_seed_article(authors=[author], publish_at=datetime(2025, 7, 1, 8, 0, tzinfo=tz))
    html = client.get(article.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.title[:110]
    assert datetime.fromisoformat(data["datePublished"]).utcoffset() is not None
    assert datetime.fromisoformat(data["dateModified"]).utcoffset() is not None
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "سلمى بناني",
            "url": f"http://testserver{author.get_absolute_url()}",
        }
    ]
    assert data["publisher"]["name"]
    assert data["mainEntityOfPage"].endswith(article.get_absolute_url())


def test_json_ld_cannot_be_broken_out_of_by_a_title(client):
    article = make_article(title="عنوان")
    from articles.models import Article

    Article.objects.filter(pk=article.pk).update(title_ar="</script><script>alert(1)</script>")
    html = client.get(article.get_absolute_url(), follow=True).content.decode()
    assert "<script>alert(1)</script>" not in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert json.loads(block)["headline"] == "</script><script>alert(1)</script>"


def test_list_pages_have_canonical_with_page_number_and_hreflang(client):
    section = make_category(name="رياضة", name_fr="Sport", slug_fr="sport")
    for _ in range(21):
        make_article(category=section)
    head = head_of(client, section.get_absolute_url() + "?page=2")
    assert (
        f'<link rel="canonical" href="http://testserver{section.get_absolute_url()}?page=2">'
        in head
    )
    assert 'hreflang="fr" href="http://testserver/fr/category/sport/?page=2"' in head


def test_feeds_are_announced_in_the_head(client):
    section = make_category(name="رياضة")
    head = head_of(client, section.get_absolute_url())
    assert 'type="application/rss+xml"' in head and 'type="application/atom+xml"' in head
    assert "/rss/" in head


def test_error_pages_ask_not_to_be_indexed(client):
    head = head_of(client, "/missing-page/")
    assert '<meta name="robots" content="noindex">' in head
