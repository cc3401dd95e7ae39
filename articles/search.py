"""Search across the archive (placeholder until Arabic-aware search lands)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def search(request: HttpRequest) -> HttpResponse:
    return render(request, "articles/search.html", {"query": request.GET.get("q", "")[:200]})
