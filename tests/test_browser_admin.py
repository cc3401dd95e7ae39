"""The editors' admin in a real browser: Arabic, right to left, tabs and editor working offline."""

from __future__ import annotations

import pytest

from .factories import make_category, make_user
from .helpers import admin_login as login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_writes_an_article_in_the_arabic_rtl_admin(
    page, offsite_requests, live_server, screenshot_dir
):
    from newsroom import roles

    make_user(username="editor", role=roles.EDITORS)
    category = make_category(name="سياسة")
    login(page, live_server, "editor")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    # modeltranslation's tabs need jQuery UI: served by us, so they render offline.
    tabs = page.locator(".ui-tabs-nav").first
    tabs.wait_for()
    assert tabs.is_visible()
    # The rich-text editor replaced the textarea.
    page.locator(".ProseMirror:visible").first.wait_for()
    page.screenshot(path=str(screenshot_dir / "admin-article-add-1280.png"), full_page=False)
    assert offsite_requests == []

    page.fill("#id_title_ar", "مقال من المتصفح")
    page.locator(".ProseMirror:visible").first.click()
    page.keyboard.type("نص كتبه المحرر في المتصفح.")
    page.select_option("#id_status", "published")
    # The category is an autocomplete (select2) field: choose it as the widget would.
    page.evaluate(
        "pk => { const s = document.querySelector('#id_category');"
        " s.add(new Option('سياسة', pk, true, true)); }",
        str(category.pk),
    )
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/articles/article/")
    assert page.locator("#result_list").inner_text().count("مقال من المتصفح") == 1

    from articles.models import Article

    article = Article.objects.get(title_ar="مقال من المتصفح")
    assert "نص كتبه المحرر في المتصفح." in article.body_ar
    assert article.is_published()
