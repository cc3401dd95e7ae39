"""The public pages: what a reader sees on the home, list, archive, article and error pages."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.urls import resolve, reverse
from django.utils import timezone, translation
from django.utils.encoding import uri_to_iri

from articles.models import Article

from .factories import (
    make_article,
    make_author,
    make_category,
    make_seed_article,
    make_tag,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _arabic_outside_requests():
    """Requests activate their own language; the test's own code runs in Arabic."""
    with translation.override("ar"):
        yield


def html_of(response) -> str:
    return response.content.decode()


# --- URLs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("articles:home", {}, "/"),
        ("articles:detail", {"pk": 7, "slug": "خبر"}, "/news/7/خبر/"),
        ("articles:detail-short", {"pk": 7}, "/news/7/"),
        ("articles:preview", {"pk": 7}, "/preview/7/"),
        ("articles:category", {"slug": "سياسة"}, "/category/سياسة/"),
        ("articles:category-rss", {"slug": "sport"}, "/category/sport/rss/"),
        ("articles:category-atom", {"slug": "sport"}, "/category/sport/atom/"),
        ("articles:tag", {"slug": "المغرب"}, "/tag/المغرب/"),
        ("articles:author", {"slug": "سلمى"}, "/author/سلمى/"),
        ("articles:archive-year", {"year": 2026}, "/archive/2026/"),
        ("articles:archive-month", {"year": 2026, "month": 7}, "/archive/2026/7/"),
        ("articles:rss", {}, "/feeds/rss/"),
        ("articles:atom", {}, "/feeds/atom/"),
        ("sitemap", {}, "/sitemap.xml"),
        ("news-sitemap", {}, "/news-sitemap.xml"),
        ("robots", {}, "/robots.txt"),
    ],
)
def test_every_public_url_name_reverses_and_resolves_round_trip(name, kwargs, path):
    assert uri_to_iri(reverse(name, kwargs=kwargs)) == path
    assert resolve(path).view_name == name


# --- home ------------------------------------------------------------------------------------


def test_home_leads_with_the_newest_featured_article(client):
    featured = make_article(
        title="الخبر الرئيسي", is_featured=True, publish_at=timezone.now() - timedelta(hours=3)
    )
    make_article(title="خبر أحدث غير مميز")
    html = html_of(client.get("/"))
    lead = html[html.index('class="lead"') : html.index('id="latest-title"')]
    assert featured.title in lead
    assert "خبر أحدث غير مميز" not in lead


def test_home_leads_with_the_newest_article_when_none_is_featured(client):
    make_article(title="خبر قديم", publish_at=timezone.now() - timedelta(days=1))
    make_article(title="أحدث خبر")
    html = html_of(client.get("/"))
    lead = html[html.index('class="lead"') : html.index('id="latest-title"')]
    assert "أحدث خبر" in lead
    assert "خبر قديم" not in lead


def test_home_lists_newest_first_and_paginates(client):
    now = timezone.now()
    section = make_category()
    for n in range(25):
        make_article(
            title=f"خبر رقم {n:02d}", publish_at=now - timedelta(minutes=n + 1), category=section
        )
    first = html_of(client.get("/"))
    # "00" is the lead; the list starts at 01, newest first, 20 to a page.
    assert first.index("خبر رقم 01") < first.index("خبر رقم 02") < first.index("خبر رقم 20")
    assert "خبر رقم 21" not in first
    second = html_of(client.get("/?page=2"))
    assert "خبر رقم 24" in second
    assert 'rel="prev"' in second


@pytest.mark.parametrize("page_number", ["abc", "1.5", "' OR 1=1 --", "", "9" * 5000])
def test_home_with_a_page_number_that_is_not_a_number_shows_page_one(client, page_number):
    make_article(title="خبر وحيد")
    response = client.get("/", {"page": page_number})
    assert response.status_code == 200
    assert "خبر وحيد" in html_of(response)


@pytest.mark.parametrize("page_number", ["999", "99999", "-1", "0", "٢", "9" * 40])
def test_a_page_number_beyond_the_last_page_is_404(client, page_number):
    """Answering with the last page would give crawlers endless copies of the same page."""
    make_article(title="خبر وحيد")
    assert client.get("/", {"page": page_number}).status_code == 404


def test_breaking_strip_shows_only_while_the_article_is_less_than_a_day_old(client):
    make_article(
        title="عاجل قديم", is_breaking=True, publish_at=timezone.now() - timedelta(hours=25)
    )
    html = html_of(client.get("/"))
    assert 'class="breaking"' not in html
    make_article(title="عاجل جديد", is_breaking=True)
    html = html_of(client.get("/"))
    strip = html[html.index('class="breaking"') : html.index("</section>")]
    assert "عاجل جديد" in strip
    assert "عاجل قديم" not in strip


def test_home_has_a_block_with_the_newest_articles_of_each_active_section(client):
    sport = make_category(name="رياضة")
    economy = make_category(name="اقتصاد")
    hidden = make_category(name="قسم مغلق", is_active=False)
    for n in range(6):
        make_article(title=f"رياضة {n}", category=sport)
    make_article(title="اقتصاد 1", category=economy)
    make_article(title="مقال في قسم مغلق", category=hidden)
    html = html_of(client.get("/"))
    blocks = html[html.index('class="block"') :]
    assert "رياضة" in blocks and "اقتصاد 1" in blocks
    assert "قسم مغلق" not in blocks
    # four newest of a section: 5, 4, 3, 2
    assert "رياضة 5" in blocks and "رياضة 2" in blocks and "رياضة 1" not in blocks


def test_every_list_item_is_an_article_with_a_link_and_an_iso_time(client):
    make_article(title="خبر")
    make_article(title="خبر ثان")
    html = html_of(client.get("/"))
    cards = re.findall(r'<article class="card.*?</article>', html, re.S)
    assert cards
    for card in cards:
        assert '<a href="/news/' in card
        stamp = re.search(r'<time datetime="([^"]+)"', card).group(1)
        parsed = datetime.fromisoformat(stamp)
        assert parsed.utcoffset() is not None


def test_home_without_articles_says_so(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "لم يُنشر أي مقال بعد" in html_of(response)


def test_drafts_and_scheduled_articles_stay_off_every_list(client):
    section = make_category(name="سياسة")
    make_article(title="مسودة سرية", status=Article.Status.DRAFT, category=section)
    make_article(
        title="مجدول لاحقا", publish_at=timezone.now() + timedelta(hours=2), category=section
    )
    make_article(title="منشور", category=section)
    for url in ["/", section.get_absolute_url(), f"/archive/{timezone.now().year}/"]:
        html = html_of(client.get(url))
        assert "منشور" in html
        assert "مسودة سرية" not in html and "مجدول لاحقا" not in html


# --- category, tag, author, archives ----------------------------------------------------------


def test_category_page_lists_only_its_articles_newest_first(client):
    sport = make_category(name="رياضة")
    make_article(title="هدف قديم", category=sport, publish_at=timezone.now() - timedelta(days=2))
    make_article(title="هدف جديد", category=sport)
    make_article(title="خبر اقتصادي")
    html = html_of(client.get(sport.get_absolute_url()))
    assert "<h1" in html and "رياضة" in html
    assert html.index("هدف جديد") < html.index("هدف قديم")
    assert "خبر اقتصادي" not in html


def test_missing_or_inactive_category_is_404(client):
    closed = make_category(name="مغلق", is_active=False)
    assert client.get("/category/nothing/").status_code == 404
    assert client.get(closed.get_absolute_url()).status_code == 404


def test_tag_page_lists_tagged_articles(client):
    morocco = make_tag(name="المغرب")
    make_article(title="خبر موسوم", tags=[morocco])
    make_article(title="خبر غير موسوم")
    html = html_of(client.get(morocco.get_absolute_url()))
    assert "خبر موسوم" in html and "خبر غير موسوم" not in html
    assert client.get("/tag/none/").status_code == 404


def test_author_page_lists_the_authors_articles(client):
    salma = make_author(name="سلمى بناني")
    make_article(title="مقال سلمى", authors=[salma])
    make_article(title="مقال آخر")
    html = html_of(client.get(salma.get_absolute_url()))
    assert "سلمى بناني" in html and "مقال سلمى" in html and "مقال آخر" not in html
    assert client.get("/author/nobody/").status_code == 404


def test_list_pages_survive_strange_page_numbers(client):
    section = make_category(name="رياضة")
    make_article(category=section)
    for page_number in ["abc", ""]:
        response = client.get(section.get_absolute_url(), {"page": page_number})
        assert response.status_code == 200
    assert client.get(section.get_absolute_url(), {"page": "99999"}).status_code == 404


def test_every_list_answers_404_past_its_last_page(client):
    tz = timezone.get_current_timezone()
    author, tag = make_author(), make_tag()
    article = make_article(
        authors=[author], tags=[tag], publish_at=datetime(2025, 7, 15, 10, 0, tzinfo=tz)
    )
    for url in [
        "/",
        "/fr/",
        article.category.get_absolute_url(),
        tag.get_absolute_url(),
        author.get_absolute_url(),
        "/archive/2025/",
        "/archive/2025/7/",
    ]:
        assert client.get(url).status_code == 200, url
        assert client.get(url, {"page": "2"}).status_code == 404, url


def test_an_empty_section_still_answers_with_a_message(client):
    section = make_category(name="قسم جديد")
    response = client.get(section.get_absolute_url())
    assert response.status_code == 200
    assert "لا توجد مقالات هنا بعد" in html_of(response)


def test_year_and_month_archives_list_articles_of_that_period(client):
    tz = timezone.get_current_timezone()
    make_article(title="خبر يوليوز", publish_at=datetime(2025, 7, 15, 10, 0, tzinfo=tz))
    make_article(title="خبر غشت", publish_at=datetime(2025, 8, 2, 10, 0, tzinfo=tz))
    make_article(title="خبر 2024", publish_at=datetime(2024, 12, 31, 10, 0, tzinfo=tz))
    year = html_of(client.get("/archive/2025/"))
    assert "خبر يوليوز" in year and "خبر غشت" in year and "خبر 2024" not in year
    assert "/archive/2025/7/" in year and "/archive/2025/8/" in year
    assert "يوليوز" in year
    month = html_of(client.get("/archive/2025/7/"))
    assert "خبر يوليوز" in month and "خبر غشت" not in month
    assert "يوليوز 2025" in month


@pytest.mark.parametrize("path", ["/archive/2025/13/", "/archive/2025/0/", "/archive/12/"])
def test_impossible_archive_dates_are_404(client, path):
    assert client.get(path).status_code == 404


def test_an_archive_year_or_month_with_nothing_published_is_404(client):
    tz = timezone.get_current_timezone()
    make_article(publish_at=datetime(2025, 7, 15, 10, 0, tzinfo=tz))
    make_article(title="مسودة", status=Article.Status.DRAFT)
    assert client.get("/archive/2025/").status_code == 200
    for path in ["/archive/1999/", "/archive/2001/1/", "/archive/2025/6/"]:
        assert client.get(path).status_code == 404, path


def test_archive_index_lists_years_and_months_with_counts_newest_first(client):
    tz = timezone.get_current_timezone()
    for day in (3, 15):
        make_article(publish_at=datetime(2025, 7, day, 10, 0, tzinfo=tz))
    make_article(publish_at=datetime(2025, 8, 2, 10, 0, tzinfo=tz))
    make_article(publish_at=datetime(2024, 12, 31, 23, 30, tzinfo=tz))
    make_article(title="مسودة", status=Article.Status.DRAFT)
    response = client.get("/archive/")
    assert response.status_code == 200
    html = html_of(response)
    links = re.findall(r'href="(/archive/[^"]+)"', html.split("<main", 1)[1])
    assert links == [
        "/archive/2025/",
        "/archive/2025/8/",
        "/archive/2025/7/",
        "/archive/2024/",
        "/archive/2024/12/",
    ]
    assert 'غشت</a> <span class="archive-count">(1)</span>' in html
    assert 'يوليوز</a> <span class="archive-count">(2)</span>' in html
    assert 'دجنبر</a> <span class="archive-count">(1)</span>' in html
    assert "(3 مقالات)" in html


def test_archive_index_is_linked_from_every_footer_and_exists_in_every_language(client):
    make_article()
    assert 'href="/archive/"' in html_of(client.get("/"))
    assert 'href="/fr/archive/"' in html_of(client.get("/fr/"))
    assert client.get("/en/archive/").status_code == 200


# --- article page ------------------------------------------------------------------------------


def test_article_page_shows_everything_a_reader_needs(client):
    salma = make_author(name="سلمى بناني")
    morocco = make_tag(name="المغرب")
    article = make_seed_article(
        authors=[salma], tags=[morocco], kicker_ar="دبلوماسية", byline="و.م.ع"
    )
    html = html_of(client.get(article.get_absolute_url()))
    assert f'<h1 class="article__title">{article.title}</h1>' in html
    assert 'class="kicker">دبلوماسية' in html
    assert article.summary[:40] in html
    assert f'href="{salma.get_absolute_url()}" rel="author"' in html
    assert "و.م.ع" in html
    assert f'href="{morocco.get_absolute_url()}" rel="tag"' in html
    assert "نشر في" in html
    assert "آخر تحديث" not in html  # not updated since publication
    assert "facebook.com/sharer" in html and "wa.me" in html
    # Share links are plain links: one script fills in the comment form's tokens, the other
    # counts the view for the most-read block.
    assert re.findall(r'<script src="([^"]+)"', html) == [
        "/static/js/comment-form.js",
        "/static/js/mostread.js",
    ]
    assert article.body[:50] in html


def test_article_page_shows_the_updated_time_when_it_differs(client):
    article = make_article(title="خبر معدل", publish_at=timezone.now() - timedelta(hours=5))
    html = html_of(client.get(article.get_absolute_url()))
    assert "آخر تحديث" in html


def test_article_page_links_to_newer_and_older_articles(client):
    now = timezone.now()
    oldest = make_article(title="الأقدم", publish_at=now - timedelta(hours=3))
    middle = make_article(title="الأوسط", publish_at=now - timedelta(hours=2))
    newest = make_article(title="الأحدث", publish_at=now - timedelta(hours=1))
    make_article(title="مسودة بينهما", status=Article.Status.DRAFT)
    html = html_of(client.get(middle.get_absolute_url()))
    nav = html[html.index('class="adjacent"') :]
    assert f'class="adjacent__newer" rel="next" href="{newest.get_absolute_url()}"' in nav
    assert f'class="adjacent__older" rel="prev" href="{oldest.get_absolute_url()}"' in nav
    assert "أحدث" in nav and "أقدم" in nav
    assert "adjacent__newer" not in html_of(client.get(newest.get_absolute_url()))
    assert "adjacent__older" not in html_of(client.get(oldest.get_absolute_url()))


def test_articles_published_at_the_same_second_still_walk_in_order(client):
    when = timezone.now() - timedelta(hours=1)
    first, second, third = (make_article(publish_at=when) for _ in range(3))
    html = html_of(client.get(second.get_absolute_url()))
    assert f'rel="next" href="{third.get_absolute_url()}"' in html
    assert f'rel="prev" href="{first.get_absolute_url()}"' in html


def test_related_articles_share_the_section_or_a_tag(client):
    sport = make_category(name="رياضة")
    morocco = make_tag(name="المغرب")
    article = make_article(title="المقال", category=sport, tags=[morocco])
    make_article(title="نفس القسم", category=sport)
    make_article(title="نفس الوسم", tags=[morocco])
    make_article(title="لا علاقة")
    html = html_of(client.get(article.get_absolute_url()))
    related = html[html.index('id="related-title"') :]
    assert "نفس القسم" in related and "نفس الوسم" in related
    assert "لا علاقة" not in related


def test_article_page_has_the_place_for_comments(client, settings):
    article = make_article()
    response = client.get(article.get_absolute_url())
    assert "comments/section.html" in [t.name for t in response.templates]


def test_article_cover_uses_renditions_with_srcset_sizes_and_dimensions(client):
    article = make_article(
        title="بصورة",
        cover_image="covers/x.jpg",
        cover_width=1280,
        cover_height=720,
        cover_alt_ar="وصف الصورة",
        cover_caption_ar="تعليق الصورة",
        cover_credit="تصوير: أحمد",
        cover_renditions={
            "source": "covers/x.jpg",
            "webp": [[320, 180, "r/a-320.webp"], [1280, 720, "r/a-1280.webp"]],
            "jpeg": [[320, 180, "r/a-320.jpg"], [1280, 720, "r/a-1280.jpg"]],
        },
    )
    html = html_of(client.get(article.get_absolute_url()))
    assert 'srcset="/media/r/a-320.webp 320w, /media/r/a-1280.webp 1280w"' in html
    assert 'width="1280" height="720"' in html
    assert 'alt="وصف الصورة"' in html
    assert "تعليق الصورة" in html and "تصوير: أحمد" in html
    assert "sizes=" in html


def test_list_images_below_the_fold_load_lazily(client):
    for _ in range(3):
        make_article(
            cover_image="covers/x.jpg", cover_width=800, cover_height=600, cover_alt_ar="ص"
        )
    html = html_of(client.get("/"))
    lead = html[html.index('class="lead"') : html.index('id="latest-title"')]
    rest = html[html.index('id="latest-title"') :]
    assert 'loading="lazy"' not in lead and 'fetchpriority="high"' in lead
    assert 'loading="lazy"' in rest


@pytest.mark.parametrize(
    "field", ["title_ar", "summary_ar", "kicker_ar", "byline", "cover_caption_ar"]
)
def test_hostile_text_in_an_article_is_escaped(client, field):
    hostile = '<script>alert("x")</script>\u202e'
    extra = {field: hostile} if field != "title_ar" else {}
    article = make_article(
        title="عنوان",
        cover_image="covers/x.jpg",
        cover_width=800,
        cover_height=600,
        cover_alt_ar="صورة",
        **extra,
    )
    if field == "title_ar":
        Article.objects.filter(pk=article.pk).update(title_ar=hostile)
    html = html_of(client.get(article.get_absolute_url(), follow=True))
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html or "\\u003Cscript" in html


def test_article_body_comes_out_sanitised(client):
    article = make_article(body='<p>نص</p><script>alert(1)</script><img src=x onerror="alert(2)">')
    html = html_of(client.get(article.get_absolute_url()))
    assert "alert(1)" not in html and "onerror" not in html


def test_unpublished_article_is_404_to_readers(client):
    draft = make_article(status=Article.Status.DRAFT)
    assert client.get(f"/news/{draft.pk}/{draft.slug}/").status_code == 404


# --- preview -------------------------------------------------------------------------------------


def test_preview_shows_a_draft_with_a_banner_to_an_editor(client, editor):
    draft = make_article(title="مسودة للمعاينة", status=Article.Status.DRAFT)
    client.force_login(editor)
    response = client.get(reverse("articles:preview", kwargs={"pk": draft.pk}))
    html = html_of(response)
    assert response.status_code == 200
    assert "مسودة للمعاينة" in html and 'class="preview-banner"' in html
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_preview_is_refused_to_readers_and_to_staff_who_may_not_edit(client, moderator):
    draft = make_article(status=Article.Status.DRAFT)
    url = reverse("articles:preview", kwargs={"pk": draft.pk})
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(moderator)
    assert client.get(url).status_code == 404
    client.force_login(make_user())
    assert client.get(url).status_code == 404


def test_journalist_previews_only_their_own_work(client, journalist, other_journalist):
    theirs = make_article(status=Article.Status.DRAFT, created_by=other_journalist)
    mine = make_article(status=Article.Status.DRAFT, created_by=journalist)
    client.force_login(journalist)
    assert client.get(reverse("articles:preview", kwargs={"pk": mine.pk})).status_code == 200
    assert client.get(reverse("articles:preview", kwargs={"pk": theirs.pk})).status_code == 404


# --- error pages ---------------------------------------------------------------------------------


def test_404_page_is_in_the_site_style_and_language(client):
    response = client.get("/no/such/page/")
    html = html_of(response)
    assert response.status_code == 404
    assert '<html lang="ar" dir="rtl">' in html
    assert "الصفحة غير موجودة" in html
    assert 'class="site-header"' in html
    french = client.get("/fr/no/such/page/")
    assert french.status_code == 404
    assert '<html lang="fr" dir="ltr">' in html_of(french)
    assert "Page introuvable" in html_of(french)


def test_500_page_is_in_the_site_style_and_needs_no_database(rf, django_assert_num_queries):
    from django.utils import translation

    from newsroom.views import server_error

    with translation.override("ar"), django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="ar" dir="rtl">' in html
    assert "خطأ في الخادم" in html
    assert "css/site.css" in html
    from newsroom import urls

    assert urls.handler500 == "newsroom.views.server_error"
    assert urls.handler404 == "newsroom.views.page_not_found"


@pytest.mark.parametrize(
    "slug",
    ["%00", "a%00b", "x" * 500, "' OR 1=1 --", "%E2%80%AEevil", "<script>", "%E2%80%8B"],
)
@pytest.mark.parametrize("kind", ["category", "tag", "author"])
def test_hostile_slugs_give_404_not_an_error(client, kind, slug):
    make_article()
    assert client.get(f"/{kind}/{slug}/").status_code == 404
    assert client.get(f"/fr/{kind}/{slug}/").status_code == 404


@pytest.mark.parametrize("slug", ["%00", "x" * 500, "' OR 1=1 --"])
def test_hostile_article_slugs_redirect_to_the_canonical_url(client, slug):
    article = make_article()
    response = client.get(f"/news/{article.pk}/{slug}/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


@pytest.mark.parametrize(
    "path",
    [
        "/news/99999999999999999999999/x/",
        "/news/99999999999999999999999/",
        "/fr/news/99999999999999999999999/x/",
        "/archive/99999999999999999999/",
        "/archive/2025/99999999999999999999/",
    ],
)
def test_enormous_numbers_in_urls_give_404(client, path):
    assert client.get(path).status_code == 404


def test_bylines_and_author_pages_never_show_the_staff_account(client):
    from .factories import make_user

    user = make_user(username="s.bennani.login", email="salma.private@newsroom.example")
    author = make_author(name="سلمى بناني", user=user)
    article = make_article(authors=[author])
    for url in (article.get_absolute_url(), author.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "سلمى بناني" in html
        assert "s.bennani.login" not in html and "salma.private" not in html


# --- favicon, dates ------------------------------------------------------------------------------


def test_every_page_links_a_self_made_icon_and_favicon_ico_answers(client):
    from django.contrib.staticfiles import finders

    article = make_article()
    for url in ["/", "/fr/", article.get_absolute_url(), "/search/", "/contact/", "/missing/"]:
        assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html_of(
            client.get(url)
        ), url
    icon = finders.find("favicon.svg")
    assert icon and open(icon, encoding="utf-8").read().startswith("<svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"


def test_arabic_dates_use_the_arabic_comma(client):
    from django.utils.formats import get_format

    from comments.models import Comment

    with translation.override("ar"):
        for name in ("DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATETIME_FORMAT", "MONTH_DAY_FORMAT"):
            assert "," not in get_format(name), name
    tz = timezone.get_current_timezone()
    article = make_article(publish_at=datetime(2025, 8, 14, 9, 30, tzinfo=tz))
    Comment.objects.create(
        article=article, name="قارئ", email="r@example.ma", body="شكرا", status="approved"
    )
    html = html_of(client.get(article.get_absolute_url()))
    dates = re.findall(r"<time [^>]*>([^<]+)</time>", html)
    assert len(dates) >= 2
    assert all("," not in text and "،" in text for text in dates), dates


def test_time_elements_carry_whole_seconds(client):
    from comments.models import Comment

    article = make_article(title="خبر عن المطر")
    Comment.objects.create(
        article=article, name="قارئ", email="r@example.ma", body="شكرا", status="approved"
    )
    for url in [article.get_absolute_url(), "/search/?q=المطر"]:
        stamps = re.findall(r'<time datetime="([^"]+)"', html_of(client.get(url)))
        assert stamps, url
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", s) for s in stamps)


def test_the_search_pages_two_search_landmarks_have_different_names(client):
    html = html_of(client.get("/search/?q=x"))
    forms = re.findall(r'<form [^>]*role="search"[^>]*>', html)
    assert len(forms) == 2
    assert 'aria-label="ابحث في الأخبار"' in forms[0]
    assert 'aria-labelledby="search-heading"' in forms[1]
