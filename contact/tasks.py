"""The contact form's background job: deliver one stored message to the owners."""

from __future__ import annotations

from django_tasks import task

from newsroom import jobs

from . import services
from .models import ContactMessage

MAX_ATTEMPTS = 20


@task()
def deliver_contact_message(message_id: int, attempt: int = 1) -> bool:
    """Email the message unless it is delivered already; when the mail server fails, come back
    when its back-off ends. The delivery lease in `services.contact_message_deliver` makes a second
    copy of this job (or the sweep command) a no-op, so a message is never sent twice."""
    message = ContactMessage.objects.filter(pk=message_id).first()
    if message is None or message.is_delivered or message.status == ContactMessage.Status.SPAM:
        return False
    if services.contact_message_deliver(message=message):
        return True
    message.refresh_from_db()
    if not message.is_delivered and message.next_attempt_at:
        jobs.retry_later(
            deliver_contact_message,
            attempt=attempt,
            at=message.next_attempt_at,
            max_attempts=MAX_ATTEMPTS,
            message_id=message_id,
        )
    return False
