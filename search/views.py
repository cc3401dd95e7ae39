"""The search page."""

from __future__ import annotations

from django.core.paginator import EmptyPage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .backend import current_language
from .forms import SearchForm
from .query import search_run
from .text import MAX_QUERY_LENGTH


def _printable(text: str) -> str:
    return "".join(ch for ch in text if ch.isprintable())


def search(request: HttpRequest) -> HttpResponse:
    """/search/?q=... in the current language; never a 500 whatever the query string holds."""
    form = SearchForm(request.GET or None, auto_id="search-%s")
    try:
        outcome = search_run(
            form=form, language=current_language(), page_number=request.GET.get("page")
        )
    except EmptyPage:
        # Like every list: a page number past the last one is a 404, not the last page again.
        raise Http404 from None
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "query": _printable(request.GET.get("q", ""))[:MAX_QUERY_LENGTH],
            "outcome": outcome,
        },
    )
