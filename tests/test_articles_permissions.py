"""Who may edit, delete and publish an article, asked of the model layer directly, and the
two ways of submitting for review (the action and the change form) ending the same."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core import mail

from articles import permissions
from articles.models import Article
from newsroom import roles

from .factories import article_form_data as form_data
from .factories import make_article, make_author, make_user
from .helpers import article_change_url as change_url
from .helpers import run_article_action as run_action

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
HISTORY_PRIVATES = {"_change_reason", "_history_user", "skip_history_when_saving"}


def test_journalist_edits_and_deletes_an_own_draft(journalist):
    draft = make_article(status=Article.Status.DRAFT, created_by=journalist)
    assert permissions.can_edit(journalist, draft)
    assert permissions.can_delete(journalist, draft)
    assert draft.can_be_edited_by(journalist) and draft.can_be_deleted_by(journalist)


def test_journalist_edits_a_draft_crediting_them(journalist, other_journalist):
    byline = make_author(name="صحافي", user=journalist)
    draft = make_article(status=Article.Status.DRAFT, created_by=other_journalist, authors=[byline])
    assert permissions.can_edit(journalist, draft)


def test_journalist_keeps_editing_while_in_review(journalist):
    waiting = make_article(status=Article.Status.REVIEW, created_by=journalist)
    assert permissions.can_edit(journalist, waiting)


def test_journalist_may_not_touch_a_colleagues_draft(journalist, other_journalist):
    theirs = make_article(status=Article.Status.DRAFT, created_by=other_journalist)
    assert not permissions.can_edit(journalist, theirs)
    assert not permissions.can_delete(journalist, theirs)
    assert not theirs.can_be_edited_by(journalist)


def test_journalist_may_not_edit_or_delete_own_published_work(journalist):
    published = make_article(created_by=journalist)
    assert not permissions.can_edit(journalist, published)
    assert not permissions.can_delete(journalist, published)
    assert not published.can_be_edited_by(journalist)
    assert published.can_be_edited_by(make_user(username="chief", role=roles.EDITORS))


def test_journalist_may_not_delete_an_unpublished_article_that_was_once_online(journalist):
    article = make_article(created_by=journalist)
    article.status = Article.Status.DRAFT
    article.save()
    assert permissions.can_edit(journalist, article)
    assert not permissions.can_delete(journalist, article)


def test_journalist_neither_publishes_nor_sets_published(journalist):
    assert not permissions.user_can_publish(journalist)
    assert permissions.statuses_for(journalist) == [Article.Status.DRAFT, Article.Status.REVIEW]


def test_editor_edits_deletes_and_publishes_everyones_work(editor, journalist):
    draft = make_article(status=Article.Status.DRAFT, created_by=journalist)
    published = make_article(created_by=journalist)
    assert permissions.user_can_publish(editor)
    for article in (draft, published, None):
        assert permissions.can_edit(editor, article)
        assert permissions.can_delete(editor, article)
    assert Article.Status.PUBLISHED in permissions.statuses_for(editor)


def test_journalist_opens_only_own_work_in_the_admin_queryset(journalist, other_journalist):
    own = make_article(status=Article.Status.DRAFT, created_by=journalist)
    make_article(status=Article.Status.DRAFT, created_by=other_journalist)
    assert list(Article.objects.editable_by(journalist)) == [own]


def test_the_action_and_the_form_submit_for_review_alike(
    client, journalist, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_user(username="chief", role=roles.EDITORS, email="chief@news.example")
    by_action = make_article(title="بالإجراء", status=Article.Status.DRAFT, created_by=journalist)
    by_form = make_article(title="بالاستمارة", status=Article.Status.DRAFT, created_by=journalist)
    client.force_login(journalist)
    with django_capture_on_commit_callbacks(execute=True):
        run_action(client, "submit_for_review", by_action)
        client.post(change_url(by_form), form_data(by_form, status=Article.Status.REVIEW))

    for article in (by_action, by_form):
        article.refresh_from_db()
        assert article.status == Article.Status.REVIEW
        version = Article.history.filter(id=article.pk).first()
        assert version.history_change_reason == "submitted for review"
        assert version.history_user == journalist
    assert sorted(m.subject for m in mail.outbox) == sorted(
        f"مقال بانتظار المراجعة: {title}" for title in ("بالإجراء", "بالاستمارة")
    )


def test_only_the_service_layer_sets_the_historys_private_attributes():
    """One door to the history's bookkeeping: articles/services.py record_change()."""
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "var", "tests", "node_modules"}:
            continue
        if relative == Path("articles/services.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in HISTORY_PRIVATES:
                offenders.append(f"{relative}:{node.lineno}")
    assert offenders == []
