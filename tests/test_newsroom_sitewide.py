"""The site-wide pieces live in newsroom: error pages, the page frame's tags, admin titles,
the reader's language, and the registry that gives listings their comment counts."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import get_resolver
from django.utils import translation

from articles.models import Article
from newsroom import annotations
from newsroom.i18n import current_language

from .factories import approved_comment, make_article

pytestmark = pytest.mark.django_db

ARTICLES_PACKAGE = Path(__file__).resolve().parent.parent / "articles"


def switcher_links(html: str) -> dict[str, str]:
    """The language switcher's links in the header, by language code."""
    start = html.index('class="languages"')
    nav = html[start : html.index("</nav>", start)]
    return {lang: href for href, lang in re.findall(r'<a href="([^"]+)" lang="(\w+)"', nav)}


# --- error pages ----------------------------------------------------------------------------


def test_the_error_handlers_are_newsroom_views():
    resolver = get_resolver()
    assert resolver.resolve_error_handler(404).__module__ == "newsroom.views"
    assert resolver.resolve_error_handler(500).__module__ == "newsroom.views"


@pytest.mark.parametrize(
    ("path", "lang", "direction", "text"),
    [
        ("/no/such/page/", "ar", "rtl", "الصفحة غير موجودة"),
        ("/fr/no/such/page/", "fr", "ltr", "Page introuvable"),
        ("/en/no/such/page/", "en", "ltr", "Page not found"),
    ],
)
def test_a_missing_page_is_a_404_in_the_readers_language(client, path, lang, direction, text):
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert text in html
    assert 'class="site-header"' in html  # the site's frame, with a way back
    assert '<meta name="robots" content="noindex' in html


def test_the_500_handler_renders_the_error_page_without_the_database(rf, django_assert_num_queries):
    handler = get_resolver().resolve_error_handler(500)
    with translation.override("ar"), django_assert_num_queries(0):
        response = handler(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="ar" dir="rtl">' in html


# --- the reader's language ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("active", "expected"),
    [("ar", "ar"), ("fr", "fr"), ("en", "en"), ("fr-ma", "fr"), ("en-us", "en"), ("ar-ma", "ar")],
)
def test_current_language_is_the_bare_code_of_the_active_language(active, expected):
    with translation.override(active):
        assert current_language() == expected


def test_current_language_is_the_sites_language_when_none_is_active():
    with translation.override(None):
        assert current_language() == "ar"


@pytest.mark.parametrize(("prefix", "lang"), [("/", "ar"), ("/fr/", "fr"), ("/en/", "en")])
def test_each_prefix_marks_its_own_language_as_current(client, prefix, lang):
    html = client.get(prefix).content.decode()
    start = html.index('class="languages"')
    nav = html[start : html.index("</nav>", start)]
    assert re.search(rf'lang="{lang}" hreflang="{lang}" aria-current="true"', nav), nav
    assert nav.count('aria-current="true"') == 1


def test_the_language_switcher_keeps_the_reader_on_the_same_article(client):
    article = make_article(
        title="خبر مترجم",
        title_fr="Article traduit",
        slug_fr="article-traduit",
        body_fr="<p>Texte français</p>",
    )
    links = switcher_links(client.get(article.get_absolute_url()).content.decode())
    french = client.get(links["fr"])
    assert french.status_code == 200
    assert "Article traduit" in french.content.decode()
    back = switcher_links(french.content.decode())
    arabic = client.get(back["ar"])
    assert arabic.status_code == 200
    assert "خبر مترجم" in arabic.content.decode()
    # no English translation: the English link goes to the English home page
    assert client.get(links["en"]).status_code == 200
    assert links["en"].endswith("/en/")


# --- admin titles ---------------------------------------------------------------------------


def test_the_admin_login_page_carries_the_newsroom_titles_in_arabic(client):
    html = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert re.search(r"<title>[^<]* \| إدارة غرفة الأخبار</title>", html)
    assert "إدارة غرفة الأخبار</a>" in html


def test_the_admin_titles_are_set_by_newsroom():
    import newsroom.admin

    # Django's defaults, then newsroom's admin module alone: it sets the titles back (and the
    # reload leaves them as the rest of the suite expects; monkeypatch's undo would not, as
    # admin.site is a lazy proxy).
    admin.site.site_header = "Django administration"
    admin.site.index_title = "Site administration"
    importlib.reload(newsroom.admin)
    with translation.override("ar"):
        assert str(admin.site.site_header) == "إدارة غرفة الأخبار"
        assert str(admin.site.index_title) == "مساحة عمل التحرير"


# --- comment counts in listings -------------------------------------------------------------


def test_listings_count_approved_comments_through_the_registry(client):
    article = make_article(title="خبر عليه تعليقات")
    approved_comment(article)
    approved_comment(article, email="other@example.ma")
    listed = Article.objects.published().for_listing().get(pk=article.pk)
    assert listed.comment_count == 2
    html = client.get(article.category.get_absolute_url()).content.decode()
    assert '<span class="card__comments">تعليقان</span>' in html


def test_without_the_comments_app_listings_show_zero_comments(monkeypatch):
    article = make_article()
    approved_comment(article)
    monkeypatch.setattr(annotations, "_FACTORIES", {})
    listed = Article.objects.published().for_listing().get(pk=article.pk)
    assert listed.comment_count == 0


def test_the_articles_package_does_not_reach_into_comments():
    """Comment counts come through newsroom.annotations: no `_meta` walk to the Comment model
    and no comment status spelled out in the articles app."""
    offenders = []
    for path in sorted(ARTICLES_PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for needle in ('_meta.get_field("comments")', "_meta.get_field('comments')"):
            if needle in source:
                offenders.append(f"{path.name}: {needle}")
        if re.search(r"""["']approved["']""", source):
            offenders.append(f"{path.name}: 'approved'")
    assert offenders == []


def test_the_static_storage_works_out_each_url_once(tmp_path, settings, monkeypatch):
    import json

    from newsroom.static_storage import StaticStorage

    settings.DEBUG = False
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "hash": "x", "paths": {"css/site.css": "css/site.abc.css"}})
    )
    storage = StaticStorage(location=str(tmp_path), base_url="/static/")
    asked: list[str] = []
    stored = storage.stored_name
    monkeypatch.setattr(storage, "stored_name", lambda name: asked.append(name) or stored(name))
    assert storage.url("css/site.css") == "/static/css/site.abc.css"
    assert storage.url("css/site.css") == "/static/css/site.abc.css"
    assert asked == ["css/site.css"]
    for _ in range(2):  # a file missing from the manifest is an error every time
        with pytest.raises(ValueError):
            storage.url("css/missing.css")
