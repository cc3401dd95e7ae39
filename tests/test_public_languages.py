"""Languages: Arabic at /, French at /fr/, English at /en/, no Arabic text in other lists."""

from __future__ import annotations

import gettext
import re
from datetime import datetime
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from .factories import make_article, make_category

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _arabic_outside_requests():
    """Requests activate their own language; the test's own code runs in Arabic."""
    with translation.override("ar"):
        yield


MOROCCAN_MONTHS = [
    "يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو",
    "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر",
]  # fmt: skip


def translated_article(**kwargs):
    return make_article(
        title="خبر مترجم",
        title_fr="Article traduit",
        slug_fr="article-traduit",
        summary_fr="Résumé en français",
        body_fr="<p>Texte français</p>",
        title_en="Translated article",
        slug_en="translated-article",
        body_en="<p>English text</p>",
        **kwargs,
    )


@pytest.mark.parametrize(
    ("prefix", "lang", "direction"),
    [("/", "ar", "rtl"), ("/fr/", "fr", "ltr"), ("/en/", "en", "ltr")],
)
def test_html_lang_and_dir_follow_the_language(client, prefix, lang, direction):
    html = client.get(prefix).content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html


def test_root_is_arabic_even_for_a_browser_asking_for_english(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="ar" dir="rtl">' in html


def test_untranslated_articles_are_not_listed_in_french_or_english(client):
    translated_article()
    make_article(title="خبر بالعربية فقط")
    for prefix, title in [("/fr/", "Article traduit"), ("/en/", "Translated article")]:
        html = client.get(prefix).content.decode()
        assert title in html
        assert "خبر بالعربية فقط" not in html
        assert "خبر مترجم" not in html
    arabic = client.get("/").content.decode()
    assert "خبر مترجم" in arabic and "خبر بالعربية فقط" in arabic


def test_french_article_page_is_in_french(client):
    article = translated_article()
    with translation.override("fr"):
        url = article.get_absolute_url()
    assert url.startswith("/fr/news/") and "article-traduit" in url
    html = client.get(url).content.decode()
    assert "Article traduit" in html and "Texte français" in html
    assert "خبر مترجم" not in html.split("<main", 1)[1]


def test_untranslated_article_under_fr_redirects_to_the_arabic_page(client):
    article = make_article(title="خبر بالعربية فقط")
    response = client.get(f"/fr/news/{article.pk}/{article.slug}/")
    assert response.status_code == 302
    with translation.override("ar"):
        assert response["Location"] == article.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


def test_language_switcher_keeps_the_reader_on_the_same_article(client):
    article = translated_article()
    html = client.get(article.get_absolute_url()).content.decode()
    switcher = html[
        html.index('class="languages"') : html.index("</nav>", html.index('class="languages"'))
    ]
    assert f"/fr/news/{article.pk}/article-traduit/" in switcher
    assert f"/en/news/{article.pk}/translated-article/" in switcher
    assert 'aria-current="true"' in switcher


def test_language_switcher_goes_to_the_home_page_when_there_is_no_translation(client):
    article = make_article(title="خبر بالعربية فقط")
    html = client.get(article.get_absolute_url()).content.decode()
    switcher = html[
        html.index('class="languages"') : html.index("</nav>", html.index('class="languages"'))
    ]
    assert 'href="/fr/"' in switcher and 'href="/en/"' in switcher


def test_language_switcher_on_a_section_uses_the_translated_slug(client):
    section = make_category(name="رياضة", name_fr="Sport", slug_fr="sport")
    html = client.get(section.get_absolute_url()).content.decode()
    assert 'href="http://testserver/fr/category/sport/"' in html
    french = client.get("/fr/category/sport/").content.decode()
    assert '<h1 dir="auto">Sport</h1>' in french


def test_section_without_a_french_slug_still_opens_under_fr(client):
    section = make_category(name="مجتمع")
    response = client.get(f"/fr/category/{section.slug}/")
    assert response.status_code == 200


def test_interface_strings_are_translated(client):
    assert "آخر الأخبار" in client.get("/").content.decode()
    assert "Dernières nouvelles" in client.get("/fr/").content.decode()
    assert "Latest news" in client.get("/en/").content.decode()
    assert "اتصل بنا" in client.get("/").content.decode()
    assert "Nous contacter" in client.get("/fr/").content.decode()


@pytest.mark.parametrize("month", range(1, 13))
def test_arabic_dates_use_moroccan_month_names_and_western_digits(month):
    when = datetime(2026, month, 9, 14, 5)
    with translation.override("ar"):
        for fmt in ("DATE_FORMAT", "YEAR_MONTH_FORMAT", "N", "E", "b"):
            text = date_format(when, fmt)
            assert MOROCCAN_MONTHS[month - 1] in text, (fmt, text)
        full = date_format(when, "DATE_FORMAT")
    assert full == f"9 {MOROCCAN_MONTHS[month - 1]} 2026"
    assert not any("\u0660" <= ch <= "\u0669" for ch in full)


def test_article_page_shows_a_moroccan_month(client):
    tz = timezone.get_current_timezone()
    article = make_article(publish_at=datetime(2025, 8, 14, 9, 30, tzinfo=tz))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "14 غشت 2025، 09:30" in html
    assert "أغسطس" not in html


def test_french_dates_use_french_month_names(client):
    tz = timezone.get_current_timezone()
    article = translated_article(publish_at=datetime(2025, 8, 14, 9, 30, tzinfo=tz))
    with translation.override("fr"):
        url = article.get_absolute_url()
    assert "14 août 2025" in client.get(url).content.decode()


def test_a_french_slug_equal_to_another_sections_arabic_slug_is_not_an_error(client):
    first = make_category(name="أ", slug="sport")
    second = make_category(name="رياضة", name_fr="Sport", slug_fr="sport")
    assert client.get("/category/sport/").context["heading"] == first.name
    with translation.override("fr"):
        assert client.get("/fr/category/sport/").context["heading"] == "Sport"
    assert second.pk != first.pk


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_every_interface_string_is_translated_and_compiled(language):
    folder = Path(__file__).resolve().parent.parent / "locale" / language / "LC_MESSAGES"
    po = (folder / "django.po").read_text(encoding="utf-8")
    empty = re.findall(r'\nmsgid "(.+)"\nmsgstr ""\n', po)
    assert empty == []
    with (folder / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    assert catalogue.gettext("Latest news") != "Latest news" or language == "en"
    assert catalogue.gettext("Skip to content")
    singular = len(re.findall(r"^msgid ", po, re.M)) - 1  # minus the header
    assert len({k if isinstance(k, str) else k[0] for k in catalogue._catalog}) >= singular


def test_language_switcher_on_another_apps_page_keeps_the_path(client):
    html = client.get("/contact/").content.decode()
    switcher = html[html.index('class="languages"') :]
    switcher = switcher[: switcher.index("</nav>")]
    assert 'href="/fr/contact/"' in switcher and 'href="/en/contact/"' in switcher


# --- no Arabic reading text under /fr/ or /en/ -----------------------------------------------

ARABIC_ONLY = {
    "summary_ar": "ملخص عربي لا يترجم",
    "kicker_ar": "عنوان تمهيدي عربي",
    "cover_caption_ar": "تعليق الصورة بالعربية",
    "cover_alt_ar": "وصف الصورة بالعربية",
}


def half_translated_article(**kwargs):
    """French and English title and body, everything else in Arabic only."""
    section = make_category(
        name="رياضة", name_fr="Sport", slug_fr="sport", description="وصف القسم بالعربية"
    )
    from .factories import make_author

    author = make_author(name="سلمى", bio="نبذة عربية عن الكاتبة")
    return make_article(
        title="خبر مترجم جزئيا",
        title_fr="Article à moitié traduit",
        slug_fr="article-a-moitie-traduit",
        body_fr="<p>Texte français</p>",
        title_en="Half translated article",
        slug_en="half-translated-article",
        body_en="<p>English text</p>",
        category=section,
        authors=[author],
        cover_image="covers/x.jpg",
        cover_width=800,
        cover_height=600,
        **ARABIC_ONLY,
        **kwargs,
    )


def assert_no_arabic_reading_text(html):
    for text in [*ARABIC_ONLY.values(), "وصف القسم بالعربية", "نبذة عربية عن الكاتبة"]:
        assert text not in html, text


@pytest.mark.parametrize("language", ["fr", "en"])
def test_untranslated_summary_kicker_and_caption_never_show_in_arabic(client, language):
    article = half_translated_article()
    with translation.override(language):
        url = article.get_absolute_url()
        section_url = article.category.get_absolute_url()
        author_url = article.authors.get().get_absolute_url()
    page = client.get(url).content.decode()
    assert ("Texte français" if language == "fr" else "English text") in page
    assert 'class="article__summary"' not in page and 'class="kicker"' not in page
    assert "<figcaption>" not in page
    assert_no_arabic_reading_text(page)  # body, meta description, OpenGraph and JSON-LD
    assert '"description"' not in page.split('type="application/ld+json">', 1)[1].split("</")[0]
    for listing in (f"/{language}/", section_url, author_url, f"/{language}/feeds/rss/"):
        html = client.get(listing).content.decode()
        assert article.pk and (f"/{language}/news/{article.pk}/" in html), listing
        assert_no_arabic_reading_text(html)


def test_the_arabic_page_still_shows_its_summary_and_kicker(client):
    article = half_translated_article()
    html = client.get(article.get_absolute_url()).content.decode()
    for text in ARABIC_ONLY.values():
        assert text in html
    assert "وصف القسم بالعربية" in client.get(article.category.get_absolute_url()).content.decode()


def test_a_translated_summary_is_shown_in_its_language(client):
    article = half_translated_article(summary_fr="Résumé français")
    with translation.override("fr"):
        url = article.get_absolute_url()
    html = client.get(url).content.decode()
    assert '<p class="article__summary">Résumé français</p>' in html
    assert '<meta name="description" content="Résumé français">' in html


@pytest.mark.parametrize("active", ["ar", "fr", "en"])
def test_remembered_translated_urls_match_djangos_own(active):
    from django.urls import reverse, translate_url

    from newsroom.i18n import home_url, translated_url

    paths = ["/", "/fr/", "/en/archive/", "/archive/2025/", "/fr/archive/2025/3/", "/nowhere/"]
    with translation.override(active):
        for _ in range(2):  # computed, then remembered
            for path in paths:
                for code in ("ar", "fr", "en"):
                    assert translated_url(path, code) == translate_url(path, code), (path, code)
    for code in ("ar", "fr", "en"):
        with translation.override(code):
            expected = reverse("articles:home")
        with translation.override(active):
            assert home_url(code) == expected


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_the_frame_links_are_those_of_the_language(client, language):
    from django.urls import reverse

    from newsroom.i18n import url_of

    prefix = "" if language == "ar" else f"/{language}"
    page = client.get(f"{prefix}/").content.decode()
    for name, path in [("articles:rss", "/feeds/rss/"), ("search:search", "/search/")]:
        with translation.override(language):
            assert url_of(name) == reverse(name) == f"{prefix}{path}"
        assert f'href="{prefix}{path}"' in page or f'action="{prefix}{path}"' in page
    assert f'class="site-name" href="{prefix}/"' in page
