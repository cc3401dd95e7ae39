"""Posting a comment: validate, hand over to `comment_submit()`, redirect back (POST/redirect/GET).

A form with errors is shown again on its own page, with the reader's text kept and each error
next to its field, instead of re-running the whole article page from here.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.models import Article
from newsroom.antispam import RateLimited
from newsroom.http import client_ip

from .forms import CommentForm
from .services import comment_submit, comments_open


@require_POST
def post(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    form = CommentForm(request.POST, article=article)
    is_open = comments_open(article)
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
