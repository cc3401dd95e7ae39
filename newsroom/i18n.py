"""The reader's language, as every app needs it: a bare code ("ar", "fr", "en")."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def current_language() -> str:
    """The active language without a region ("fr" for "fr-ma"), the site's default if none is.

    Translated fields are named by the bare code (`title_fr`), and outside a request (a
    management command) no language may be active at all.
    """
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
