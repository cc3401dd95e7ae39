"""Pictures and embeds in bodies, in a real browser: from the editor to the public page."""

from __future__ import annotations

import io
import re
import urllib.request
from pathlib import Path

import pytest
from PIL import Image

from .factories import make_article, make_category, make_user
from .helpers import admin_login as login
from .html_checks import vnu_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def photo_bytes() -> bytes:
    image = Image.new("RGB", (1600, 1000), (30, 90, 150))
    for x in range(0, 1600, 100):
        image.paste((240, 200, 40), (x, 400, x + 50, 600))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def page_errors(html: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "page.html"
    path.write_bytes(html)
    return vnu_errors(path)


def test_an_editor_puts_a_captioned_picture_in_the_body_and_readers_get_it_responsive(
    page, offsite_requests, live_server, screenshot_dir, tmp_path
):
    from newsroom import roles

    make_user(username="editor", role=roles.EDITORS)
    category = make_category(name="اقتصاد")
    login(page, live_server, "editor")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    editor = page.locator(".ProseMirror:visible").first
    editor.wait_for()

    page.fill("#id_title_ar", "ميناء طنجة المتوسط يسجل رقما قياسيا")
    editor.click()
    page.keyboard.type("سجل الميناء رقما قياسيا هذا العام.")
    page.keyboard.press("Enter")

    button = page.locator(".prose-menubar:visible button[title='إدراج صورة']").first
    button.click()
    dialog = page.locator("dialog.library-dialog[open]")
    dialog.wait_for()

    # A file that is not an image: the dialog says so, in Arabic, and inserts nothing.
    dialog.locator("input[type=file]").set_input_files(
        {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"this is not a picture"}
    )
    dialog.locator("input[name=alt]").fill("رافعات الحاويات في ميناء طنجة المتوسط")
    dialog.locator("input[name=caption]").fill("أرصفة الحاويات صباح الاثنين")
    dialog.locator("input[name=credit]").fill("و.م.ع")
    dialog.locator("button[type=submit]").click()
    alert = dialog.locator("[role=alert]")
    alert.wait_for()
    assert "ليس صورة" in alert.inner_text()
    page.screenshot(path=str(screenshot_dir / "admin-body-image-error-1280.png"))

    dialog.locator("input[type=file]").set_input_files(
        {"name": "port.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}
    )
    dialog.locator("button[type=submit]").click()
    dialog.wait_for(state="detached")
    inserted = editor.locator("figure img[data-media-id]")
    inserted.wait_for()
    assert editor.locator("figcaption").inner_text() == "أرصفة الحاويات صباح الاثنين — و.م.ع"
    page.screenshot(path=str(screenshot_dir / "admin-body-image-1280.png"))

    page.select_option("#id_status", "published")
    page.evaluate(
        "pk => { const s = document.querySelector('#id_category');"
        " s.add(new Option('اقتصاد', pk, true, true)); }",
        str(category.pk),
    )
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/articles/article/")

    from articles.models import Article
    from library.models import MediaImage

    article = Article.objects.get(title_ar="ميناء طنجة المتوسط يسجل رقما قياسيا")
    picture = MediaImage.objects.get()
    assert article.is_published()
    assert f'data-media-id="{picture.pk}"' in article.body_ar
    assert picture.alt_ar == "رافعات الحاويات في ميناء طنجة المتوسط"
    assert picture.uploaded_by.username == "editor"

    page.goto(live_server.url + article.get_absolute_url())
    figure = page.locator(".article__body figure")
    img = figure.locator("picture img")
    assert img.get_attribute("alt") == "رافعات الحاويات في ميناء طنجة المتوسط"
    assert img.get_attribute("loading") == "lazy"
    assert (img.get_attribute("width"), img.get_attribute("height")) == ("1280", "800")
    assert "640w" in img.get_attribute("srcset") and img.get_attribute("sizes")
    assert ".webp" in figure.locator("picture source").get_attribute("srcset")
    assert figure.locator("figcaption").inner_text() == "أرصفة الحاويات صباح الاثنين — و.م.ع"
    img.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const i = document.querySelector('.article__body picture img');"
        " return i.complete && i.naturalWidth > 0; }"
    )
    page.screenshot(path=str(screenshot_dir / "article-body-image-1280.png"), full_page=True)
    assert offsite_requests == []

    with urllib.request.urlopen(live_server.url + article.get_absolute_url()) as response:  # noqa: S310
        assert page_errors(response.read(), tmp_path) == []


def test_a_youtube_card_loads_the_cookie_less_player_only_on_click(
    page, offsite_requests, live_server, screenshot_dir
):
    article = make_article(
        title="الملخص الكامل للمباراة",
        body="<p>شاهدوا الملخص:</p><p>https://www.youtube.com/watch?v=dQw4w9WgXcQ</p>",
    )
    stubbed: list[str] = []

    def stub(route):
        stubbed.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<!doctype html><p>player</p>")

    # Anything bound elsewhere than the live server would leave the machine: answer it here.
    page.route(re.compile(rf"^(?!{re.escape(live_server.url)}/).*"), stub)
    page.goto(live_server.url + article.get_absolute_url())
    card = page.locator(".embed--youtube .embed__link")
    assert card.inner_text().startswith("شاهد على يوتيوب")
    assert page.locator("iframe").count() == 0
    page.wait_for_load_state("networkidle")
    assert offsite_requests == [] and stubbed == []
    page.screenshot(path=str(screenshot_dir / "article-embed-card-1280.png"))

    card.click()
    frame = page.locator(".embed iframe")
    frame.wait_for()
    assert frame.get_attribute("src").startswith(
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    )
    page.wait_for_load_state("networkidle")
    assert stubbed and all(u.startswith("https://www.youtube-nocookie.com/") for u in stubbed)
    assert all(u.startswith("https://www.youtube-nocookie.com/") for u in offsite_requests)
    page.screenshot(path=str(screenshot_dir / "article-embed-clicked-1280.png"))


def test_a_journalist_reuses_a_recent_library_picture(page, offsite_requests, live_server):
    from library.services import image_add
    from newsroom import roles

    known = image_add(
        data=photo_bytes(), alt="رافعات الميناء", caption="الميناء ليلا", credit="و.م.ع"
    )
    make_user(username="journalist", role=roles.JOURNALISTS)
    login(page, live_server, "journalist")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    editor = page.locator(".ProseMirror:visible").first
    editor.wait_for()
    editor.click()
    page.locator(".prose-menubar:visible button[title='إدراج صورة']").first.click()
    dialog = page.locator("dialog.library-dialog[open]")
    dialog.locator(f".library-dialog__pick[data-media-id='{known.pk}']").click()
    assert dialog.locator("input[name=alt]").input_value() == "رافعات الميناء"
    dialog.locator("input[name=caption]").fill("الميناء ليلا، أمس")
    dialog.locator("button[type=submit]").click()
    dialog.wait_for(state="detached")
    img = editor.locator(f"figure img[data-media-id='{known.pk}']")
    img.wait_for()
    assert img.get_attribute("alt") == "رافعات الميناء"
    assert editor.locator("figcaption").inner_text() == "الميناء ليلا، أمس — و.م.ع"
    assert offsite_requests == []
