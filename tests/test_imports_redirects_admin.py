"""Editors see and fix the old links in the admin; the import log is read only."""

from __future__ import annotations

import pytest
from django.utils import translation

from imports.models import ImportedItem, LegacyRedirect
from imports.redirects import EDITOR_SOURCE, add_redirect

from .factories import make_article

pytestmark = pytest.mark.django_db

LIST = "/admin/imports/legacyredirect/"


def test_editors_list_and_search_old_links(client, editor):
    article = make_article(title="زيارة ملكية")
    add_redirect(old_path="/2024/07/blog-post_12.html", target=article, source="blogger:1")
    add_redirect(old_path="/search/label/رياضة", target_url="/tag/sport/", source="blogger:1")
    client.force_login(editor)
    page = client.get(LIST).content.decode()
    assert "/2024/07/blog-post_12.html" in page and "زيارة ملكية" in page
    assert "/tag/sport/" in page
    found = client.get(LIST, {"q": "رياضة"}).content.decode()
    assert "/search/label/رياضة" in found and "blog-post_12" not in found


def test_the_admin_speaks_arabic_about_old_links(client, editor):
    client.force_login(editor)
    with translation.override("ar"):
        assert "الروابط القديمة" in client.get("/admin/").content.decode()


def test_journalists_cannot_see_old_links(client, journalist):
    client.force_login(journalist)
    assert client.get(LIST).status_code == 403


def test_an_editor_repoints_an_old_link_and_a_reimport_keeps_it(client, editor):
    article = make_article(title="زيارة ملكية")
    row = add_redirect(old_path="/2024/07/blog-post_12.html", target=article, source="blogger:1")
    client.force_login(editor)
    response = client.post(
        f"{LIST}{row.pk}/change/",
        {"old_path": row.old_path, "target_url": "/p/about/"},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.target_url, row.source, row.object_id) == ("/p/about/", EDITOR_SOURCE, None)
    add_redirect(old_path="/2024/07/blog-post_12.html", target=article, source="blogger:1")
    row.refresh_from_db()
    assert row.target_url == "/p/about/"


def test_an_editor_adds_an_old_link_by_its_full_address(client, editor):
    client.force_login(editor)
    response = client.post(
        f"{LIST}add/",
        {
            "old_path": "https://old.example.ma/2019/03/%D9%85%D9%82%D8%A7%D9%84.html?m=1",
            "target_url": "/archive/",
        },
    )
    assert response.status_code == 302
    assert LegacyRedirect.objects.get().old_path == "/2019/03/مقال.html"
    assert client.get("/2019/03/مقال.html")["Location"] == "/archive/"


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("/2024/07/blog-post_12.html", "is itself an old link"),
        ("/old.html", "cannot lead to itself"),
        ("javascript:alert(1)", "starting with /"),
        ("//evil.example/", "starting with /"),
    ],
)
def test_the_form_refuses_a_second_hop_a_loop_or_a_strange_address(client, editor, target, reason):
    add_redirect(old_path="/2024/07/blog-post_12.html", target_url="/archive/")
    client.force_login(editor)
    response = client.post(f"{LIST}add/", {"old_path": "/old.html", "target_url": target})
    assert response.status_code == 200, reason
    assert LegacyRedirect.objects.count() == 1
    assert response.context["adminform"].form.errors["target_url"]


def test_an_old_link_added_later_repoints_the_links_that_led_to_it(client, editor):
    early = add_redirect(old_path="/earlier.html", target_url="/p/later.html")
    client.force_login(editor)
    response = client.post(f"{LIST}add/", {"old_path": "/p/later.html", "target_url": "/archive/"})
    assert response.status_code == 302
    early.refresh_from_db()
    assert early.target_url == "/archive/"
    assert client.get("/earlier.html")["Location"] == "/archive/"


def test_the_import_log_is_read_only_for_editors(client, editor):
    item = ImportedItem.objects.create(
        source="blogger:1", kind=ImportedItem.Kind.ARTICLE, source_id="post-1", object_id=1
    )
    client.force_login(editor)
    assert client.get("/admin/imports/importeditem/").status_code == 200
    assert client.get(f"/admin/imports/importeditem/{item.pk}/change/").status_code == 200
    assert client.get("/admin/imports/importeditem/add/").status_code == 403
    assert client.post(f"/admin/imports/importeditem/{item.pk}/delete/").status_code == 403


def test_the_list_of_old_links_costs_the_same_for_3_or_30_links(client, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import make_page

    def fill(n: int) -> None:
        for i in range(n):
            name = f"{n}-{i}"
            if i % 2:
                target = make_article(title=f"مقال {name}")
            else:
                target = make_page(title=f"صفحة {name}")
            add_redirect(old_path=f"/2024/07/blog-post_{n}_{i}.html", target=target)

    client.force_login(editor)
    fill(3)
    client.get(LIST)
    with CaptureQueriesContext(connection) as small:
        client.get(LIST)
    fill(27)
    with CaptureQueriesContext(connection) as big:
        page = client.get(LIST).content.decode()
    assert "صفحة 27-26" in page and "مقال 27-25" in page
    assert len(big.captured_queries) == len(small.captured_queries)
