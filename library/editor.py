"""The body editor's picture extensions: configuration read by articles.fields.

Kept free of model imports so the articles app can read it while its models load.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

# The editor's own Figure/Image are replaced by static/js/editor-images.js (same names), so
# the stock menu button opens the library dialog. Labels are lazy: the widget serialises
# them in the editor's language when the form is rendered.
FIGURE_CONFIG: dict[str, Any] = {
    "uploadUrl": reverse_lazy("admin:library_mediaimage_upload"),
    "recentUrl": reverse_lazy("admin:library_mediaimage_recent"),
    "labels": {
        "title": _("Insert image"),
        "upload": _("Upload a picture (JPEG, PNG or WebP, 10 MB at most)"),
        "recent": _("Or pick a recent picture from the library"),
        "alt": _("Alt text (what the picture shows)"),
        "caption": _("Caption"),
        "credit": _("Credit"),
        "insert": _("Insert"),
        "cancel": _("Cancel"),
        "uploading": _("Uploading…"),
        "choose": _("Choose a file to upload or a picture from the library."),
        "failed": _("The upload failed; check the connection and try again."),
    },
}

PICTURE_EXTENSIONS: dict[str, Any] = {
    "Figure": FIGURE_CONFIG,
    "Caption": True,
    "Image": True,
}
