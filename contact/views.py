"""The contact form and its thank-you page (POST, redirect, GET)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from newsroom.http import client_ip
from newsroom.i18n import current_language
from newsroom.text import strip_invisible

from .forms import ContactForm
from .models import ContactSubject
from .services import contact_message_submit


@require_http_methods(["GET", "HEAD", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    """Show the form; store a valid message (delivery follows the commit) and redirect."""
    ip = client_ip(request)
    if request.method == "POST":
        form = ContactForm(request.POST, client_ip=ip)
        if form.is_valid():
            contact_message_submit(
                subject=form.cleaned_data["subject"],
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                message=form.cleaned_data["message"],
                language=current_language(),
                ip_address=ip,
                user_agent=strip_invisible(request.META.get("HTTP_USER_AGENT", "")),
            )
            return redirect("contact:thanks")
    else:
        # ?subject=correction preselects a subject, for "report an error" links on articles.
        initial = ContactSubject.objects.active().filter(key=request.GET.get("subject", "")).first()
        form = ContactForm(initial={"subject": initial}, client_ip=ip)
    return render(request, "contact/form.html", {"form": form})


def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "contact/thanks.html")
