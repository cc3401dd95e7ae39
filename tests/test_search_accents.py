"""French and English search ignores accents, both ways, and Arabic search is left as it was.

Readers type `hopital` for `hôpital`, `ELECTIONS` for `élections`; a journalist may have typed
`cafe` where the reader types `café`. Run with DATABASE_URL pointing at PostgreSQL for the
full-text path (the `unaccent` configurations); the default SQLite run checks the fallback.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.models import Article
from search.query import query_terms, search_articles
from search.text import fold_latin, terms_for

from .factories import make_article, make_seed_article

pytestmark = pytest.mark.django_db


def found(query: str, language: str) -> list[int]:
    with translation.override(language):
        terms = query_terms(query, language)
        return search_articles(terms=terms, language=language)


def page(client: Any, language: str, query: str) -> str:
    with translation.override(language):
        url = reverse("search:search")
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def marked(html: str) -> list[str]:
    return re.findall(r"<mark>([^<]*)</mark>", html)


@pytest.fixture
def drought() -> Article:
    return make_article(
        title="الجفاف في المغرب",
        title_fr="Maroc: la sécheresse menace les récoltes",
        slug_fr="secheresse",
        summary_fr="Le nouvel hôpital de Fès ouvre avant les élections.",
        body_fr="<p>Le cœur de la médina attend l’eau depuis l’été.</p>",
    )


@pytest.fixture
def cafe() -> Article:
    return make_article(
        title="مقهى",
        title_en="Café culture returns to Tangier",
        slug_en="cafe",
        body_en="<p>The old café reopened its terrace.</p>",
    )


@pytest.fixture
def unrelated() -> Article:
    return make_article(
        title="خبر آخر",
        title_fr="Le port de Tanger",
        slug_fr="port",
        title_en="The port of Tangier",
        slug_en="port",
    )


@pytest.mark.parametrize(
    "query",
    ["hopital", "hôpital", "HOPITAL", "HÔPITAL", "Hôpital", "ho\u0302pital"],
)
def test_hospital_is_found_with_or_without_its_accent(
    drought: Article, unrelated: Article, query: str
) -> None:
    assert found(query, "fr") == [drought.pk]


@pytest.mark.parametrize("query", ["elections", "élections", "ÉLECTIONS", "ELECTIONS"])
def test_elections_is_found_however_it_is_typed(
    drought: Article, unrelated: Article, query: str
) -> None:
    assert found(query, "fr") == [drought.pk]


@pytest.mark.parametrize(
    "query", ["maroc secheresse", "Maroc: la sécheresse", "MAROC SÉCHERESSE", "recoltes ete"]
)
def test_several_words_without_accents_find_the_title(
    drought: Article, unrelated: Article, query: str
) -> None:
    assert found(query, "fr") == [drought.pk]


def test_the_oe_ligature_and_its_two_letters_meet(drought: Article, unrelated: Article) -> None:
    assert found("coeur", "fr") == [drought.pk]
    assert found("cœur", "fr") == [drought.pk]


def test_an_article_typed_without_accents_is_found_by_an_accented_query(
    unrelated: Article,
) -> None:
    plain = make_article(
        title="مستشفى",
        title_fr="Un hopital pour les elections",
        slug_fr="hopital",
        body_fr="<p>Le CAFE du port.</p>",
    )
    assert found("hôpital", "fr") == [plain.pk]
    assert found("Élections", "fr") == [plain.pk]
    assert found("café", "fr") == [plain.pk]


@pytest.mark.parametrize("query", ["voyage à Fès", "voyage a Fes", "Fès même", "voyage été"])
def test_accented_french_stop_words_stay_stop_words(unrelated: Article, query: str) -> None:
    # PostgreSQL's French stop words include à, même, été: once folded to a, meme, ete the
    # stemmer no longer knows them, and every query word must match.
    trip = make_article(title="رحلة", title_fr="Le voyage du roi vers Fès", slug_fr="voyage")
    assert found(query, "fr") == [trip.pk]


@pytest.mark.parametrize("query", ["cafe", "café", "CAFÉ", "Cafe"])
def test_english_cafe_with_or_without_accent(cafe: Article, unrelated: Article, query: str) -> None:
    assert found(query, "en") == [cafe.pk]


def test_the_other_language_still_does_not_match(drought: Article, cafe: Article) -> None:
    assert found("hopital", "en") == []
    assert found("cafe", "fr") == []


def test_arabic_queries_are_unaffected(drought: Article) -> None:
    seed = make_seed_article()
    assert found("عملية", "ar") == [seed.pk]
    assert found("الامريكية", "ar") == found("الأمريكية", "ar") == [seed.pk]
    assert set(found("المَغْرِب", "ar")) == {seed.pk, drought.pk}


def test_folding_never_changes_arabic_letters() -> None:
    # NFKD would split these into a letter and a combining hamza or madda.
    arabic = "أإآؤئ مؤتمر سؤال رئيس هيئة ۀ ة ى"
    assert fold_latin(arabic) == arabic
    every_arabic_letter = "".join(chr(code) for code in range(0x0600, 0x0700))
    assert fold_latin(every_arabic_letter) == every_arabic_letter
    assert "مؤتمر" in terms_for("Le mot مؤتمر", "fr")
    assert "رئيس" in terms_for("رئيس الحكومة", "ar")


latin_and_arabic = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0020, max_codepoint=0x024F),
        st.characters(min_codepoint=0x0300, max_codepoint=0x036F),
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
        st.characters(min_codepoint=0x1E00, max_codepoint=0x1EFF),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(latin_and_arabic)
def test_folding_twice_changes_nothing_and_arabic_text_survives(text: str) -> None:
    folded = fold_latin(text)
    assert fold_latin(folded) == folded
    arabic = [ch for ch in text if "\u0600" <= ch <= "\u06ff"]
    assert [ch for ch in folded if "\u0600" <= ch <= "\u06ff"] == arabic
    assert not any("\u0300" <= ch <= "\u036f" for ch in folded)


def test_folding_latin_letters() -> None:
    assert fold_latin("hôpital élections sécheresse çà où naïve") == (
        "hopital elections secheresse ca ou naive"
    )
    assert fold_latin("cœur Œuvre straße") == "coeur OEuvre strasse"


def test_the_index_holds_folded_french_text(drought: Article) -> None:
    document = drought.search_documents.get(language="fr")
    assert document.title == "maroc la secheresse menace les recoltes"


def test_extracts_show_the_articles_own_accented_words(client: Any, drought: Article) -> None:
    html = page(client, "fr", "hopital")
    assert "Maroc: la sécheresse menace les récoltes" in html
    assert marked(html) == ["hôpital"]
    html = page(client, "fr", "ÉLECTIONS")
    assert marked(html) == ["élections."]


def test_english_extract_marks_the_accented_word(client: Any, cafe: Article) -> None:
    html = page(client, "en", "cafe")
    assert "Café culture returns to Tangier" in html
    assert marked(html) == ["café"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm needs PostgreSQL")
def test_a_misspelt_word_without_accents_falls_back_to_the_accented_title(
    client: Any, unrelated: Article
) -> None:
    make_article(title="خبر", title_fr="Sécheresse historique", slug_fr="secheresse")
    html = page(client, "fr", "secheresses historiqe")
    assert "Sécheresse historique" in html
    assert html.count('class="card search-result"') == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="configurations on PostgreSQL only")
def test_postgresql_configurations_fold_accents_with_unaccent() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'")
        assert cursor.fetchone() is not None
        for config in ("newsroom_french", "newsroom_english"):
            cursor.execute(
                "SELECT to_tsvector(%s::regconfig, 'Hôpital ÉLECTIONS café')::text = "
                "to_tsvector(%s::regconfig, 'hopital elections cafe')::text",
                [config, config],
            )
            assert cursor.fetchone() == (True,)
