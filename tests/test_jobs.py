"""Emails leave the request: queued in the database, sent by the worker, retried, never twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from articles.services import article_submit_for_review
from comments.models import Comment
from contact.models import ContactMessage
from newsroom import jobs

from .factories import contact_form_data, make_article, make_user
from .helpers import CONTACT_URL, post_comment

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def queue(settings: Any) -> None:
    """The production set-up: jobs are rows in the database until a worker takes them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MODERATOR_EMAILS = ["moderators@newsroom.ma"]
    settings.CONTACT_RECIPIENTS = ["owners@newsroom.ma"]


def run_worker() -> None:
    """One pass of `manage.py db_worker` over every job that is due."""
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def make_retries_due() -> None:
    """Time passes: every waiting retry and back-off is due now."""
    past = timezone.now() - timedelta(seconds=1)
    DBTaskResult.objects.filter(status="READY").update(run_after=past)
    ContactMessage.objects.exclude(next_attempt_at=None).update(next_attempt_at=past)


def test_a_contact_message_is_queued_not_sent_in_the_request(client, smtp_server):
    response = client.post(CONTACT_URL, contact_form_data())
    assert response.status_code == 302
    assert ContactMessage.objects.get().delivered_at is None
    assert smtp_server.inbox.messages == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    run_worker()
    assert ContactMessage.objects.get().is_delivered
    assert len(smtp_server.inbox.messages) == 1


def test_a_message_posted_while_smtp_is_down_is_delivered_once_it_is_back(client, smtp_server):
    smtp_server.stop()
    client.post(CONTACT_URL, contact_form_data())
    run_worker()  # the mail server is down: the job fails and books its retry
    message = ContactMessage.objects.get()
    assert not message.is_delivered and message.last_error
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # the retry, not yet due
    run_worker()
    assert not ContactMessage.objects.get().is_delivered  # a retry never runs early
    smtp_server.start()
    make_retries_due()
    run_worker()
    assert ContactMessage.objects.get().is_delivered
    make_retries_due()
    run_worker()
    call_command("contact_retry_delivery", verbosity=0)  # the sweep finds nothing left to send
    assert len(smtp_server.inbox.messages) == 1
    assert DBTaskResult.objects.filter(status="READY").count() == 0


def test_two_workers_never_send_one_message_twice(client, smtp_server):
    client.post(CONTACT_URL, contact_form_data())
    message = ContactMessage.objects.get()
    from contact.tasks import deliver_contact_message

    deliver_contact_message.enqueue(message_id=message.pk)  # a duplicate job
    run_worker()
    assert len(smtp_server.inbox.messages) == 1


def test_a_comment_notification_waits_for_smtp_and_is_sent_once(client, smtp_server):
    article = make_article()
    smtp_server.stop()
    post_comment(client, article, name="سمير", body="سؤال عن البرنامج")
    assert Comment.objects.get().status == Comment.Status.PENDING
    run_worker()
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    smtp_server.start()
    make_retries_due()
    run_worker()
    make_retries_due()
    run_worker()
    assert len(smtp_server.inbox.messages) == 1
    assert smtp_server.inbox.messages[0].envelope_to == ["moderators@newsroom.ma"]


def test_the_editors_hear_of_a_review_through_the_worker(smtp_server):
    make_user(username="editor", role="Editors", email="editor@newsroom.ma")
    journalist = make_user(username="journalist", role="Journalists")
    draft = make_article(status=Article.Status.DRAFT)
    article_submit_for_review(article=draft, user=journalist)
    assert smtp_server.inbox.messages == []
    run_worker()
    assert [m.envelope_to for m in smtp_server.inbox.messages] == [["editor@newsroom.ma"]]


def test_a_queue_that_cannot_take_a_job_loses_no_message(client, monkeypatch):
    from django_tasks_db import DatabaseBackend

    def broken(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("database busy")

    monkeypatch.setattr(DatabaseBackend, "enqueue", broken)
    response = client.post(CONTACT_URL, contact_form_data())
    assert response.status_code == 302
    assert list(ContactMessage.objects.undelivered()) == [ContactMessage.objects.get()]


def test_retries_back_off_and_give_up(monkeypatch, caplog):
    from comments.tasks import notify_moderators_of_comment

    queued: list[Any] = []

    class Deferred:
        def __init__(self, options: dict[str, Any]) -> None:
            self.options = options

        def enqueue(self, **kwargs: Any) -> None:
            queued.append(self.options)

    monkeypatch.setattr(jobs, "can_defer", lambda: True)
    monkeypatch.setattr(
        type(notify_moderators_of_comment), "using", lambda self, **options: Deferred(options)
    )
    before = timezone.now()
    assert jobs.retry_later(notify_moderators_of_comment, attempt=1, comment_id=1)
    assert jobs.retry_later(notify_moderators_of_comment, attempt=3, comment_id=1)
    assert queued[0]["run_after"] - before >= jobs.RETRY_DELAYS[0]
    assert queued[1]["run_after"] - before >= jobs.RETRY_DELAYS[2]
    assert not jobs.retry_later(
        notify_moderators_of_comment, attempt=len(jobs.RETRY_DELAYS) + 1, comment_id=1
    )
    assert "Giving up" in caplog.text
