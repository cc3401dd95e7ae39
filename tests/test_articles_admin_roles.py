"""Each role can do exactly what the newsroom expects of it in the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Article

from .factories import article_form_data as form_data
from .factories import make_article, make_author, make_tag
from .helpers import ARTICLE_CHANGELIST as CHANGELIST
from .helpers import article_change_url as change_url
from .helpers import run_article_action as run_action

pytestmark = pytest.mark.django_db

# --- journalists -------------------------------------------------------------------------------


def test_journalist_creates_a_draft_and_owns_it(client, journalist):
    client.force_login(journalist)
    response = client.post(reverse("admin:articles_article_add"), form_data())
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.created_by == journalist
    assert article.status == Article.Status.DRAFT


def test_journalist_cannot_publish_through_the_form(client, journalist):
    client.force_login(journalist)
    response = client.post(
        reverse("admin:articles_article_add"), form_data(status=Article.Status.PUBLISHED)
    )
    assert response.status_code == 200
    assert not Article.objects.exists()


def test_journalist_sees_only_their_own_articles(client, journalist, other_journalist):
    mine = make_article(title="مقالي", status=Article.Status.DRAFT, created_by=journalist)
    make_article(title="مقال زميل", status=Article.Status.DRAFT, created_by=other_journalist)
    client.force_login(journalist)
    response = client.get(CHANGELIST)
    assert list(response.context["cl"].result_list) == [mine]


def test_journalist_sees_articles_they_are_credited_on(client, journalist, editor):
    author = make_author(user=journalist)
    credited = make_article(status=Article.Status.DRAFT, created_by=editor, authors=[author])
    client.force_login(journalist)
    assert list(client.get(CHANGELIST).context["cl"].result_list) == [credited]


def test_journalist_edits_own_draft_but_not_once_published(client, journalist):
    draft = make_article(status=Article.Status.DRAFT, created_by=journalist)
    client.force_login(journalist)
    response = client.post(change_url(draft), form_data(draft, title_ar="عنوان معدل"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title_ar == "عنوان معدل"

    published = make_article(created_by=journalist)
    response = client.post(change_url(published), form_data(published, title_ar="تغيير"))
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.title_ar != "تغيير"


def test_journalist_cannot_open_a_colleagues_draft(client, journalist, other_journalist):
    theirs = make_article(status=Article.Status.DRAFT, created_by=other_journalist)
    client.force_login(journalist)
    response = client.post(change_url(theirs), form_data(theirs, title_ar="تخريب"))
    theirs.refresh_from_db()
    assert theirs.title_ar != "تخريب"
    assert response.status_code == 302  # the admin says it does not exist


def test_journalist_submits_for_review_but_cannot_publish_or_unpublish(client, journalist):
    draft = make_article(status=Article.Status.DRAFT, created_by=journalist)
    client.force_login(journalist)
    actions = dict(client.get(CHANGELIST).context["action_form"].fields["action"].choices)
    assert "submit_for_review" in actions
    assert "publish_now" not in actions and "unpublish" not in actions
    assert "delete_selected" not in actions

    run_action(client, "submit_for_review", draft)
    draft.refresh_from_db()
    assert draft.status == Article.Status.REVIEW

    run_action(client, "publish_now", draft)
    draft.refresh_from_db()
    assert draft.status == Article.Status.REVIEW


def test_journalist_never_deletes_published_work(client, journalist):
    published = make_article(created_by=journalist)
    client.force_login(journalist)
    url = reverse("admin:articles_article_delete", args=[published.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=published.pk).exists()


def test_journalist_may_delete_an_own_draft_never_published(client, journalist):
    draft = make_article(status=Article.Status.DRAFT, created_by=journalist)
    client.force_login(journalist)
    url = reverse("admin:articles_article_delete", args=[draft.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=draft.pk).exists()


def test_journalist_cannot_feature_or_mark_breaking(client, journalist):
    draft = make_article(status=Article.Status.DRAFT, created_by=journalist)
    client.force_login(journalist)
    client.post(change_url(draft), form_data(draft, is_featured="on", is_breaking="on"))
    draft.refresh_from_db()
    assert not draft.is_featured and not draft.is_breaking


def test_journalist_cannot_manage_categories_or_change_tags(client, journalist):
    tag = make_tag()
    client.force_login(journalist)
    assert client.get(reverse("admin:articles_category_add")).status_code == 403
    response = client.post(
        reverse("admin:articles_tag_change", args=[tag.pk]), {"name_ar": "x", "slug_ar": "x"}
    )
    assert response.status_code == 403
    assert client.post(reverse("admin:articles_tag_delete", args=[tag.pk])).status_code == 403
    # Creating a missing tag while writing is theirs (test_articles_editing.py).


# --- editors -----------------------------------------------------------------------------------


def test_editor_sees_and_edits_everyone_s_articles(client, editor, journalist):
    published = make_article(created_by=journalist)
    client.force_login(editor)
    assert published in client.get(CHANGELIST).context["cl"].result_list
    response = client.post(change_url(published), form_data(published, title_ar="تصحيح"))
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.title_ar == "تصحيح"


def test_editor_publishes_now_and_unpublishes(client, editor):
    review = make_article(status=Article.Status.REVIEW)
    client.force_login(editor)
    run_action(client, "publish_now", review)
    review.refresh_from_db()
    assert review.is_published() and review.first_published_at is not None
    assert review in Article.objects.published()

    run_action(client, "unpublish", review)
    review.refresh_from_db()
    assert review.status == Article.Status.DRAFT
    assert review not in Article.objects.published()


def test_editor_publishing_through_the_form_sets_times(client, editor):
    client.force_login(editor)
    client.post(reverse("admin:articles_article_add"), form_data(status="published"))
    article = Article.objects.get()
    assert article.is_published()
    assert article.first_published_at == article.publish_at


def test_editor_manages_categories_and_tags(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_category_add"),
        {"name_ar": "تكنولوجيا", "slug_ar": "تكنولوجيا", "order": 7, "is_active": "on"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("admin:articles_tag_add"), {"name_ar": "ذكاء", "slug_ar": "ذكاء"}
    )
    assert response.status_code == 302


# --- others ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["moderator", "site_owner"])
def test_moderators_and_site_owners_cannot_touch_articles(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(CHANGELIST).status_code == 403


def test_changelist_has_the_filters_search_and_columns_editors_need(client, editor):
    make_article(tags=[make_tag()])
    make_article(tags=[make_tag()])
    client.force_login(editor)
    client.cookies["django_language"] = "en"
    response = client.get(CHANGELIST)
    changelist = response.context["cl"]
    titles = [str(spec.title) for spec in changelist.filter_specs]
    assert titles == ["status", "category", "featured", "breaking news", "publish time", "tags"]
    assert changelist.date_hierarchy == "publish_at"
    assert "title_fr" in changelist.search_fields and "title_en" in changelist.search_fields
    assert list(changelist.list_display)[1:] == [
        "thumbnail", "title", "status", "category", "author_names", "publish_at",
        "is_featured", "is_breaking",
    ]  # fmt: skip


def test_search_finds_articles_by_their_french_title(client, editor):
    article = make_article(title_fr="Le Maroc et les États-Unis")
    make_article(title="خبر آخر")
    client.force_login(editor)
    response = client.get(CHANGELIST, {"q": "États-Unis"})
    assert list(response.context["cl"].result_list) == [article]


def test_tags_and_authors_use_autocomplete(client, editor):
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_add")).content.decode()
    assert 'class="admin-autocomplete"' in html
    assert 'data-field-name="tags"' in html
    assert 'data-model-name="articleauthor" data-field-name="author"' in html
