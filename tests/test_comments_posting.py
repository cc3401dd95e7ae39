"""Readers post comments: published at once when trusted, held for moderation otherwise."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone, translation

from comments.models import Comment
from comments.services import comment_submit

from .factories import approved_comment, make_article
from .factories import comment_form_data as comment_data
from .helpers import post_comment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings):
    """These tests post several comments from one address; the limit has its own tests."""
    settings.COMMENTS_RATE_LIMITS = [(100, 15)]


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_new_commenter_waits_for_moderation_and_is_told_so(client):
    article = make_article()
    response = post_comment(client, article)
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url() + "#comments"
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.name == "سمير"
    with translation.override("ar"):
        assert messages_of(response) == [
            "شكرا لك: تعليقك في انتظار المراجعة وسيظهر بعد الموافقة عليه."
        ]


def test_a_commenter_with_an_approved_comment_is_published_at_once(client):
    article = make_article()
    approved_comment(article, email="samir@example.ma", body="تعليق سابق")
    response = post_comment(client, article, email="Samir@Example.ma")
    comment = Comment.objects.latest("pk")
    assert comment.status == Comment.Status.APPROVED
    assert response["Location"] == article.get_absolute_url() + "#comments"
    assert messages_of(response) == ["شكرا لك: تعليقك منشور."]


def test_the_reader_sees_the_confirmation_on_the_article_page(client):
    article = make_article()
    response = post_comment(client, article)
    page = client.get(response["Location"].split("#")[0])
    assert "تعليقك في انتظار المراجعة" in page.content.decode()


def test_the_confirmation_is_inside_the_comment_section_not_at_the_top(client):
    article = make_article()
    response = post_comment(client, article)
    html = client.get(response["Location"].split("#")[0]).content.decode()
    section = html[html.index('<section class="comments" id="comments"') :]
    section = section[: section.index("</section>")]
    status = section[section.index('role="status"') :]
    assert "تعليقك في انتظار المراجعة" in status[: status.index("</div>")]
    assert html.count("تعليقك في انتظار المراجعة") == 1
    # Shown once: the next page view has no message left.
    assert (
        "تعليقك في انتظار المراجعة" not in client.get(article.get_absolute_url()).content.decode()
    )


def test_the_address_and_user_agent_are_stored_for_moderators(client):
    article = make_article()
    post_comment(client, article, ip="198.51.100.7")
    comment = Comment.objects.get()
    assert comment.ip_address == "198.51.100.7"
    assert comment.user_agent == "Mozilla/5.0 (test)"


def test_errors_are_shown_next_to_the_field_and_the_text_is_kept(client):
    article = make_article()
    response = post_comment(client, article, email="not-an-email", body="نصي الذي كتبته")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_email_error"' in html
    assert "أدخِل عنوان بريد إلكتروني صحيح" in html
    assert "نصي الذي كتبته" in html
    assert Comment.objects.count() == 0


def test_errors_come_in_the_language_of_the_page(client):
    article = make_article(title_fr="Un article")
    response = client.post(
        f"/fr/comments/post/{article.pk}/", comment_data(name=""), REMOTE_ADDR="203.0.113.1"
    )
    assert "Ce champ est obligatoire" in response.content.decode()


def test_email_is_required_and_never_shown(client):
    article = make_article()
    response = post_comment(client, article, email="")
    assert 'id="id_email_error"' in response.content.decode()
    approved_comment(article, email="secret-reader@example.ma")
    page = client.get(article.get_absolute_url())
    assert "secret-reader" not in page.content.decode()


def test_a_reply_is_stored_under_its_parent(client):
    article = make_article()
    parent = approved_comment(article)
    post_comment(client, article, parent=str(parent.pk))
    assert Comment.objects.latest("pk").parent == parent


def test_a_refused_reply_still_says_whom_it_answers(client):
    article = make_article()
    parent = approved_comment(article, name="أمينة")
    response = post_comment(client, article, parent=str(parent.pk), body="")
    assert "الرد على <bdi>أمينة</bdi>" in response.content.decode()
    assert f'name="parent" value="{parent.pk}"' in response.content.decode()


def test_a_reply_to_a_reply_is_attached_to_the_top_level_comment(client):
    article = make_article()
    parent = approved_comment(article)
    reply = approved_comment(article, parent=parent, body="رد")
    post_comment(client, article, parent=str(reply.pk))
    assert Comment.objects.latest("pk").parent == parent


@pytest.mark.parametrize("target", ["pending", "other-article", "missing", "abc"])
def test_a_reply_to_an_unavailable_comment_is_refused(client, target):
    article = make_article()
    if target == "pending":
        parent_id = str(Comment.objects.create(article=article, name="x", email="x@x.ma").pk)
    elif target == "other-article":
        parent_id = str(approved_comment(make_article()).pk)
    else:
        parent_id = {"missing": "999999", "abc": "abc"}[target]
    response = post_comment(client, article, parent=parent_id)
    assert response.status_code == 200
    assert Comment.objects.filter(email="samir@example.ma").count() == 0


def test_a_double_submitted_form_is_stored_once(client):
    article = make_article()
    first = post_comment(client, article)
    second = post_comment(client, article)
    assert first.status_code == second.status_code == 302
    assert Comment.objects.count() == 1


def test_the_same_text_on_another_article_or_by_another_email_is_not_a_duplicate(client):
    article, other = make_article(), make_article()
    post_comment(client, article, ip="203.0.113.1")
    post_comment(client, other, ip="203.0.113.2")
    post_comment(client, article, ip="203.0.113.3", email="other@example.ma")
    assert Comment.objects.count() == 3


def test_the_same_text_after_a_minute_is_a_new_comment():
    article = make_article()
    first = comment_submit(article=article, name="س", email="a@b.ma", body="نعم")
    Comment.objects.filter(pk=first.comment.pk).update(
        created_at=timezone.now() - timedelta(minutes=2), dedupe_key="old"
    )
    second = comment_submit(article=article, name="س", email="a@b.ma", body="نعم")
    assert second.created
    assert Comment.objects.count() == 2


def test_get_is_not_allowed(client):
    article = make_article()
    assert client.get(f"/comments/post/{article.pk}/").status_code == 405


def test_posting_to_a_missing_or_unpublished_article_is_not_found(client):
    draft = make_article(status="draft")
    assert post_comment(client, draft).status_code == 404
    assert client.post("/comments/post/999999/", comment_data()).status_code == 404


def test_csrf_stays_on(client):
    from django.test import Client

    article = make_article()
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"/comments/post/{article.pk}/", comment_data())
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_the_url_name_round_trips():
    from django.urls import resolve, reverse

    url = reverse("comments:post", args=[7])
    assert url == "/comments/post/7/"
    assert resolve(url).view_name == "comments:post"
