"""The contact form in Debian's chromium: a reader writes in Arabic, a site owner finds it.

Screenshots of the form, the thank-you page and the inbox are saved to the folder the test
run prints at the end.
"""

from __future__ import annotations

import re

import pytest

from contact.forms import ContactForm
from contact.models import ContactMessage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_reader_sends_an_arabic_message_and_the_owner_finds_it_unread_at_the_top(
    page, offsite_requests, live_server, site_owner, smtp_server, monkeypatch, screenshot_dir
):
    # A person takes longer than three seconds to write; the browser does not need to wait.
    monkeypatch.setattr(ContactForm, "min_seconds", 0)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    page.click("footer >> text=اتصل بنا")
    page.wait_for_url(f"{live_server.url}/contact/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    honeypot = page.locator("div.hp-field").bounding_box()  # out of sight, clipped to 1px
    assert honeypot["width"] <= 1 and honeypot["height"] <= 1

    page.fill("#id_name", "خديجة المنصوري")
    page.fill("#id_email", "khadija@example.ma")
    page.select_option("#id_subject", label="معلومة صحفية")
    page.fill(
        "#id_message", "انقطع الماء عن حي السلام بسلا منذ ثلاثة أيام، والسكان ينتظرون توضيحا."
    )
    page.screenshot(path=str(screenshot_dir / "contact-form-390.png"), full_page=True)
    page.click("form.contact-form button[type=submit]")

    page.wait_for_url(f"{live_server.url}/contact/thanks/")
    assert "شكرا لك، لقد توصلنا برسالتك" in page.locator("h1").inner_text()
    page.screenshot(path=str(screenshot_dir / "contact-thanks-390.png"), full_page=True)
    assert ContactMessage.objects.get().is_delivered
    assert len(smtp_server.inbox.messages) == 1

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", site_owner.username)
    page.fill("#id_password", "pw-for-tests")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    counter = page.locator(".dashboard-counters a", has_text="رسائل تواصل غير مقروءة: 1")
    counter.click()
    page.wait_for_url("**/admin/contact/contactmessage/?status__exact=new")
    first_row = page.locator("#result_list tbody tr").first
    assert "خديجة المنصوري" in first_row.inner_text()
    assert "معلومة صحفية" in first_row.inner_text()
    page.screenshot(path=str(screenshot_dir / "contact-inbox-1280.png"), full_page=False)

    first_row.locator("th a, td a").first.click()
    page.wait_for_url(re.compile(r"/admin/contact/contactmessage/\d+/change/"))
    assert "انقطع الماء عن حي السلام" in page.locator("#content").inner_text()
    assert page.locator("#id_status").input_value() == "read"
    assert ContactMessage.objects.get().status == ContactMessage.Status.READ
    assert offsite_requests == []
