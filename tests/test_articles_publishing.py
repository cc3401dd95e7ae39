"""The publishing rule: only published articles whose time has come reach readers."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles.models import Article

from .factories import make_article, make_seed_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "status", [Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.ARCHIVED]
)
def test_unpublished_states_never_appear(client, status):
    hidden = make_article(title="مقال مخفي", status=status, publish_at=timezone.now())
    assert hidden not in Article.objects.published()
    assert "مقال مخفي" not in client.get("/").content.decode()
    assert client.get(f"/news/{hidden.pk}/{hidden.slug}/").status_code == 404


def test_scheduled_article_appears_when_its_time_comes(client):
    scheduled = make_article(title="مقال مجدول", publish_at=timezone.now() + timedelta(hours=1))
    assert scheduled not in Article.objects.published()
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    Article.objects.filter(pk=scheduled.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    assert scheduled in Article.objects.published()
    # The update stands in for an hour passing; the page cache would have expired its 404
    # at the publish time (tests/test_pagecache.py checks that with a real wait).
    cache.clear()
    assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_is_published_mirrors_the_queryset():
    live = make_article()
    future = make_article(publish_at=timezone.now() + timedelta(days=1))
    draft = make_article(status=Article.Status.DRAFT)
    assert [a.is_published() for a in (live, future, draft)] == [True, False, False]


def test_home_is_arabic_rtl_and_lists_newest_first(client):
    make_article(title="خبر قديم", publish_at=timezone.now() - timedelta(days=2))
    seed = make_seed_article()
    html = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert html.index(seed.title) < html.index("خبر قديم")


def test_wrong_or_old_slug_redirects_permanently_to_canonical_url(client):
    article = make_seed_article()
    response = client.get(f"/news/{article.pk}/old-slug/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert client.get(f"/news/{article.pk}/").status_code == 301


def test_missing_article_is_404(client):
    assert client.get("/news/999999/nothing/").status_code == 404
