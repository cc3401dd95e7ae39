"""The public site in Debian's chromium: right-to-left Arabic, no sideways scroll, French ltr.

Screenshots of the home and article pages at phone and desktop widths are saved to the
folder the test run prints at the end (`screenshots/` unless SCREENSHOT_DIR is set).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from .factories import make_article, make_category, make_seed_article

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = [390, 1280]
# Distance from the first line of an element's text to the right and left of its box.
FIRST_LINE_GAPS = """el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const line = range.getClientRects()[0];
  const box = el.getBoundingClientRect();
  return [box.right - line.right, line.left - box.left];
}"""


@pytest.fixture
def archive():
    """A small archive: three sections, the seed article as the newest, some translated."""
    with translation.override("ar"):
        sections = [
            make_category(name=name, name_fr=fr, slug_fr=fr.lower(), order=n)
            for n, (name, fr) in enumerate(
                [("سياسة", "Politique"), ("رياضة", "Sport"), ("ثقافة", "Culture")]
            )
        ]
        now = timezone.now()
        older = [
            make_article(
                title=f"الخبر رقم {n} من أرشيف الموقع الإخباري",
                summary_ar="ملخص قصير للخبر يشرح للقارئ ما جرى بإيجاز.",
                category=sections[n % 3],
                publish_at=now - timedelta(hours=n + 1),
                title_fr=f"Article numéro {n}" if n % 2 else "",
                slug_fr=f"article-{n}" if n % 2 else "",
            )
            for n in range(1, 8)
        ]
        seed = make_seed_article(
            category=sections[0], is_featured=True, kicker_ar="دبلوماسية", is_breaking=True
        )
    return seed, older


def no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_arabic_home_runs_right_to_left_without_sideways_scroll(
    page, live_server, archive, screenshot_dir, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert no_horizontal_scroll(page)
    # Text starts at the right: the site name sits on the right half, and the first line of
    # the lead headline begins at the right edge of its box.
    box = page.locator(".site-name").bounding_box()
    assert box["x"] + box["width"] / 2 > width / 2
    gap_right, gap_left = page.locator(".lead__title").evaluate(FIRST_LINE_GAPS)
    assert gap_right < 2
    assert gap_left >= gap_right
    page.screenshot(path=str(screenshot_dir / f"home-ar-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_arabic_article_page_fits_the_screen(page, live_server, archive, screenshot_dir, width):
    seed, _older = archive
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + seed.get_absolute_url())
    assert page.locator("h1").inner_text().strip() == seed.title
    page.screenshot(path=str(screenshot_dir / f"article-ar-{width}.png"), full_page=True)
    assert no_horizontal_scroll(page)


def test_switching_to_french_flips_the_page_to_left_to_right(page, live_server, archive):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    page.locator(".languages a[hreflang=fr]").click()
    page.wait_for_url("**/fr/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    box = page.locator(".site-name").bounding_box()
    assert box["x"] + box["width"] / 2 < 1280 / 2
    gap_right, gap_left = page.locator(".lead__title").evaluate(FIRST_LINE_GAPS)
    assert gap_left < 2
    assert gap_right >= gap_left
    assert "Article numéro 1" in page.content()
    assert no_horizontal_scroll(page)


def test_newer_and_older_links_walk_the_archive(page, live_server, archive):
    seed, older = archive
    page.goto(live_server.url + seed.get_absolute_url())
    titles = [page.locator("h1").inner_text().strip()]
    while page.locator("a.adjacent__older").count():
        page.locator("a.adjacent__older").click()
        page.wait_for_load_state()
        titles.append(page.locator("h1").inner_text().strip())
    assert titles == [seed.title] + [a.title for a in older]
    page.get_by_role("link", name="أحدث").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().strip() == older[-2].title


def test_skip_link_is_first_and_visible_on_focus(page, live_server, archive):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0


def test_arabic_text_uses_the_self_hosted_naskh_font(page, live_server, archive):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(live_server.url + "/")
    loaded = page.evaluate(
        """async () => {
          await document.fonts.ready;
          return [...document.fonts]
            .filter(f => f.family.includes("Noto Naskh Arabic") && f.status === "loaded")
            .map(f => f.weight);
        }"""
    )
    assert loaded, "the Arabic web font did not load"
    assert all(url.startswith(live_server.url) for url in requests), "a third-party request"


def test_language_switcher_keeps_the_reader_on_the_same_article(page, live_server, archive):
    _seed, older = archive
    translated = older[0]  # the odd-numbered articles have a French version
    page.goto(live_server.url + translated.get_absolute_url())
    page.locator(".languages a[hreflang=fr]").click()
    page.wait_for_url(f"**/fr/news/{translated.pk}/article-1/")
    assert page.locator("h1").inner_text().strip() == "Article numéro 1"
    assert page.locator("html").get_attribute("dir") == "ltr"


def every_page_type(language: str) -> dict[str, str]:
    """One URL of each public page type in `language`, with content translated into it."""
    from .factories import make_author, make_page, make_tag

    with translation.override("ar"):
        section = make_category(
            name="اقتصاد", name_fr="Économie", slug_fr="economie", name_en="Economy"
        )
        author = make_author(name="سلمى بناني", bio="صحافية")
        tag = make_tag(name="المغرب", name_fr="Maroc", slug_fr="maroc", name_en="Morocco")
        article = make_seed_article(
            category=section,
            authors=[author],
            tags=[tag],
            title_fr="Une très longue manifestation internationale pour l'environnement",
            slug_fr="manifestation-internationale",
            summary_fr="Résumé en français d'une longueur raisonnable pour un téléphone.",
            body_fr="<p>Texte français.</p>",
            title_en="A very long international demonstration for the environment",
            slug_en="international-demonstration",
            body_en="<p>English text.</p>",
        )
        year = article.publish_at.year
        about = make_page(
            title="من نحن",
            title_fr="À propos de la rédaction",
            slug_fr="a-propos",
            title_en="About the newsroom",
            slug_en="about",
        )
    with translation.override(language):
        prefix = "" if language == "ar" else f"/{language}"
        return {
            "home": f"{prefix}/",
            "article": article.get_absolute_url(),
            "section": section.get_absolute_url(),
            "tag": tag.get_absolute_url(),
            "author": author.get_absolute_url(),
            "archive": f"{prefix}/archive/{year}/",
            "archive-index": f"{prefix}/archive/",
            "search": f"{prefix}/search/?q=%D8%A7%D9%84%D9%85%D8%BA%D8%B1%D8%A8",
            "contact": f"{prefix}/contact/",
            "static page": about.get_absolute_url(),
        }


SEARCH_BUTTON_FITS = """() => {
  const button = document.querySelector(".search-box button");
  const box = button.getBoundingClientRect();
  const width = document.documentElement.clientWidth;
  return box.width > 0 && box.left >= 0 && box.right <= width;
}"""


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_every_page_type_fits_a_phone_with_the_search_button_visible(
    page, live_server, screenshot_dir, language
):
    urls = every_page_type(language)
    page.set_viewport_size({"width": 390, "height": 844})
    overflowing = {}
    for name, url in urls.items():
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        assert page.locator("html").get_attribute("lang") == language, url
        fits = no_horizontal_scroll(page)
        button = page.evaluate(SEARCH_BUTTON_FITS)
        if not (fits and button):
            overflowing[name] = {
                "scrollWidth": page.evaluate("document.documentElement.scrollWidth"),
                "search button visible": button,
            }
            page.screenshot(path=str(screenshot_dir / f"overflow-{language}-{name}-390.png"))
    assert overflowing == {}
