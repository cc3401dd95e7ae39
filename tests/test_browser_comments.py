"""A reader comments in Arabic, a moderator approves it in the admin, the reader sees it."""

from __future__ import annotations

import pytest

from comments.forms import CommentForm
from comments.models import Comment
from newsroom import roles

from .factories import make_article, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_comment_is_approved_by_a_moderator_then_shown(
    page, offsite_requests, browser, live_server, monkeypatch, screenshot_dir
):
    # A person takes more than 3 seconds to write; the browser types at once.
    monkeypatch.setattr(CommentForm, "min_seconds", 0)
    make_user(username="moderator", role=roles.MODERATORS)
    article = make_article(title="افتتاح خط القطار الجديد")
    url = live_server.url + article.get_absolute_url()

    # The reader posts in Arabic.
    page.goto(url)
    assert page.locator("html").get_attribute("dir") == "rtl"
    # The honeypot sits off screen on the side that never scrolls, and adds no scrollbar.
    box = page.locator("#id_website").bounding_box()
    width = page.viewport_size["width"]
    assert box["x"] >= width or box["x"] + box["width"] <= 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.fill("#id_name", "فاطمة الزهراء")
    page.fill("#id_email", "fatima@example.ma")
    page.fill("#id_body", "خبر سار لسكان الجهة.\nننتظر التوقيت الجديد.")
    page.click("#comment-form button[type=submit]")
    page.wait_for_load_state()
    assert "تعليقك في انتظار المراجعة" in page.locator(".messages").inner_text()
    assert "خبر سار لسكان الجهة" not in page.locator("#comments").inner_text()
    page.screenshot(path=str(screenshot_dir / "comments-awaiting-moderation.png"), full_page=True)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING

    # The moderator approves it from the queue the admin index points to.
    moderator = browser.new_context(locale="ar").new_page()
    moderator.goto(f"{live_server.url}/admin/login/")
    moderator.fill("#id_username", "moderator")
    moderator.fill("#id_password", "pw-for-tests")
    moderator.click("input[type=submit]")
    moderator.wait_for_url(f"{live_server.url}/admin/")
    moderator.click("text=تعليق واحد في انتظار المراجعة")
    moderator.check(f"input[name=_selected_action][value='{comment.pk}']")
    moderator.select_option("select[name=action]", "approve")
    moderator.click("button[name=index]")
    moderator.wait_for_load_state()
    assert "مقبول" in moderator.locator(".messagelist").inner_text()
    moderator.screenshot(path=str(screenshot_dir / "comments-admin-approved.png"))
    moderator.context.close()

    # The reader reloads and sees the comment, line break kept.
    page.goto(url)
    section = page.locator("#comments")
    assert "فاطمة الزهراء" in section.inner_text()
    assert "خبر سار لسكان الجهة." in section.inner_text()
    assert page.locator(".comment__body br").count() == 1
    assert page.locator(".comment__body").get_attribute("dir") == "auto"
    page.screenshot(path=str(screenshot_dir / "comments-published.png"), full_page=True)
    assert offsite_requests == []


@pytest.mark.parametrize("trusted", [False, True], ids=["awaiting-moderation", "published"])
def test_after_posting_the_reader_sees_the_confirmation_where_they_are(
    page, live_server, monkeypatch, screenshot_dir, trusted
):
    from playwright.sync_api import expect

    monkeypatch.setattr(CommentForm, "min_seconds", 0)
    body = "".join(f"<p>فقرة طويلة رقم {n} من نص المقال تملأ الشاشة.</p>" for n in range(40))
    article = make_article(title="خبر طويل", body=body)
    for n in range(8):
        Comment.objects.create(
            article=article,
            name=f"قارئ {n}",
            email="old@example.ma" if trusted else f"r{n}@example.ma",
            body="تعليق سابق",
            status=Comment.Status.APPROVED,
        )
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + article.get_absolute_url())
    page.fill("#id_name", "سمير")
    page.fill("#id_email", "old@example.ma" if trusted else "new@example.ma")
    page.fill("#id_body", "تعليق جديد")
    page.click("#comment-form button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("#comments")
    status = page.locator("#comments [role=status]")
    expected = "تعليقك منشور" if trusted else "تعليقك في انتظار المراجعة"
    expect(status).to_contain_text(expected)
    expect(status).to_be_in_viewport()
    assert page.locator("body > .messages").count() == 0
    page.screenshot(path=str(screenshot_dir / f"comments-confirmation-{trusted}.png"))
