from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "contact/form.html", {})


def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "contact/thanks.html", {})
