"""Defences shared by every form a reader can post (comments, contact).

Spam bots fill every field, post within a second of fetching the page, replay old pages and
hammer the same endpoint. Each defence here answers one of those habits without asking readers
for a CAPTCHA:

- `AntiSpamFormMixin` adds a honeypot field and a signed render time to a form;
- `check_rate_limit()` counts submissions per client address, email, etc. in Django's cache, so
  the limit holds across processes when the cache is Redis.

Cleaning the text itself is `newsroom.text`; the client address is `newsroom.http.client_ip()`.
"""

from __future__ import annotations

import hashlib
import time
from datetime import datetime
from typing import Any

from django import forms
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# --- honeypot and signed render time ----------------------------------------------------------


def _salt(form_class: type) -> str:
    return f"newsroom.antispam.rendered:{form_class.__module__}.{form_class.__qualname__}"


def signed_render_time(form_class: type, when: datetime | None = None) -> str:
    """A render-time token for `form_class`, signed so a client cannot forge or move it.

    Forms call it with `when=None` (now); tests pass a moment in the past to post "after the
    reader has read the page" without sleeping.
    """
    timestamp = when.timestamp() if when is not None else time.time()
    return signing.dumps({"t": round(timestamp, 3)}, salt=_salt(form_class), compress=False)


HONEYPOT_ERROR = _(
    "Your message could not be accepted: the field that must stay empty was filled in."
)
TOO_FAST_ERROR = _(
    "You sent the form too quickly after opening the page. Please wait a few seconds "
    "and send it again."
)
EXPIRED_ERROR = _("This form has expired. Please check your text and send it again.")
TAMPERED_ERROR = _("This form could not be verified. Please check your text and send it again.")


class AntiSpamFormMixin:
    """Honeypot and render-time checks for a Django form; put it first in the bases.

    `website` is a honeypot: hidden from people (templates wrap it in an element with the
    `hp-field` class, hidden with CSS, and the input is out of the tab order and aria-hidden),
    but bots fill it in. `rendered` carries a signed timestamp of when the form was shown:
    humans take more than `min_seconds` to write, bots post at once; a token older than
    `max_age` is a replayed page. When the token is refused, the form is re-rendered with a
    fresh one, so the reader can simply send again with their text intact.
    """

    min_seconds: int = 3
    max_age: int = 86400
    honeypot_field = "website"
    render_field = "rendered"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[self.honeypot_field] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(
                attrs={
                    "autocomplete": "off",
                    "tabindex": "-1",
                    "aria-hidden": "true",
                    "class": "hp-field",
                }
            ),
        )
        self.fields[self.render_field] = forms.CharField(
            required=False,
            widget=forms.HiddenInput,
            initial=signed_render_time(type(self)),
        )

    def _refresh_render_token(self) -> None:
        """Give the re-rendered form a valid token, so a resend is not refused again."""
        self.data = self.data.copy()
        self.data[self.add_prefix(self.render_field)] = signed_render_time(type(self))

    def _check_render_time(self, token: str) -> None:
        try:
            payload = signing.loads(token, salt=_salt(type(self)))
            rendered_at = float(payload["t"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            self._refresh_render_token()
            raise ValidationError(TAMPERED_ERROR, code="tampered") from None
        age = time.time() - rendered_at
        if age > self.max_age:
            self._refresh_render_token()
            raise ValidationError(EXPIRED_ERROR, code="expired")
        if age < self.min_seconds:
            raise ValidationError(TOO_FAST_ERROR, code="too_fast")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        if self.cleaned_data.get(self.honeypot_field):  # type: ignore[attr-defined]
            raise ValidationError(HONEYPOT_ERROR, code="honeypot")
        self._check_render_time(self.cleaned_data.get(self.render_field) or "")  # type: ignore[attr-defined]
        return cleaned


# --- rate limit -------------------------------------------------------------------------------


class RateLimited(ValidationError):
    """Too many submissions from one client address, email, etc.; the message is translated."""

    def __init__(self, message: Any = None, *, retry_after: int = 0) -> None:
        super().__init__(
            message
            or _("You have sent too many messages in a short time. Please try again later."),
            code="rate_limited",
        )
        self.retry_after = retry_after


def _counter_key(scope: str, name: str, value: str, seconds: int) -> str:
    digest = hashlib.sha256(f"{scope}\0{name}\0{value}".encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{seconds}:{digest}"


def _hit(key: str, seconds: int) -> int:
    """Count one hit on `key`, atomically: add() creates, incr() is INCR in Redis."""
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:
        # The counter expired between add() and incr(): this hit opens a new window.
        cache.add(key, 1, timeout=seconds)
        return 1


def check_rate_limit(*, scope: str, keys: dict[str, str], limits: list[tuple[int, int]]) -> None:
    """Count a submission and raise RateLimited if any key went over any (count, seconds) limit.

    `keys` maps a kind of key to its value, e.g. {"ip": "203.0.113.7", "email": "a@b.ma"};
    each is limited separately, so changing address does not reset the per-email count. Values
    are hashed, so no address or email sits in the cache in clear. Every call counts, refused
    or not: hammering the form keeps the door shut. Empty values are not limited.
    """
    exceeded_for = 0
    for name, value in keys.items():
        if not value:
            continue
        normalised = value.strip().lower()
        for count, seconds in limits:
            if _hit(_counter_key(scope, name, normalised, seconds), seconds) > count:
                exceeded_for = max(exceeded_for, seconds)
    if exceeded_for:
        raise RateLimited(retry_after=exceeded_for)
