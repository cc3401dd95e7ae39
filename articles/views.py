"""Public views of the newsroom. Thin: querysets hold the rules, templates the layout.

Every list runs a fixed number of queries whatever its length: `for_listing()` joins the
category, prefetches the authors and annotates comment counts in one go, and `Paginator`
adds one COUNT. Page metadata (canonical URL, hreflang alternates, description) comes from
articles/seo.py, so templates only print it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache as cache_once
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from newsroom.fragments import cached_fragment, cached_object
from newsroom.i18n import current_language
from newsroom.pagecache import TAGS_ATTR, tag_response

from .home import active_section, category_blocks, lead_and_breaking
from .models import Article, Author, Tag
from .pagination import paginate
from .querysets import TranslatedSlugQuerySet, is_plausible_slug
from .reads import (
    adjacent_articles,
    named_tags,
    public_articles,
    published_with_links,
    related_articles,
)
from .seo import article_languages, article_seo, seo_for, url_in

# --- reads shared by several views ---------------------------------------------------------


def find_by_slug(queryset: TranslatedSlugQuerySet, slug: str) -> Any:
    """A translated slug in the current language, else in Arabic; a 404 when neither matches."""
    try:
        return queryset.get_by_slug(slug)
    except queryset.model.DoesNotExist:
        raise Http404 from None


# --- pages ---------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    tag_response(request, "home")
    # Every publication or edit purges "home"; the end of a breaking strip is a scheduled
    # change, which the fragment cache also waits for.
    lead, breaking = cached_fragment("home-top", ["home"], current_language(), lead_and_breaking)
    # Built only if the cached count or the cached cards ("list_fragment") must be rebuilt.
    page = paginate(
        request,
        lambda: public_articles().for_cards().exclude(pk=lead.pk if lead else None).newest_first(),
        cached_as=("home", ["home"]),
    )
    seo = seo_for(
        request,
        title=settings.SITE_NAME,
        description=_("The latest news from Morocco and the world, as it happens."),
        page=page,
    )
    return render(
        request,
        "articles/home.html",
        {
            "lead": lead if page.number == 1 else None,
            # The breaking strip and the lead story, as rendered (the lead on page 1 only).
            "top_fragment": f"home-top-html:{'lead' if page.number == 1 else 'no-lead'}",
            "page": page,
            "list_fragment": f"home:{page.number}",
            "breaking": breaking,
            # Called by the template only when its cached copy of the blocks is gone.
            "blocks": category_blocks,
            "seo": seo,
        },
    )


def listing_page(
    request: HttpRequest,
    articles: Callable[[], QuerySet[Article]],
    *,
    heading: str,
    description: str = "",
    obj: Any = None,
    extra: dict[str, Any] | None = None,
    allow_empty: bool = True,
) -> HttpResponse:
    """Category, tag, author and archive pages share one template and one shape.

    `articles()` gives what the list shows. A section may be empty for now; an archive month
    with nothing published is a 404. The cards' queryset is built only if the cached count or
    the cached cards must be rebuilt.
    """
    list_tags = sorted(getattr(request, TAGS_ATTR, ()))
    page = paginate(
        request,
        lambda: articles().for_cards().newest_first(),
        cached_as=(request.path, list_tags),
    )
    if not allow_empty and not page.paginator.count:
        raise Http404
    seo = seo_for(
        request,
        title=f"{heading} | {settings.SITE_NAME}",
        description=description or heading,
        obj=obj,
        page=page,
    )
    context = {
        "heading": heading,
        "description": description,
        "page": page,
        "seo": seo,
        # The cards and pagination, cached until a purge of a tag the view declared.
        "list_fragment": f"list:{request.path}:{page.number}",
        "list_tags": list_tags,
    }
    context.update(extra or {})
    return render(request, "articles/list.html", context)


def category(request: HttpRequest, slug: str) -> HttpResponse:
    obj = active_section(slug)
    if obj is None:
        raise Http404
    if slug != obj.slug:
        return redirect(obj, permanent=True)
    tag_response(request, f"s{obj.pk}")
    return listing_page(
        request,
        lambda: public_articles().filter(category=obj),
        heading=obj.name,
        description=obj.description or _("The latest news in %(section)s.") % {"section": obj.name},
        obj=obj,
        extra={"category": obj, "feed_category": obj},
    )


def tag(request: HttpRequest, slug: str) -> HttpResponse:
    obj = find_by_slug(Tag.objects.all(), slug)
    if slug != obj.slug:
        return redirect(obj, permanent=True)
    tag_response(request, f"t{obj.pk}")
    return listing_page(
        request,
        lambda: public_articles().filter(tags=obj),
        heading=obj.name,
        description=_("Articles tagged %(tag)s.") % {"tag": obj.name},
        obj=obj,
    )


def author(request: HttpRequest, slug: str) -> HttpResponse:
    if not is_plausible_slug(slug):
        raise Http404
    obj = get_object_or_404(Author, slug=slug)
    tag_response(request, f"au{obj.pk}")
    return listing_page(
        request,
        lambda: public_articles().filter(authors=obj),
        heading=obj.name,
        description=obj.bio or _("Articles by %(name)s.") % {"name": obj.name},
        obj=obj,
        extra={"author": obj},
    )


def archive_index(request: HttpRequest) -> HttpResponse:
    """Every year and month with published articles, with counts, newest first: one query."""
    tag_response(request, "archive")
    months = (
        public_articles()
        .annotate(month=TruncMonth("publish_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("-month")
    )
    years: list[dict[str, Any]] = []
    for row in months:
        month = timezone.localtime(row["month"]).date()
        if not years or years[-1]["year"] != month.year:
            years.append({"year": month.year, "count": 0, "months": []})
        years[-1]["count"] += row["count"]
        years[-1]["months"].append({"date": month, "count": row["count"]})
    title = _("Archive")
    seo = seo_for(
        request,
        title=f"{title} | {settings.SITE_NAME}",
        description=_("Every month of the archive, newest first."),
    )
    return render(request, "articles/archive.html", {"years": years, "seo": seo})


def archive_year(request: HttpRequest, year: int) -> HttpResponse:
    if not 1900 <= year <= 9999:
        raise Http404
    tag_response(request, "archive")
    months = [
        d.date()
        for d in public_articles()
        .filter(publish_at__year=year)
        .datetimes("publish_at", "month", tzinfo=timezone.get_current_timezone())
    ]
    if not months:
        raise Http404  # a year with nothing published is not a page
    return listing_page(
        request,
        lambda: public_articles().filter(publish_at__year=year),
        heading=_("Archive %(year)s") % {"year": year},
        extra={"months": months, "year": year},
    )


def archive_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    if not (1900 <= year <= 9999 and 1 <= month <= 12):
        raise Http404
    tag_response(request, "archive")
    label = date_format(datetime(year, month, 1), "YEAR_MONTH_FORMAT")
    return listing_page(
        request,
        lambda: public_articles().filter(publish_at__year=year, publish_at__month=month),
        heading=_("Archive %(month)s") % {"month": label},
        extra={"year": year},
        allow_empty=False,
    )


def article_context(
    request: HttpRequest, article: Article, seo: tuple[Any, Any] | None = None
) -> dict[str, Any]:
    seo, jsonld = seo or article_seo(request, article)
    return {
        "article": article,
        "seo": seo,
        "jsonld": jsonld,
        "share_url": request.build_absolute_uri(article.get_absolute_url()),
        "show_updated": article.updated_at - article.publish_at > timedelta(minutes=5),
    }


# The tags each article's page named when this process last showed it: their versions are
# read with the first round trip to the cache, instead of a second once the article is known.
_named_before: dict[int, list[str]] = {}
NAMED_BEFORE_MAX = 4096


def detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    language = current_language()
    # The article with its section, bylines and tags (three queries) is shared through the
    # cache until an edit, an unpublication or a rename of what it shows purges its tags.
    loaded: list[Article | None] = []

    def load(also: list[str] | None = None) -> Article | None:
        if not loaded:
            loaded.append(
                cached_object(
                    f"article:{pk}", [f"a{pk}"], lambda: published_with_links(pk), also=also or []
                )
            )
        return loaded[0]

    # Any publication, unpublication or edit of an article purges "home" (the lists), and
    # this one's own edits "a<id>": the neighbours change with nothing else. Read first (the
    # key names only the id), so the versions of the neighbours' tags, which the page's
    # fragments name, come in the round trip that checks the article's own.
    newer, older = cached_fragment(
        f"adjacent:{pk}",
        ["home", f"a{pk}"],
        language,
        lambda: adjacent_articles(article) if (article := load()) else (None, None),
        also=_named_before.get(pk, ()),
    )
    neighbours = [f"n{item.pk}" for item in (newer, older) if item]
    article = load(also=neighbours)
    if article is None:
        raise Http404
    if language not in article_languages(article):
        # No translation: send the reader to the Arabic original rather than show Arabic
        # text under a French or English page (temporary: a translation may come later).
        return redirect(url_in(settings.LANGUAGE_CODE, article))
    if slug != article.slug:
        return redirect(article, permanent=True)
    # The page's metadata (canonical, alternates, JSON-LD with section, tags and bylines) for
    # this host, kept until the article or what it names changes.
    names = [f"a{article.pk}", *named_tags(article)]
    where = f"{article.pk}:{request.scheme}://{request.get_host()}"
    seo = cached_fragment(f"seo:{where}", names, language, lambda: article_seo(request, article))
    context = article_context(request, article, seo)
    # Related articles share the section or a tag; "n" tags name the neighbours linked.
    tag_response(request, *names, *neighbours)
    if len(_named_before) >= NAMED_BEFORE_MAX:
        _named_before.clear()
    _named_before[pk] = [*names, *neighbours]
    # The article and its related cards are cached fragments, purged with the page's own
    # tags; the related query runs only when the template rebuilds them.
    context.update(
        {
            "related": cache_once(lambda: list(related_articles(article))),
            "newer": newer,
            "older": older,
            "page_tags": sorted(getattr(request, TAGS_ATTR, ())),
            "article_fragment": f"article:{where}",
            # The metadata in the head, printed from `seo` and `jsonld`.
            "meta_fragment": f"meta:{where}",
            "head_fragment": f"head:{where}",
            "related_fragment": f"related:{where}",
        }
    )
    return render(request, "articles/detail.html", context)


@never_cache
@login_required(login_url="admin:login")
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff preview of any state, only for users who may change this article."""
    if not request.user.has_perm("articles.change_article"):
        raise Http404
    article = get_object_or_404(
        Article.objects.editable_by(request.user)
        .select_related("category")
        .with_authors()
        .prefetch_related("tags"),
        pk=pk,
    )
    # Unpublished work has no publication date to show: the page says so instead, and the
    # metadata (JSON-LD needs a date) uses the last edit.
    unpublished = not article.is_published()
    scheduled = unpublished and article.status == Article.Status.PUBLISHED
    if article.publish_at is None:
        article.publish_at = article.updated_at
    context = article_context(request, article)
    context.update(preview=True, unpublished=unpublished, scheduled=scheduled, show_updated=False)
    response = render(request, "articles/detail.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
