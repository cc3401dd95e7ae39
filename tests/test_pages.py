"""Static pages (About, Privacy, Terms): public pages, footer links, sitemap, admin, demo."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.encoding import uri_to_iri

from pages.models import Page

from .factories import make_article, make_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _arabic_outside_requests():
    with translation.override("ar"):
        yield


def footer_of(html: str) -> str:
    return html[html.index('<footer class="site-footer">') :]


def about(**kwargs) -> Page:
    return make_page(
        title="من نحن",
        body_ar="<p>موقع إخباري مغربي.</p>",
        title_fr="À propos",
        slug_fr="a-propos",
        body_fr="<p>Un site marocain.</p>",
        **kwargs,
    )


def test_a_page_opens_in_arabic_and_in_french(client):
    about()
    arabic = client.get("/p/من-نحن/")
    assert arabic.status_code == 200
    html = arabic.content.decode()
    assert "<h1>من نحن</h1>" in html and "موقع إخباري مغربي." in html
    assert '<html lang="ar" dir="rtl">' in html
    french = client.get("/fr/p/a-propos/").content.decode()
    assert "<h1>À propos</h1>" in french and "Un site marocain." in french
    assert "موقع إخباري مغربي." not in french
    assert 'hreflang="fr" href="http://testserver/fr/p/a-propos/"' in french


def test_a_page_without_a_translation_is_not_listed_and_redirects_to_arabic(client):
    make_page(title="شروط الاستخدام")
    assert "شروط الاستخدام" in footer_of(client.get("/").content.decode())
    assert "شروط الاستخدام" not in client.get("/fr/").content.decode()
    response = client.get("/fr/p/شروط-الاستخدام/")
    assert response.status_code == 302
    assert uri_to_iri(response["Location"]) == "/p/شروط-الاستخدام/"


def test_unpublished_and_missing_pages_are_404(client):
    make_page(title="مسودة صفحة", is_published=False)
    assert client.get("/p/مسودة-صفحة/").status_code == 404
    assert client.get("/p/nothing/").status_code == 404
    assert "مسودة صفحة" not in client.get("/").content.decode()


def test_an_old_or_other_language_slug_redirects_to_the_canonical_address(client):
    about()
    response = client.get("/fr/p/من-نحن/")
    assert response.status_code == 301
    assert response["Location"] == "/fr/p/a-propos/"


def test_the_body_is_sanitised_like_an_article(client):
    page = make_page(
        title="صفحة", body_ar='<p onclick="x()">نص</p><script>alert(1)</script><p>آمن</p>'
    )
    page.refresh_from_db()
    assert "<script" not in page.body_ar and "onclick" not in page.body_ar
    html = client.get(page.get_absolute_url()).content.decode()
    assert "alert(1)" not in html and "آمن" in html


def test_footer_lists_published_footer_pages_in_their_order(client):
    make_page(title="شروط الاستخدام", order=3)
    make_page(title="من نحن", order=1)
    make_page(title="سياسة الخصوصية", order=2)
    make_page(title="صفحة خارج التذييل", show_in_footer=False)
    make_page(title="صفحة غير منشورة", is_published=False)
    footer = footer_of(make_article() and client.get("/").content.decode())
    titles = re.findall(r'<a href="/p/[^"]+" dir="auto">([^<]+)</a>', footer)
    assert titles == ["من نحن", "سياسة الخصوصية", "شروط الاستخدام"]
    assert client.get("/p/صفحة-خارج-التذييل/").status_code == 200


def test_footer_links_cost_no_query_once_cached_and_follow_every_change(client):
    about()
    client.get("/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/contact/")
    assert not any("pages_page" in q["sql"] for q in warm.captured_queries)
    page = make_page(title="سياسة الخصوصية")
    assert "سياسة الخصوصية" in footer_of(client.get("/").content.decode())
    page.title_ar = "الخصوصية"
    page.save()
    assert "الخصوصية</a>" in footer_of(client.get("/").content.decode())
    page.delete()
    assert "الخصوصية" not in footer_of(client.get("/").content.decode())


def test_the_page_view_runs_few_queries(client, django_assert_max_num_queries):
    about()
    client.get("/")  # footer links cached, as on a running site
    with django_assert_max_num_queries(3):
        assert client.get("/p/من-نحن/").status_code == 200


def test_pages_are_in_the_sitemap_in_their_languages(client):
    about()
    make_page(title="سياسة الخصوصية")
    make_page(title="مسودة صفحة", is_published=False)
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-pages.xml" in index
    xml = client.get("/sitemap-pages.xml").content.decode()
    assert "http://testserver/p/%D9%85%D9%86-%D9%86%D8%AD%D9%86/" in xml
    assert "http://testserver/fr/p/a-propos/" in xml
    assert "%D9%85%D8%B3%D9%88%D8%AF%D8%A9" not in xml  # the unpublished page
    assert xml.count("<url>") == 3  # about in ar and fr, privacy in ar


def test_editors_manage_pages_and_journalists_cannot(client, editor, journalist):
    client.force_login(editor)
    assert client.get("/admin/pages/page/add/").status_code == 200
    response = client.post(
        "/admin/pages/page/add/",
        {
            "title_ar": "من نحن",
            "slug_ar": "من-نحن",
            "body_ar": "<p>نص</p>",
            "is_published": "on",
            "show_in_footer": "on",
            "order": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = Page.objects.get()
    assert page.title_ar == "من نحن" and page.is_published
    client.force_login(journalist)
    assert client.get("/admin/pages/page/add/").status_code == 403
    assert client.get(f"/admin/pages/page/{page.pk}/change/").status_code == 403


def test_load_demo_makes_about_privacy_and_terms_once(client):
    for _ in range(2):
        call_command("load_demo", count=0, no_progress=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(Page.objects.values_list("title_ar", flat=True)) == [
        "من نحن",
        "سياسة الخصوصية",
        "شروط الاستخدام",
    ]
    footer = footer_of(client.get("/fr/").content.decode())
    assert "À propos" in footer and "Conditions d'utilisation" in footer.replace("&#x27;", "'")
    assert client.get("/p/من-نحن/").status_code == 200


def _page_form(**overrides):
    data = {"title_ar": "من نحن", "slug_ar": "من-نحن", "body_ar": "<p>نص</p>", "order": "0"}
    data.update(overrides)
    return data


def test_the_page_form_explains_empty_oversized_duplicate_and_hostile_input(client, editor):
    client.force_login(editor)
    client.cookies["django_language"] = "en"
    add = "/admin/pages/page/add/"
    empty = client.post(add, _page_form(title_ar="", slug_ar=""))
    assert empty.status_code == 200 and "This field is required" in empty.content.decode()
    long = client.post(add, _page_form(title_ar="ع" * 201))
    assert long.status_code == 200 and "at most" in long.content.decode()
    assert Page.objects.count() == 0

    assert client.post(add, _page_form()).status_code == 302
    again = client.post(add, _page_form(title_ar="من نحن مرة أخرى"))
    assert again.status_code == 200 and "already exists" in again.content.decode()
    assert Page.objects.count() == 1

    hostile = client.post(
        add,
        _page_form(
            title_ar="<b>شروط</b>' OR 1=1 --",
            slug_ar="شروط",
            is_published="on",
            body_ar='<p>نص</p><img src=x onerror="alert(1)"><script>alert(2)</script>',
        ),
    )
    assert hostile.status_code == 302
    page = Page.objects.get(slug_ar="شروط")
    assert "<script" not in page.body_ar and "onerror" not in page.body_ar
    client.logout()
    with translation.override("ar"):
        url = page.get_absolute_url()
    html = client.get(url).content.decode()
    assert "<b>شروط</b>" not in html and "&lt;b&gt;شروط&lt;/b&gt;" in html
