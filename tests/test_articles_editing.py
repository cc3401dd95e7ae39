"""The article form through a working day: covers re-saved, versions restored, two editors at once,
French fields written left to right, bylines and tags for journalists."""

from __future__ import annotations

import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from articles.models import Article, ArticleAuthor

from .factories import article_form_data as form_data
from .factories import image_bytes, make_article, make_author, make_upload
from .helpers import article_change_url as change_url

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_article_add")


def post_with_cover(client, capture, url, data, *, name="cover.jpg", color=(200, 30, 30)):
    upload = make_upload(name, image_bytes("JPEG", (900, 600)))
    if color != (200, 30, 30):
        from io import BytesIO

        from PIL import Image

        buffer = BytesIO()
        Image.new("RGB", (900, 600), color).save(buffer, "JPEG")
        upload = make_upload(name, buffer.getvalue())
    with capture(execute=True):
        return client.post(url, {**data, "cover_image": upload, "cover_alt_ar": "وصف الصورة"})


def resave(client, capture, article: Article, **overrides):
    article.refresh_from_db()
    client.get(change_url(article))  # the editor opens the form first
    data = form_data(article, cover_alt_ar="وصف الصورة", opened_version=article.version)
    data.update(overrides)
    with capture(execute=True):
        return client.post(change_url(article), data, follow=True)


# --- 1. saving an article that has a cover -----------------------------------------------------


def test_an_article_with_a_cover_saves_again_without_changes(
    client, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    response = post_with_cover(
        client, django_capture_on_commit_callbacks, ADD, form_data(_continue="1")
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.cover_image.name.startswith(f"covers/{article.pk}-")
    response = resave(client, django_capture_on_commit_callbacks, article, _continue="1")
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == change_url(article)
    response = resave(client, django_capture_on_commit_callbacks, article)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("admin:articles_article_changelist")
    assert default_storage.exists(Article.objects.get().cover_image.name)


def test_a_journalist_submits_an_article_with_a_cover_and_an_editor_publishes_it(
    client, journalist, editor, django_capture_on_commit_callbacks
):
    client.force_login(journalist)
    post_with_cover(client, django_capture_on_commit_callbacks, ADD, form_data(_continue="1"))
    article = Article.objects.get()
    response = resave(client, django_capture_on_commit_callbacks, article, status="review")
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW

    client.force_login(editor)
    response = resave(client, django_capture_on_commit_callbacks, article, status="published")
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.is_published()


def test_a_cover_missing_from_storage_is_a_clear_arabic_error_not_a_crash(
    client, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    post_with_cover(client, django_capture_on_commit_callbacks, ADD, form_data())
    article = Article.objects.get()
    default_storage.delete(article.cover_image.name)
    response = resave(client, django_capture_on_commit_callbacks, article)
    assert response.status_code == 200
    assert "ملف الصورة المحفوظ مفقود" in response.content.decode()
    article.refresh_from_db()
    assert article.version == 0 and article.history.count() == 1  # nothing saved


# --- 2. restoring versions -----------------------------------------------------------------


def history_revert(client, article: Article, version) -> object:
    url = reverse("admin:articles_article_simple_history", args=[article.pk, version.history_id])
    page = client.get(url)
    assert page.status_code == 200
    opened = re.search(r'name="opened_version" value="(\d+)"', page.content.decode()).group(1)
    data = form_data(
        article,
        title_ar=version.title_ar,
        cover_alt_ar=version.cover_alt_ar or "",
        opened_version=opened,
    )
    return client.post(url, data, follow=True)


def test_restoring_the_version_that_uploaded_a_cover_works(
    client, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    post_with_cover(client, django_capture_on_commit_callbacks, ADD, form_data(title_ar="أول"))
    article = Article.objects.get()
    first_cover = article.cover_image.name
    client.get(change_url(article))
    post_with_cover(
        client,
        django_capture_on_commit_callbacks,
        change_url(article),
        form_data(article, title_ar="ثان", opened_version=article.version),
        name="other.jpg",
        color=(10, 90, 200),
    )
    article.refresh_from_db()
    assert article.cover_image.name != first_cover

    first = article.history.earliest("history_date")
    assert first.cover_image == first_cover  # the history follows the renamed file
    with django_capture_on_commit_callbacks(execute=True):
        response = history_revert(client, article, first)
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.title_ar == "أول"
    assert default_storage.exists(article.cover_image.name)
    assert default_storage.exists(article.cover_renditions["source"])
    assert article.cover_renditions["source"] == article.cover_image.name


def test_restoring_a_version_whose_cover_file_is_gone_keeps_the_current_cover(
    client, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    post_with_cover(client, django_capture_on_commit_callbacks, ADD, form_data(title_ar="أول"))
    article = Article.objects.get()
    first = article.history.earliest("history_date")
    first.cover_image = "covers/2020/01/gone.jpg"  # recorded before covers were renamed
    first.save()
    client.get(change_url(article))
    client.post(change_url(article), form_data(article, title_ar="ثان", cover_alt_ar="وصف"))
    article.refresh_from_db()
    current_cover = article.cover_image.name

    with django_capture_on_commit_callbacks(execute=True):
        response = history_revert(client, article, first)
    assert response.status_code == 200
    assert "لم تعد موجودة" in response.content.decode()
    article.refresh_from_db()
    assert article.title_ar == "أول"
    assert article.cover_image.name == current_cover
    assert default_storage.exists(current_cover)


def test_restoring_any_version_never_fails(client, editor, django_capture_on_commit_callbacks):
    client.force_login(editor)
    post_with_cover(client, django_capture_on_commit_callbacks, ADD, form_data(title_ar="أول"))
    article = Article.objects.get()
    for title in ("ثان", "ثالث"):
        article.refresh_from_db()
        client.get(change_url(article))
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                change_url(article),
                form_data(
                    article, title_ar=title, cover_alt_ar="وصف", opened_version=article.version
                ),
            )
    default_storage.delete(Article.objects.get().cover_image.name)  # even the current file
    for version in list(article.history.all()):
        article.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            response = history_revert(client, article, version)
        assert response.status_code == 200
        article.refresh_from_db()
        assert article.title_ar == version.title_ar
        if article.cover_image:
            assert default_storage.exists(article.cover_image.name)


# --- A. two editors at once ------------------------------------------------------------------


def test_the_second_of_two_editors_is_warned_and_overwrites_nothing(client, editor, journalist):
    from .factories import make_user

    article = make_article(title="الأصل", status=Article.Status.DRAFT, created_by=journalist)
    other = make_user(username="editor2", role="Editors", first_name="سلمى")
    first, second = client, type(client)()
    first.force_login(editor)
    second.force_login(other)
    page_one = first.get(change_url(article)).content.decode()
    page_two = second.get(change_url(article)).content.decode()
    opened = re.search(r'name="opened_version" value="(\d+)"', page_one).group(1)
    assert opened == re.search(r'name="opened_version" value="(\d+)"', page_two).group(1)

    response = second.post(
        change_url(article), form_data(article, title_ar="نسخة سلمى", opened_version=opened)
    )
    assert response.status_code == 302
    response = first.post(
        change_url(article), form_data(article, title_ar="نسخة المحرر", opened_version=opened)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "سلمى" in html and "بعد أن فتحته" in html
    article.refresh_from_db()
    assert article.title_ar == "نسخة سلمى"

    reopened = first.get(change_url(article)).content.decode()
    opened = re.search(r'name="opened_version" value="(\d+)"', reopened).group(1)
    response = first.post(
        change_url(article), form_data(article, title_ar="نسخة المحرر", opened_version=opened)
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title_ar == "نسخة المحرر"
    assert article.version == 2


def test_a_save_that_loses_the_race_after_checking_is_rolled_back(client, editor, monkeypatch):
    """The conditional UPDATE holds even when the form's check passed (no row lock on SQLite)."""
    from articles.forms import ArticleAdminForm

    article = make_article(title="الأصل", status=Article.Status.DRAFT)
    client.force_login(editor)
    original_clean = ArticleAdminForm.clean

    def clean_then_someone_saves(self):
        cleaned = original_clean(self)
        Article.objects.filter(pk=article.pk).update(version=5, title_ar="حفظ آخر")
        return cleaned

    monkeypatch.setattr(ArticleAdminForm, "clean", clean_then_someone_saves)
    response = client.post(
        change_url(article), form_data(article, title_ar="لن يحفظ", opened_version=0), follow=True
    )
    assert response.status_code == 200
    assert "بعد أن فتحته" in response.content.decode()
    article.refresh_from_db()
    assert article.title_ar == "الأصل"  # the whole save, the other write included, rolled back


# --- 3. language direction of translated fields ------------------------------------------------


def test_translated_fields_carry_their_language_direction(client, editor):
    client.force_login(editor)
    html = client.get(ADD).content.decode()

    def tag(name: str) -> str:
        return re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', html).group(0)

    for name in ("title_fr", "summary_en", "body_fr", "meta_title_fr", "slug_en"):
        assert 'dir="ltr"' in tag(name), name
        assert f'lang="{name[-2:]}"' in tag(name), name
    for name in ("title_ar", "body_ar", "summary_ar"):
        assert 'dir="rtl"' in tag(name) and 'lang="ar"' in tag(name), name
    assert "js/admin-editor.js" in html


# --- 4. a journalist's byline ------------------------------------------------------------------


def test_a_journalists_new_article_starts_with_their_byline(client, journalist):
    profile = make_author(name="سلمى الصحافية", user=journalist)
    client.force_login(journalist)
    html = client.get(ADD).content.decode()
    assert re.search(rf'<option value="{profile.pk}" selected>سلمى الصحافية</option>', html)
    client.post(ADD, form_data())
    article = Article.objects.get()
    assert list(article.authors.all()) == [profile]


def test_authors_chosen_in_the_form_are_kept(client, journalist):
    make_author(user=journalist)
    guest = make_author(name="كاتب ضيف")
    client.force_login(journalist)
    data = form_data()
    data.update(
        {
            "articleauthor_set-TOTAL_FORMS": "1",
            "articleauthor_set-0-author": guest.pk,
            "articleauthor_set-0-order": "0",
        }
    )
    client.post(ADD, data)
    assert list(ArticleAuthor.objects.values_list("author", flat=True)) == [guest.pk]


def test_a_user_without_an_author_profile_gets_no_byline(client, editor):
    client.force_login(editor)
    client.post(ADD, form_data())
    assert not Article.objects.get().authors.exists()


# --- 5. journalists create tags ------------------------------------------------------------------


def test_journalists_create_a_tag_from_the_article_form(client, journalist):
    from articles.models import Tag

    client.force_login(journalist)
    html = client.get(ADD).content.decode()
    assert 'id="add_id_tags"' in html
    popup = reverse("admin:articles_tag_add") + "?_to_field=id&_popup=1"
    assert client.get(popup).status_code == 200
    response = client.post(popup, {"name_ar": "انتخابات", "slug_ar": "انتخابات", "_popup": "1"})
    assert response.status_code == 200
    assert Tag.objects.get().name_ar == "انتخابات"


def test_an_agency_byline_adds_no_author(client, journalist):
    make_author(user=journalist)
    client.force_login(journalist)
    client.post(ADD, form_data(byline="و.م.ع"))
    assert not Article.objects.get().authors.exists()


def test_sections_tags_and_authors_forms_also_carry_language_direction(client, editor):
    client.force_login(editor)
    for name in ("category", "tag", "author"):
        html = client.get(reverse(f"admin:articles_{name}_add")).content.decode()
        field = re.search(r'<input[^>]*name="name_fr"[^>]*>', html).group(0)
        assert 'dir="ltr"' in field and 'lang="fr"' in field, name


def test_a_form_opened_before_a_publish_action_does_not_silently_unpublish(client, editor):
    """An action from the list is a save like any other: an older open form is refused."""
    from .helpers import run_article_action

    article = make_article(title="مسودة", status=Article.Status.DRAFT)
    page = client.force_login(editor) or client.get(change_url(article)).content.decode()
    opened = re.search(r'name="opened_version" value="(\d+)"', page).group(1)
    other = type(client)()
    other.force_login(editor)
    run_article_action(other, "publish_now", article)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED

    response = client.post(
        change_url(article),
        form_data(article, status=Article.Status.DRAFT, title_ar="مسودة", opened_version=opened),
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
