"""Guessing an editor's password: five tries, then that login is locked for an hour."""

import pytest
from django.test import Client

from .factories import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def attempt(client: Client, password: str, *, address: str = "203.0.113.5"):
    return client.post(
        LOGIN,
        {"username": "editor1", "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client):
    make_user(username="editor1", password="right-password-2026", is_staff=True)
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200  # the form again, with its error
    locked = attempt(client, "wrong")
    assert locked.status_code == 429
    response = attempt(client, "right-password-2026")
    assert response.status_code == 429
    assert "محاولات دخول فاشلة كثيرة" in response.content.decode()
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


def test_the_lockout_holds_only_for_that_address(client):
    make_user(username="editor1", password="right-password-2026", is_staff=True)
    for _ in range(5):
        attempt(client, "wrong")
    elsewhere = attempt(Client(), "right-password-2026", address="198.51.100.7")
    assert elsewhere.status_code == 302


def test_a_successful_login_resets_the_count(client):
    make_user(username="editor1", password="right-password-2026", is_staff=True)
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, "right-password-2026").status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200


def test_the_lockout_page_says_how_long_whom_to_ask_and_links_back(client, settings):
    settings.AXES_COOLOFF_TIME = 1
    make_user(username="editor1", password="right-password-2026", is_staff=True)
    for _ in range(5):
        attempt(client, "wrong")
    html = attempt(client, "right-password-2026").content.decode()
    assert "<title>محاولات دخول فاشلة كثيرة | إدارة غرفة الأخبار</title>" in html
    assert "Django" not in html
    assert "لمدة ساعة واحدة" in html
    assert "مسؤول الموقع" in html and "axes_reset" in html
    assert f'<a href="/">العودة إلى {settings.SITE_NAME}</a>' in html


def test_the_lockout_page_follows_the_configured_cool_off(client, settings):
    settings.AXES_COOLOFF_TIME = 2.5  # hours
    make_user(username="editor1", password="right-password-2026", is_staff=True)
    for _ in range(5):
        attempt(client, "wrong")
    html = attempt(client, "wrong").content.decode()
    assert "لمدة ساعتين و30 دقيقة" in html
