"""Retention: messages older than the configured period are deleted, for readers' privacy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from contact.models import ContactMessage

from .factories import make_contact_message as make_message

pytestmark = pytest.mark.django_db


def aged(days: int, **kwargs) -> ContactMessage:
    return make_message(created_at=timezone.now() - timedelta(days=days), **kwargs)


def test_messages_older_than_two_years_are_deleted_by_default(capsys):
    old = aged(731, name="قديمة")
    undelivered_old = aged(800, delivered_at=None)
    recent = aged(729, name="حديثة")
    call_command("contact_purge")
    assert list(ContactMessage.objects.all()) == [recent]
    assert not ContactMessage.objects.filter(pk__in=[old.pk, undelivered_old.pk]).exists()
    assert "deleted: 2 (older than 730 days)" in capsys.readouterr().out


def test_retention_period_follows_the_setting(settings):
    settings.CONTACT_RETENTION_DAYS = 30
    aged(31)
    kept = aged(29)
    call_command("contact_purge")
    assert list(ContactMessage.objects.all()) == [kept]


def test_dry_run_deletes_nothing(capsys):
    aged(1000)
    call_command("contact_purge", "--dry-run")
    assert ContactMessage.objects.count() == 1
    assert "would delete: 1" in capsys.readouterr().out


def test_days_option_overrides_the_setting():
    aged(10)
    call_command("contact_purge", "--days", "5")
    assert not ContactMessage.objects.exists()


def test_a_retention_of_zero_days_is_refused_rather_than_deleting_everything():
    aged(0)
    with pytest.raises(CommandError):
        call_command("contact_purge", "--days", "0")
    assert ContactMessage.objects.count() == 1
