"""Extracts on the results page: the words PostgreSQL marks are the words the reader sees."""

from __future__ import annotations

import pytest

from search.snippets import snippet
from search.text import index_text, index_text_by_word, plain_text

from .factories import seed_text

FRENCH = "L'Élysée a reçu, hier à Rabat, les « élus » du Conseil : 12 réformes annoncées."
ENGLISH = "Morocco's parliament—after a long debate—approved the 2025 budget (finally)."


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ar", " ".join(seed_text()[1])),
        ("ar", "الحُكُومَة والبرلمان ۲۰۲۴ الأمريكية الامريكي فی السیاحة ـــ"),
        ("fr", FRENCH),
        ("en", ENGLISH),
    ],
)
def test_the_index_words_built_word_by_word_are_the_index_text(language: str, text: str) -> None:
    """ts_headline marks the page's words from this text: it must be what the index holds."""
    words = plain_text(text)
    assert index_text_by_word(words, language) == index_text(words, language)


def test_a_snippet_escapes_the_article_text_and_marks_only_matches() -> None:
    html = snippet("<b>الحكومة</b> تعلن & البرلمان", lambda word: "البرلمان" in word)
    assert html == "&lt;b&gt;الحكومة&lt;/b&gt; تعلن &amp; <mark>البرلمان</mark>"
