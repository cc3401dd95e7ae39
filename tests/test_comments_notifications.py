"""Moderators hear of each waiting comment by email, after commit; a mail outage loses nothing."""

from __future__ import annotations

import logging

import pytest

from comments.models import Comment
from comments.notifications import notify_moderators

from .factories import approved_comment, make_article
from .helpers import post_comment


@pytest.fixture(autouse=True)
def _moderators(settings):
    settings.MODERATOR_EMAILS = ["mod1@newsroom.ma", "mod2@newsroom.ma"]
    settings.SITE_URL = "https://news.example.ma"


@pytest.mark.django_db(transaction=True)
def test_a_waiting_comment_reaches_moderators_through_a_real_smtp_server(client, smtp_server):
    article = make_article(title="الحكومة تعلن برنامجا جديدا")
    response = post_comment(client, article, name="سمير", body="سؤال عن البرنامج")
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert len(smtp_server.inbox.messages) == 1
    message = smtp_server.inbox.messages[0]
    assert message.envelope_to == ["mod1@newsroom.ma", "mod2@newsroom.ma"]
    assert str(message["Subject"]).strip() == "تعليق في انتظار المراجعة: الحكومة تعلن برنامجا جديدا"
    text = message.get_content()
    assert "سؤال عن البرنامج" in text
    assert "samir@example.ma" in text
    assert f"https://news.example.ma/admin/comments/comment/{comment.pk}/change/" in text


@pytest.mark.django_db(transaction=True)
def test_a_published_comment_sends_no_email(client, smtp_server):
    article = make_article()
    approved_comment(article, email="samir@example.ma")
    post_comment(client, article)
    assert Comment.objects.latest("pk").status == Comment.Status.APPROVED
    assert smtp_server.inbox.messages == []


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_is_down_loses_no_comment(client, smtp_down, caplog):
    article = make_article()
    with caplog.at_level(logging.ERROR, logger="comments.notifications"):
        response = post_comment(client, article)
    assert response.status_code == 302
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert "Could not email moderators" in caplog.text
    # the comment waits in the queue the admin index counts
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_stops_mid_way_loses_nothing(client, smtp_server):
    article = make_article()
    smtp_server.stop()
    post_comment(client, article, ip="203.0.113.1", email="a@x.ma")
    assert Comment.objects.count() == 1
    assert smtp_server.inbox.messages == []


def test_the_email_is_sent_only_after_the_comment_is_committed(
    db, client, django_capture_on_commit_callbacks, mailoutbox
):
    article = make_article()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_comment(client, article)
    assert Comment.objects.count() == 1
    assert len(mailoutbox) == 0  # nothing sent inside the transaction
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1


def test_a_comment_approved_before_the_email_goes_out_is_not_announced(db, mailoutbox):
    comment = Comment.objects.create(
        article=make_article(), name="x", email="x@x.ma", body="t", status="approved"
    )
    assert notify_moderators(comment_id=comment.pk) is False
    assert mailoutbox == []


def test_a_hostile_name_cannot_inject_mail_headers(db, mailoutbox):
    comment = Comment.objects.create(
        article=make_article(title="عنوان\nBcc: victim@example.com"),
        name="x\r\nBcc: victim@example.com",
        email="x@x.ma",
        body="t",
    )
    assert notify_moderators(comment_id=comment.pk) is True
    assert "victim@example.com" not in mailoutbox[0].bcc
    assert "\n" not in mailoutbox[0].subject
