"""Bylines read in credit order everywhere: the lead writer first, whatever the names."""

from __future__ import annotations

import feedparser
import pytest
from django.urls import reverse
from django.utils import translation

from .factories import make_article, make_author

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    # The lead's name sorts after the second writer's: name order would put her second.
    lead = make_author(name="ياسمين العلوي")
    second = make_author(name="أحمد بناني")
    return make_article(title="خبر بكاتبين", authors=[lead, second])


def test_article_page_shows_the_lead_author_first(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.index("ياسمين العلوي") < html.index("أحمد بناني")


def test_article_page_json_ld_lists_the_lead_author_first(client, article):
    response = client.get(article.get_absolute_url())
    authors = [author["name"] for author in response.context["jsonld"]["author"]]
    assert authors == ["ياسمين العلوي", "أحمد بناني"]


def test_preview_shows_the_lead_author_first(client, article, editor):
    client.force_login(editor)
    html = client.get(reverse("articles:preview", args=[article.pk])).content.decode()
    assert html.index("ياسمين العلوي") < html.index("أحمد بناني")


def test_feed_names_the_lead_author_first(client, article):
    with translation.override("ar"):
        feed = feedparser.parse(client.get("/feeds/rss/").content)
    assert feed.entries[0].author.startswith("ياسمين العلوي")


def test_admin_changelist_names_the_lead_author_first(client, article, editor):
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "ياسمين العلوي، أحمد بناني" in html
