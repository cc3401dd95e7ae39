"""Delivery: every stored message reaches the owners once, whatever the mail server does."""

from __future__ import annotations

from datetime import timedelta
from email.utils import getaddresses

import pytest
from django.core.management import call_command
from django.utils import timezone

from contact.models import ContactMessage, ContactSubject
from contact.services import (
    DELIVERY_LEASE,
    build_email,
    contact_message_deliver,
    contact_message_submit,
    contact_messages_retry,
    retry_delay,
)

from .factories import contact_form_data as form_data
from .helpers import CONTACT_URL as URL

pytestmark = pytest.mark.django_db


def submit(**overrides) -> ContactMessage:
    values = {
        "subject": ContactSubject.objects.get(key="news-tip"),
        "name": "يوسف بنعلي",
        "email": "youssef@example.ma",
        "message": "شاهدت حادثا في شارع محمد الخامس صباح اليوم.",
        "language": "ar",
        "ip_address": "203.0.113.5",
    }
    values.update(overrides)
    return contact_message_submit(**values)


def elapse_back_off() -> None:
    """Time passes: every waiting message becomes due (no clock mocking needed)."""
    ContactMessage.objects.filter(delivered_at__isnull=True).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def test_valid_message_is_delivered_through_a_real_smtp_server_with_the_right_headers(
    client, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.DEFAULT_FROM_EMAIL = "newsroom@akhbar.example"
    settings.CONTACT_RECIPIENTS = ["owners@akhbar.example"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data())
    assert response.status_code == 302

    [email] = smtp_server.inbox.messages
    assert email["From"] == "newsroom@akhbar.example"
    assert email.envelope_from == "newsroom@akhbar.example"
    assert email.envelope_to == ["owners@akhbar.example"]
    [(reply_name, reply_address)] = getaddresses([str(email["Reply-To"])])
    assert (reply_name, reply_address) == ("فاطمة الزهراء", "reader@example.ma")
    assert str(email["Subject"]).strip() == f"[{settings.SITE_NAME}] استفسار عام، من فاطمة الزهراء"
    assert email.get_content_type() == "text/plain"
    body = email.get_content()
    assert "السلام عليكم، أود الاستفسار عن موعد نشر ملف الانتخابات." in body
    assert "reader@example.ma" in body
    stored = ContactMessage.objects.get()
    assert email["Message-ID"] == f"<contact-{stored.pk}@akhbar.example>"
    assert f"/admin/contact/contactmessage/{stored.pk}/change/" in body
    assert stored.is_delivered
    assert (stored.delivery_attempts, stored.last_error) == (1, "")


def test_subject_recipients_set_by_the_owners_receive_the_message(
    smtp_server, django_capture_on_commit_callbacks
):
    ContactSubject.objects.filter(key="advertising").update(
        recipients="pub@akhbar.example\ncommercial@akhbar.example"
    )
    with django_capture_on_commit_callbacks(execute=True):
        submit(subject=ContactSubject.objects.get(key="advertising"))
    [email] = smtp_server.inbox.messages
    assert sorted(email.envelope_to) == ["commercial@akhbar.example", "pub@akhbar.example"]


def test_smtp_down_keeps_the_message_stored_and_marked_undelivered(
    client, smtp_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data())
    assert response.status_code == 302  # the reader is thanked: the message is safe
    stored = ContactMessage.objects.get()
    assert not stored.is_delivered
    assert stored.delivery_attempts == 1
    assert "ConnectionRefusedError" in stored.last_error
    assert stored.next_attempt_at > timezone.now()
    assert list(ContactMessage.objects.undelivered()) == [stored]


def test_retry_command_delivers_once_the_server_is_back_exactly_once(
    smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.stop()
    with django_capture_on_commit_callbacks(execute=True):
        stored = submit()
    stored.refresh_from_db()
    assert not stored.is_delivered and stored.last_error

    call_command("contact_retry_delivery")  # back-off not over yet: nothing is attempted
    stored.refresh_from_db()
    assert stored.delivery_attempts == 1

    smtp_server.start()
    elapse_back_off()
    call_command("contact_retry_delivery")
    call_command("contact_retry_delivery")
    assert len(smtp_server.inbox.messages) == 1
    stored.refresh_from_db()
    assert stored.is_delivered
    assert (stored.delivery_attempts, stored.last_error) == (2, "")


def test_repeated_failures_back_off_exponentially(smtp_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        stored = submit()
    waits = []
    for _ in range(3):
        elapse_back_off()
        before = timezone.now()
        contact_messages_retry()
        stored.refresh_from_db()
        waits.append(stored.next_attempt_at - before)
    assert stored.delivery_attempts == 4
    assert waits[0] > timedelta(minutes=1.9)
    assert waits[1] > timedelta(minutes=3.9)
    assert waits[2] > timedelta(minutes=7.9)


def test_retry_delay_grows_and_is_capped():
    assert [retry_delay(n) for n in (1, 2, 3)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
    ]
    assert retry_delay(30) == timedelta(hours=6)


def test_a_message_being_sent_is_not_sent_again_by_a_second_worker(smtp_server):
    stored = submit()  # no on_commit run: nothing sent yet
    assert contact_message_deliver(message=stored) is True
    assert contact_message_deliver(message=stored) is False
    assert contact_messages_retry() == (0, 0)
    assert len(smtp_server.inbox.messages) == 1


def test_a_claimed_message_is_left_alone_until_its_lease_expires(smtp_server):
    stored = submit()
    ContactMessage.objects.filter(pk=stored.pk).update(
        next_attempt_at=timezone.now() + DELIVERY_LEASE, delivery_attempts=1
    )  # another process is sending it right now
    assert contact_message_deliver(message=stored) is False
    assert smtp_server.inbox.messages == []


def test_spam_is_never_emailed(smtp_server):
    stored = submit()
    ContactMessage.objects.filter(pk=stored.pk).update(status=ContactMessage.Status.SPAM)
    assert contact_messages_retry() == (0, 0)
    assert contact_message_deliver(message=stored) is False
    assert smtp_server.inbox.messages == []


def test_retry_command_reports_what_it_did(smtp_server, capsys):
    submit()
    call_command("contact_retry_delivery", "--limit", "10")
    assert "delivered: 1" in capsys.readouterr().out


def test_a_name_with_a_newline_stored_by_other_means_still_cannot_inject_headers(smtp_server):
    stored = submit(name="Ali\r\nBcc: victim@example.com", email="ali@example.ma")
    contact_message_deliver(message=stored)
    [email] = smtp_server.inbox.messages
    assert email["Bcc"] is None
    assert "victim@example.com" not in email.envelope_to
    assert "\n" not in str(email["Reply-To"]) and "\n" not in str(email["Subject"])


def test_html_in_a_message_travels_as_plain_text(smtp_server):
    hostile = "<script>alert(1)</script> <b>bold</b>"
    contact_message_deliver(message=submit(message=hostile))
    [email] = smtp_server.inbox.messages
    assert email.get_content_type() == "text/plain"
    assert hostile in email.get_content()


def test_a_deleted_subject_falls_back_to_the_site_recipients(settings):
    settings.CONTACT_RECIPIENTS = ["fallback@akhbar.example"]
    stored = submit()
    ContactSubject.objects.filter(key="news-tip").delete()
    stored.refresh_from_db()
    assert stored.subject is None
    assert stored.subject_label == "معلومة صحفية"
    assert build_email(stored).to == ["fallback@akhbar.example"]


@pytest.mark.django_db(transaction=True)
def test_after_a_real_commit_the_message_is_stored_then_delivered(client, smtp_server):
    response = client.post(URL, form_data())
    assert response.status_code == 302
    assert ContactMessage.objects.get().is_delivered
    assert len(smtp_server.inbox.messages) == 1


def test_an_unexpected_failure_while_emailing_still_thanks_the_reader(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    import contact.services

    def broken(*, message):
        raise RuntimeError("a bug in the mail code")

    monkeypatch.setattr(contact.services, "contact_message_deliver", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data())
    assert response.status_code == 302
    assert list(ContactMessage.objects.undelivered()) == [ContactMessage.objects.get()]


def test_retry_command_can_run_as_a_worker(smtp_server, capsys):
    submit()
    call_command("contact_retry_delivery", "--every", "0", "--passes", "2")
    out = capsys.readouterr().out
    assert out.splitlines() == ["delivered: 1, still undelivered: 0"]  # --every 0: one pass
    call_command("contact_retry_delivery", "--every", "1", "--passes", "2")
    assert capsys.readouterr().out.count("delivered: 0, still undelivered: 0") == 2
    assert len(smtp_server.inbox.messages) == 1
