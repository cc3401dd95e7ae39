"""The home, section and article pages are valid HTML (Nu Html Checker) and pass axe-core.

Both tools come from npm (`make html-tools` installs them under var/node): vnu.jar needs
Java, axe-core runs inside Debian's chromium. Without them these tests are skipped, except
in CI (CI_REQUIRE_BROWSER set), where a missing tool is an error.
"""

from __future__ import annotations

import pytest
from django.utils import translation

from comments.models import Comment

from .factories import (
    make_article,
    make_author,
    make_category,
    make_page,
    make_seed_article,
    make_tag,
)
from .html_checks import AXE_JS, require, vnu_errors


@pytest.fixture(autouse=True)
def _arabic_outside_requests():
    """Requests activate their own language; restore Arabic afterwards for the next tests."""
    with translation.override("ar"):
        yield


def sample_site(*, every_page: bool = False) -> dict[str, str]:
    """A home, a section and a full article page (authors, tags, cover, translations)."""
    with translation.override("ar"):
        section = make_category(name="سياسة", name_fr="Politique", slug_fr="politique")
        author = make_author(name="سلمى بناني")
        tag = make_tag(name="المغرب")
        for n in range(5):
            make_article(
                title=f"خبر رقم {n}",
                title_fr=f"Article {n}",
                slug_fr=f"article-{n}",
                summary_ar="ملخص قصير.",
                category=section,
                authors=[author],
                tags=[tag],
                is_breaking=n == 0,
            )
        seed = make_seed_article(
            category=section,
            authors=[author],
            tags=[tag],
            kicker_ar="دبلوماسية",
            byline="و.م.ع",
            is_featured=True,
            cover_image="covers/x.jpg",
            cover_width=1280,
            cover_height=720,
            cover_alt_ar="صورة السفير",
            cover_caption_ar="السفير خلال اللقاء",
            cover_credit="و.م.ع",
            cover_renditions={
                "source": "covers/x.jpg",
                "webp": [[640, 360, "r/a-640.webp"], [1280, 720, "r/a-1280.webp"]],
                "jpeg": [[640, 360, "r/a-640.jpg"], [1280, 720, "r/a-1280.jpg"]],
            },
        )
        first = section.articles.exclude(pk=seed.pk).first()
        # A comment and search results both print <time datetime>: seconds, no fractions.
        Comment.objects.create(
            article=seed,
            name="قارئ",
            email="reader@example.ma",
            body="تعليق منشور",
            status=Comment.Status.APPROVED,
        )
        about = make_page(
            title="من نحن", title_fr="À propos", slug_fr="a-propos", body_fr="<p>Texte.</p>"
        )
        urls = {
            "home-ar": "/",
            "page-ar": about.get_absolute_url(),
            "home-fr": "/fr/",
            "section-ar": section.get_absolute_url(),
            "article-ar": seed.get_absolute_url(),
            "not-found-ar": "/missing/",
            "search-ar": "/search/?q=خبر",
        }
        if every_page:
            urls.update(
                {
                    "tag-ar": tag.get_absolute_url(),
                    "author-ar": author.get_absolute_url(),
                    "archive-ar": f"/archive/{seed.publish_at.year}/",
                    "section-fr": "/fr/category/politique/",
                    "home-en": "/en/",
                    "archive-index-ar": "/archive/",
                    "search-empty-fr": "/fr/search/",
                }
            )
    if every_page:
        with translation.override("fr"):
            urls["article-fr"] = first.get_absolute_url()
    return urls


@pytest.mark.django_db
def test_pages_have_no_errors_under_the_nu_html_checker(client, tmp_path):
    files = []
    for name, url in sample_site(every_page=True).items():
        response = client.get(url)
        assert response.status_code in {200, 404}, url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(path)
    # A page known to be broken proves the checker really ran and reports.
    broken = tmp_path / "broken.html"
    broken.write_text('<!DOCTYPE html><html lang="ar"><title>x</title><p><div>x</p>')
    files.append(broken)
    errors = vnu_errors(*files)
    assert any(error.startswith("broken.html") for error in errors)
    assert [error for error in errors if not error.startswith("broken.html")] == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_axe_finds_no_serious_or_critical_violations(browser, live_server):
    require(AXE_JS, "axe-core (npm package axe-core)")
    pages = sample_site()
    # The site's CSP forbids injected scripts; the test browser alone bypasses it for axe.
    context = browser.new_context(bypass_csp=True, locale="ar")
    page = context.new_page()
    found = {}
    try:
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            for name, url in pages.items():
                page.goto(live_server.url + url)
                page.add_script_tag(path=str(AXE_JS))
                result = page.evaluate("async () => await axe.run(document)")
                assert result["passes"], "axe did not run"
                bad = [
                    f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
                    for v in result["violations"]
                    if v["impact"] in {"serious", "critical"}
                ]
                if bad:
                    found[f"{name}@{width}"] = bad
    finally:
        context.close()
    assert found == {}
