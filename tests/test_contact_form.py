"""The contact form as a reader meets it: pages, errors, defences and hostile input."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import resolve, reverse
from django.utils import timezone, translation
from django.utils.html import escape

from contact.forms import ContactForm
from contact.models import ContactMessage, ContactSubject
from newsroom import antispam
from newsroom.antispam import signed_render_time

from .factories import contact_form_data as form_data
from .factories import general_subject as general
from .helpers import CONTACT_URL as URL

pytestmark = pytest.mark.django_db


def post(client: Any, **overrides: Any) -> Any:
    return client.post(URL, form_data(**overrides))


def errors_of(response: Any) -> str:
    return response.content.decode()


# --- the pages -------------------------------------------------------------------------------


def test_url_names_round_trip():
    assert reverse("contact:form") == "/contact/"
    assert reverse("contact:thanks") == "/contact/thanks/"
    assert resolve("/contact/").view_name == "contact:form"
    with translation.override("fr"):
        assert reverse("contact:form") == "/fr/contact/"
    with translation.override("en"):
        assert reverse("contact:thanks") == "/en/contact/thanks/"


def test_form_page_is_arabic_rtl_with_every_field_and_the_default_subjects(
    client, django_assert_max_num_queries
):
    client.get(URL)  # the footer's page links are cached after the first page of the site
    with django_assert_max_num_queries(3):  # the shared header, the subjects list
        response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in html
    for label in ("اسمك", "بريدك الإلكتروني", "الموضوع", "الرسالة", "إرسال"):
        assert label in html
    for subject in ("استفسار عام", "معلومة صحفية", "طلب تصحيح", "الإشهار"):
        assert subject in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="website"' in html and 'name="rendered"' in html
    assert 'name="name" dir="auto"' in html or ('id="id_name"' in html and 'dir="auto"' in html)
    assert 'dir="ltr"' in html  # email addresses always read left to right


def test_thank_you_page_has_a_fixed_query_budget(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the shared header (sections menu) only
        response = client.get("/contact/thanks/")
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


@pytest.mark.parametrize(
    ("url", "lang", "words"),
    [
        ("/fr/contact/", "fr", ("Votre nom", "Demande de correction", "Envoyer")),
        ("/en/contact/", "en", ("Your name", "Correction request", "Send")),
    ],
)
def test_form_page_in_french_and_english(client, url, lang, words):
    html = client.get(url).content.decode()
    assert f'<html lang="{lang}" dir="ltr">' in html
    for word in words:
        assert word in html


def test_every_page_links_to_the_contact_form(client):
    assert 'href="/contact/"' in client.get("/").content.decode()
    assert 'href="/fr/contact/"' in client.get("/fr/").content.decode()


def test_subject_can_be_preselected_from_a_link(client):
    correction = ContactSubject.objects.get(key="correction")
    html = client.get(URL, {"subject": "correction"}).content.decode()
    assert f'<option value="{correction.pk}" selected>' in html


def test_inactive_subjects_are_not_offered(client):
    ContactSubject.objects.filter(key="advertising").update(is_active=False)
    assert "الإشهار" not in client.get(URL).content.decode()
    advertising = ContactSubject.objects.get(key="advertising")
    response = post(client, subject=str(advertising.pk))
    assert "اختر أحد المواضيع الواردة في القائمة." in errors_of(response)
    assert not ContactMessage.objects.exists()


# --- a valid message ---------------------------------------------------------------------------


def test_valid_message_is_stored_and_the_reader_sees_the_thank_you_page(client):
    response = post(client)
    assert response.status_code == 302
    assert response["Location"] == "/contact/thanks/"
    stored = ContactMessage.objects.get()
    assert (stored.name, stored.email, stored.subject) == (
        "فاطمة الزهراء",
        "reader@example.ma",
        general(),
    )
    assert stored.subject_label == "استفسار عام"
    assert stored.status == ContactMessage.Status.NEW
    assert stored.language == "ar"
    assert stored.ip_address == "127.0.0.1"
    thanks = client.get(response["Location"])
    assert "شكرا لك، لقد توصلنا برسالتك" in thanks.content.decode()


def test_french_reader_is_thanked_in_french(client):
    response = client.post("/fr/contact/", form_data())
    assert response["Location"] == "/fr/contact/thanks/"
    assert ContactMessage.objects.get().language == "fr"
    assert (
        "Merci, votre message a bien été reçu" in client.get(response["Location"]).content.decode()
    )


def test_stored_subject_label_is_in_the_owners_language_whatever_the_readers(client):
    client.post("/en/contact/", form_data())
    assert ContactMessage.objects.get().subject_label == "استفسار عام"


# --- errors next to each field, text kept ------------------------------------------------------


def test_empty_form_shows_an_error_next_to_each_field(client):
    response = client.post(URL, {})
    html = errors_of(response)
    assert response.status_code == 200
    assert html.count('class="field-errors"') == 4
    assert "هذا الحقل مطلوب" in html
    assert not ContactMessage.objects.exists()


def test_blank_name_and_message_made_of_spaces_are_refused(client):
    response = post(client, name="   ", message=" \n\t ")
    assert errors_of(response).count('class="field-errors"') == 2
    assert not ContactMessage.objects.exists()


def test_invisible_only_name_is_refused_as_empty(client):
    response = post(client, name="\u200b\u200f\u202e")
    assert "يرجى كتابة اسمك." in errors_of(response)
    assert not ContactMessage.objects.exists()


def test_malformed_email_is_refused_and_the_readers_text_is_kept(client):
    response = post(client, email="not-an-address", message="نص طويل كتبه القارئ بعناية.")
    html = errors_of(response)
    assert "عنوان بريد إلكتروني صحيح" in html
    assert "نص طويل كتبه القارئ بعناية." in html
    assert 'value="فاطمة الزهراء"' in html
    assert not ContactMessage.objects.exists()


def test_errors_are_localised_in_french(client):
    response = client.post("/fr/contact/", form_data(email="x"))
    assert "Saisissez une adresse de courriel valide" in response.content.decode()


def test_unknown_subject_is_refused(client):
    response = post(client, subject="99999")
    assert "اختر أحد المواضيع الواردة في القائمة." in errors_of(response)
    assert not ContactMessage.objects.exists()


# --- length limits -----------------------------------------------------------------------------


def test_message_of_5000_characters_is_accepted(client):
    assert post(client, message="ب" * 5000).status_code == 302
    assert len(ContactMessage.objects.get().message) == 5000


@pytest.mark.parametrize(
    ("field", "value"),
    [("message", "ب" * 5001), ("name", "ن" * 101), ("email", "a" * 250 + "@example.ma")],
)
def test_oversized_fields_are_refused(client, field, value):
    response = post(client, **{field: value})
    assert response.status_code == 200
    assert 'class="field-errors"' in errors_of(response)
    assert not ContactMessage.objects.exists()


def test_huge_body_is_refused_without_a_server_error(client):
    response = post(client, message="x" * 200_000)
    assert response.status_code == 200
    assert not ContactMessage.objects.exists()


# --- defences ------------------------------------------------------------------------------------


def shows_refusal(response: Any, message: Any) -> bool:
    """The page shows the shared defence's message, translated into Arabic."""
    with translation.override("ar"):
        text = escape(str(message))
    return not text.isascii() and text in response.content.decode()


def test_honeypot_filled_is_refused_with_its_message(client):
    response = post(client, website="http://spam.example")
    assert response.status_code == 200
    assert shows_refusal(response, antispam.HONEYPOT_ERROR)
    assert not ContactMessage.objects.exists()


def test_form_sent_too_fast_is_refused_with_its_message(client):
    response = post(client, rendered=signed_render_time(ContactForm, timezone.now()))
    assert shows_refusal(response, antispam.TOO_FAST_ERROR)
    assert not ContactMessage.objects.exists()


def test_tampered_render_time_is_refused_with_its_message(client):
    response = post(client, rendered="1700000000.0:forged")
    assert shows_refusal(response, antispam.TAMPERED_ERROR)
    assert not ContactMessage.objects.exists()


def test_missing_render_time_is_refused(client):
    data = form_data()
    del data["rendered"]
    response = client.post(URL, data)
    assert shows_refusal(response, antispam.TAMPERED_ERROR)
    assert not ContactMessage.objects.exists()


def test_replayed_old_page_is_refused_with_its_message_and_the_text_kept(client):
    old = signed_render_time(ContactForm, timezone.now() - timedelta(days=2))
    response = post(client, rendered=old, message="نص لا يضيع")
    assert shows_refusal(response, antispam.EXPIRED_ERROR)
    assert "نص لا يضيع" in response.content.decode()
    assert not ContactMessage.objects.exists()


def test_rate_limit_per_ip_address_is_refused_with_its_message(client):
    for n in range(5):
        assert post(client, email=f"reader{n}@example.ma").status_code == 302
    response = post(client, email="another@example.ma")
    assert response.status_code == 200
    assert shows_refusal(response, antispam.RateLimited().messages[0])
    assert ContactMessage.objects.count() == 5


def test_rate_limit_per_email_whatever_the_address(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        data = form_data(message=f"رسالة رقم {n}")
        response = client.post(URL, data, HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}")
        assert response.status_code == 302
    response = client.post(URL, form_data(), HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 200
    assert 'class="form-errors"' in errors_of(response)
    assert ContactMessage.objects.count() == 5


def test_rate_limit_does_not_count_refused_forms(client):
    for _ in range(8):
        post(client, email="typo")
    assert post(client).status_code == 302


def test_forged_forwarded_for_does_not_dodge_the_ip_limit(client):
    for n in range(5):
        client.post(
            URL, form_data(email=f"r{n}@example.ma"), HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        )
    response = client.post(
        URL, form_data(email="r9@example.ma"), HTTP_X_FORWARDED_FOR="198.51.100.77"
    )
    assert response.status_code == 200
    assert ContactMessage.objects.count() == 5


def test_csrf_protection_stays_on(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, form_data()).status_code == 403
    assert not ContactMessage.objects.exists()


def test_only_get_and_post_are_allowed(client):
    assert client.put(URL).status_code == 405
    assert client.delete(URL).status_code == 405


# --- hostile input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Ali\r\nBcc: victim@example.com",
        "Ali\nSubject: spam",
        "Ali\rX-Injected: 1",
        "علي\u2028Bcc: victim@example.com",
        "Ali\x85Bcc: victim@example.com",
    ],
)
def test_newlines_in_the_name_are_refused(client, name):
    response = post(client, name=name)
    assert "يجب أن يكون اسمك في سطر واحد." in errors_of(response)
    assert not ContactMessage.objects.exists()


def test_newline_in_email_is_refused(client):
    post(client, email="reader@example.ma\nBcc: victim@example.com")
    assert not ContactMessage.objects.exists()


def test_subject_cannot_be_injected_as_free_text(client):
    post(client, subject="1\r\nBcc: victim@example.com")
    assert not ContactMessage.objects.exists()


def test_zero_width_and_bidi_controls_are_stripped_from_name_and_message(client):
    post(
        client,
        name="\u202eفاطمة\u200b الزهراء\u2066",
        message="نص\u200d عادي\u202e مقلوب\u2069",
    )
    stored = ContactMessage.objects.get()
    assert stored.name == "فاطمة الزهراء"
    assert stored.message == "نص عادي مقلوب"


def test_html_and_script_are_stored_as_text_and_escaped_on_the_error_page(client):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = post(client, email="bad", name=hostile, message=hostile)
    html = errors_of(response)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    post(client, name=hostile, message=hostile)
    stored = ContactMessage.objects.get()
    assert stored.message == hostile  # kept verbatim, escaped wherever it is shown


def test_sql_looking_input_is_stored_inert(client):
    sql = "Robert'); DROP TABLE contact_contactmessage;--"
    post(client, name=sql, message=sql)
    assert ContactMessage.objects.get().message == sql


def test_nul_character_is_refused_not_a_server_error(client):
    response = post(client, message="abc\x00def")
    assert response.status_code == 200
    assert not ContactMessage.objects.exists()


def test_duplicate_submission_is_stored_once_and_the_reader_still_thanked(client):
    data = form_data()
    assert client.post(URL, data).status_code == 302
    response = client.post(URL, data)  # a double click, or the POST sent again on reload
    assert response.status_code == 302
    assert response["Location"] == "/contact/thanks/"
    assert ContactMessage.objects.count() == 1


def test_same_text_from_another_address_is_a_different_message(client):
    post(client)
    post(client, email="someone.else@example.ma")
    assert ContactMessage.objects.count() == 2


def test_invalid_utf8_body_is_stored_inert_never_a_server_error(client):
    body = (
        "name=%FF%FEAli&email=reader%40example.ma&subject="
        + str(general().pk)
        + "&message=%C3%28%A0%A1+bad+bytes&website=&rendered="
        + signed_render_time(ContactForm, timezone.now() - timedelta(minutes=1))
    )
    response = client.post(URL, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    stored = ContactMessage.objects.get()
    assert stored.name == "\ufffd\ufffdAli"
    assert "bad bytes" in stored.message


def test_windows_1256_form_encoding_is_refused_with_a_bad_request_not_a_server_error(client):
    from urllib.parse import urlencode

    body = urlencode(form_data(name="محمد", message="رسالة بترميز ويندوز"), encoding="cp1256")
    response = client.generic(
        "POST",
        URL,
        body.encode("ascii"),
        content_type="application/x-www-form-urlencoded; charset=windows-1256",
    )
    assert response.status_code == 400
    assert not ContactMessage.objects.exists()


def test_raw_cp1256_bytes_declared_as_utf8_are_stored_inert(client):
    from urllib.parse import urlencode

    body = urlencode(form_data(name="محمد"), encoding="cp1256")
    response = client.post(URL, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    stored = ContactMessage.objects.get()
    assert "\ufffd" in stored.name  # undecodable bytes became replacement characters


def test_unknown_charset_never_causes_a_server_error(client):
    response = client.generic(
        "POST",
        URL,
        b"name=a",
        content_type="application/x-www-form-urlencoded; charset=x-nonsense",
    )
    assert response.status_code in (200, 400)
    assert not ContactMessage.objects.exists()


def test_no_email_goes_out_before_commit(client):
    post(client)
    assert ContactMessage.objects.count() == 1
    assert mail.outbox == []  # the test transaction has not committed
