"""The anonymous page cache: shared pages cost no SQL, and every change shows at once."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation

from articles.models import Article
from articles.services import article_publish
from comments.services import comments_set_status
from newsroom import pagecache

from .factories import (
    approved_comment,
    make_article,
    make_author,
    make_category,
    make_page,
    make_tag,
    pending_comments,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ("ar", "fr", "en")


def translated(**kwargs: Any) -> dict[str, Any]:
    """French and English texts next to the Arabic, so every language has the page."""
    n = kwargs.pop("n", 1)
    return {
        "title_fr": f"Article {n}",
        "slug_fr": f"article-{n}",
        "title_en": f"Story {n}",
        "slug_en": f"story-{n}",
        "body_fr": "<p>Texte.</p>",
        "body_en": "<p>Text.</p>",
        **kwargs,
    }


@pytest.fixture
def site() -> dict[str, Any]:
    section = make_category(name="رياضة", name_fr="Sport", name_en="Sport")
    tag = make_tag(name="كرة", name_fr="Football", name_en="Football")
    author = make_author(name="سعاد")
    article = make_article(
        title="مباراة الأمس", category=section, tags=[tag], authors=[author], **translated(n=1)
    )
    page = make_page(title="من نحن", title_fr="Qui sommes-nous", slug_fr="qui", body_fr="<p>x</p>")
    page.title_en, page.slug_en, page.body_en = "About", "about", "<p>x</p>"
    page.save()
    return {"section": section, "tag": tag, "author": author, "article": article, "page": page}


def url_of(obj: Any, language: str) -> str:
    with translation.override(language):
        return obj.get_absolute_url()


def prefixed(path: str, language: str) -> str:
    return path if language == "ar" else f"/{language}{path}"


def urls(site: dict[str, Any], language: str) -> dict[str, str]:
    return {
        "home": prefixed("/", language),
        "section": url_of(site["section"], language),
        "tag": url_of(site["tag"], language),
        "author": url_of(site["author"], language),
        "archive": prefixed("/archive/", language),
        "archive-year": prefixed(f"/archive/{timezone.localtime().year}/", language),
        "article": url_of(site["article"], language),
        "feed": prefixed("/feeds/rss/", language),
        "section-feed": url_of(site["section"], language) + "atom/",
        "page": url_of(site["page"], language),
    }


KINDS = ("home", "section", "tag", "author", "archive", "archive-year", "article", "feed")
KINDS += ("section-feed", "page")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_the_second_anonymous_visit_runs_no_sql(
    client, site, kind, language, django_assert_num_queries
):
    url = urls(site, language)[kind]
    first = client.get(url)
    assert first.status_code == 200, url
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = Client().get(url)
    assert second.status_code == 200
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-articles.xml", "/news-sitemap.xml"])
def test_sitemaps_are_cached_too(client, site, url, django_assert_num_queries):
    assert client.get(url).status_code == 200
    with django_assert_num_queries(0):
        assert Client().get(url)["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("kind", KINDS)
def test_anonymous_pages_set_no_cookie_and_carry_no_form_token(client, site, kind):
    for attempt in range(2):  # the stored copy and the copy built for the first reader
        response = client.get(urls(site, "ar")[kind])
        assert not response.cookies, attempt
        assert "Set-Cookie" not in response
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert "cookie" not in response.get("Vary", "").lower()


def test_arabic_pages_at_the_root_do_not_vary_on_the_browser_language(client, site):
    for url in ("/", url_of(site["article"], "ar")):
        miss = client.get(url, HTTP_ACCEPT_LANGUAGE="fr-FR,fr")
        hit = Client().get(url, HTTP_ACCEPT_LANGUAGE="en-US")
        for response in (miss, hit):
            assert "accept-language" not in response.get("Vary", "").lower()
            assert 'lang="ar"' in response.content.decode()


def test_public_pages_send_cdn_headers_with_their_tags(client, site):
    article = site["article"]
    response = client.get(url_of(article, "ar"))
    assert response["Cache-Control"] == (
        "public, max-age=60, s-maxage=600, stale-while-revalidate=60, stale-if-error=86400"
    )
    keys = response["Surrogate-Key"].split(" ")
    for tag in (
        f"a{article.pk}",
        f"s{site['section'].pk}",
        f"t{site['tag'].pk}",
        f"au{site['author'].pk}",
        "lang-ar",
    ):
        assert tag in keys
    assert response["Cache-Tag"].split(",") == keys
    assert Client().get(url_of(article, "ar"))["Cache-Control"] == response["Cache-Control"]
    assert "home" in client.get("/fr/")["Surrogate-Key"].split(" ")


def test_the_lifetimes_follow_the_settings(client, site, settings):
    settings.CDN_MAX_AGE, settings.CDN_S_MAXAGE = 30, 300
    control = client.get("/")["Cache-Control"]
    assert "max-age=30" in control
    assert "s-maxage=300" in control


def test_admin_post_and_token_responses_are_private(client, site, editor):
    assert client.get("/comments/token/")["Cache-Control"] == "private, no-store"
    post = client.post(f"/comments/post/{site['article'].pk}/", {})
    assert "private" in post["Cache-Control"]
    assert "no-store" in post["Cache-Control"]
    client.force_login(editor)
    for url in ("/admin/", f"/preview/{site['article'].pk}/"):
        control = client.get(url)["Cache-Control"]
        assert "private" in control
        assert "no-store" in control


def test_publishing_changes_the_lists_in_every_language_while_other_articles_stay_cached(
    client, site, editor
):
    section, tag = site["section"], site["tag"]
    # Older than the site's article: not a neighbour of the newest one, nor in its lists.
    unrelated = make_article(
        title="خبر بعيد", publish_at=timezone.now() - timedelta(days=3), **translated(n=9)
    )
    lists = [urls(site, code)[kind] for code in LANGUAGES for kind in ("home", "section", "tag")]
    for url in [*lists, url_of(unrelated, "ar")]:
        client.get(url)
    draft = make_article(
        title="هدف في اللحظة الأخيرة",
        status=Article.Status.DRAFT,
        category=section,
        tags=[tag],
        **translated(n=2, title_fr="But à la dernière minute", title_en="Last-minute goal"),
    )
    assert Client().get(url_of(unrelated, "ar"))["X-Page-Cache"] == "hit"
    article_publish(article=draft, user=editor)

    markers = ("هدف في اللحظة الأخيرة", "But à la dernière minute", "Last-minute goal")
    for code, marker in zip(LANGUAGES, markers, strict=True):
        for kind in ("home", "section", "tag"):
            response = Client().get(urls(site, code)[kind])
            assert marker in response.content.decode(), (code, kind)
    again = Client().get(url_of(unrelated, "ar"))
    assert again["X-Page-Cache"] == "hit"


def test_an_edit_shows_on_the_article_and_its_neighbours_pages(client, site):
    older = site["article"]
    newest = make_article(title="آخر خبر", **translated(n=3))
    client.get(url_of(older, "ar"))
    newest.title_ar = "آخر خبر معدل"
    newest.save()
    assert "آخر خبر معدل" in Client().get(url_of(older, "ar")).content.decode()


def test_approving_a_comment_purges_only_its_article(client, site):
    article = site["article"]
    other = make_article(title="مقال آخر", **translated(n=4))
    [comment] = pending_comments(article)
    for url in ("/", url_of(article, "ar"), url_of(other, "ar")):
        client.get(url)
    comments_set_status(comment_ids=[comment.pk], status="approved")
    page = Client().get(url_of(article, "ar"))
    assert page["X-Page-Cache"] == "miss"
    assert comment.body in page.content.decode()
    assert Client().get(url_of(other, "ar"))["X-Page-Cache"] == "hit"
    assert Client().get("/")["X-Page-Cache"] == "hit"


def test_removing_an_approved_comment_takes_it_off_the_cached_page(client, site):
    article = site["article"]
    comment = approved_comment(article, body="تعليق سيحذف")
    assert "تعليق سيحذف" in client.get(url_of(article, "ar")).content.decode()
    comment.status = "removed"
    comment.save()
    assert "تعليق سيحذف" not in Client().get(url_of(article, "ar")).content.decode()


def test_staff_see_fresh_pages_that_are_never_stored(client, site, editor):
    url = url_of(site["article"], "ar")
    client.force_login(editor)
    for _ in range(2):
        response = client.get(url)
        assert "X-Page-Cache" not in response
        assert "private" in response["Cache-Control"]
    assert Client().get(url)["X-Page-Cache"] == "miss"


def test_tracking_parameters_share_the_clean_urls_entry(client, site, django_assert_num_queries):
    client.get("/")
    with django_assert_num_queries(0):
        response = Client().get("/?utm_source=facebook&utm_medium=social&fbclid=x1&gclid=y2")
    assert response["X-Page-Cache"] == "hit"
    assert Client().get("/?page=1")["X-Page-Cache"] == "miss"


def test_head_requests_are_answered_from_the_cache(client, site, django_assert_num_queries):
    client.get("/")
    with django_assert_num_queries(0):
        response = Client().head("/")
    assert response.status_code == 200


def test_a_404_is_cached_briefly_and_cleared_by_a_publish(client, editor):
    article = make_article(status=Article.Status.DRAFT, title="قريبا")
    url = f"/news/{article.pk}/{article.slug}/"
    assert client.get(url).status_code == 404
    assert Client().get(url)["X-Page-Cache"] == "hit"
    assert "s-maxage=60" in Client().get(url)["Cache-Control"]
    article_publish(article=article, user=editor)
    assert Client().get(url).status_code == 200


def test_the_page_cache_can_be_turned_off(client, site, settings):
    settings.PAGE_CACHE = False
    client.get("/")
    response = Client().get("/")
    assert "X-Page-Cache" not in response
    assert "Surrogate-Key" not in response


def test_the_setting_reads_the_environment(monkeypatch):
    import importlib

    from newsroom import settings as module

    monkeypatch.setenv("PAGE_CACHE", "0")
    assert importlib.reload(module).PAGE_CACHE is False
    monkeypatch.setenv("PAGE_CACHE", "1")
    assert importlib.reload(module).PAGE_CACHE is True


# --- scheduling ------------------------------------------------------------------------------


def wait_until(moment: Any) -> None:
    time.sleep(max(0.0, (moment - timezone.now()).total_seconds()) + 0.05)


def test_a_scheduled_article_appears_on_the_cached_pages_at_its_minute(client, site):
    section = site["section"]
    when = timezone.now() + timedelta(seconds=2)
    make_article(title="خبر مبرمج", category=section, publish_at=when, **translated(n=5))
    pages = ["/", url_of(section, "ar"), "/feeds/rss/", "/fr/"]
    for url in pages:
        first = client.get(url)
        assert "خبر مبرمج" not in first.content.decode()
        assert "s-maxage=" in first["Cache-Control"]
        assert int(first["Cache-Control"].split("s-maxage=")[1].split(",")[0]) <= 2
        assert "stale-while-revalidate" not in first["Cache-Control"]
        assert Client().get(url)["X-Page-Cache"] == "hit"
    wait_until(when)
    for url in pages[:3]:
        assert "خبر مبرمج" in Client().get(url).content.decode(), url


def test_the_breaking_strip_leaves_the_cached_home_page_when_its_day_ends(client):
    ends = timezone.now() + timedelta(seconds=2)
    make_article(title="عاجل جدا", is_breaking=True, publish_at=ends - timedelta(days=1))
    make_article(title="خبر عادي")
    assert 'class="breaking' in client.get("/").content.decode()
    assert Client().get("/")["X-Page-Cache"] == "hit"
    wait_until(ends)
    assert 'class="breaking' not in Client().get("/").content.decode()


# --- purges ----------------------------------------------------------------------------------


class RecordingPurger:
    purged: list[list[str]] = []

    def purge(self, tags: list[str]) -> None:
        self.purged.append(tags)


class BrokenPurger:
    def purge(self, tags: list[str]) -> None:
        raise ConnectionError("CDN unreachable")


def test_purges_reach_every_configured_backend_and_a_broken_one_blocks_nothing(
    client, site, settings, editor
):
    RecordingPurger.purged = []
    settings.PAGE_CACHE_PURGERS = [
        "newsroom.pagecache.AppCachePurger",
        f"{BrokenPurger.__module__}.BrokenPurger",
        f"{RecordingPurger.__module__}.RecordingPurger",
    ]
    client.get("/")
    draft = make_article(status=Article.Status.DRAFT, category=site["section"])
    assert article_publish(article=draft, user=editor)
    assert any(
        {"home", f"a{draft.pk}", f"s{site['section'].pk}"} <= set(t) for t in RecordingPurger.purged
    )
    assert Client().get("/")["X-Page-Cache"] == "miss"


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_edit_purges_nothing(client):
    article = make_article(title="نص أصلي")
    url = url_of(article, "ar")
    client.get(url)
    client.get("/")
    with pytest.raises(RuntimeError), transaction.atomic():
        article.title_ar = "نص لم يحفظ"
        article.save()
        raise RuntimeError("rolled back")
    for path in (url, "/"):
        response = Client().get(path)
        assert response["X-Page-Cache"] == "hit"
        assert "نص لم يحفظ" not in response.content.decode()
    article.refresh_from_db()
    article.title_ar = "نص محفوظ"
    article.save()  # autocommit: purged once committed
    assert "نص محفوظ" in Client().get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_purge_waits_for_the_commit(client):
    article = make_article(title="قبل")
    url = url_of(article, "ar")
    client.get(url)
    with transaction.atomic():
        article.title_ar = "بعد"
        article.save()
        assert Client().get(url)["X-Page-Cache"] == "hit"  # not committed: nothing to show yet
    assert "بعد" in Client().get(url).content.decode()


def test_pages_built_while_a_purge_ran_are_not_stored(client, site):
    started = time.time()
    pagecache.purge(["home"])
    response = Client().get("/")
    assert response["X-Page-Cache"] == "miss"
    middleware = pagecache.PageCacheMiddleware(lambda request: response)
    key = "pagecache:page:test"
    middleware.store(key, response, {"home"}, started)
    assert middleware.lookup(key) is None


def test_a_section_rename_reaches_every_page(client, site):
    url = url_of(site["article"], "ar")
    client.get(url)
    site["section"].name_ar = "الرياضة الوطنية"
    site["section"].save()
    assert "الرياضة الوطنية" in Client().get(url).content.decode()


def test_logged_out_readers_with_only_a_csrf_cookie_share_the_cache(client, site):
    client.get("/")
    reader = Client()
    reader.cookies["csrftoken"] = "x" * 32
    assert reader.get("/")["X-Page-Cache"] == "hit"


def test_an_import_purges_once_at_the_end_not_per_article(client, site, settings):
    RecordingPurger.purged = []
    settings.PAGE_CACHE_PURGERS = [
        "newsroom.pagecache.AppCachePurger",
        f"{RecordingPurger.__module__}.RecordingPurger",
    ]
    client.get("/")
    with pagecache.bulk():
        for n in range(3):
            make_article(title=f"مقال مستورد {n}")
        assert RecordingPurger.purged == []
    assert RecordingPurger.purged == [["site"]]
    assert "مقال مستورد 2" in Client().get("/").content.decode()


def test_a_failing_page_cache_still_serves_pages(client, site, monkeypatch):
    def down(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("cache server down")

    monkeypatch.setattr(pagecache.PageCacheMiddleware, "lookup", down)
    monkeypatch.setattr(pagecache.PageCacheMiddleware, "store", down)
    response = client.get("/")
    assert response.status_code == 200
    assert "مباراة الأمس" in response.content.decode()


def test_production_without_a_shared_cache_leaves_it_off_unless_asked(monkeypatch):
    import importlib

    from newsroom import settings as module

    monkeypatch.setenv("DEBUG", "0")
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.delenv("PAGE_CACHE", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("CACHE_URL", raising=False)
    try:
        assert importlib.reload(module).PAGE_CACHE is False
        monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/9")
        assert importlib.reload(module).PAGE_CACHE is True
        monkeypatch.setenv("PAGE_CACHE", "0")
        assert importlib.reload(module).PAGE_CACHE is False
    finally:
        monkeypatch.undo()
        importlib.reload(module)


def test_a_library_picture_change_clears_the_articles_showing_it(client):
    from library.services import image_add

    from .factories import image_bytes

    picture = image_add(data=image_bytes(size=(900, 600)), filename="p.jpg", alt="ميناء")
    body = (
        f'<figure><img src="/media/{picture.renditions["jpeg"][-1][2]}" alt="ميناء" '
        f'width="900" height="600" data-media-id="{picture.pk}"></figure>'
    )
    showing = make_article(title="مقال بصورة", body=body)
    other = make_article(title="مقال بلا صورة", publish_at=timezone.now() - timedelta(days=5))
    for article in (showing, other):
        client.get(url_of(article, "ar"))
    picture.delete()
    assert Client().get(url_of(showing, "ar"))["X-Page-Cache"] == "miss"
    assert Client().get(url_of(other, "ar"))["X-Page-Cache"] == "hit"
