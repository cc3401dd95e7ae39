"""Text prepared for matching, the same way for the index and the query.

Arabic goes through the one normaliser (`newsroom.arabic`); then Latin letters lose their
accents (`fold_latin`), so `hopital` finds `hôpital` and `café` finds `cafe`; Arabic letters
are never touched by that step. Folding is for matching only: pages show the article's own
words.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from newsroom.arabic import normalise, search_terms

MAX_QUERY_LENGTH = 200
_WORD = re.compile(r"[^\W_]+")
_TAG = re.compile(r"<[^>]*>")

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


def index_text_by_word(text: str, language: str) -> str:
    """`index_text`, word by word through the per-word cache: the same terms (the normaliser
    never joins or splits across spaces) at a fraction of the cost for text whose words come
    back, such as the extracts of a results page. Not for indexing a whole archive: every
    word would pass through the cache."""
    return " ".join(term for word in text.split() for term in word_terms(word, language))


def fallback_term(term: str, language: str) -> str:
    """SQLite has no stemmer: a crude one for substring matching (elections -> election)."""
    if language != "ar" and len(term) > 4 and term.endswith(("s", "x")):
        return term[:-1]
    return term
