"""Moderators work the queue in the admin; other roles cannot change a comment's fate."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comments.models import BlockedWord, Comment

from .factories import make_article
from .factories import pending_comments as pending
from .helpers import COMMENT_CHANGELIST as CHANGELIST
from .helpers import run_comment_action as run_action

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("action", "status"),
    [("approve", "approved"), ("mark_spam", "spam"), ("remove", "removed")],
)
def test_a_moderator_moderates_in_bulk(client, moderator, action, status):
    comments = pending(make_article(), 3)
    client.force_login(moderator)
    response = run_action(client, action, comments)
    assert response.status_code == 200
    assert set(Comment.objects.values_list("status", flat=True)) == {status}
    assert "3" in response.content.decode()


def test_approved_comments_then_appear_on_the_article(client, moderator):
    article = make_article()
    comments = pending(article, 2)
    client.force_login(moderator)
    run_action(client, "approve", comments)
    client.logout()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "قارئ 0" in html
    assert "قارئ 1" in html


@pytest.mark.parametrize("role", ["editor", "journalist", "site_owner"])
def test_other_roles_have_no_moderation_actions(client, request, role):
    user = request.getfixturevalue(role)
    comments = pending(make_article())
    client.force_login(user)
    response = client.get(CHANGELIST)
    if response.status_code == 200:
        assert 'value="approve"' not in response.content.decode()
    else:
        assert response.status_code == 403
    run_action(client, "approve", comments)
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_an_editor_sees_comments_but_cannot_change_their_status(client, editor):
    comment = pending(make_article())[0]
    client.force_login(editor)
    response = client.get(reverse("admin:comments_comment_change", args=[comment.pk]))
    assert response.status_code == 200
    assert 'name="status"' not in response.content.decode()


def test_the_moderator_sees_the_moderation_actions(client, moderator):
    pending(make_article())
    client.force_login(moderator)
    html = client.get(CHANGELIST).content.decode()
    for action in ("approve", "mark_spam", "remove"):
        assert f'value="{action}"' in html


def test_the_queue_has_filters_by_state_and_article_and_a_search(client, moderator):
    article = make_article(title="مقال التعليقات")
    pending(article)
    pending(make_article())  # the article filter appears once there is a choice
    client.force_login(moderator)
    response = client.get(CHANGELIST)
    html = response.content.decode()
    spec_titles = [str(spec.title) for spec in response.context["cl"].filter_specs]
    assert "الحالة" in spec_titles
    assert any("مقال" in title for title in spec_titles)
    assert "مقال التعليقات" in html
    assert 'name="q"' in html


def test_the_queue_filtered_on_pending_shows_only_waiting_comments(client, moderator):
    article = make_article()
    waiting = pending(article)[0]
    Comment.objects.create(
        article=article, name="منشور", email="o@x.ma", body="ok", status="approved"
    )
    client.force_login(moderator)
    response = client.get(CHANGELIST + "?status__exact=pending")
    assert list(response.context["cl"].result_list) == [waiting]


def test_search_finds_a_comment_by_text_or_email(client, moderator):
    article = make_article()
    pending(article, 3)
    client.force_login(moderator)
    response = client.get(CHANGELIST, {"q": "r1@x.ma"})
    assert [c.email for c in response.context["cl"].result_list] == ["r1@x.ma"]


def test_the_admin_index_counts_comments_awaiting_moderation(client, moderator):
    pending(make_article(), 3)
    client.force_login(moderator)
    html = client.get("/admin/").content.decode()
    assert "3 تعليقات في انتظار المراجعة" in html
    assert CHANGELIST + "?status__exact=pending" in html


def test_the_counter_is_hidden_from_users_without_the_moderation_permission(client, editor):
    pending(make_article(), 3)
    client.force_login(editor)
    assert "في انتظار المراجعة" not in client.get("/admin/").content.decode()


def test_moderators_edit_the_blocklist(client, moderator):
    client.force_login(moderator)
    response = client.post(
        "/admin/comments/blockedword/add/", {"word": "  كازينو   أونلاين "}, follow=True
    )
    assert response.status_code == 200
    assert BlockedWord.objects.get().word == "كازينو أونلاين"


def test_editors_cannot_edit_the_blocklist(client, editor):
    client.force_login(editor)
    assert client.get("/admin/comments/blockedword/add/").status_code == 403


def test_comments_cannot_be_added_from_the_admin(client, superuser):
    client.force_login(superuser)
    assert client.get("/admin/comments/comment/add/").status_code == 403
