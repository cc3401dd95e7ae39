"""One view: a static page in the reader's language, or the Arabic original."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import strip_tags
from django.utils.text import Truncator

from articles.seo import seo_for, url_in
from newsroom.i18n import current_language
from newsroom.pagecache import tag_response

from .models import Page


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        page = Page.objects.published().get_by_slug(slug)
    except Page.DoesNotExist:
        raise Http404 from None
    language = current_language()
    languages = page.languages()
    if language not in languages:
        # Like an untranslated article: the Arabic page rather than Arabic text under /fr/.
        return redirect(url_in(settings.LANGUAGE_CODE, page))
    if slug != page.slug:
        return redirect(page, permanent=True)
    tag_response(request, f"p{page.pk}", "pages")
    seo = seo_for(
        request,
        title=f"{page.title} | {settings.SITE_NAME}",
        description=Truncator(strip_tags(page.body)).chars(160) or page.title,
        obj=page,
        languages=languages,
    )
    return render(request, "pages/detail.html", {"page": page, "seo": seo})
