from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {})


def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {})
