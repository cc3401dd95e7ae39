"""Admin-side middleware: the editors' language and the CSP of the rich-text editor."""

from __future__ import annotations

import base64
import hashlib
import re
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


_IMPORTMAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.DOTALL)


class AdminCSPMiddleware:
    """Relax the Content Security Policy for the admin only, and only as far as it needs.

    The rich-text editor injects an inline `<style>` and loads its ES modules through a
    `<script type="importmap">`, which browsers treat as an inline script. Admin responses get
    'unsafe-inline' for styles and, instead of opening scripts too, the SHA-256 of that exact
    import map. Public pages keep the strict policy. Listed after csp.middleware.CSPMiddleware
    so its response phase runs first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path_info.startswith("/admin/"):
            return response
        update = dict(getattr(response, "_csp_update", None) or {})
        update["style-src"] = [*update.get("style-src", []), "'unsafe-inline'"]
        if not getattr(response, "streaming", False) and response.get(
            "Content-Type", ""
        ).startswith("text/html"):
            hashes = [
                f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
                for body in _IMPORTMAP.findall(response.content)
            ]
            if hashes:
                update["script-src"] = [*update.get("script-src", []), *hashes]
        response._csp_update = update  # type: ignore[attr-defined]
        return response
