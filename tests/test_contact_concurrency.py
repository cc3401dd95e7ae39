"""Fifty readers at once against gunicorn on PostgreSQL: all stored, all delivered, none twice.

The retry command runs in a loop meanwhile, as cron would, racing the requests for each new
message: the claim in contact_message_deliver() must let exactly one of them send it.
"""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db import connections as db_connections
from django.utils import timezone

from contact.forms import ContactForm
from contact.models import ContactMessage, ContactSubject
from contact.services import contact_messages_retry
from newsroom.antispam import signed_render_time

from . import servers

ROOT = Path(__file__).resolve().parent.parent
READERS = 50


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the test looks at the 302 itself


@pytest.fixture
def gunicorn(smtp_server):
    """gunicorn serving the project against the test database and the local SMTP server."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is measured on PostgreSQL only")
    env = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "DEFAULT_FROM_EMAIL": "newsroom@akhbar.example",
        "CONTACT_RECIPIENTS": "owners@akhbar.example",
    }
    with servers.gunicorn(env=env, workers=4, probe="/contact/") as base:
        yield base


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_messages_are_all_stored_and_delivered_once(gunicorn, smtp_server):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{gunicorn}/contact/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    subject = ContactSubject.objects.get(key="general")
    rendered = signed_render_time(ContactForm, timezone.now() - timedelta(minutes=1))

    def send(n: int) -> int:
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "name": f"قارئ رقم {n}",
                "email": f"reader{n}@example.ma",
                "subject": subject.pk,
                "message": f"رسالة رقم {n} من قارئ وفي.",
                "website": "",
                "rendered": rendered,
            }
        ).encode()
        request = urllib.request.Request(
            f"{gunicorn}/contact/",
            data=body,
            headers={
                "Cookie": cookie,
                "X-Forwarded-For": f"198.51.100.{n + 1}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        try:
            urllib.request.build_opener(NoRedirect).open(request, timeout=30)
        except urllib.error.HTTPError as response:
            return response.code
        return 200

    def retry_worker(stop: threading.Event) -> None:
        """A cron run of the retry command racing the requests for the same messages."""
        try:
            for _ in range(2000):  # bounded; ends as soon as the readers are done
                if stop.is_set():
                    break
                contact_messages_retry()
        finally:
            db_connections.close_all()

    stop = threading.Event()
    racer = threading.Thread(target=retry_worker, args=(stop,))
    racer.start()
    try:
        with ThreadPoolExecutor(max_workers=READERS) as pool:
            statuses = list(pool.map(send, range(READERS)))
    finally:
        stop.set()
        racer.join(timeout=30)

    assert statuses == [302] * READERS
    assert ContactMessage.objects.count() == READERS
    assert ContactMessage.objects.filter(delivered_at__isnull=False).count() == READERS
    assert set(ContactMessage.objects.values_list("delivery_attempts", flat=True)) == {1}
    assert len(ContactMessage.objects.values("ip_address").distinct()) == READERS

    call_command("contact_retry_delivery")  # nothing left to send: sends nothing more
    received = smtp_server.inbox.messages
    assert len(received) == READERS
    ids = {str(email["Message-ID"]) for email in received}
    assert len(ids) == READERS  # each message exactly once
    senders = {str(email["Reply-To"]) for email in received}
    assert len(senders) == READERS
