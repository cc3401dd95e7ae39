"""The reader's language, as every app needs it: a bare code ("ar", "fr", "en"), and the same
page's address in another language."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse, translate_url
from django.utils import translation

# The settings the answers of `translated_url` and `url_of` depend on besides their key.
URL_SETTINGS = {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE", "FORCE_SCRIPT_NAME"}


def current_language() -> str:
    """The active language without a region ("fr" for "fr-ma"), the site's default if none is.

    Translated fields are named by the bare code (`title_fr`), and outside a request (a
    management command) no language may be active at all.
    """
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _url_state() -> tuple[Any, ...]:
    """What resolving and reversing depend on, besides the path: the active language (the
    prefix of i18n_patterns), the URL conf and the script prefix."""
    return (translation.get_language(), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=1024)
def _translated(url: str, code: str, state: tuple[Any, ...]) -> str:
    return translate_url(url, code)


def translated_url(url: str, code: str) -> str:
    """Django's `translate_url()`, remembered by each process: resolving a path and reversing
    it in every language was the costliest part of a list page's metadata, and its answer
    never changes while the URL conf does not."""
    return _translated(url, code, _url_state())


@lru_cache(maxsize=256)
def _reversed(name: str, code: str, state: tuple[Any, ...]) -> str:
    with translation.override(code):
        return reverse(name)


def url_of(name: str, code: str | None = None) -> str:
    """`reverse(name)` of a URL without arguments, in language `code` (the active one by
    default), remembered by each process like `translated_url`: the frame of every page
    links to the same few."""
    return _reversed(
        name, code or translation.get_language() or settings.LANGUAGE_CODE, _url_state()
    )


def home_url(code: str) -> str:
    """The home page in language `code`."""
    return url_of("articles:home", code)


@receiver(setting_changed)
def _forget_urls(setting: str, **kwargs: Any) -> None:
    if setting in URL_SETTINGS:
        _translated.cache_clear()
        _reversed.cache_clear()
