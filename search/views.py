"""The search page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
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
    outcome = search_run(
        form=form, language=current_language(), page_number=request.GET.get("page")
    )
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "query": _printable(request.GET.get("q", ""))[:MAX_QUERY_LENGTH],
            "outcome": outcome,
        },
    )
