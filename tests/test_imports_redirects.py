"""Old links of a Blogger or WordPress site: one 301 to the page that replaced them, or a 404.

Every spelling a reader, a search engine or an old page may send (mobile switch, comment
anchor, upper- or lower-case percent-encoding, raw UTF-8, a stray bidi mark) lands on the
same new page in one hop; an unknown old link stays a 404 and never becomes the home page.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.encoding import uri_to_iri

from articles.models import Article
from imports.models import LegacyRedirect
from imports.redirects import (
    EDITOR_SOURCE,
    add_redirect,
    normalise_path,
    site_redirects,
    taxonomy_redirects,
)

from .factories import make_article, make_category, make_page, make_tag

pytestmark = pytest.mark.django_db

OLD_HOST = "https://old-blog.example.ma"
ARABIC_SLUG = "الشأن-الدولي"
LOWER = quote(ARABIC_SLUG).lower()
UPPER = quote(ARABIC_SLUG).upper().replace("%2D", "-")


def in_july_2024(day: int = 15) -> datetime:
    return timezone.make_aware(datetime(2024, 7, day, 10, 0))


def lands_on(client, url: str, title: str, *, method: str = "get") -> str:
    """`url` answers ONE 301 whose target answers 200 with `title` on it; the target."""
    response = getattr(client, method)(url)
    assert response.status_code == 301, (url, response.status_code)
    location = response["Location"]
    final = client.get(location)
    assert final.status_code == 200, (url, location, final.status_code)
    if title:
        assert title in final.content.decode(), (url, location)
    return uri_to_iri(location)


@pytest.fixture
def article():
    return make_article(title="زيارة ملكية إلى الأقاليم الجنوبية", publish_at=in_july_2024(12))


# --- Blogger posts and pages -------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        "/2024/07/blog-post_12.html",
        "/2024/07/blog-post_12.html?m=1",
        "/2024/07/blog-post_12.html?m=0",
        "/2024/07/blog-post_12.html?showComment=1234#c5",
        "/2024/07/blog-post_12.html?showComment=1721030400000&m=1",
        "/2024//07//blog-post_12.html",
    ],
)
def test_a_blogger_post_answers_every_spelling_with_one_301(client, article, variant):
    add_redirect(old_path=f"{OLD_HOST}/2024/07/blog-post_12.html", target=article, source="b")
    assert lands_on(client, variant, article.title) == uri_to_iri(article.get_absolute_url())


def test_head_is_redirected_too_but_a_post_is_not(client, article):
    add_redirect(old_path="/2024/07/blog-post_12.html", target=article)
    assert client.head("/2024/07/blog-post_12.html").status_code == 301
    assert client.post("/2024/07/blog-post_12.html").status_code == 404


@pytest.mark.parametrize(
    "stored", [f"/2024/07/{LOWER}/", f"/2024/07/{UPPER}/", f"/2024/07/{ARABIC_SLUG}/"]
)
@pytest.mark.parametrize(
    "asked",
    [
        f"/2024/07/{LOWER}/",
        f"/2024/07/{UPPER}/",
        f"/2024/07/{ARABIC_SLUG}/",
        f"/2024/07/{ARABIC_SLUG}",
        f"/2024/07/{UPPER}/?m=1",
        f"/2024/07/{LOWER}/?showComment=1234#c5",
    ],
)
def test_an_arabic_old_path_matches_in_any_encoding(client, article, stored, asked):
    add_redirect(old_path=stored, target=article)
    lands_on(client, asked, article.title)


def test_an_arabic_old_path_with_bidi_or_zero_width_characters_still_matches(client, article):
    add_redirect(old_path=f"/2024/07/{ARABIC_SLUG}.html", target=article)
    for dirty in (
        f"/2024/07/\u200f{ARABIC_SLUG}.html",
        f"/2024/07/{ARABIC_SLUG}\u200b.html",
        "/2024/07/" + quote(f"\u202b{ARABIC_SLUG}\u2069\ufeff") + ".html",
    ):
        lands_on(client, dirty, article.title)
    add_redirect(old_path=f"/p/\u200e{ARABIC_SLUG}\u200d.html", target=article)
    lands_on(client, f"/p/{ARABIC_SLUG}.html", article.title)


def test_a_blogger_page_answers_its_new_address(client):
    page = make_page(title="من نحن")
    add_redirect(old_path=f"{OLD_HOST}/p/blog-page_25.html", target=page)
    for variant in ("/p/blog-page_25.html", "/p/blog-page_25.html?m=1"):
        assert lands_on(client, variant, "من نحن") == uri_to_iri(page.get_absolute_url())


def test_the_redirect_follows_a_later_slug_change(client, article):
    add_redirect(old_path="/2024/07/blog-post_12.html", target=article)
    article.slug = "زيارة-ملكية"
    article.save()
    assert lands_on(client, "/2024/07/blog-post_12.html", article.title).endswith("/زيارة-ملكية/")


def test_an_unpublished_or_deleted_target_is_gone(client, article):
    """410, not 404: a 404 on `/p/old.html` would be sent on to `/p/old.html/` (APPEND_SLASH)."""
    page = make_page(title="صفحة قديمة")
    add_redirect(old_path="/2024/07/blog-post_12.html", target=article)
    add_redirect(old_path="/p/old.html", target=page)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    page.delete()
    for url in ("/2024/07/blog-post_12.html", "/p/old.html", "/p/old.html?m=1"):
        response = client.get(url)
        assert response.status_code == 410
        assert "Location" not in response
        assert "الصفحة" in response.content.decode()  # the site's own error page


# --- unknown links -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/2024/07/never-existed.html",
        "/2024/07/never-existed.html?m=1",
        "/search/label/لا يوجد",
        "/feeds/posts/default/-/لا يوجد",
        "/category/nothing/here/",
        "/nothing/feed/",
        "/2031/01/",
        "/2031/",
        "/2031_01_01_archive.html",
    ],
)
def test_an_unknown_old_link_stays_a_404_and_never_becomes_the_home_page(client, article, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Location" not in response


def test_an_unknown_wordpress_id_leaves_the_home_page_alone(client, article):
    response = client.get("/?p=999")
    assert response.status_code == 200
    assert "Location" not in response


# --- labels, search, archives, feeds (Blogger) -------------------------------------------------


@pytest.fixture
def labels():
    section = make_category(name="الشأن الدولي", slug="international")
    tag = make_tag(name="رياضة", slug="sport")
    make_article(title="قمة في نيويورك", category=section, tags=[tag])
    site_redirects(
        source="blogger:1",
        label_targets={"الشأن الدولي": section.get_absolute_url(), "رياضة": tag.get_absolute_url()},
    )
    return section, tag


@pytest.mark.parametrize(
    "url",
    [
        "/search/label/الشأن الدولي",
        "/search/label/الشأن%20الدولي",
        "/search/label/الشأن+الدولي",
        "/search/label/" + quote("الشأن الدولي"),
        "/search/label/" + quote("الشأن الدولي").lower(),
        "/search/label/الشأن%20الدولي?max-results=20&updated-max=2024-07-01T10:00:00%2B01:00",
        "/search/label/الشأن+الدولي?m=1",
    ],
)
def test_a_label_listing_leads_to_its_section(client, labels, url):
    section, _tag = labels
    assert lands_on(client, url, section.name) == uri_to_iri(section.get_absolute_url())


def test_label_targets_are_stored_as_sections_and_tags_whatever_the_active_language():
    section = make_category(name="سياسة", slug="politique")
    tag = make_tag(name="رياضة", slug="sport")
    with translation.override("fr"):
        rows = site_redirects(
            source="blogger:1", label_targets={"سياسة": "/category/politique/", "رياضة": tag}
        )
    assert {(row.old_path, row.object_id, row.target_url) for row in rows} == {
        ("/search/label/سياسة", section.pk, ""),
        ("/feeds/posts/default/-/سياسة", section.pk, ""),
        ("/search/label/رياضة", tag.pk, ""),
        ("/feeds/posts/default/-/رياضة", tag.pk, ""),
    }


def test_a_label_follows_its_section_when_the_slug_changes(client, labels):
    section, _tag = labels
    section.slug = "monde"
    section.save()
    assert lands_on(client, "/search/label/الشأن+الدولي", section.name) == "/category/monde/"


def test_a_label_feed_leads_to_its_section_feed_and_a_tag_label_to_the_tag_page(client, labels):
    section, tag = labels
    base = "/feeds/posts/default/-/الشأن%20الدولي"
    assert lands_on(client, base + "?alt=rss", "") == f"/category/{section.slug}/rss/"
    assert lands_on(client, base + "?alt=atom", "") == f"/category/{section.slug}/atom/"
    assert lands_on(client, base, "") == f"/category/{section.slug}/atom/"
    summary = "/feeds/posts/summary/-/الشأن+الدولي?alt=rss"
    assert lands_on(client, summary, "") == f"/category/{section.slug}/rss/"
    assert lands_on(client, "/feeds/posts/default/-/رياضة", tag.name) == "/tag/sport/"


def test_blogger_search_leads_to_our_search(client, article):
    # Browsers percent-encode a query string; Django's test client would not.
    location = lands_on(client, "/search?q=" + quote("المغرب"), "المغرب")
    assert location == "/search/?q=المغرب"
    assert lands_on(client, "/search?q=%D8%A7%D9%84%D9%85%D8%BA%D8%B1%D8%A8&m=1", "") == location
    older = "/search?updated-max=2024-07-01T10:00:00%2B01:00&max-results=7"
    assert lands_on(client, older, article.title) == "/"


def test_date_archives_lead_to_ours_only_when_they_have_articles(client, article):
    assert lands_on(client, "/2024/07/", "") == "/archive/2024/7/"
    assert lands_on(client, "/2024/07", "") == "/archive/2024/7/"
    assert lands_on(client, "/2024/", "") == "/archive/2024/"
    assert lands_on(client, "/2024_07_15_archive.html", "") == "/archive/2024/7/"
    assert lands_on(client, "/2024/07/15/", "") == "/archive/2024/7/"  # WordPress day archive
    for empty in ("/2024/08/", "/2023/", "/2024_08_01_archive.html"):
        assert client.get(empty).status_code == 404, empty


@pytest.mark.parametrize(
    ("url", "feed"),
    [
        ("/feeds/posts/default?alt=rss", "/feeds/rss/"),
        ("/feeds/posts/default?alt=atom", "/feeds/atom/"),
        ("/feeds/posts/default", "/feeds/atom/"),
        ("/feeds/posts/summary?alt=rss&max-results=25", "/feeds/rss/"),
        ("/feeds/comments/default", "/feeds/atom/"),
        ("/atom.xml", "/feeds/atom/"),
        ("/rss.xml", "/feeds/rss/"),
        ("/feed/", "/feeds/rss/"),
        ("/feed/atom/", "/feeds/atom/"),
        ("/comments/feed/", "/feeds/rss/"),
        ("/feed/rss2/", "/feeds/rss/"),
        ("/feed/rdf/", "/feeds/rss/"),
        ("/comments/feed/atom/", "/feeds/atom/"),
    ],
)
def test_old_site_feeds_lead_to_ours(client, article, url, feed):
    assert lands_on(client, url, article.title) == feed


# --- WordPress ---------------------------------------------------------------------------------


def test_wordpress_ids_categories_tags_and_feeds(client, article):
    page = make_page(title="اتصل بنا")
    section = make_category(name="المغرب", slug="maroc")
    tag = make_tag(name="انتخابات", slug="elections")
    add_redirect(old_path="/?p=12", target=article, source="wxr")
    add_redirect(old_path="https://old-blog.example.ma/some-post/", target=article, source="wxr")
    add_redirect(old_path="/?page_id=7", target=page, source="wxr")
    taxonomy_redirects(
        source="wxr",
        categories={
            "/category/politique/maroc/": section.get_absolute_url(),
            "/tag/%d8%a7%d9%86%d8%aa%d8%ae%d8%a7%d8%a8%d8%a7%d8%aa/": tag,
        },
    )
    assert lands_on(client, "/?p=12", article.title) == uri_to_iri(article.get_absolute_url())
    assert lands_on(client, "/index.php?p=12&m=1", article.title)
    assert lands_on(client, "/?page_id=7", page.title) == uri_to_iri(page.get_absolute_url())
    assert lands_on(client, "/category/politique/maroc/", section.name) == "/category/maroc/"
    assert lands_on(client, "/category/politique/maroc", section.name) == "/category/maroc/"
    assert lands_on(client, "/category/politique/maroc/page/3/", section.name) == "/category/maroc/"
    assert lands_on(client, "/tag/انتخابات/", tag.name) == "/tag/elections/"
    assert lands_on(client, "/some-post/feed/", article.title) == uri_to_iri(
        article.get_absolute_url()
    )
    assert lands_on(client, "/category/politique/maroc/feed/", "") == "/category/maroc/rss/"
    assert lands_on(client, "/category/politique/maroc/feed/atom/", "") == "/category/maroc/atom/"


# --- costs -------------------------------------------------------------------------------------


def test_pages_that_exist_run_no_extra_query(client, settings, django_assert_num_queries, article):
    """Measured without the middleware, then asserted with it: not one query more."""
    add_redirect(old_path="/2024/07/blog-post_12.html", target=article)
    urls = ["/", article.get_absolute_url(), "/search/?q=" + quote("المغرب"), "/feeds/rss/"]
    with_it = list(settings.MIDDLEWARE)
    settings.MIDDLEWARE = [m for m in with_it if m != "imports.middleware.LegacyRedirectMiddleware"]
    counts = {}
    for url in urls:
        client.get(url)  # warm caches (footer links, content types)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts[url] = len(ctx.captured_queries)
    settings.MIDDLEWARE = with_it
    for url in urls:
        with django_assert_num_queries(counts[url]) as ctx:
            assert client.get(url).status_code == 200
        assert not any("imports_legacyredirect" in q["sql"] for q in ctx.captured_queries)


def test_a_redirect_costs_one_indexed_lookup(client, article, settings):
    settings.PAGE_CACHE = False  # compare with the 404 view itself, not a cached 404
    add_redirect(old_path="/2024/07/blog-post_12.html", target=article)
    client.get("/2024/07/never-existed.html")  # warm caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/2024/07/never-existed.html").status_code == 404
    not_found = len(ctx.captured_queries)
    client.get("/2024/07/blog-post_12.html")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/2024/07/blog-post_12.html?m=1").status_code == 301
    lookups = [
        q["sql"]
        for q in ctx.captured_queries
        if "imports_legacyredirect" in q["sql"] and q["sql"].lstrip().upper().startswith("SELECT")
    ]
    assert len(lookups) == 1
    assert '"old_path" IN' in lookups[0] or '"old_path" =' in lookups[0]
    # The 404 page it replaces, plus the target article and the hit counter.
    assert len(ctx.captured_queries) <= not_found + 2
    assert LegacyRedirect.objects.get().hits == 2


# --- storing -----------------------------------------------------------------------------------


def test_normalised_paths_are_one_key_for_every_spelling():
    key = "/2024/07/blog-post_12.html"
    for spelling in (
        "https://old.example.ma/2024/07/blog-post_12.html?m=1#more",
        "http://www.old.example.ma//2024/07/blog-post_12.html?showComment=1#c2",
        "/2024/07/blog-post_12.html/",
    ):
        assert normalise_path(spelling) == key
    assert normalise_path("/category/x/") == normalise_path("/category/x") == "/category/x"
    assert normalise_path("/?page_id=7&utm_source=x&p=12") == "/?p=12&page_id=7"
    assert normalise_path("/search/label/C%2B%2B+x") == "/search/label/C%2B%2B x"
    assert normalise_path("/2024/07/ok%00.html") == "/2024/07/ok.html"
    for spelling in ("/a%2525b", "/search/label/C%2B%2B+x", "/?tag=a%26b", "/x%3Fy", "/"):
        key = normalise_path(spelling)
        assert normalise_path(key) == key


def test_add_redirect_is_idempotent_and_never_chains(article):
    other = make_article(title="مقال آخر")
    first = add_redirect(old_path="/2024/07/blog-post_12.html?m=1", target=article)
    again = add_redirect(old_path=f"{OLD_HOST}/2024/07/blog-post_12.html", target=article)
    assert first.pk == again.pk and LegacyRedirect.objects.count() == 1
    add_redirect(old_path="/2024/07/blog-post_12.html", target=other)
    assert LegacyRedirect.objects.get().object_id == other.pk
    # A URL target that is itself an old link takes that link's target.
    hop = add_redirect(old_path="/old-alias.html", target_url="/2024/07/blog-post_12.html")
    assert (hop.object_id, hop.target_url) == (other.pk, "")
    with pytest.raises(ValueError):
        add_redirect(old_path="/loop.html", target_url="/loop.html")


def test_a_reimport_keeps_the_target_an_editor_chose(article):
    other = make_article(title="مقال آخر")
    row = add_redirect(old_path="/2024/07/blog-post_12.html", target=article, source="b")
    LegacyRedirect.objects.filter(pk=row.pk).update(
        source=EDITOR_SOURCE, content_type=None, object_id=None, target_url="/p/x/"
    )
    add_redirect(old_path="/2024/07/blog-post_12.html", target=other, source="b")
    row.refresh_from_db()
    assert (row.target_url, row.source) == ("/p/x/", EDITOR_SOURCE)


def test_an_old_link_added_in_the_admin_replaces_a_cached_404_at_once(client, article, settings):
    settings.PAGE_CACHE = True
    assert client.get("/2019/01/blog-post_3.html").status_code == 404
    assert client.get("/2019/01/blog-post_3.html").status_code == 404  # now from the cache
    add_redirect(old_path="/2019/01/blog-post_3.html", target=article)
    assert client.get("/2019/01/blog-post_3.html").status_code == 301
