"""The one Arabic normaliser, applied identically to indexed text and to readers' queries.

Arabic on the web is typed inconsistently: with or without hamza (الأمريكية / الامريكية), ى for
ي at a word's end, Persian keyboards' ی and ک, tashkeel, tatweel, و or ف glued to ال, Eastern
digits (٢٠٢٤ or ۲۰۲۴), invisible direction marks pasted from other pages. Two spellings that
a reader considers the same word must come out of `normalise()` as the same string, so that a
plain comparison (or PostgreSQL's `arabic` stemmer, which handles none of the above reliably)
sees one word.

The output is for *matching only*: it folds ة into ه and drops hamza seats, so it is never shown
to readers. Pages show the original text and use this module only to decide what matched.

Steps of `normalise()`, in order (each documented next to its table below):

1. NFC, so a letter typed as base + combining hamza is one code point; Arabic presentation
   forms (ﻻ, ﺍ, ...) unfold to ordinary letters.
2. Lower case (for the Latin words inside Arabic articles: COVID, FIFA).
3. One `str.translate()` pass: drop tashkeel, tatweel, Quranic marks, zero-width and bidi
   controls, private-use code points; fold letters; map ٠-٩ and ۰-۹ to 0-9; control
   characters (NUL included) become spaces.
4. Split و and ف from a following ال (والمغرب -> و المغرب), except in a few words where the
   letters belong to the word itself (والدته).
5. Collapse whitespace.

`search_terms()` goes one step further for the index and the query: it keeps only words,
drops Arabic stop words, and removes the definite article so that PostgreSQL's stemmer (which
stems المغربية and مغربية differently) sees one form.
"""

from __future__ import annotations

import re
import unicodedata

# --- step 3: one translation table -------------------------------------------------------------

#: Tashkeel and other marks that change pronunciation, not the word: fathatan..sukun, the
#: hamza and madda marks written above/below a letter (U+0653-U+0655), the other Arabic
#: combining marks up to U+065F, superscript alef (U+0670), Quranic annotation marks.
_MARKS = [
    *range(0x0610, 0x061B),  # honorifics and small signs above letters
    *range(0x064B, 0x0660),  # fathatan .. wavy hamza below
    0x0670,  # superscript alef
    *range(0x06D6, 0x06DD),  # Quranic small high ligatures
    *range(0x06DF, 0x06E5),
    *range(0x06E7, 0x06E9),
    *range(0x06EA, 0x06EE),
    *range(0x08D3, 0x0900),  # Arabic Extended-A marks
]
_TATWEEL = 0x0640

#: Letters folded to one form. Hamza seats on alef (أ إ آ ٱ and the rarer ٲ ٳ ٵ) become
#: bare alef; alef maqsura ى and Persian/Urdu yeh (ی ې) become ي; Persian keheh ک becomes ك;
#: ta marbuta ة becomes ه (so مدرسة and مدرسه match, as many people type it); Persian heh
#: with yeh above ۀ becomes ه.
_LETTERS = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ٵ": "ا",
    "ى": "ي",
    "ی": "ي",
    "ې": "ي",
    "ک": "ك",
    "ة": "ه",
    "ۀ": "ه",
    "ە": "ه",
}

#: Arabic-Indic (٠-٩) and Extended Arabic-Indic, i.e. Persian (۰-۹), digits to 0-9.
_DIGITS = {
    **{0x0660 + n: str(n) for n in range(10)},
    **{0x06F0 + n: str(n) for n in range(10)},
}


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for code in _MARKS:
        table[code] = None
    table[_TATWEEL] = None
    for source, target in _LETTERS.items():
        table[ord(source)] = target
    table.update(_DIGITS)
    # Invisible characters pasted from other pages (zero-width space/joiners, LRM/RLM, ALM,
    # bidi embeddings and isolates, BOM, soft hyphen...) are Unicode category Cf; private-use
    # code points (Co) are removed too, which keeps them free for highlight markers; lone
    # surrogates (Cs) cannot be stored. Control characters (Cc: NUL, tab, newline...) separate
    # words, so they become spaces.
    for code in range(0x110000):
        category = unicodedata.category(chr(code))
        if category in {"Cf", "Co", "Cs"}:
            table.setdefault(code, None)
        elif category == "Cc":
            table.setdefault(code, " ")
    return table


_TABLE = _build_table()


def _build_presentation_forms() -> dict[int, str]:
    """Arabic presentation forms (ﻻ, ﺎ, ...) unfolded to ordinary letters.

    Only forms that unfold to at most three characters: the honorific phrase ligatures (ﷺ, ﷽)
    stay as they are, so the normaliser never multiplies the length of a text.
    """
    forms: dict[int, str] = {}
    for code in (*range(0xFB50, 0xFE00), *range(0xFE70, 0xFF00)):
        unfolded = unicodedata.normalize("NFKC", chr(code))
        if unfolded != chr(code) and len(unfolded) <= 3:
            forms[code] = unfolded.translate(_TABLE)
    return forms


_PRESENTATION_FORMS = _build_presentation_forms()

# --- step 4: و / ف before ال ----------------------------------------------------------------

#: و or ف at the start of a word, then ال and at least three more letters: والمغرب, فالحكومه.
#: Shorter words (والي, والد) are left alone: there the letters are the word's own.
_CONJUNCTION_ARTICLE = re.compile(r"\b([وف])(ال[^\W_]{3,})")

#: Words (already normalised) where وال is part of the word, not "and the": والد's forms.
CONJUNCTION_EXCEPTIONS = frozenset(
    {
        "والدان",
        "والداه",
        "والدته",
        "والدتها",
        "والدتهم",
        "والدتي",
        "والدها",
        "والدهم",
        "والدهما",
        "والديه",
    }
)


def _split_conjunction(match: re.Match[str]) -> str:
    if match.group(0) in CONJUNCTION_EXCEPTIONS:
        return match.group(0)
    return f"{match.group(1)} {match.group(2)}"


def normalise(text: str) -> str:
    """Fold `text` so that every common way of typing an Arabic word gives one string.

    Never raises on any `str`, is idempotent (`normalise(normalise(x)) == normalise(x)`), and
    the result is at most three times as long as the input (presentation-form ligatures unfold).
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).translate(_PRESENTATION_FORMS)
    text = text.lower().translate(_TABLE)
    # Removing an invisible character can bring a Latin letter and its combining accent
    # together; compose them again so a second pass changes nothing.
    text = unicodedata.normalize("NFC", text)
    text = _CONJUNCTION_ARTICLE.sub(_split_conjunction, text)
    return " ".join(text.split())


# --- stop words and search terms ------------------------------------------------------------

#: Words too common to search for: prepositions, conjunctions, pronouns, demonstratives,
#: relatives and auxiliaries, as Moroccan and Mashriq news write them. Written as typed; the
#: set below holds their normalised forms, so أن, إن and ان are one entry.
_STOP_WORDS_AS_TYPED = """
و ف ب ل ك ثم أو أم بل لكن لكنّ حتى إذا إذ لو لولا كي لأن لان
من إلى الى عن على في مع عند لدى منذ مذ بين خلال حول ضد نحو دون غير بعد قبل فوق تحت أمام وراء
عبر لدي ضمن
أن إن أنّ إنّ كان كانت كانوا يكون تكون ليس ليست قد لقد لا لم لن ما ماذا متى أين كيف هل
هو هي هم هن هما أنا نحن أنت أنتم أنتن
هذا هذه هذان هاتان هؤلاء ذلك تلك أولئك هناك هنا
الذي التي الذين اللذان اللتان اللواتي اللاتي اللائي
كل بعض أي أيضا أيضاً كما إلا الا سوى
له لها لهم به بها بهم فيه فيها فيهم منه منها منهم عليه عليها عليهم إليه إليها إليهم عنه عنها
وقد ولا ولم ولن وما وفي ومن وعلى وإلى وعن ومع وهو وهي وهم وأن وإن فإن فقد كما يا
"""

STOP_WORDS: frozenset[str] = frozenset(
    word for typed in _STOP_WORDS_AS_TYPED.split() if (word := normalise(typed))
)

_WORD = re.compile(r"[^\W_]+")
_ARTICLE_MIN_REST = 3


def strip_article(word: str) -> str:
    """Remove the definite article from a normalised word when at least three letters remain.

    PostgreSQL's `arabic` stemmer stems العملية to عمليه but عملية to عمل, so the same word
    with and without ال would never match. Short words keep their ال (الله, الف).
    """
    if word.startswith("ال") and len(word) - 2 >= _ARTICLE_MIN_REST:
        return word[2:]
    return word


def search_terms(text: str) -> list[str]:
    """The words of `text` worth searching for: normalised, no stop words, no ال.

    Used for both sides, the index and the query, so they always agree.
    """
    return [
        term
        for word in _WORD.findall(normalise(text))
        if word not in STOP_WORDS and (term := strip_article(word)) not in STOP_WORDS
    ]
