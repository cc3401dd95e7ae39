"""The Arabic normaliser, letter by letter, and its properties over any text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom.arabic import STOP_WORDS, normalise, search_terms, strip_article


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("أ", "ا"),
        ("إ", "ا"),
        ("آ", "ا"),
        ("ٱ", "ا"),
        ("ى", "ي"),
        ("ی", "ي"),  # Persian yeh U+06CC
        ("ک", "ك"),  # Persian keheh U+06A9
        ("ة", "ه"),
        ("ۀ", "ه"),
    ],
)
def test_each_variant_letter_folds_to_its_plain_form(typed: str, folded: str) -> None:
    assert normalise(typed) == folded


@pytest.mark.parametrize("letter", list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءؤئ"))
def test_plain_letters_stay_as_they_are(letter: str) -> None:
    assert normalise(letter) == letter


@pytest.mark.parametrize(
    "mark",
    [
        "\u064b",  # fathatan
        "\u064c",  # dammatan
        "\u064d",  # kasratan
        "\u064e",  # fatha
        "\u064f",  # damma
        "\u0650",  # kasra
        "\u0651",  # shadda
        "\u0652",  # sukun
        "\u0670",  # superscript alef
        "\u0640",  # tatweel
    ],
)
def test_tashkeel_and_tatweel_disappear(mark: str) -> None:
    assert normalise(f"ك{mark}تب") == "كتب"


@pytest.mark.parametrize(
    "invisible",
    [
        "\u200b",  # zero-width space
        "\u200c",  # zero-width non-joiner
        "\u200d",  # zero-width joiner
        "\u200e",  # left-to-right mark
        "\u200f",  # right-to-left mark
        "\u061c",  # Arabic letter mark
        "\u202a",  # LRE
        "\u202b",  # RLE
        "\u202c",  # PDF
        "\u202d",  # LRO
        "\u202e",  # RLO
        "\u2066",  # LRI
        "\u2067",  # RLI
        "\u2068",  # FSI
        "\u2069",  # PDI
        "\ufeff",  # byte order mark
        "\u00ad",  # soft hyphen
    ],
)
def test_zero_width_and_bidi_controls_disappear(invisible: str) -> None:
    assert normalise(f"المغ{invisible}رب") == "المغرب"


@pytest.mark.parametrize("n", range(10))
def test_arabic_indic_and_persian_digits_become_western(n: int) -> None:
    assert normalise(chr(0x0660 + n)) == str(n)
    assert normalise(chr(0x06F0 + n)) == str(n)


def test_a_year_in_persian_digits_reads_as_2024() -> None:
    assert normalise("سنة ۲۰۲۴") == "سنه 2024"
    assert normalise("سنة ٢٠٢٤") == "سنه 2024"


def test_control_characters_and_nul_separate_words() -> None:
    assert normalise("المغرب\x00الرباط\tفاس\n") == "المغرب الرباط فاس"


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("والمغرب", "و المغرب"),
        ("فالحكومة", "ف الحكومه"),
        ("والأمريكية", "و الامريكيه"),
        ("وَالمَغْرِب", "و المغرب"),
    ],
)
def test_waw_and_fa_are_split_from_the_article(typed: str, folded: str) -> None:
    assert normalise(typed) == folded


@pytest.mark.parametrize("word", ["والد", "والي", "والده", "والدته", "فالح", "ولد", "فلسطين"])
def test_words_that_only_look_like_waw_plus_article_stay_whole(word: str) -> None:
    assert normalise(word) == normalise(word).replace(" ", "")


def test_presentation_forms_unfold_to_ordinary_letters() -> None:
    assert normalise("\ufefb") == "لا"  # lam-alef ligature
    assert normalise("\ufe8d\ufedf") == "ال"  # isolated alef, initial lam


def test_latin_words_in_arabic_text_are_lower_cased() -> None:
    assert normalise("فيروس COVID") == "فيروس covid"


def test_the_seed_spellings_meet_the_readers_spellings() -> None:
    assert normalise("عملیة") == normalise("عملية")  # Persian yeh in the seed
    assert normalise("الأمريكية") == normalise("الامريكية")
    assert normalise("مستشفى") == normalise("مستشفي")
    assert normalise("المَغْرِب") == normalise("المغرب")


def test_stop_words_are_stored_normalised_and_dropped_from_search_terms() -> None:
    assert "الي" in STOP_WORDS  # إلى, folded
    assert "ان" in STOP_WORDS  # أن / إن
    assert search_terms("في من على إلى أن") == []
    assert search_terms("سفير المغرب في واشنطن") == ["سفير", "مغرب", "واشنطن"]


def test_search_terms_drop_the_article_only_when_a_word_remains() -> None:
    assert strip_article("المغرب") == "مغرب"
    assert strip_article("الله") == "الله"
    assert search_terms("والمغرب") == search_terms("المغرب") == ["مغرب"]


def test_search_terms_ignore_punctuation_and_sql() -> None:
    assert search_terms("'; DROP TABLE articles; --") == ["drop", "table", "articles"]
    assert search_terms("%_%") == []
    assert search_terms("؟!،.") == []


# --- properties over any text -----------------------------------------------------------------

arabic_heavy = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
        st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF),
        st.sampled_from(list(" \u200f\u200d\x00\tوال")),
    ),
    max_size=80,
)
any_text = st.one_of(st.text(max_size=80), arabic_heavy)


@settings(max_examples=400, deadline=None)
@given(any_text)
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@settings(max_examples=400, deadline=None)
@given(any_text)
def test_the_normaliser_never_raises_and_never_multiplies_the_text(text: str) -> None:
    result = normalise(text)
    assert isinstance(result, str)
    assert len(result) <= 3 * len(text)


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_normalised_text_has_no_marks_controls_or_variant_letters(text: str) -> None:
    result = normalise(text)
    forbidden = set("أإآٱىیکة\u0640\u064e\u0651\u200f\u200d\x00\ue000\ue001")
    assert not forbidden & set(result)
    assert not any("\u0660" <= ch <= "\u0669" or "\u06f0" <= ch <= "\u06f9" for ch in result)


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_search_terms_are_stable_words_without_stop_words(text: str) -> None:
    terms = search_terms(text)
    assert all(term and " " not in term for term in terms)
    assert not STOP_WORDS & set(terms)
    assert all(term == normalise(term) for term in terms)
