"""Articles waiting for review are easy to find: counted, listed first, and emailed to editors."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from newsroom import roles

from .factories import article_form_data as form_data
from .factories import make_article, make_user
from .helpers import ARTICLE_CHANGELIST as CHANGELIST
from .helpers import article_change_url as change_url
from .helpers import run_article_action as run_action

pytestmark = pytest.mark.django_db


def _titles_in_order(html: str, titles: list[str]) -> list[str]:
    positions = {title: html.find(f">{title}<") for title in titles}
    assert all(position > 0 for position in positions.values()), positions
    return sorted(titles, key=positions.__getitem__)


# --- the admin index -------------------------------------------------------------------------


def test_editors_see_the_review_queue_on_the_admin_index(client, editor):
    for _ in range(3):
        make_article(status=Article.Status.REVIEW)
    make_article(status=Article.Status.DRAFT)
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    assert f'<a href="{CHANGELIST}?status__exact=review">3 مقالات بانتظار المراجعة</a>' in html


def test_the_review_counter_links_to_the_queue_only(client, editor):
    waiting = make_article(title="ينتظر المراجعة", status=Article.Status.REVIEW)
    make_article(title="مسودة أخرى", status=Article.Status.DRAFT)
    client.force_login(editor)
    html = client.get(CHANGELIST + "?status__exact=review").content.decode()
    assert waiting.title in html and "مسودة أخرى" not in html


def test_journalists_do_not_get_the_editors_counter(client, journalist):
    make_article(status=Article.Status.REVIEW)
    client.force_login(journalist)
    html = client.get(reverse("admin:index")).content.decode()
    assert "بانتظار المراجعة" not in html


# --- the changelist's order ------------------------------------------------------------------


def test_changelist_lists_review_then_drafts_then_the_rest_newest_first(client, editor):
    now = timezone.now()
    make_article(title="منشور قديم", publish_at=now - timedelta(days=3))
    make_article(title="منشور حديث", publish_at=now - timedelta(hours=1))
    make_article(title="مسودة", status=Article.Status.DRAFT)
    make_article(title="مراجعة قديمة", status=Article.Status.REVIEW)
    make_article(title="مراجعة حديثة", status=Article.Status.REVIEW)
    make_article(title="مؤرشف", status=Article.Status.ARCHIVED, publish_at=now)
    client.force_login(editor)
    html = client.get(CHANGELIST).content.decode()
    titles = ["منشور قديم", "منشور حديث", "مسودة", "مراجعة قديمة", "مراجعة حديثة", "مؤرشف"]
    assert _titles_in_order(html, titles) == [
        "مراجعة حديثة",
        "مراجعة قديمة",
        "مسودة",
        "مؤرشف",
        "منشور حديث",
        "منشور قديم",
    ]


def test_a_click_on_a_column_header_still_sorts_by_that_column(client, editor):
    make_article(title="ب منشور")
    make_article(title="ج مراجعة", status=Article.Status.REVIEW)
    make_article(title="أ مسودة", status=Article.Status.DRAFT)
    client.force_login(editor)
    html = client.get(CHANGELIST + "?o=2").content.decode()  # the title column
    assert _titles_in_order(html, ["ب منشور", "ج مراجعة", "أ مسودة"]) == [
        "أ مسودة",
        "ب منشور",
        "ج مراجعة",
    ]


# --- editors are told by email -----------------------------------------------------------------


@pytest.fixture
def editors(db):
    make_user(username="editor_a", role=roles.EDITORS, email="a@news.example")
    make_user(username="editor_b", role=roles.EDITORS, email="b@news.example")
    make_user(username="editor_no_mail", role=roles.EDITORS, email="")
    make_user(username="editor_gone", role=roles.EDITORS, email="c@news.example", is_active=False)


def _own_draft(journalist, title: str = "مقال للمراجعة") -> Article:
    return make_article(title=title, status=Article.Status.DRAFT, created_by=journalist)


def _assert_review_email(message, article: Article, settings) -> None:
    assert sorted(message.envelope_to) == ["a@news.example", "b@news.example"]
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert str(message["Subject"]).strip() == f"مقال بانتظار المراجعة: {article.title}"
    body = message.get_content()
    assert "أرسل journalist مقالا للمراجعة." in body
    assert f"العنوان: {article.title}" in body
    assert f"http://testserver/admin/articles/article/{article.pk}/change/" in body


def test_submit_for_review_emails_the_editors_once(
    client, journalist, editors, smtp_server, settings, django_capture_on_commit_callbacks
):
    article = _own_draft(journalist)
    client.force_login(journalist)
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(client, "submit_for_review", article)
    assert "1 مقال" in response.content.decode() or "مقال واحد" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    assert len(smtp_server.inbox.messages) == 1
    _assert_review_email(smtp_server.inbox.messages[0], article, settings)


def test_setting_in_review_in_the_form_emails_the_editors(
    client, journalist, editors, smtp_server, settings, django_capture_on_commit_callbacks
):
    article = _own_draft(journalist)
    client.force_login(journalist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change_url(article), form_data(article, status=Article.Status.REVIEW)
        )
    assert response.status_code == 302
    assert len(smtp_server.inbox.messages) == 1
    _assert_review_email(smtp_server.inbox.messages[0], article, settings)


def test_saving_a_draft_or_an_article_already_in_review_sends_nothing(
    client, journalist, editors, smtp_server, django_capture_on_commit_callbacks
):
    draft = _own_draft(journalist, "مسودة فقط")
    waiting = make_article(title="في المراجعة", status=Article.Status.REVIEW, created_by=journalist)
    client.force_login(journalist)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(change_url(draft), form_data(draft, body_ar="<p>تعديل</p>"))
        client.post(change_url(waiting), form_data(waiting, body_ar="<p>تعديل</p>"))
        run_action(client, "submit_for_review", waiting)
    assert smtp_server.inbox.messages == []


def test_no_email_leaves_before_the_commit(
    client, journalist, editors, smtp_server, django_capture_on_commit_callbacks
):
    article = _own_draft(journalist)
    client.force_login(journalist)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run_action(client, "submit_for_review", article)
    assert smtp_server.inbox.messages == []
    assert callbacks  # the email waits for the commit
    for callback in callbacks:
        callback()
    assert len(smtp_server.inbox.messages) == 1


def test_a_mail_outage_never_blocks_the_submission(
    client, journalist, editors, smtp_server, caplog, django_capture_on_commit_callbacks
):
    smtp_server.stop()
    article = _own_draft(journalist)
    client.force_login(journalist)
    with caplog.at_level(logging.ERROR, logger="articles.services"):
        with django_capture_on_commit_callbacks(execute=True):
            response = run_action(client, "submit_for_review", article)
    assert response.status_code == 200
    assert re.search(r'class="success">[^<]*للمراجعة', response.content.decode())
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    assert "Could not email the editors" in caplog.text


def test_a_mail_outage_never_blocks_the_form(
    client, journalist, editors, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.stop()
    article = _own_draft(journalist)
    client.force_login(journalist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change_url(article), form_data(article, status=Article.Status.REVIEW)
        )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


# --- the transitions record who did what ------------------------------------------------------


def test_publishing_and_unpublishing_are_versions_by_the_editor(client, editor):
    article = make_article(status=Article.Status.REVIEW)
    client.force_login(editor)
    run_action(client, "publish_now", article)
    run_action(client, "unpublish", article)
    versions = list(article.history.order_by("history_date"))
    assert [v.history_change_reason for v in versions[-2:]] == ["published", "unpublished"]
    assert all(v.history_user == editor for v in versions[-2:])
