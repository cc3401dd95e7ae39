"""The owners' inbox in the admin: who sees it, states, filters, bulk actions, CSV export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from contact.models import ContactMessage, ContactSubject

from .factories import make_contact_message as make_message
from .factories import make_user

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/contact/contactmessage/"


def change_url(message: ContactMessage) -> str:
    return f"{CHANGELIST}{message.pk}/change/"


# --- who may read messages ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ["journalist", "editor", "moderator"])
def test_other_staff_cannot_see_messages(client, request, role):
    message = make_message()
    client.force_login(request.getfixturevalue(role))
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(message)).status_code == 403
    assert "سلمى العلوي" not in client.get("/admin/").content.decode()
    message.refresh_from_db()
    assert message.status == ContactMessage.Status.NEW  # a refused visit marks nothing read


@pytest.mark.parametrize("role", ["site_owner", "superuser"])
def test_site_owners_and_superusers_read_the_inbox(client, request, role):
    make_message()
    client.force_login(request.getfixturevalue(role))
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert "سلمى العلوي" in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_reader_without_staff_status_cannot_enter(client):
    client.force_login(make_user())
    assert client.get(CHANGELIST).status_code == 302


# --- the admin index counters -------------------------------------------------------------------


def test_admin_index_shows_the_unread_count_to_site_owners(client, site_owner):
    make_message()
    make_message(status=ContactMessage.Status.READ)
    make_message(delivered_at=None)
    client.force_login(site_owner)
    html = client.get("/admin/").content.decode()
    assert "رسائل تواصل غير مقروءة: 2" in html
    assert f'href="{CHANGELIST}?status__exact=new"' in html
    assert "رسائل تواصل لم تُرسل بالبريد بعد: 1" in html
    assert f'href="{CHANGELIST}?delivered=no"' in html


def test_admin_index_counter_in_french(client, site_owner):
    make_message()
    client.force_login(site_owner)
    client.cookies["django_language"] = "fr"
    assert "1 message de contact non lu" in client.get("/admin/").content.decode()


def test_editors_do_not_see_the_inbox_counter(client, editor):
    make_message()
    client.force_login(editor)
    assert "رسائل تواصل غير مقروءة" not in client.get("/admin/").content.decode()


# --- reading a message --------------------------------------------------------------------------


def test_opening_a_message_marks_it_read(client, site_owner):
    message = make_message()
    client.force_login(site_owner)
    response = client.get(change_url(message))
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == ContactMessage.Status.READ
    assert message.read_at is not None
    assert 'value="read" selected' in response.content.decode()


def test_opening_an_answered_message_keeps_its_state(client, site_owner):
    message = make_message(status=ContactMessage.Status.ANSWERED)
    client.force_login(site_owner)
    client.get(change_url(message))
    message.refresh_from_db()
    assert message.status == ContactMessage.Status.ANSWERED


def test_message_content_is_read_only_only_the_state_changes(client, site_owner):
    message = make_message()
    client.force_login(site_owner)
    html = client.get(change_url(message)).content.decode()
    assert 'name="status"' in html
    for field in ("name", "email", "message", "subject_label"):
        assert f'name="{field}"' not in html
    response = client.post(
        change_url(message),
        {"status": "answered", "name": "مزور", "message": "نص مزور", "email": "x@example.com"},
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == ContactMessage.Status.ANSWERED
    assert (message.name, message.email) == ("سلمى العلوي", "salma@example.ma")
    assert message.message.startswith("أريد أن أقترح")


def test_nobody_adds_messages_in_the_admin(client, superuser):
    client.force_login(superuser)
    assert client.get(f"{CHANGELIST}add/").status_code == 403


def test_hostile_text_is_escaped_in_the_inbox(client, site_owner):
    hostile = "<script>alert('x')</script>"
    message = make_message(name=hostile, message=hostile)
    client.force_login(site_owner)
    for url in (CHANGELIST, change_url(message)):
        html = client.get(url).content.decode()
        assert hostile not in html
        assert "&lt;script&gt;" in html


def test_readers_text_carries_dir_auto(client, site_owner):
    message = make_message(name="Jean Dupont", message="Bonjour,\nune question.")
    client.force_login(site_owner)
    html = client.get(change_url(message)).content.decode()
    assert '<div dir="auto">Bonjour,<br>une question.</div>' in html
    assert '<bdi dir="auto">Jean Dupont</bdi>' in client.get(CHANGELIST).content.decode()


def test_delivery_record_is_shown_on_an_undelivered_message(client, site_owner):
    message = make_message(
        delivered_at=None, delivery_attempts=3, last_error="SMTPServerDisconnected: gone"
    )
    client.force_login(site_owner)
    html = client.get(change_url(message)).content.decode()
    assert "SMTPServerDisconnected: gone" in html
    assert "محاولات الإرسال" in html


# --- the list: order, filters, search -----------------------------------------------------------


def test_newest_message_is_at_the_top(client, site_owner):
    make_message(name="رسالة قديمة", created_at=timezone.now() - timedelta(days=3))
    make_message(name="رسالة جديدة")
    client.force_login(site_owner)
    html = client.get(CHANGELIST).content.decode()
    assert html.index("رسالة جديدة") < html.index("رسالة قديمة")


def test_changelist_offers_the_filters_the_owners_need(client, site_owner):
    make_message()
    client.force_login(site_owner)
    html = client.get(CHANGELIST).content.decode()
    for title in ("الحالة", "الإرسال بالبريد الإلكتروني", "الموضوع", "اللغة", "تاريخ الاستلام"):
        assert f'<details data-filter-title="{title}"' in html
    assert "?status__exact=spam" in html
    assert "?delivered=no" in html
    assert 'id="changelist-search"' in html
    for action in ("mark_read", "mark_answered", "mark_spam", "mark_new", "export_csv"):
        assert f'<option value="{action}">' in html


def test_export_is_offered_but_not_state_changes_to_a_read_only_owner(client):
    from django.contrib.auth.models import Permission

    make_message()
    viewer = make_user(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_contactmessage"))
    client.force_login(viewer)
    html = client.get(CHANGELIST).content.decode()
    assert '<option value="export_csv">' in html
    assert '<option value="mark_read">' not in html


@pytest.mark.parametrize(
    ("query", "expected", "hidden"),
    [
        ("status__exact=new", "غير مقروءة", "مقروءة سابقا"),
        ("delivered=no", "لم تصل", "مقروءة سابقا"),
        ("delivered=yes", "مقروءة سابقا", "لم تصل"),
    ],
)
def test_filters_narrow_the_list(client, site_owner, query, expected, hidden):
    make_message(name="غير مقروءة", delivered_at=timezone.now())
    make_message(name="مقروءة سابقا", status=ContactMessage.Status.READ)
    make_message(name="لم تصل", status=ContactMessage.Status.READ, delivered_at=None)
    ContactMessage.objects.filter(name="غير مقروءة").update(delivered_at=timezone.now())
    ContactMessage.objects.filter(name="لم تصل").update(status=ContactMessage.Status.NEW)
    client.force_login(site_owner)
    html = client.get(f"{CHANGELIST}?{query}").content.decode()
    assert expected in html
    assert hidden not in html


def test_language_filter_names_the_languages(client, site_owner):
    make_message(name="قارئ فرنكفوني", language="fr")
    make_message(name="قارئ عربي", language="ar")
    client.force_login(site_owner)
    html = client.get(CHANGELIST).content.decode()
    assert "?language=fr" in html
    assert "الفرنسية" in html
    html = client.get(CHANGELIST, {"language": "fr"}).content.decode()
    assert "قارئ فرنكفوني" in html and "قارئ عربي" not in html


def test_the_list_shows_a_short_excerpt_of_each_message(client, site_owner):
    make_message(message="بداية الرسالة " + "ت" * 200)
    client.force_login(site_owner)
    html = client.get(CHANGELIST).content.decode()
    assert '<span dir="auto">بداية الرسالة ' in html
    assert "ت" * 200 not in html


def test_search_finds_a_message_by_arabic_words_or_email(client, site_owner):
    make_message(name="حسن", message="شكاية بخصوص الإشهار")
    make_message(name="ليلى", email="leila@example.fr", message="سؤال آخر")
    client.force_login(site_owner)
    html = client.get(CHANGELIST, {"q": "شكاية"}).content.decode()
    assert "حسن" in html and "ليلى" not in html
    html = client.get(CHANGELIST, {"q": "leila@example.fr"}).content.decode()
    assert "ليلى" in html and "حسن" not in html


def test_changelist_query_count_does_not_grow_with_messages(
    client, site_owner, django_assert_max_num_queries
):
    for n in range(30):
        make_message(name=f"قارئ {n}")
    client.force_login(site_owner)
    with django_assert_max_num_queries(12):
        response = client.get(CHANGELIST)
    assert response.status_code == 200


# --- bulk actions and export --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("mark_read", ContactMessage.Status.READ),
        ("mark_answered", ContactMessage.Status.ANSWERED),
        ("mark_spam", ContactMessage.Status.SPAM),
        ("mark_new", ContactMessage.Status.NEW),
    ],
)
def test_bulk_actions_change_the_state(client, site_owner, action, status):
    first = make_message(status=ContactMessage.Status.READ)
    second = make_message()
    client.force_login(site_owner)
    response = client.post(
        CHANGELIST, {"action": action, "_selected_action": [first.pk, second.pk]}, follow=True
    )
    assert response.status_code == 200
    assert set(ContactMessage.objects.values_list("status", flat=True)) == {status}
    assert "عدد الرسائل التي صُنّفت" in response.content.decode()


def test_marking_answered_records_when_it_was_first_read(client, site_owner):
    message = make_message()
    client.force_login(site_owner)
    client.post(CHANGELIST, {"action": "mark_answered", "_selected_action": [message.pk]})
    message.refresh_from_db()
    assert message.read_at is not None


def test_csv_export_contains_the_messages_in_utf8_with_formulas_neutralised(client, site_owner):
    message = make_message(name='=HYPERLINK("http://evil")', message="مرحبا\nسطر ثان")
    client.force_login(site_owner)
    response = client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [message.pk]})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="contact-messages-')
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][:4] == ["id", "received", "status", "subject"]
    assert rows[1][0] == str(message.pk)
    assert rows[1][4] == '\'=HYPERLINK("http://evil")'
    assert rows[1][8] == "مرحبا\nسطر ثان"


def test_retry_action_delivers_an_undelivered_message(client, site_owner, smtp_server):
    message = make_message(
        delivered_at=None,
        delivery_attempts=2,
        last_error="ConnectionRefusedError",
        next_attempt_at=timezone.now() + timedelta(hours=1),
    )
    client.force_login(site_owner)
    response = client.post(
        CHANGELIST, {"action": "retry_delivery", "_selected_action": [message.pk]}, follow=True
    )
    assert "عدد الرسائل التي أُرسلت: 1." in response.content.decode()
    assert len(smtp_server.inbox.messages) == 1
    message.refresh_from_db()
    assert message.is_delivered


def test_retry_action_reports_a_failure_and_keeps_the_message(client, site_owner, smtp_down):
    message = make_message(delivered_at=None, last_error="x", next_attempt_at=timezone.now())
    client.force_login(site_owner)
    response = client.post(
        CHANGELIST, {"action": "retry_delivery", "_selected_action": [message.pk]}, follow=True
    )
    assert "تعذّر إرسالها: 1" in response.content.decode()
    message.refresh_from_db()
    assert not message.is_delivered and message.last_error


# --- subjects -------------------------------------------------------------------------------------


def test_site_owners_edit_the_subjects_and_their_recipients(client, site_owner):
    subject = ContactSubject.objects.get(key="correction")
    client.force_login(site_owner)
    url = f"/admin/contact/contactsubject/{subject.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "key": "correction",
            "name_ar": "تصحيح خطأ",
            "name_fr": "Correction",
            "name_en": "Correction",
            "recipients": "not-an-address",
            "order": 30,
            "is_active": "on",
        },
    )
    assert response.status_code == 200  # refused: a typo would swallow messages
    assert "ليس عنوان بريد إلكتروني صالحا" in response.content.decode()
    response = client.post(
        url,
        {
            "key": "correction",
            "name_ar": "تصحيح خطأ",
            "name_fr": "Correction",
            "name_en": "Correction",
            "recipients": "desk@akhbar.example",
            "order": 30,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    subject.refresh_from_db()
    assert subject.recipient_list() == ["desk@akhbar.example"]
