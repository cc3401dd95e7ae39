"""Search across the archive, in the reader's language, that understands Arabic as it is typed.

Both sides go through one normaliser (`newsroom.arabic`): the index rows are built from it and
so are the query terms, so hamza, ى/ی, ک, tashkeel, tatweel, و/ف + ال and Eastern digits never
stop a match. Then Latin letters lose their accents (`fold_latin`), so `hopital` finds
`hôpital` and `café` finds `cafe`; Arabic letters are never touched by that step.

- PostgreSQL: a weighted `tsvector` per article and language (title A, summary B, body C) with
  the language's configuration (`arabic`, and `newsroom_french`, `newsroom_english`: the
  french and english ones with `unaccent` before the stemmer, created by a migration), ranked
  with `ts_rank`; when no document matches, a trigram comparison of titles catches typos.
- SQLite (the embedded default): every query word must appear in the stored normalised text.

Snippets show the article's own words, never the folded index text: the database says which
index words matched (`ts_headline`, which knows the stemmer), and each original word whose
normalised form is one of them is escaped and wrapped in `<mark>`.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from newsroom.arabic import normalise, search_terms

from .models import Article, Category
from .search_index import SearchDocument

#: Text search configuration of each language's index rows. The French and English ones are
#: copies of PostgreSQL's with `unaccent` before the stemmer (migration 0005): the folded text
#: and anything the Python table below misses meet the same way in the index and the query.
CONFIGS = {"ar": "arabic", "fr": "newsroom_french", "en": "newsroom_english"}
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
MAX_RESULTS = 1000
MAX_RANKED = MAX_RESULTS + 1
PAGE_SIZE = 20
SNIPPET_WORDS = 40
#: Highlight markers: private-use characters, which the normaliser removes from every indexed
#: text, so they can only come from ts_headline.
START_SEL, STOP_SEL = "\ue000", "\ue001"
_MARKED = re.compile(f"{START_SEL}(.*?){STOP_SEL}", re.DOTALL)
_WORD = re.compile(r"[^\W_]+")
_TAG = re.compile(r"<[^>]*>")


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def current_language() -> str:
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in CONFIGS else settings.LANGUAGE_CODE


# --- text preparation -----------------------------------------------------------------------

#: Letters NFKD does not take apart, folded as PostgreSQL's `unaccent` does.
_LATIN_EXTRA = {
    "œ": "oe",
    "Œ": "OE",
    "æ": "ae",
    "Æ": "AE",
    "ß": "ss",
    "ẞ": "SS",
    "ø": "o",
    "Ø": "O",
    "đ": "d",
    "Đ": "D",
    "ð": "d",
    "Ð": "D",
    "ł": "l",
    "Ł": "L",
    "þ": "th",
    "Þ": "TH",
    "ħ": "h",
    "Ħ": "H",
    "ı": "i",
}

#: Combining marks used with Latin (and Greek, Cyrillic) letters, never with Arabic ones:
#: what is left of an accent that NFC could not compose onto its letter.
_COMBINING_BLOCKS = (
    range(0x0300, 0x0370),
    range(0x1AB0, 0x1B00),
    range(0x1DC0, 0x1E00),
    range(0x20D0, 0x2100),
    range(0xFE20, 0xFE30),
)


def _build_latin_table() -> dict[int, str | None]:
    """Accented Latin letter -> its base letters, for Latin-script code points only.

    NFKD applied to a whole text would also split Arabic letters (أ, ؤ, ئ are a letter plus a
    combining hamza), which are the Arabic normaliser's business; so the table is built per
    character and only for characters Unicode names LATIN.
    """
    table: dict[int, str | None] = {code: None for block in _COMBINING_BLOCKS for code in block}
    for code in range(0x00C0, 0x10000):
        char = chr(code)
        if not unicodedata.name(char, "").startswith("LATIN "):
            continue
        base = "".join(
            part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part)
        )
        if base and base != char and all(part.isascii() and part.isalpha() for part in base):
            table[code] = base
    table.update({ord(char): base for char, base in _LATIN_EXTRA.items()})
    return table


_LATIN_TABLE = _build_latin_table()


def fold_latin(text: str) -> str:
    """`text` with the accents of its Latin letters removed (é -> e, ç -> c, œ -> oe).

    For matching only, after `normalise()`: readers type `hopital` and `ELECTIONS`, and
    journalists sometimes type `cafe`; both sides folded, both spellings meet.
    """
    return text.translate(_LATIN_TABLE)


#: PostgreSQL's French stop words that carry an accent (its `french.stop`; the English list
#: has none). Folded (à -> a, été -> ete) the stemmer no longer knows them, and since every
#: query word must match, "voyage à Fès" would need an "a"; so they are dropped here, on
#: both sides and on every database.
_ACCENTED_STOP_WORDS = {
    "fr": """à même été étée étées étés étant étante étants étantes êtes étais était étions
    étiez étaient fûmes fûtes fût eûmes eûtes eût""",
}
FOLDED_STOP_WORDS: dict[str, frozenset[str]] = {
    language: frozenset(fold_latin(words).split())
    for language, words in _ACCENTED_STOP_WORDS.items()
}


def plain_text(rich_text: str | None) -> str:
    """Body HTML (already sanitised at save) as text; tags become spaces so words stay apart."""
    if not rich_text:
        return ""
    return " ".join(html.unescape(_TAG.sub(" ", rich_text)).split())


def terms_for(text: str, language: str) -> tuple[str, ...]:
    """Matching words of `text`: Arabic fully normalised (no stop words, no ال); French and
    English folded the same way but kept whole, their configurations do the stemming and
    know their own stop words. Latin accents go in every language (a French name quoted in
    an Arabic article too)."""
    if language == "ar":
        return tuple(fold_latin(term) for term in search_terms(text))
    stop_words = FOLDED_STOP_WORDS.get(language, frozenset())
    return tuple(
        word for word in _WORD.findall(fold_latin(normalise(text))) if word not in stop_words
    )


#: Per-word cache for snippets: news text repeats its words, the normaliser runs once per word.
word_terms = lru_cache(maxsize=50_000)(terms_for)


def index_text(text: str, language: str) -> str:
    return " ".join(terms_for(text, language)) if text else ""


def fallback_term(term: str, language: str) -> str:
    """SQLite has no stemmer: a crude one for substring matching (elections -> election)."""
    if language != "ar" and len(term) > 4 and term.endswith(("s", "x")):
        return term[:-1]
    return term


# --- the index ------------------------------------------------------------------------------


def _document(article: Article, language: str) -> SearchDocument | None:
    title = getattr(article, f"title_{language}", "") or ""
    if not title.strip():
        return None  # no translation in this language: nothing to find there
    kicker = getattr(article, f"kicker_{language}", "") or ""
    summary = getattr(article, f"summary_{language}", "") or ""
    body = plain_text(getattr(article, f"body_{language}", ""))
    return SearchDocument(
        article_id=article.pk,
        language=language,
        title=index_text(title, language),
        summary=index_text(f"{kicker} {summary}", language),
        body=index_text(body, language),
    )


def search_index_update(*, articles: Iterable[Article]) -> int:
    """Rebuild the index rows of `articles` (all languages); returns how many rows exist now.

    Delete-and-insert in one transaction: a translation removed from an article disappears
    from the index too. Two queries whatever the number of articles, which is what lets
    `rebuild_search_index` index an archive of 100,000 articles in batches.
    """
    articles = list(articles)
    documents = [
        document
        for article in articles
        for language in CONFIGS
        if (document := _document(article, language)) is not None
    ]
    ids = [article.pk for article in articles]
    with transaction.atomic():
        SearchDocument.objects.filter(article_id__in=ids).delete()
        if is_postgresql():
            _insert_vectors(documents)
        else:
            SearchDocument.objects.bulk_create(documents)
    return len(documents)


def _insert_vectors(documents: Sequence[SearchDocument]) -> None:
    """PostgreSQL: rows holding the weighted vector and the title, not the summary and body.

    Every broad query reads the matching rows to rank them; without the texts (which only
    the SQLite fallback needs) the table is a third of the size and ranking about a third
    faster. One INSERT per batch, the vectors computed by the database.
    """
    if not documents:
        return
    table = connection.ops.quote_name(SearchDocument._meta.db_table)
    sql = f"""
        INSERT INTO {table} (article_id, language, title, summary, body, vector)
        SELECT d.article_id, d.language, d.title, '', '',
               setweight(to_tsvector(d.config::regconfig, d.title), 'A')
               || setweight(to_tsvector(d.config::regconfig, d.summary), 'B')
               || setweight(to_tsvector(d.config::regconfig, d.body), 'C')
        FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
             AS d(article_id, language, config, title, summary, body)
    """  # noqa: S608 - the table name comes from the model, every value is a parameter
    columns = [
        [d.article_id for d in documents],
        [d.language for d in documents],
        [CONFIGS[d.language] for d in documents],
        [d.title for d in documents],
        [d.summary for d in documents],
        [d.body for d in documents],
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, columns)


def search_index_rebuild(
    *, batch_size: int = 1000, progress: Callable[[int], None] | None = None
) -> int:
    """Index every article (bulk_create in `load_demo` bypasses the save signal)."""
    fields = ["pk"] + [
        f"{name}_{language}"
        for name in ("kicker", "title", "summary", "body")
        for language in CONFIGS
    ]
    total, last_pk = 0, 0
    while True:
        batch = list(
            Article.objects.filter(pk__gt=last_pk).order_by("pk").only(*fields)[:batch_size]
        )
        if not batch:
            return total
        total += search_index_update(articles=batch)
        last_pk = batch[-1].pk
        if progress is not None:
            progress(len(batch))


def search_index_on_save(
    sender: type[Article], instance: Article, raw: bool = False, **kwargs: Any
) -> None:
    """post_save receiver (connected in apps.py); fixtures loaded raw are indexed by a rebuild."""
    if not raw:
        search_index_update(articles=[instance])


# --- the query ------------------------------------------------------------------------------


def query_terms(query: str, language: str) -> list[str]:
    """Distinct matching words of the reader's query, at most MAX_TERMS of them."""
    return list(dict.fromkeys(terms_for(query[:MAX_QUERY_LENGTH], language)))[:MAX_TERMS]


def _search_query(terms: Sequence[str], language: str) -> SearchQuery:
    return SearchQuery(" ".join(terms), config=CONFIGS[language], search_type="plain")


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


def search_articles(
    *,
    terms: Sequence[str],
    language: str,
    category: Category | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Article]:
    """Published articles in `language` that contain every term, best first (`rank`)."""
    articles = _filtered(language=language, category=category, date_from=date_from, date_to=date_to)
    order = ("-rank", "-publish_at", "-pk")
    if is_postgresql():
        query = _search_query(terms, language)
        # Equal ranks: newest id first. The id is known before joining the article, so the
        # database sorts index rows and joins only the page's; ordering by publish time
        # would join every match first (twice as slow on broad queries, see the benchmark).
        return (
            articles.filter(search_documents__language=language, search_documents__vector=query)
            .annotate(rank=SearchRank(F("search_documents__vector"), query))
            .order_by("-rank", "-pk")
        )
    # SQLite: one filter() call, so every condition applies to the same index row.
    match = Q(search_documents__language=language)
    in_title = Q()
    for term in terms:
        needle = fallback_term(term, language)
        match &= (
            Q(search_documents__title__contains=needle)
            | Q(search_documents__summary__contains=needle)
            | Q(search_documents__body__contains=needle)
        )
        in_title &= Q(search_documents__title__contains=needle)
    return (
        articles.filter(match)
        .annotate(
            rank=Case(
                When(in_title, then=Value(1.0)), default=Value(0.1), output_field=FloatField()
            )
        )
        .order_by(*order)
    )


def search_similar_titles(
    *,
    terms: Sequence[str],
    language: str,
    category: Category | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Article]:
    """Typo fallback (PostgreSQL): titles containing words close to the query's (pg_trgm)."""
    articles = _filtered(language=language, category=category, date_from=date_from, date_to=date_to)
    if not is_postgresql():
        return articles.none()
    wanted = " ".join(terms)
    return (
        articles.filter(
            search_documents__language=language,
            search_documents__title__trigram_word_similar=wanted,
        )
        .annotate(rank=TrigramWordSimilarity(wanted, "search_documents__title"))
        .order_by("-rank", "-publish_at", "-pk")
    )


# --- snippets -------------------------------------------------------------------------------


def snippet(text: str, is_match: Callable[[str], bool], size: int = SNIPPET_WORDS) -> SafeString:
    """About `size` words of `text` around the first match, matches in `<mark>`.

    Every word is escaped before any markup is added, so article text can never inject HTML.
    """
    words = text.split()
    first = next((i for i, word in enumerate(words) if is_match(word)), None)
    start = 0 if first is None else max(0, first - size // 4)
    window = words[start : start + size]
    body = format_html_join(
        " ",
        "{}",
        (
            (format_html("<mark>{}</mark>", word) if is_match(word) else escape(word),)
            for word in window
        ),
    )
    return format_html(
        "{}{}{}",
        "… " if start > 0 else "",
        body,
        " …" if start + size < len(words) else "",
    )


def _display_text(article: Article, language: str) -> str:
    """The article's own summary and body in `language`, never another language's fallback."""
    summary = getattr(article, f"summary_{language}", "") or ""
    return f"{summary} {plain_text(getattr(article, f'body_{language}', ''))}".strip()


def _headline_words(
    articles: Sequence[Article], terms: Sequence[str], language: str
) -> dict[int, set[str]]:
    """Index words that match the query in each article, as PostgreSQL's stemmer decides.

    ts_headline runs over the normalised text of what the snippet shows, with markers that
    cannot occur in it; one query for the whole page.
    """
    texts = [index_text(_display_text(article, language), language) for article in articles]
    options = f"StartSel={START_SEL}, StopSel={STOP_SEL}, HighlightAll=true"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ts_headline(%s::regconfig, t.text, plainto_tsquery(%s::regconfig, %s), %s) "
            "FROM unnest(%s::text[]) WITH ORDINALITY AS t(text, n) ORDER BY t.n",
            [CONFIGS[language], CONFIGS[language], " ".join(terms), options, texts],
        )
        marked = [row[0] or "" for row in cursor.fetchall()]
    return {
        article.pk: set(_MARKED.findall(text))
        for article, text in zip(articles, marked, strict=True)
    }


def search_snippets(
    *, articles: Sequence[Article], terms: Sequence[str], language: str
) -> dict[int, SafeString]:
    """One highlighted snippet per article: at most one query, whatever the page size."""
    if not articles:
        return {}
    if is_postgresql() and terms:
        matched = _headline_words(articles, terms, language)
    else:
        matched = {}
    needles = [fallback_term(term, language) for term in terms]

    def matcher(article_id: int) -> Callable[[str], bool]:
        if is_postgresql():
            words = matched.get(article_id, set())
            return lambda word: any(term in words for term in word_terms(word, language))
        return lambda word: any(
            needle in term for term in word_terms(word, language) for needle in needles
        )

    return {
        article.pk: snippet(_display_text(article, language), matcher(article.pk))
        for article in articles
    }


# --- the page -------------------------------------------------------------------------------


class SearchForm(forms.Form):
    """The search page's form (GET). The header's box sends only `q`."""

    q = forms.CharField(
        label=_("Search for"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _("The search is too long: use %(limit_value)d characters or fewer.")
        },
    )
    category = forms.ChoiceField(label=_("Section"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One query serves both the choices shown and the validation of the submitted slug.
        self.sections = {category.slug: category for category in Category.objects.active()}
        self.fields["category"].choices = [("", _("All sections"))] + [
            (slug, category.name) for slug, category in self.sections.items()
        ]

    def clean_category(self) -> Category | None:
        return self.sections.get(self.cleaned_data.get("category") or "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned


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
    # One ranked query gives the page and the count: the best MAX_RESULTS + 1 ids. An exact
    # count of a broad query ("المغرب" in 100,000 articles) would read every match again,
    # and nobody pages past the fiftieth page; the page says "more than 1,000" instead.
    similar = False
    ranked = list(search_articles(terms=terms, **filters).values_list("pk", flat=True)[:MAX_RANKED])
    if not ranked and is_postgresql():
        similar = True
        ranked = list(
            search_similar_titles(terms=terms, **filters).values_list("pk", flat=True)[:MAX_RANKED]
        )
    if not ranked:
        return SearchOutcome("none")
    capped = len(ranked) > MAX_RESULTS
    paginator = Paginator(ranked[:MAX_RESULTS], PAGE_SIZE)
    page = paginator.get_page(page_number)
    ids = list(page.object_list)
    by_pk = Article.objects.published().select_related("category").in_bulk(ids)
    articles = [by_pk[pk] for pk in ids if pk in by_pk]
    snippets = search_snippets(articles=articles, terms=terms, language=language)
    return SearchOutcome(
        "results",
        page=page,
        results=[(article, snippets[article.pk]) for article in articles],
        similar=similar,
        capped=capped,
    )


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
        "articles/search.html",
        {
            "form": form,
            "query": _printable(request.GET.get("q", ""))[:MAX_QUERY_LENGTH],
            "outcome": outcome,
        },
    )
