"""Search across the archive, in the reader's language, that understands Arabic as it is typed.

Both sides go through one normaliser (`newsroom.arabic`, then `search.text.fold_latin`): the
index rows are built from it and so are the query terms, so hamza, ى/ی, ک, tashkeel, tatweel,
و/ف + ال, Eastern digits and Latin accents never stop a match.

- PostgreSQL: a weighted `tsvector` per article and language (title A, summary B, body C) with
  the language's configuration (`arabic`, and `newsroom_french`, `newsroom_english`: the
  french and english ones with `unaccent` before the stemmer, created by a migration), ranked
  with `ts_rank` among the newest MAX_CANDIDATES matches (`search.recent` finds those of a
  broad query); when no document matches, a trigram comparison of titles catches typos.
- SQLite (the embedded default): every query word must appear in the stored normalised text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.paginator import Page, PageNotAnInteger, Paginator
from django.db.models import Case, DateTimeField, FloatField, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.safestring import SafeString

from articles.models import Article, Category

from .backend import is_postgresql
from .forms import SearchForm
from .models import SearchDocument
from .recent import RECENT_WINDOW, newest_matches
from .snippets import search_snippets
from .text import MAX_QUERY_LENGTH, fallback_term, terms_for

MAX_TERMS = 12
MAX_RESULTS = 1000
MAX_RANKED = MAX_RESULTS + 1
#: How many of the newest matches are ranked (see search_articles).
MAX_CANDIDATES = MAX_RANKED
#: Results per page: WordPress's default and the search engines' too. Each result carries an
#: extract, so twenty made a long scroll on a phone, and half the page's work.
PAGE_SIZE = 10
#: Before any publication time: the start of the window when the archive is smaller than it.
EARLIEST = datetime(1, 1, 2, tzinfo=UTC)


def query_terms(query: str, language: str) -> list[str]:
    """Distinct matching words of the reader's query, at most MAX_TERMS of them."""
    return list(dict.fromkeys(terms_for(query[:MAX_QUERY_LENGTH], language)))[:MAX_TERMS]


def _filtered(
    *, language: str, category: Category | None, date_from: date | None, date_to: date | None
) -> QuerySet[Article]:
    articles = Article.objects.published().in_language(language)
    if category is not None:
        articles = articles.filter(category=category)
    if date_from is not None:
        articles = articles.filter(publish_at__date__gte=date_from)
    if date_to is not None:
        articles = articles.filter(publish_at__date__lte=date_to)
    return articles


def _matching(terms: Sequence[str], language: str) -> tuple[Q, Any]:
    """SQLite: "every term is in the article's index row" and that row's rank (titles first).

    One Q, so every condition applies to the same index row; every term must appear in the
    stored normalised text.
    """
    prefix = "search_documents__"
    match = Q(**{f"{prefix}language": language})
    in_title = Q()
    for term in terms:
        needle = fallback_term(term, language)
        match &= (
            Q(**{f"{prefix}title__contains": needle})
            | Q(**{f"{prefix}summary__contains": needle})
            | Q(**{f"{prefix}body__contains": needle})
        )
        in_title &= Q(**{f"{prefix}title__contains": needle})
    rank = Case(When(in_title, then=Value(1.0)), default=Value(0.1), output_field=FloatField())
    return match, rank


def search_articles(
    *,
    terms: Sequence[str],
    language: str,
    category: Category | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[int]:
    """Ids of published articles in `language` that contain every term, best first.

    Only the newest MAX_CANDIDATES matches are ranked, as news sites do: a broad query
    ("المغرب" matches half of a 100,000-article archive) would otherwise rank every match, and
    readers of a news archive want the best of what is recent; the date filters reach further
    back. On PostgreSQL `search.recent` finds them the cheapest way for the query's breadth;
    on SQLite they are the matches in the order of the index rows' publication time. Ranks
    are computed for the candidates only, and the candidates (a thousand numbers at most)
    are sorted here rather than joined to their articles again.
    """
    filters = {"category": category, "date_from": date_from, "date_to": date_to}
    if is_postgresql():
        candidates = newest_matches(terms=terms, language=language, limit=MAX_CANDIDATES, **filters)
    else:
        match, rank = _matching(terms, language)
        candidates = list(
            _filtered(language=language, **filters)
            .filter(match)
            .order_by("-search_documents__publish_at", "-search_documents__article_id")
            .annotate(rank=rank)
            .values_list("rank", "publish_at", "pk")[:MAX_CANDIDATES]
        )
    # Best rank first; equal ranks newest first, then the highest id.
    candidates.sort(reverse=True)
    return [pk for _rank, _publish_at, pk in candidates]


def similar_title_ids(
    *,
    terms: Sequence[str],
    language: str,
    limit: int,
    category: Category | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[int]:
    """Typo fallback (PostgreSQL): articles whose titles hold words close to the query's
    (pg_trgm), closest first.

    Comparing a misspelt common word ("الحكومت") with every title is the costliest search
    there is: thousands of close Arabic titles, each compared again, 130 to 240 ms at 100,000
    articles. As for broad queries, the newest RECENT_WINDOW index rows of the language come
    first (the index bounds them, about 15 ms); the whole archive only when none of them is
    close, which is when close titles are few (a rare or old subject).
    """
    if not is_postgresql():
        return []
    wanted = " ".join(terms)
    articles = _filtered(language=language, category=category, date_from=date_from, date_to=date_to)
    newest = (
        SearchDocument.objects.filter(language=language, publish_at__isnull=False)
        .order_by("-publish_at", "-article_id")
        .values("publish_at")[RECENT_WINDOW - 1 : RECENT_WINDOW]
    )
    # A smaller archive has no RECENT_WINDOW-th row: then the window is all of it.
    since = Coalesce(Subquery(newest), Value(EARLIEST), output_field=DateTimeField())
    close = {
        "search_documents__language": language,
        "search_documents__title__trigram_word_similar": wanted,
    }
    for window in ({"search_documents__publish_at__gte": since}, {}):
        ids = list(
            articles.filter(**close, **window)
            .annotate(rank=TrigramWordSimilarity(wanted, "search_documents__title"))
            .order_by("-rank", "-publish_at", "-pk")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            return ids
    return []


def _shown(language: str) -> list[str]:
    """What a result shows: title and link (every language, for their fallbacks), section,
    date, and the shown language's summary and body for the extract; not the rest of a row
    (other languages' bodies, cover, metadata), which is most of its size and build time."""
    codes = [code for code, _ in settings.LANGUAGES]
    return [
        "pk",
        "status",
        "publish_at",
        f"summary_{language}",
        f"body_{language}",
        *(f"{name}_{code}" for name in ("title", "slug") for code in codes),
        *(f"category__{name}_{code}" for name in ("name", "slug") for code in codes),
    ]


@dataclass
class SearchOutcome:
    """What the template shows: one of the states below, and the results when there are any."""

    state: str  # "empty", "invalid", "no_terms", "none" or "results"
    page: Page | None = None
    results: list[tuple[Article, SafeString]] = field(default_factory=list)
    similar: bool = False
    capped: bool = False


def search_run(*, form: SearchForm, language: str, page_number: Any) -> SearchOutcome:
    """Validate, search, paginate and build snippets, in a fixed number of queries."""
    if not form.is_bound or not form.data.get("q", "").strip():
        return SearchOutcome("invalid" if form.is_bound and not form.is_valid() else "empty")
    if not form.is_valid():
        return SearchOutcome("invalid")
    terms = query_terms(form.cleaned_data["q"], language)
    if not terms:
        return SearchOutcome("no_terms")
    filters = {
        "language": language,
        "category": form.cleaned_data.get("category"),
        "date_from": form.cleaned_data.get("date_from"),
        "date_to": form.cleaned_data.get("date_to"),
    }
    # One ranked query gives the page and the count: the best MAX_RESULTS + 1 ids among the
    # newest matches. An exact count of a broad query ("المغرب" in 100,000 articles) would
    # read every match again, and nobody pages past the fiftieth page; the page says "more
    # than 1,000" instead.
    similar = False
    ranked = search_articles(terms=terms, **filters)[:MAX_RANKED]
    if not ranked:
        ranked = similar_title_ids(terms=terms, limit=MAX_RANKED, **filters)
        similar = bool(ranked)
    if not ranked:
        return SearchOutcome("none")
    capped = len(ranked) > MAX_RESULTS
    paginator = Paginator(ranked[:MAX_RESULTS], PAGE_SIZE)
    try:
        page = paginator.page(page_number or 1)  # past the last page: EmptyPage, a 404
    except PageNotAnInteger:
        page = paginator.page(1)
    ids = list(page.object_list)
    by_pk = Article.objects.published().select_related("category").only(*_shown(language))
    by_pk = by_pk.in_bulk(ids)
    articles = [by_pk[pk] for pk in ids if pk in by_pk]
    snippets = search_snippets(articles=articles, terms=terms, language=language)
    return SearchOutcome(
        "results",
        page=page,
        results=[(article, snippets[article.pk]) for article in articles],
        similar=similar,
        capped=capped,
    )
