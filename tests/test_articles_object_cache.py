"""With the page cache off, an article page is built from cached parts: every change still
shows on the next view, because each part is retired by the tags its change purges."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from articles.models import Article
from articles.services import article_unpublish
from comments.services import comments_set_status

from .factories import (
    approved_comment,
    make_article,
    make_author,
    make_category,
    make_tag,
    pending_comments,
)
from .helpers import post_comment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _views_not_the_page_cache(settings: Any) -> None:
    settings.PAGE_CACHE = False


@pytest.fixture
def article() -> Article:
    return make_article(
        title="مقال عن الانتخابات",
        category=make_category(name="سياسة"),
        tags=[make_tag(name="انتخابات")],
        authors=[make_author(name="سعاد")],
    )


def page(article: Article) -> str:
    response = Client().get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_an_edit_shows_on_the_next_view(article):
    page(article)
    article.title_ar = "عنوان جديد للمقال"
    article.save()
    assert "عنوان جديد للمقال" in page(article)


def test_renaming_a_tag_an_author_or_the_section_shows_on_its_articles(article):
    page(article)
    tag, author, section = article.tags.get(), article.authors.get(), article.category
    tag.name_ar = "الاستحقاقات"
    tag.save()
    author.name_ar = "سعاد العلوي"
    author.save()
    section.name_ar = "السياسة الوطنية"
    section.save()
    html = page(article)
    assert "الاستحقاقات" in html and "سعاد العلوي" in html and "السياسة الوطنية" in html


def head(html: str) -> str:
    return html.split("</head>")[0]


def test_the_head_follows_an_edit_and_renames_of_what_it_names(article):
    """The meta tags and JSON-LD are a cached fragment of their own: they must follow too."""
    assert 'content="مقال عن الانتخابات' in head(page(article))
    article.title_ar = "عنوان جديد للمقال"
    article.save()
    article.category.name_ar = "السياسة الوطنية"
    article.category.save()
    author = article.authors.get()
    author.name_ar = "سعاد العلوي"
    author.save()
    html = head(page(article))
    assert '<meta property="og:title" content="عنوان جديد للمقال' in html
    assert "مقال عن الانتخابات" not in html
    assert '"articleSection": "السياسة الوطنية"' in html
    assert "سعاد العلوي" in html


def test_an_unpublished_article_is_gone_at_once(article, editor):
    page(article)
    article_unpublish(article=article, user=editor)
    assert Client().get(article.get_absolute_url()).status_code == 404


def test_an_approved_comment_shows_at_once(article):
    [waiting] = pending_comments(article)
    assert waiting.body not in page(article)
    comments_set_status(comment_ids=[waiting.pk], status=waiting.Status.APPROVED)
    assert waiting.body in page(article)


def test_a_posted_comment_keeps_the_page_and_its_form_working(article, client):
    page(article)
    response = post_comment(client, article, name="سمير", body="سؤال عن البرنامج")
    assert response.status_code == 302
    html = page(article)
    assert 'id="comment-form"' in html or "comment-form" in html


def test_a_reply_form_is_not_shared_with_the_plain_page(article):
    parent = approved_comment(article, body="تعليق أول")
    page(article)
    reply = Client().get(article.get_absolute_url(), {"reply_to": parent.pk}).content.decode()
    plain = page(article)
    assert reply != plain
    assert f'value="{parent.pk}"' in reply


def test_a_purge_by_another_server_reaches_this_process_copies(article):
    """Each process keeps fragments by their versioned key; another server's purge changes
    the version in the shared cache, and the next view here rebuilds."""
    import time

    from django.core.cache import cache

    from newsroom.pagecache import tag_key

    page(article)
    Article.objects.filter(pk=article.pk).update(title_ar="عنوان عدله خادم آخر")
    assert "عنوان عدله خادم آخر" not in page(article)  # no purge yet: the copies serve
    cache.set(tag_key(f"a{article.pk}"), time.time(), timeout=None)  # the other server's purge
    assert "عنوان عدله خادم آخر" in page(article)
