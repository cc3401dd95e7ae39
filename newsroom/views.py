"""The site-wide error pages (handler404 and handler500 in newsroom/urls.py)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A 404 in the site's layout and the reader's language, with a way back."""
    seo = {"title": _("Page not found"), "description": _("Page not found"), "alternates": []}
    return render(request, "404.html", {"seo": seo, "noindex": True}, status=404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """A 500 that touches neither the database nor context processors: they may be the cause."""
    template = loader.get_template("500.html")
    return HttpResponse(template.render({"SITE_NAME": settings.SITE_NAME}), status=500)
