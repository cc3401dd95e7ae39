"""Posting a comment: validate, hand over to `comment_submit()`, redirect back (POST/redirect/GET).

A form with errors is shown again on its own page, with the reader's text kept and each error
next to its field, instead of re-running the whole article page from here.

The article page is cached and shared by every reader, so its form carries neither a CSRF token
nor a signed render time: a small script fetches both from `token` (never cached) when the
reader starts writing. Without script the form arrives with neither; it is then shown again on
its own uncached page, text kept and tokens fresh, and the reader sends it from there. A post
with a render time but no valid CSRF token is refused as before.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from newsroom.antispam import RateLimited, signed_render_time
from newsroom.http import client_ip

from .forms import CommentForm
from .services import comment_submit, comments_open


def _csrf_refusal(request: HttpRequest) -> HttpResponse | None:
    """Django's own CSRF check, run here so that a tokenless form can be offered again."""
    return CsrfViewMiddleware(lambda _request: HttpResponse()).process_view(request, None, (), {})


@require_GET
def token(request: HttpRequest) -> JsonResponse:
    """The CSRF token and a signed render time for the comment form of a cached page."""
    response = JsonResponse(
        {"csrf": get_token(request), "rendered": signed_render_time(CommentForm)}
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@csrf_exempt  # checked below, after telling a tokenless form from a forged one
@require_POST
def post(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    is_open = comments_open(article)
    refusal = _csrf_refusal(request)
    if refusal is not None:
        if request.POST.get("rendered"):
            return refusal
        # The cached page's form, sent without script: nothing is stored; the same text
        # comes back on an uncached page whose form carries both tokens.
        fields = ("name", "email", "body", "parent")
        initial = {name: request.POST.get(name, "") for name in fields}
        context = {
            "article": article,
            "form": CommentForm(article=article, initial=initial),
            "comments_open": is_open,
        }
        return render(request, "comments/form_page.html", context)
    form = CommentForm(request.POST, article=article)
    status = 200
    if is_open and form.is_valid():
        data = form.cleaned_data
        try:
            result = comment_submit(
                article=article,
                name=data["name"],
                email=data["email"],
                body=data["body"],
                parent=data["parent"],
                ip_address=client_ip(request) or None,
                user_agent=request.headers.get("User-Agent", ""),
            )
        except ValidationError as refused:
            form.add_error(None, refused)
            status = 429 if isinstance(refused, RateLimited) else 200
        else:
            # Shown inside the comment section (extra tag "comments"), where the redirect
            # lands, rather than at the top of a long page the reader has scrolled past.
            if result.published:
                messages.success(
                    request, _("Thank you: your comment is published."), extra_tags="comments"
                )
            else:
                messages.info(
                    request,
                    _(
                        "Thank you: your comment is awaiting moderation "
                        "and will appear once approved."
                    ),
                    extra_tags="comments",
                )
            return HttpResponseRedirect(article.get_absolute_url() + "#comments")
    replying_to = getattr(form, "cleaned_data", {}).get("parent")
    context = {
        "article": article,
        "form": form,
        "comments_open": is_open,
        "replying_to": replying_to,
    }
    return render(request, "comments/form_page.html", context, status=status)
