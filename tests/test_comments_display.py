"""Readers see approved comments under the article, oldest first, replies under their parent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from comments.models import Comment

from .factories import approved_comment, make_article

pytestmark = pytest.mark.django_db


def page_of(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_approved_comments_appear_oldest_first_with_name_and_time(client):
    article = make_article()
    first = approved_comment(article, name="أمينة", body="التعليق الأول")
    second = approved_comment(article, name="يوسف", body="التعليق الثاني")
    Comment.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=2))
    html = page_of(client, article)
    assert html.index("التعليق الأول") < html.index("التعليق الثاني")
    assert '<bdi class="comment__name">أمينة</bdi>' in html
    assert f'id="comment-{second.pk}"' in html
    assert "<time datetime=" in html


def test_pending_spam_and_removed_comments_are_not_shown(client):
    article = make_article()
    for status in (Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.REMOVED):
        Comment.objects.create(article=article, name="x", email="x@x.ma", body=f"مخفي {status}")
    html = page_of(client, article)
    assert "مخفي" not in html
    assert "تعليق" in html.split('id="comments-title"')[1].split("</h2>")[0]


def test_replies_are_shown_under_their_parent(client):
    article = make_article()
    parent = approved_comment(article, body="سؤال")
    approved_comment(article, body="تعليق آخر")
    approved_comment(article, parent=parent, body="جواب")
    html = page_of(client, article)
    assert html.index("سؤال") < html.index("جواب") < html.index("تعليق آخر")
    assert 'class="comment-replies"' in html


def test_a_reply_to_a_hidden_comment_is_hidden_too(client):
    article = make_article()
    parent = Comment.objects.create(article=article, name="x", email="x@x.ma", body="محذوف")
    approved_comment(article, parent=parent, body="رد يتيم")
    assert "رد يتيم" not in page_of(client, article)


def test_the_text_keeps_its_line_breaks_and_its_direction_is_auto(client):
    article = make_article()
    approved_comment(article, body="سطر أول\nsecond line")
    html = page_of(client, article)
    assert '<div class="comment__body" dir="auto">سطر أول<br>second line</div>' in html


def test_the_count_counts_approved_comments_in_arabic(client):
    article = make_article()
    for n in range(3):
        approved_comment(article, body=f"ت {n}")
    Comment.objects.create(article=article, name="x", email="x@x.ma", body="pending")
    assert "3 تعليقات" in page_of(client, article)


def test_the_count_in_listings_counts_approved_comments_only():
    article = make_article()
    approved_comment(article)
    approved_comment(article, body="2")
    Comment.objects.create(article=article, name="x", email="x@x.ma", body="pending")
    listed = Article.objects.published().for_listing().get(pk=article.pk)
    assert listed.comment_count == 2


def test_the_time_uses_moroccan_month_names(client):
    article = make_article()
    comment = approved_comment(article)
    july = timezone.now().replace(month=7, day=15)
    Comment.objects.filter(pk=comment.pk).update(created_at=july)
    assert "يوليوز" in page_of(client, article)


def test_the_reply_link_prefills_the_form(client):
    article = make_article()
    parent = approved_comment(article, name="أمينة")
    response = client.get(article.get_absolute_url() + f"?reply_to={parent.pk}")
    html = response.content.decode()
    assert "الرد على <bdi>أمينة</bdi>" in html
    assert f'name="parent" value="{parent.pk}"' in html


@pytest.mark.parametrize("value", ["abc", "-1", "999999", "<script>"])
def test_a_bogus_reply_to_is_ignored(client, value):
    article = make_article()
    approved_comment(article)
    response = client.get(article.get_absolute_url(), {"reply_to": value})
    assert response.status_code == 200
    assert "أضف تعليقا" in response.content.decode()


def test_the_form_is_accessible_and_hides_the_honeypot(client):
    html = page_of(client, make_article())
    assert 'for="id_name"' in html
    assert 'for="id_email"' in html
    assert 'for="id_body"' in html
    assert 'class="hp-field" aria-hidden="true"' in html
    assert 'tabindex="-1"' in html
    # The cached page carries no CSRF token: the form names the uncached endpoint handing it out.
    assert 'data-token-url="/comments/token/"' in html
    tokens = client.get("/comments/token/")
    assert tokens.json()["csrf"] and tokens.json()["rendered"]
    assert tokens.cookies["csrftoken"].value
    assert " left" not in html.split('id="comments"')[1].split("</section>")[0]


def test_an_article_page_runs_the_same_queries_with_0_and_50_comments(client, settings):
    settings.PAGE_CACHE = False  # the view's own queries, not the page cache's answer
    empty = make_article()
    busy = make_article()
    parents = [approved_comment(busy, body=f"تعليق {n}") for n in range(25)]
    for n, parent in enumerate(parents):
        approved_comment(busy, parent=parent, body=f"رد {n}")
    for article in (empty, busy):  # warm the cached parts (site nav, the article, related)
        client.get(article.get_absolute_url())
    counts = []
    for article in (empty, busy):
        with CaptureQueriesContext(connection) as queries:
            page_of(client, article)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_comment_section_stays_within_its_query_budget(client, django_assert_max_num_queries):
    busy = make_article()
    for n in range(50):
        approved_comment(busy, body=f"تعليق {n}")
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    template = Template('{% include "comments/section.html" %}')
    with django_assert_max_num_queries(1):
        html = template.render(Context({"article": busy, "request": request}))
    assert html.count('class="comment"') == 50
