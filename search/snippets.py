"""Extracts for the results page: the article's own words, the matching ones in `<mark>`.

Snippets never show the folded index text: the database says which index words matched
(`ts_headline`, which knows the stemmer), and each original word whose normalised form is
one of them is escaped and wrapped in `<mark>`. SQLite has no stemmer: a word is marked when
one of its terms contains a query term.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

from django.db import connection
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article

from .backend import CONFIGS, is_postgresql
from .text import fallback_term, index_text_by_word, plain_text, word_terms

SNIPPET_WORDS = 40
#: Highlight markers: private-use characters, which the normaliser removes from every indexed
#: text, so they can only come from ts_headline.
START_SEL, STOP_SEL = "\ue000", "\ue001"
_MARKED = re.compile(f"{START_SEL}(.*?){STOP_SEL}", re.DOTALL)


def snippet(text: str, is_match: Callable[[str], bool], size: int = SNIPPET_WORDS) -> SafeString:
    """About `size` words of `text` around the first match, matches in `<mark>`.

    Every word is escaped before any markup is added, so article text can never inject HTML.
    Plain string joins rather than a format_html() per word: twenty snippets of forty words
    are a good part of a results page's time.
    """
    words = text.split()
    first = next((i for i, word in enumerate(words) if is_match(word)), None)
    start = 0 if first is None else max(0, first - size // 4)
    window = words[start : start + size]
    body = " ".join(
        f"<mark>{html.escape(word)}</mark>" if is_match(word) else html.escape(word)
        for word in window
    )
    before = "… " if start > 0 else ""
    after = " …" if start + size < len(words) else ""
    return mark_safe(f"{before}{body}{after}")  # noqa: S308 - every word escaped above


def _display_text(article: Article, language: str) -> str:
    """The article's own summary and body in `language`, never another language's fallback."""
    summary = getattr(article, f"summary_{language}", "") or ""
    return f"{summary} {plain_text(getattr(article, f'body_{language}', ''))}".strip()


def _headline_words(
    articles: Sequence[Article], shown: dict[int, str], terms: Sequence[str], language: str
) -> dict[int, set[str]]:
    """Index words that match the query in each article, as PostgreSQL's stemmer decides.

    ts_headline runs over the normalised text of what the snippet shows, with markers that
    cannot occur in it; one query for the whole page.
    """
    texts = [index_text_by_word(shown[article.pk], language) for article in articles]
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
    shown = {article.pk: _display_text(article, language) for article in articles}
    if is_postgresql() and terms:
        matched = _headline_words(articles, shown, terms, language)
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

    return {article.pk: snippet(shown[article.pk], matcher(article.pk)) for article in articles}
