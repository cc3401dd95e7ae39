"""The moderation admin says what each button does, and moderators decide from a comment's page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comments.models import Comment

from .factories import make_article
from .factories import pending_comments as pending
from .helpers import COMMENT_CHANGELIST as CHANGELIST
from .helpers import run_comment_action as run_action

pytestmark = pytest.mark.django_db


def change_url(comment: Comment) -> str:
    return reverse("admin:comments_comment_change", args=[comment.pk])


def decide(client, comment: Comment, decision: str):
    data = {
        "name": comment.name,
        "email": comment.email,
        "body": comment.body,
        "status": comment.status,
        "_moderate": decision,
    }
    return client.post(change_url(comment), data, follow=True)


# --- hide is not delete -----------------------------------------------------------------------


def test_hiding_and_deleting_read_differently_in_arabic(client, editor, moderator):
    pending(make_article())
    client.force_login(moderator)
    html = client.get(CHANGELIST).content.decode()
    assert "إخفاء التعليقات المحددة من الموقع" in html
    assert 'value="delete_selected"' not in html
    client.force_login(editor)
    html = client.get(CHANGELIST).content.decode()
    assert "حذف التعليقات المحددة نهائيا" in html


def test_a_hidden_comment_reads_hidden_not_deleted(client, moderator):
    comments = pending(make_article())
    client.force_login(moderator)
    html = run_action(client, "remove", comments).content.decode()
    assert "مخفي" in html and "محذوف" not in html
    assert Comment.objects.get().status == Comment.Status.REMOVED


def test_moderators_cannot_delete_comments_for_good(client, moderator):
    comment = pending(make_article())[0]
    client.force_login(moderator)
    assert "deletelink" not in client.get(change_url(comment)).content.decode()
    delete_url = reverse("admin:comments_comment_delete", args=[comment.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    run_action(client, "delete_selected", [comment])
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_editors_delete_comments_for_good(client, editor):
    comments = pending(make_article(), 2)
    client.force_login(editor)
    assert "deletelink" in client.get(change_url(comments[0])).content.decode()
    client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [c.pk for c in comments], "post": "yes"},
    )
    assert not Comment.objects.exists()


# --- the queue's columns -----------------------------------------------------------------------


def test_the_queue_shows_the_comment_with_its_direction_and_why_it_waits(client, moderator):
    article = make_article(title="عنوان " * 30)
    Comment.objects.create(
        article=article,
        name="قارئ",
        email="r@x.ma",
        body="كلمة " * 100,
        moderation_reasons="3 links",
    )
    client.force_login(moderator)
    html = client.get(CHANGELIST).content.decode()
    assert '<span dir="auto">كلمة' in html
    assert '<small class="moderation-reasons" dir="auto">3 links</small>' in html
    assert "عنوان " * 30 not in html  # the long title is cut short
    assert "field-ip_address" not in html


# --- decisions on a comment's page ---------------------------------------------------------------


def test_a_comment_page_offers_approve_spam_and_hide_to_moderators(client, moderator):
    comment = pending(make_article())[0]
    client.force_login(moderator)
    html = client.get(change_url(comment)).content.decode()
    assert '<button type="submit" name="_moderate" value="approve">موافقة (نشر)</button>' in html
    assert 'name="_moderate" value="spam"' in html
    assert 'name="_moderate" value="hide">إخفاء من الموقع</button>' in html


@pytest.mark.parametrize(
    ("decision", "status"),
    [("approve", "approved"), ("spam", "spam"), ("hide", "removed")],
)
def test_a_moderator_decides_from_the_comment_page(client, moderator, decision, status):
    article = make_article()
    comment = pending(article)[0]
    client.force_login(moderator)
    response = decide(client, comment, decision)
    assert response.redirect_chain[-1][0].startswith(CHANGELIST)
    comment.refresh_from_db()
    assert comment.status == status
    assert f"تعليق «{comment.name}» صار الآن: {comment.get_status_display()}" in (
        response.content.decode()
    )


def test_an_approved_comment_appears_on_the_article(client, moderator):
    article = make_article()
    comment = pending(article)[0]
    client.force_login(moderator)
    decide(client, comment, "approve")
    client.logout()
    assert comment.name in client.get(article.get_absolute_url()).content.decode()


def test_editors_see_no_decision_buttons_and_cannot_decide(client, editor):
    comment = pending(make_article())[0]
    client.force_login(editor)
    assert "_moderate" not in client.get(change_url(comment)).content.decode()
    decide(client, comment, "approve")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
