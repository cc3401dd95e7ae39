"""Old links of the imported site answered with one 301, at no cost to any other request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.utils.encoding import escape_uri_path

from .redirects import ITEM_PARAMETERS
from .resolver import TargetGone, old_link_target

_SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/")


class LegacyRedirectMiddleware:
    """Turn a 404 whose path was a page of the old site into a 301 to its new address.

    It looks at a request only once the site has answered 404, so every page that exists
    runs exactly the queries it ran before. Listed after CommonMiddleware: its response
    phase runs first, so `/p/old-page.html` is answered here rather than with a slash
    appended by APPEND_SLASH (which would make two hops). The one exception is WordPress's
    `/?p=12` shape: `/` is our home page and answers 200, so a request to `/` carrying one of
    the item-naming parameters is looked up before the view runs; the home page without
    them is never touched.

    A stored old link whose target was deleted or unpublished answers 410 Gone with the
    site's error page: the link is known and its page is not coming back at this address,
    and a 404 would be sent on to the same path with a slash appended by APPEND_SLASH.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._applies(request) and request.path_info == "/" and self._names_item(request):
            try:
                redirect = self._redirect(request)
            except TargetGone:
                redirect = None  # the home page answers, as it did before the import
            if redirect is not None:
                return redirect
        response = self.get_response(request)
        if response.status_code != 404 or not self._applies(request):
            return response
        try:
            return self._redirect(request) or response
        except TargetGone:
            response.status_code = 410
            response.reason_phrase = "Gone"
            return response

    @staticmethod
    def _applies(request: HttpRequest) -> bool:
        return request.method in ("GET", "HEAD") and not request.path_info.startswith(
            _SKIPPED_PREFIXES
        )

    @staticmethod
    def _names_item(request: HttpRequest) -> bool:
        return any(request.GET.get(name) for name in ITEM_PARAMETERS)

    @staticmethod
    def _redirect(request: HttpRequest) -> HttpResponse | None:
        # A request path is never host-relative: `//x` is the path `/x`, not the host `x`.
        full_path = "/" + escape_uri_path(request.path_info).lstrip("/")
        query = request.GET.urlencode()  # decoded by Django, whatever the client's encoding
        if query:
            full_path += "?" + query
        target = old_link_target(full_path, request.GET)
        if target is None:
            return None
        return HttpResponsePermanentRedirect(target)
