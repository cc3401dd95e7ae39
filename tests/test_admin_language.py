"""Editors get the admin in Arabic, right to left, unless they choose another language."""

import pytest

pytestmark = pytest.mark.django_db


def test_admin_is_arabic_and_rtl_even_for_an_english_browser(client, editor):
    client.force_login(editor)
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="ar" dir="rtl">' in html


def test_login_page_is_arabic_for_a_visitor(client):
    html = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert '<html lang="ar" dir="rtl">' in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_editor_who_chose_french_or_english_keeps_it(client, editor, language):
    client.force_login(editor)
    client.post("/i18n/setlang/", {"language": language, "next": "/admin/"})
    html = client.get("/admin/").content.decode()
    assert f'<html lang="{language}" dir="ltr">' in html


def test_article_form_labels_are_in_arabic(client, editor):
    client.force_login(editor)
    html = client.get("/admin/articles/article/add/").content.decode()
    assert "العنوان" in html and "التصنيف" in html


def test_article_states_read_as_states_in_the_arabic_changelist(client, editor):
    from .factories import make_article

    make_article()
    client.force_login(editor)
    html = client.get("/admin/articles/article/").content.decode()
    assert '<td class="field-status">منشور</td>' in html
