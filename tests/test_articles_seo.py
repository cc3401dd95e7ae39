"""SEO fields: a meta title and description per language, used by the article page when set."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from .factories import make_article
from .helpers import head_of, meta

pytestmark = pytest.mark.django_db


def title_of(head: str) -> str:
    return re.search(r"<title>(.*?)</title>", head, re.S).group(1).strip()


def translated(**kwargs):
    return make_article(
        title="خبر مترجم",
        summary_ar="ملخص الخبر",
        title_fr="Article traduit",
        slug_fr="article-traduit",
        summary_fr="Résumé en français",
        **kwargs,
    )


def test_the_article_page_uses_the_meta_title_and_description(client):
    article = translated(meta_title_ar="عنوان لمحركات البحث", meta_description_ar="وصف قصير")
    head = head_of(client, article.get_absolute_url())
    assert title_of(head) == "عنوان لمحركات البحث"
    assert meta(head, "name", "description") == "وصف قصير"
    assert meta(head, "property", "og:title") == "عنوان لمحركات البحث"
    assert meta(head, "property", "og:description") == "وصف قصير"


def test_without_meta_fields_the_title_and_summary_are_used(client):
    article = translated()
    head = head_of(client, article.get_absolute_url())
    assert title_of(head).startswith("خبر مترجم |")
    assert meta(head, "name", "description") == "ملخص الخبر"


def test_the_french_page_never_shows_the_arabic_meta_text(client):
    article = translated(meta_title_ar="عنوان لمحركات البحث", meta_description_ar="وصف قصير")
    with translation.override("fr"):
        url = article.get_absolute_url()
    head = head_of(client, url)
    assert "عنوان لمحركات البحث" not in head and "وصف قصير" not in head
    assert title_of(head).startswith("Article traduit |")
    assert meta(head, "name", "description") == "Résumé en français"


def test_the_french_page_uses_the_french_meta_fields(client):
    article = translated(meta_title_fr="Titre SEO", meta_description_fr="Description SEO")
    with translation.override("fr"):
        url = article.get_absolute_url()
    head = head_of(client, url)
    assert title_of(head) == "Titre SEO"
    assert meta(head, "name", "description") == "Description SEO"


def test_the_admin_has_a_collapsed_seo_fieldset_with_counters(client, editor):
    client.force_login(editor)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("admin:articles_article_add")).content.decode()
    fieldset = re.search(
        r'<fieldset class="module aligned collapse[^"]*"[^>]*>.*?</fieldset>', html, re.S
    )
    assert fieldset and "meta_title_fr" in fieldset.group(0)
    assert re.search(r'name="meta_title_ar"[^>]*maxlength="70"', html)
    assert re.search(r'name="meta_description_fr"[^>]*maxlength="160"', html)
    assert "js/admin-counters.js" in html


def test_meta_fields_longer_than_their_limit_are_refused(client, editor):
    from .factories import article_form_data as form_data

    client.force_login(editor)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("admin:articles_article_add"),
        form_data(meta_title_ar="ع" * 71, meta_description_ar="و" * 161),
    )
    assert response.status_code == 200
    assert response.content.decode().count("Ensure this value has at most") == 2


def test_hostile_meta_text_is_escaped_in_the_page_head(client, editor):
    from articles.models import Article

    from .factories import article_form_data as form_data

    client.force_login(editor)
    hostile = '"><script>alert(1)</script>'
    response = client.post(
        reverse("admin:articles_article_add"),
        form_data(meta_title_ar="عنوان" + hostile, meta_description_ar="وصف' OR 1=1 --" + hostile),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    client.logout()
    article.status = Article.Status.PUBLISHED
    article.mark_published()
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
