"""The shared defences: invisible characters, client address, honeypot, render time, rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone, translation

from newsroom.antispam import AntiSpamFormMixin, RateLimited, check_rate_limit, signed_render_time
from newsroom.http import client_ip
from newsroom.text import strip_invisible


class SampleForm(AntiSpamFormMixin, forms.Form):
    message = forms.CharField(max_length=100)


class OtherForm(AntiSpamFormMixin, forms.Form):
    message = forms.CharField(max_length=100)


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English here; the Arabic test switches explicitly."""
    with translation.override("en"):
        yield


def posted(form_class=SampleForm, *, seconds_ago: float = 60, **data):
    when = timezone.now() - timedelta(seconds=seconds_ago)
    payload = {"message": "سلام", "website": "", "rendered": signed_render_time(form_class, when)}
    payload.update(data)
    return form_class(data=payload)


# --- strip_invisible -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "char",
    [
        "\u200b",
        "\u200c",
        "\u200d",
        "\u2060",
        "\ufeff",
        "\u200e",
        "\u200f",
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\u061c",
        "\x00",
        "\x07",
        "\x1b",
    ],
)
def test_invisible_and_control_characters_are_removed(char):
    assert strip_invisible(f"سمي{char}ر") == "سمير"


def test_newlines_and_tabs_survive_and_windows_line_endings_become_newlines():
    assert strip_invisible("سطر أول\r\nسطر\tثان\n") == "سطر أول\nسطر\tثان\n"


def test_arabic_persian_and_latin_letters_are_untouched():
    text = "عملیة ک Café ١٢٣ ۱۲۳"
    assert strip_invisible(text) == text


# --- client_ip ------------------------------------------------------------------------------


def test_without_trusted_proxies_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get(
        "/", REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert client_ip(request) == "198.51.100.4"


def test_behind_one_proxy_the_last_forwarded_address_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9"
    )
    assert client_ip(request) == "203.0.113.9"


def test_behind_two_proxies_the_second_address_from_the_right_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9, 10.0.0.2"
    )
    assert client_ip(request) == "203.0.113.9"


@pytest.mark.parametrize("header", ["", "not-an-ip", "<script>", "1.2.3.4; DROP TABLE"])
def test_missing_or_malformed_forwarded_for_falls_back_to_the_peer(settings, header):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=header)
    assert client_ip(request) == "10.0.0.1"


def test_ipv6_addresses_are_normalised(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="2001:DB8:0:0::1"
    )
    assert client_ip(request) == "2001:db8::1"


# --- honeypot and render time ---------------------------------------------------------------


def test_a_form_posted_after_reading_is_accepted():
    form = posted()
    assert form.is_valid(), form.errors


def test_the_honeypot_is_hidden_from_people_and_out_of_the_tab_order():
    html = str(SampleForm()["website"])
    assert 'tabindex="-1"' in html
    assert 'aria-hidden="true"' in html
    assert 'autocomplete="off"' in html
    assert 'class="hp-field"' in html


def test_an_unbound_form_carries_a_signed_render_time():
    html = str(SampleForm()["rendered"])
    assert 'type="hidden"' in html
    assert 'name="rendered"' in html


def test_a_filled_honeypot_is_refused_with_a_clear_message():
    form = posted(website="http://spam.example")
    assert not form.is_valid()
    assert "must stay empty" in " ".join(form.non_field_errors())


def test_a_post_faster_than_three_seconds_is_refused():
    form = posted(seconds_ago=1)
    assert not form.is_valid()
    assert "too quickly" in " ".join(form.non_field_errors())


def test_a_token_older_than_a_day_is_refused_and_replaced_by_a_fresh_one():
    form = posted(seconds_ago=86400 + 60)
    old = form.data["rendered"]
    assert not form.is_valid()
    assert "expired" in " ".join(form.non_field_errors())
    assert form.data["rendered"] != old
    assert form.data["message"] == "سلام"  # the reader's text is kept


@pytest.mark.parametrize(
    "token", ["", "garbage", "eyJ0IjoxfQ:forged:signature", "<script>alert(1)</script>"]
)
def test_a_missing_or_tampered_token_is_refused(token):
    form = posted(rendered=token)
    assert not form.is_valid()
    assert "could not be verified" in " ".join(form.non_field_errors())


def test_a_token_from_another_form_is_refused():
    token = signed_render_time(OtherForm, timezone.now() - timedelta(minutes=5))
    form = posted(rendered=token)
    assert not form.is_valid()
    assert "could not be verified" in " ".join(form.non_field_errors())


def test_messages_are_translated_into_arabic():
    with translation.override("ar"):
        form = posted(seconds_ago=0)
        assert not form.is_valid()
        assert "بسرعة" in " ".join(form.non_field_errors())


# --- rate limit -----------------------------------------------------------------------------


def test_the_rate_limit_lets_the_allowed_number_through_then_refuses():
    keys = {"ip": "203.0.113.1"}
    check_rate_limit(scope="test", keys=keys, limits=[(2, 60)])
    check_rate_limit(scope="test", keys=keys, limits=[(2, 60)])
    with pytest.raises(RateLimited) as refused:
        check_rate_limit(scope="test", keys=keys, limits=[(2, 60)])
    assert isinstance(refused.value, ValidationError)
    assert "too many" in refused.value.messages[0]


def test_each_key_is_limited_on_its_own():
    check_rate_limit(scope="test", keys={"ip": "1.1.1.1", "email": "a@x.ma"}, limits=[(1, 60)])
    # same email from another address: the email counter refuses
    with pytest.raises(RateLimited):
        check_rate_limit(scope="test", keys={"ip": "2.2.2.2", "email": "A@X.ma"}, limits=[(1, 60)])
    # another email from another address goes through
    check_rate_limit(scope="test", keys={"ip": "3.3.3.3", "email": "b@x.ma"}, limits=[(1, 60)])


def test_scopes_do_not_share_counters():
    check_rate_limit(scope="comments", keys={"ip": "1.1.1.1"}, limits=[(1, 60)])
    check_rate_limit(scope="contact", keys={"ip": "1.1.1.1"}, limits=[(1, 60)])


def test_the_longer_window_also_applies():
    limits = [(100, 15), (3, 3600)]
    for _ in range(3):
        check_rate_limit(scope="test", keys={"ip": "1.1.1.1"}, limits=limits)
    with pytest.raises(RateLimited) as refused:
        check_rate_limit(scope="test", keys={"ip": "1.1.1.1"}, limits=limits)
    assert refused.value.retry_after == 3600


def test_the_cache_keys_never_hold_the_address_or_email_in_clear():
    from newsroom.antispam import _counter_key

    key = _counter_key("comments", "email", "reader@example.ma", 60)
    assert "reader" not in key
    assert "example" not in key


def test_an_expired_window_opens_again(monkeypatch):
    from django.core.cache import cache

    check_rate_limit(scope="test", keys={"ip": "1.1.1.1"}, limits=[(1, 60)])
    cache.clear()  # what the cache does when the window's timeout passes
    check_rate_limit(scope="test", keys={"ip": "1.1.1.1"}, limits=[(1, 60)])


@pytest.mark.parametrize(
    "text", ["سلمى\r\nBcc: x@evil.example", "a\u2028b", "a\x85b", "a\x1cb", "  a \n\n b  "]
)
def test_one_line_leaves_no_line_break_for_a_mail_header(text):
    from newsroom.text import one_line

    flat = one_line(text)
    assert not any(ch in flat for ch in "\r\n\u2028\u2029\x85\x1c\x1d\x1e")
    assert flat == flat.strip() and "  " not in flat


def test_one_line_cuts_to_the_limit():
    from newsroom.text import one_line

    assert one_line("مقال " * 100, 20) == ("مقال " * 100)[:20]
