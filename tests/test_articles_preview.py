"""Staff preview of unpublished work: only for those who may change it, and never cached."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

from .factories import make_article

pytestmark = pytest.mark.django_db


def preview_url(article: Article) -> str:
    return reverse("articles:preview", kwargs={"pk": article.pk})


def test_author_previews_own_draft_and_it_is_never_cached(client, journalist):
    draft = make_article(title="مسودتي", status=Article.Status.DRAFT, created_by=journalist)
    client.force_login(journalist)
    response = client.get(preview_url(draft))
    assert response.status_code == 200
    assert "مسودتي" in response.content.decode()
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_editor_previews_any_draft(client, editor, journalist):
    draft = make_article(status=Article.Status.REVIEW, created_by=journalist)
    client.force_login(editor)
    assert client.get(preview_url(draft)).status_code == 200


def test_other_journalists_and_other_staff_get_404(client, other_journalist, moderator, journalist):
    draft = make_article(status=Article.Status.DRAFT, created_by=journalist)
    for user in (other_journalist, moderator):
        client.force_login(user)
        assert client.get(preview_url(draft)).status_code == 404


def test_anonymous_readers_are_sent_to_the_login_page(client):
    draft = make_article(status=Article.Status.DRAFT)
    response = client.get(preview_url(draft))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_view_on_site_points_drafts_to_the_preview_and_published_to_the_page(client, editor):
    draft = make_article(status=Article.Status.DRAFT)
    live = make_article()
    client.force_login(editor)
    for article, expected in ((draft, preview_url(draft)), (live, live.get_absolute_url())):
        page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
        assert f'href="{expected}" class="viewsitelink"' in page.content.decode()


def test_a_drafts_preview_shows_no_publication_date(client, editor):
    draft = make_article(title="مسودة", status=Article.Status.DRAFT)
    client.force_login(editor)
    html = client.get(preview_url(draft)).content.decode()
    assert ">نشر في" not in html and "article:published_time" not in html
    byline = html[html.index('class="byline__dates"') :]
    assert "<time" not in byline[: byline.index("</p>")]
    assert "مسودة — غير منشور" in html


def test_a_scheduled_articles_preview_says_when_it_will_appear(client, editor):
    when = timezone.localtime() + timedelta(days=2)
    scheduled = make_article(status=Article.Status.PUBLISHED, publish_at=when)
    client.force_login(editor)
    html = client.get(preview_url(scheduled)).content.decode()
    assert ">نشر في" not in html
    assert "مبرمج للنشر في" in html
    assert f'datetime="{when.isoformat(timespec="seconds")}"' in html
