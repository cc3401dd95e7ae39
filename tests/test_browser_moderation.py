"""The moderation queue in a real browser: it fits a 1280 px screen, long comments and all."""

from __future__ import annotations

import pytest

from comments.models import Comment

from .factories import make_article, make_user
from .helpers import admin_login as login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_moderation_queue_needs_no_sideways_scrolling_at_1280(
    page, live_server, screenshot_dir
):
    from newsroom import roles

    make_user(username="moderator", role=roles.MODERATORS)
    article = make_article(title="عنوان مقال طويل جدا عن الانتخابات والاقتصاد والرياضة " * 3)
    for n in range(5):
        Comment.objects.create(
            article=article,
            name=f"قارئ له اسم طويل نوعا ما رقم {n}",
            email=f"reader{n}@example.com",
            body=("تعليق طويل بلا نهاية تقريبا " * 40) + "https://example.com/" + "x" * 120,
            moderation_reasons="3 links, blocked: كازينو",
            ip_address="2001:db8:85a3::8a2e:370:7334",
            user_agent="Mozilla/5.0 " * 20,
        )
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "moderator")
    page.goto(f"{live_server.url}/admin/comments/comment/")
    page.locator("#result_list").wait_for()
    page.screenshot(path=str(screenshot_dir / "admin-comments-1280.png"), full_page=False)
    widths = page.evaluate(
        """() => {
            const results = document.querySelector('#changelist .results');
            const root = document.documentElement;
            return {results: [results.scrollWidth, results.clientWidth],
                    page: [root.scrollWidth, root.clientWidth]};
        }"""
    )
    assert widths["results"][0] <= widths["results"][1], widths
    assert widths["page"][0] <= widths["page"][1], widths
