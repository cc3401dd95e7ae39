"""The search page's own catalogue: every string translated into ar, fr and en, and compiled."""

from __future__ import annotations

import gettext
import re
from pathlib import Path
from typing import Any

import pytest

from .factories import make_article

FOLDER = Path(__file__).resolve().parent.parent / "search" / "locale"
TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "search" / "results.html"


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_every_search_string_is_translated_and_compiled(language: str) -> None:
    po = (FOLDER / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert re.findall(r'\nmsgid "(.+)"\nmsgstr ""\n', po) == []
    with (FOLDER / language / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for msgid in re.findall(r'^msgid "(.+)"$', po, re.M):
        assert catalogue.gettext(msgid), msgid
        if language != "en":
            assert catalogue.gettext(msgid) != msgid or msgid in {"article"}, msgid


def test_every_string_of_the_search_template_is_in_the_catalogue() -> None:
    po = (FOLDER / "ar" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    template = TEMPLATE.read_text(encoding="utf-8")
    simple = re.findall(r'{% translate "([^"]+)" %}', template)
    simple += re.findall(r"{% translate '([^']+)' %}", template)
    assert simple
    for msgid in simple:
        assert f'msgid "{msgid}"' in po, msgid


@pytest.mark.django_db
def test_the_arabic_page_has_no_english_left(client: Any) -> None:
    make_article(title="أخبار الميناء")
    for query in ("", "في من", "زلزال", "الميناء", "م" * 201):
        html = client.get("/search/", {"q": query}).content.decode()
        main = re.sub(r"<[^>]+>", " ", html[html.index("<main") : html.index("</main>")])
        assert not re.search(r"\b(the|search|articles?|found|sections?|page)\b", main, re.I), (
            query,
            main,
        )
