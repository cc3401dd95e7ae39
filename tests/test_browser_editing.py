"""The article form in a real browser: a day's work from draft to restored version, French written
left to right, clean pastes, and unsaved text that survives a failed save."""

from __future__ import annotations

import re

import pytest

from .factories import image_bytes, make_author, make_category, make_user
from .helpers import admin_login as login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_server_errors(page) -> list[str]:
    errors: list[str] = []
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} {response.url}") if response.status >= 500 else None
        ),
    )
    return errors


def choose_category(page, category) -> None:
    """The category is an autocomplete (select2) field: choose it as the widget would."""
    page.evaluate(
        "([pk, name]) => { const s = document.querySelector('#id_category');"
        " s.add(new Option(name, pk, true, true)); }",
        [str(category.pk), category.name],
    )


def success_text(page) -> str:
    """The admin's confirmation (its wording varies between adding and changing)."""
    message = page.locator(".messagelist .success").first
    message.wait_for()
    return message.inner_text()


def fill_hidden_tab(page, selector: str, value: str) -> None:
    """Fill a field of a language tab that is not the one shown, as typing there would."""
    page.locator(selector).evaluate(
        "(el, value) => { el.value = value;"
        " el.dispatchEvent(new Event('input', {bubbles: true})); }",
        value,
    )


def logout(page, live_server) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")


def test_a_day_from_draft_to_restored_version_without_an_error(
    page, live_server, tmp_path, screenshot_dir, offsite_requests
):
    from newsroom import roles

    journalist = make_user(username="journalist", role=roles.JOURNALISTS)
    make_user(username="editor", role=roles.EDITORS)
    make_author(name="سلمى الصحافية", user=journalist)
    category = make_category(name="سياسة")
    first_cover = tmp_path / "first.jpg"
    first_cover.write_bytes(image_bytes("JPEG", (1400, 800)))
    second_cover = tmp_path / "second.png"
    second_cover.write_bytes(image_bytes("PNG", (1000, 700)))
    errors = watch_server_errors(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The journalist writes, with a cover, and saves twice.
    login(page, live_server, "journalist")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.locator(".ProseMirror:visible").first.wait_for()
    assert "سلمى الصحافية" in page.locator("#articleauthor_set-group").inner_text()
    page.fill("#id_title_ar", "مقال يوم كامل")
    page.locator(".ProseMirror:visible").first.click()
    page.keyboard.type("نص المقال الأول.")
    choose_category(page, category)
    page.set_input_files("#id_cover_image", str(first_cover))
    page.fill("#id_cover_alt_ar", "صورة الغلاف")
    page.click("input[name=_continue]")
    assert "مقال يوم كامل" in success_text(page)
    assert re.search(r"/admin/articles/article/\d+/change/$", page.url)
    change_url = page.url

    page.click("input[name=_save]")
    assert "مقال يوم كامل" in success_text(page)

    # ... and submits it for review from the form.
    page.goto(change_url)
    page.select_option("#id_status", "review")
    page.click("input[name=_continue]")
    assert "مقال يوم كامل" in success_text(page)
    assert page.locator("#id_status").input_value() == "review"

    # The editor publishes it, then changes the cover.
    logout(page, live_server)
    login(page, live_server, "editor")
    page.goto(change_url)
    page.select_option("#id_status", "published")
    page.click("input[name=_continue]")
    assert "مقال يوم كامل" in success_text(page)
    page.set_input_files("#id_cover_image", str(second_cover))
    page.click("input[name=_continue]")
    assert "مقال يوم كامل" in success_text(page)

    from articles.models import Article

    article = Article.objects.get()
    assert article.is_published()
    assert [a.name for a in article.authors.all()] == ["سلمى الصحافية"]
    new_cover = article.cover_image.name
    assert new_cover.endswith(".png")

    # Restore the version that still had the first cover.
    page.goto(change_url.replace("/change/", "/history/"))
    with_first_cover = (
        article.history.filter(status="review").order_by("-history_date").first().history_id
    )
    page.click(f"a[href$='/history/{with_first_cover}/']")
    page.wait_for_url(re.compile(rf"/history/{with_first_cover}/$"))
    page.screenshot(path=str(screenshot_dir / "admin-article-revert-1280.png"))
    page.click("input[name=_save]")
    assert "مقال يوم كامل" in success_text(page)

    article.refresh_from_db()
    assert article.status == "review"
    assert article.cover_image.name.endswith(".jpg")
    assert article.cover_image.storage.exists(article.cover_image.name)
    assert article.cover_renditions["source"] == article.cover_image.name
    assert errors == []
    assert offsite_requests == []


def test_french_title_and_body_are_written_left_to_right(page, live_server):
    from newsroom import roles

    make_user(username="editor", role=roles.EDITORS)
    login(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.locator(".ProseMirror").first.wait_for(state="attached")

    def direction(selector: str) -> str:
        return page.eval_on_selector(selector, "el => getComputedStyle(el).direction")

    body_fr = ".field-body_fr .ProseMirror"
    body_ar = ".field-body_ar .ProseMirror"
    page.wait_for_function(
        "() => document.querySelector('#id_body_fr').closest('.prose-editor')"
        ".querySelector('.ProseMirror').getAttribute('dir') === 'ltr'"
    )
    assert direction("#id_title_fr") == "ltr"
    assert direction("#id_title_ar") == "rtl"
    assert direction(body_fr) == "ltr"
    assert page.eval_on_selector(body_fr, "el => el.lang") == "fr"
    assert direction(body_ar) == "rtl"
    assert page.eval_on_selector(body_ar, "el => el.lang") == "ar"


def test_pasted_text_becomes_clean_paragraphs(page, live_server):
    from newsroom import roles

    make_user(username="editor", role=roles.EDITORS)
    login(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    editor = page.locator(".ProseMirror:visible").first
    editor.wait_for()
    editor.click()
    page.evaluate(
        """() => {
          const target = document.querySelector('#id_body_ar')
            .closest('.prose-editor').querySelector('.ProseMirror');
          const data = new DataTransfer();
          data.setData('text/plain', 'السطر الأول\\u00a0\\u00a0\\u00a0مع مسافات\\r\\n'
            + 'السطر الثاني\\n\\n\\nالسطر&nbsp;&nbsp;الثالث');
          data.setData('text/html', '<p>السطر الأول&nbsp;&nbsp;<br>السطر الثاني</p>');
          target.dispatchEvent(new ClipboardEvent('paste',
            {clipboardData: data, bubbles: true, cancelable: true}));
        }"""
    )
    page.wait_for_function("() => document.querySelector('#id_body_ar').value.includes('الثالث')")
    html = page.locator("#id_body_ar").input_value()
    assert html == "<p>السطر الأول مع مسافات</p><p>السطر الثاني</p><p>السطر الثالث</p>"


def test_text_typed_before_a_failed_save_comes_back(page, live_server):
    from newsroom import roles

    make_user(username="editor", role=roles.EDITORS)
    category = make_category(name="سياسة")
    login(page, live_server, "editor")
    add_url = f"{live_server.url}/admin/articles/article/add/"
    page.goto(add_url)
    body = page.locator(".ProseMirror:visible").first
    body.wait_for()
    page.fill("#id_title_ar", "عنوان لن يضيع")
    body.click()
    page.keyboard.type("فقرة كتبت قبل انقطاع الخادم.")
    fill_hidden_tab(page, "#id_title_fr", "Un titre qui ne se perd pas")
    choose_category(page, category)

    # The server fails on save (a 502 from the proxy, say).
    page.route(
        "**/admin/articles/article/add/",
        lambda route: (
            route.fulfill(status=502, body="Bad gateway")
            if route.request.method == "POST"
            else route.continue_()
        ),
    )
    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert "Bad gateway" in page.content()
    page.unroute("**/admin/articles/article/add/")

    page.goto(add_url)
    restore = page.locator(".autosave-bar .autosave-restore")
    restore.wait_for()
    assert "غير محفوظ" in page.locator(".autosave-bar").inner_text()
    restore.click()
    assert page.locator("#id_title_ar").input_value() == "عنوان لن يضيع"
    assert page.locator("#id_title_fr").input_value() == "Un titre qui ne se perd pas"
    assert "فقرة كتبت قبل انقطاع الخادم." in page.locator("#id_body_ar").input_value()
    assert "فقرة كتبت قبل انقطاع الخادم." in page.locator(".ProseMirror:visible").first.inner_text()

    # A successful save drops the copy: the form opens clean next time.
    choose_category(page, category)
    page.click("input[name=_save]")
    assert "عنوان لن يضيع" in success_text(page)
    assert page.evaluate("() => localStorage.getItem('newsroom-autosave:new')") is None
    page.goto(add_url)
    page.locator(".ProseMirror:visible").first.wait_for()
    page.wait_for_timeout(1200)
    assert page.locator(".autosave-bar").count() == 0


def test_a_conflict_keeps_the_unsaved_text_for_after_the_reload(page, live_server):
    from articles.models import Article
    from newsroom import roles

    from .factories import make_article

    make_user(username="editor", role=roles.EDITORS)
    article = make_article(title="الأصل", status=Article.Status.DRAFT)
    login(page, live_server, "editor")
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    page.goto(url)
    page.locator(".ProseMirror:visible").first.wait_for()
    page.fill("#id_title_ar", "تعديلي")
    # Meanwhile a colleague saves.
    Article.objects.filter(pk=article.pk).update(version=1, title_ar="تعديل الزميل")
    page.click("input[name=_continue]")
    error = page.locator(".errornote, .errorlist").first
    error.wait_for()
    assert "بعد أن فتحته" in page.content()
    article.refresh_from_db()
    assert article.title_ar == "تعديل الزميل"

    page.goto(url)  # reload: the stored article, and the offer to bring back my text
    page.locator(".autosave-bar .autosave-restore").click()
    assert page.locator("#id_title_ar").input_value() == "تعديلي"


def test_seo_fields_count_characters_as_you_type(page, live_server):
    from newsroom import roles

    make_user(username="editor", role=roles.EDITORS)
    login(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    counter = page.locator("#id_meta_title_ar + .char-counter")
    counter.wait_for(state="attached")
    assert counter.text_content() == "0 / 70"
    page.evaluate(
        "() => document.querySelector('#id_meta_title_ar').closest('details')"
        "?.setAttribute('open', '')"
    )
    page.fill("#id_meta_title_ar", "عنوان")
    assert counter.text_content() == "5 / 70"
