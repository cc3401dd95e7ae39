"""Keep the editors' admin in Arabic unless an editor chose another language."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class AdminLanguageMiddleware:
    """Run /admin/ in Arabic by default, ignoring the browser's Accept-Language.

    LocaleMiddleware would follow the browser (most send en-US), so editors would get an
    English, left-to-right admin. An editor who picks French or English through the language
    cookie (Django's set_language view) keeps that choice.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/admin/"):
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
            language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
