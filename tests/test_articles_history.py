"""Every save of an article keeps a version: who, when, what changed; and it can be restored."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Article

from .factories import article_form_data as form_data
from .factories import make_category

pytestmark = pytest.mark.django_db


def _create_and_edit(client, editor) -> Article:
    client.force_login(editor)
    client.post(reverse("admin:articles_article_add"), form_data(title_ar="العنوان الأول"))
    article = Article.objects.get()
    client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        form_data(article, title_ar="العنوان الثاني", body_ar="<p>نص جديد</p>"),
    )
    article.refresh_from_db()
    return article


def test_each_admin_save_records_who_and_what_changed(client, editor):
    article = _create_and_edit(client, editor)
    versions = list(article.history.order_by("history_date"))
    assert [v.title_ar for v in versions] == ["العنوان الأول", "العنوان الثاني"]
    assert all(v.history_user == editor for v in versions)
    delta = versions[1].diff_against(versions[0])
    assert {"title_ar", "body_ar"} <= set(delta.changed_fields)


def test_history_page_lists_versions_for_editors(client, editor):
    article = _create_and_edit(client, editor)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("admin:articles_article_history", args=[article.pk])).content
    html = html.decode()
    assert "editor" in html
    assert html.count("/history/") >= 2


def test_an_old_version_can_be_restored_from_the_admin(client, editor):
    article = _create_and_edit(client, editor)
    first = article.history.earliest("history_date")
    url = reverse("admin:articles_article_simple_history", args=[article.pk, first.history_id])
    page = client.get(url)
    assert page.status_code == 200
    assert "العنوان الأول" in page.content.decode()
    response = client.post(url, form_data(article, title_ar=first.title_ar, body_ar=first.body_ar))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title_ar == "العنوان الأول"
    assert article.history.count() == 3  # the restore is itself a version


def test_restoring_a_version_in_code_brings_back_the_translations():
    article = Article.objects.create(
        title_ar="قبل", title_fr="Avant", slug="قبل", category=make_category()
    )
    article.title_ar, article.title_fr = "بعد", "Après"
    article.save()
    article.history.earliest("history_date").instance.save()
    article.refresh_from_db()
    assert (article.title_ar, article.title_fr) == ("قبل", "Avant")
