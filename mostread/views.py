"""The beacon's endpoint: one view counted per POST, in the cache only.

Article pages are served whole from the page cache, so the server never sees most views;
`static/js/mostread.js` reports each one here. The endpoint reads nothing of the session and
sets no cookie (so the reader stays anonymous and cached pages stay shared), refuses other
sites and ignores crawlers and prefetches, and answers `204 private, no-store`.
"""

from __future__ import annotations

import logging
import re

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .ranking import LANGUAGES
from .services import count_view, maybe_flush, public_languages

logger = logging.getLogger(__name__)

MAX_BODY = 200  # bytes: "article=123456&lang=ar" and room to spare
ARTICLE_ID = re.compile(r"[0-9]{1,12}")
# Crawlers, link previews, monitors and scripted clients: their requests are not readers.
BOTS = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|headless|"
    r"lighthouse|pingdom|monitor|curl|wget|python|java/|go-http|okhttp|axios|node-fetch|"
    r"scrapy|httpclient|libwww|phantomjs|selenium|puppeteer|playwright",
    re.IGNORECASE,
)


def reply(status: int) -> HttpResponse:
    response = HttpResponse(status=status)
    patch_cache_control(response, private=True, no_store=True)
    return response


def is_bot(request: HttpRequest) -> bool:
    """No user agent, a known crawler's, or a prefetch (the reader may never see the page)."""
    agent = request.headers.get("User-Agent", "").strip()
    purpose = f"{request.headers.get('Purpose', '')} {request.headers.get('Sec-Purpose', '')}"
    return not agent or bool(BOTS.search(agent)) or "prefetch" in purpose.lower()


def is_cross_site(request: HttpRequest) -> bool:
    """True when the browser says the POST comes from another origin.

    Without CSRF protection (the page is cached, so it holds no token) these headers are
    what keeps other sites from counting views; clients sending neither are let through.
    """
    origin = request.headers.get("Origin")
    if origin is not None and origin != f"{request.scheme}://{request.get_host()}":
        return True
    site = request.headers.get("Sec-Fetch-Site")
    return site is not None and site != "same-origin"


@csrf_exempt
@require_POST
def hit(request: HttpRequest) -> HttpResponse:
    if is_cross_site(request):
        return reply(403)
    if is_bot(request):
        return reply(204)  # accepted and ignored: nothing to teach a crawler
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return reply(400)
    if length > MAX_BODY:
        return reply(400)
    article, language = request.POST.get("article", ""), request.POST.get("lang", "")
    if not ARTICLE_ID.fullmatch(article) or language not in LANGUAGES:
        return reply(400)
    if language not in public_languages(int(article)):
        return reply(404)
    count_view(int(article), language)
    response = reply(204)
    try:
        maybe_flush()
    except Exception:  # the views stay counted in the cache for the next flush
        logger.exception("Flushing the most read counters failed")
    return response
