"""The editor's upload form: what the "Insert image" dialog sends."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from articles.images import SafeImageFormField
from newsroom.text import VisibleCharField


class UploadForm(forms.Form):
    file = SafeImageFormField(label=_("Image"))
    alt = VisibleCharField(
        label=_("Alt text"),
        max_length=250,
        error_messages={"required": _("Describe the image for readers who cannot see it.")},
    )
    caption = VisibleCharField(label=_("Caption"), max_length=300)
    credit = VisibleCharField(label=_("Credit"), max_length=120, required=False)
