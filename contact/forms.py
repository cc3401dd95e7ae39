"""The contact form: field rules, shared anti-spam checks and the per-address rate limit."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from newsroom.antispam import AntiSpamFormMixin, check_rate_limit
from newsroom.text import strip_invisible

from .models import ContactMessage, ContactSubject

# Anything a mail header parser could take as the end of a line.
LINE_BREAK = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")


class ContactForm(AntiSpamFormMixin, forms.Form):
    """What a reader fills in; the honeypot and render time come from AntiSpamFormMixin."""

    # (count, seconds): a person writes a few messages a day; a bot writes hundreds.
    rate_limits = [(5, 600), (20, 86400)]

    name = forms.CharField(
        label=_("Your name"),
        max_length=ContactMessage.NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "name", "dir": "auto"}),
    )
    email = forms.EmailField(
        label=_("Your email"),
        max_length=254,
        help_text=_("We reply to this address; it is never published."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    subject = forms.ModelChoiceField(
        label=_("Subject"),
        queryset=ContactSubject.objects.active(),
        empty_label=_("Choose a subject"),
        error_messages={"invalid_choice": _("Choose one of the subjects in the list.")},
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=ContactMessage.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 10, "dir": "auto"}),
    )

    def __init__(self, *args: Any, client_ip: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client_ip = client_ip

    def clean_name(self) -> str:
        # Checked before stripping: a newline in a name is an attack on the mail headers, not
        # a typo, so it is refused rather than quietly repaired.
        raw = self.cleaned_data["name"]
        if LINE_BREAK.search(raw):
            raise ValidationError(_("Your name must fit on one line."), code="newline")
        name = " ".join(strip_invisible(raw).split())
        if not name:
            raise ValidationError(_("Please enter your name."), code="required")
        return name

    def clean_message(self) -> str:
        message = strip_invisible(self.cleaned_data["message"]).strip()
        if not message:
            raise ValidationError(_("Please write your message."), code="required")
        return message

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # Only a submission that would be stored counts against the limit, so a reader who
        # corrects a typo in their address is not locked out.
        if not self.errors:
            check_rate_limit(
                scope="contact",
                keys={"ip": self.client_ip, "email": cleaned.get("email", "")},
                limits=self.rate_limits,
            )
        return cleaned
