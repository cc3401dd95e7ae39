"""Export readers: each format read from its content into the records the importer consumes.

The fixtures are small Arabic blogs written by hand in each format (see
tests/fixtures/imports/EXPECTED.json for what each holds); hostile and damaged files must be
refused with a message an operator can act on, before anything is imported.
"""

from __future__ import annotations

import io
import json
import shutil
import stat
import time
import tracemalloc
import zipfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from imports.readers import UnsupportedExport, open_export
from imports.records import (
    AttachmentRecord,
    CommentRecord,
    CommentStatus,
    EntryRecord,
    Kind,
    SiteRecord,
    Status,
)

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
EXPECTED = json.loads((FIXTURES / "EXPECTED.json").read_text(encoding="utf-8"))
EXPORTS = ["blogger-classic.xml", "blogger-takeout.atom", "wordpress.xml"]
FEED_MEMBER = "Takeout/Blogger/Blogs/أخبار عربية/feed.atom"
ALBUM_MEMBER = "Takeout/Blogger/Albums/أخبار عربية/washington.jpg"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def read_all(path: Path) -> list:
    export = open_export(path)
    try:
        return list(export.records())
    finally:
        export.close()


def entries(records: list) -> list[EntryRecord]:
    return [r for r in records if isinstance(r, EntryRecord)]


def comments(records: list) -> list[CommentRecord]:
    return [r for r in records if isinstance(r, CommentRecord)]


def by_id(records: list) -> dict[str, object]:
    return {r.source_id: r for r in records if hasattr(r, "source_id")}


def make_takeout_zip(path: Path, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(FIXTURES / "blogger-takeout.atom", FEED_MEMBER)
        archive.writestr("Takeout/archive_browser.html", "<html></html>")
        archive.writestr(ALBUM_MEMBER, JPEG)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


# --- each format yields the right records ---------------------------------------------------


@pytest.mark.parametrize("name", EXPORTS)
def test_each_export_yields_the_expected_counts(name: str) -> None:
    expected = EXPECTED[name]
    export = open_export(FIXTURES / name)
    assert export.format == expected["format"]
    records = list(export.records())

    assert isinstance(records[0], SiteRecord)
    assert records[0].title == "أخبار عربية"
    posts = [e for e in entries(records) if e.kind == Kind.POST]
    statuses = Counter(e.status for e in entries(records))
    comment_statuses = Counter(c.status for c in comments(records))
    assert len(posts) == expected["posts"]
    assert len([e for e in entries(records) if e.kind == Kind.PAGE]) == expected["pages"]
    assert statuses[Status.DRAFT] == expected["drafts"]
    assert statuses[Status.SCHEDULED] == expected["scheduled"]
    assert statuses[Status.TRASHED] == expected["trashed"]
    assert len(comments(records)) == expected["comments"]
    assert comment_statuses[CommentStatus.PENDING] == expected["pending"]
    assert comment_statuses[CommentStatus.SPAM] == expected["spam"]
    assert comment_statuses[CommentStatus.REMOVED] == expected["removed"]
    assert sum(c.is_pingback for c in comments(records)) == expected["pingbacks"]
    assert len([r for r in records if isinstance(r, AttachmentRecord)]) == expected["attachments"]


@pytest.mark.parametrize("name", EXPORTS)
def test_published_items_carry_their_old_paths_and_titles(name: str) -> None:
    published = [
        {"kind": str(e.kind), "title": e.title, "old_paths": e.old_paths}
        for e in entries(read_all(FIXTURES / name))
        if e.status == Status.PUBLISHED
    ]
    assert published == EXPECTED[name]["published"]


@pytest.mark.parametrize("name", EXPORTS)
def test_labels_with_spaces_arrive_whole(name: str) -> None:
    records = entries(read_all(FIXTURES / name))
    labels = {label for e in records for label in e.labels}
    assert labels == set(EXPECTED[name]["labels"])
    assert "جمال البشرة و الشعر" in labels
    tags = {tag for e in records for tag in e.tags}
    assert tags == set(EXPECTED[name].get("tags", []))


@pytest.mark.parametrize("name", EXPORTS)
def test_authors_never_carry_an_email_address(name: str) -> None:
    records = read_all(FIXTURES / name)
    authors = [a for e in entries(records) for a in e.authors]
    assert authors
    for author in authors:
        assert "@" not in author.key and "@" not in author.name
    assert all(c.author_email != "noreply@blogger.com" for c in comments(records))


def test_blogger_classic_keeps_offsets_skips_settings_and_flags_future_posts() -> None:
    export = open_export(FIXTURES / "blogger-classic.xml")
    assert export.site.base_url == "https://arabi-news.blogspot.com"
    assert export.site.time_zone == "Africa/Casablanca"
    records = list(export.records())
    assert len(entries(records)) == 5  # 2 settings entries and the template are not content
    first = by_id(records)["tag:blogger.com,1999:blog-1234567890123456789.post-1001"]
    assert first.published.utcoffset() == timedelta(hours=1)
    assert first.published == datetime(2024, 7, 12, 9, 30, 0, 1000, tzinfo=UTC)
    assert first.updated == datetime(2024, 7, 13, 7, 0, 0, 2000, tzinfo=UTC)
    assert '<a name="more"></a>' in first.body_html  # cleaning is the importer's job
    assert "s1600/washington.jpg" in first.body_html
    scheduled = by_id(records)["tag:blogger.com,1999:blog-1234567890123456789.post-1004"]
    assert scheduled.status == Status.SCHEDULED
    draft = by_id(records)["tag:blogger.com,1999:blog-1234567890123456789.post-1003"]
    assert draft.status == Status.DRAFT and draft.old_paths == []


def test_blogger_classic_threads_replies_through_the_related_link() -> None:
    records = by_id(read_all(FIXTURES / "blogger-classic.xml"))
    prefix = "tag:blogger.com,1999:blog-1234567890123456789.post-"
    assert records[prefix + "3001"].parent_source_id == ""
    assert records[prefix + "3001"].entry_source_id == prefix + "1001"
    assert records[prefix + "3002"].parent_source_id == prefix + "3001"
    assert records[prefix + "3003"].parent_source_id == prefix + "3002"
    assert records[prefix + "3004"].status == CommentStatus.REMOVED
    assert records[prefix + "3005"].entry_source_id == prefix + "1002"


def test_blogger_classic_with_an_undeclared_app_prefix_is_still_read(tmp_path: Path) -> None:
    # Some real backups use <app:control> without declaring the prefix.
    text = (FIXTURES / "blogger-classic.xml").read_text(encoding="utf-8")
    text = text.replace(" xmlns:app='http://purl.org/atom/app#'", "")
    assert "xmlns:app" not in text
    path = tmp_path / "blog-08-02-2024.xml"
    path.write_text(text, encoding="utf-8")
    drafts = [e for e in entries(read_all(path)) if e.status == Status.DRAFT]
    assert [d.title for d in drafts] == ["مسودة: قراءة في ميزانية 2025"]


def test_blogger_takeout_statuses_threads_and_meta_description() -> None:
    records = read_all(FIXTURES / "blogger-takeout.atom")
    ids = by_id(records)
    prefix = "tag:blogger.com,1999:blog-7654321098765432109.post-"
    first = ids[prefix + "5001"]
    assert first.summary == "لقاء في واشنطن حول العلاقات المغربية الأمريكية."
    assert first.published == datetime(2024, 7, 12, 9, 30, 0, 1000, tzinfo=UTC)
    assert ids[prefix + "5005"].status == Status.TRASHED
    assert ids[prefix + "5004"].status == Status.SCHEDULED
    assert ids[prefix + "7002"].parent_source_id == prefix + "7001"  # numeric inReplyTo
    assert ids[prefix + "7003"].parent_source_id == prefix + "7001"  # full id inReplyTo
    assert ids[prefix + "7003"].status == CommentStatus.PENDING
    assert ids[prefix + "7004"].status == CommentStatus.SPAM
    assert ids[prefix + "7004"].entry_source_id == prefix + "5001"


def test_wxr_dates_covers_comments_and_slugs() -> None:
    export = open_export(FIXTURES / "wordpress.xml")
    assert export.site.base_url == "https://oldsite.example"
    records = list(export.records())
    ids = by_id(records)
    post = ids["10"]
    assert post.published == datetime(2024, 7, 12, 9, 30, tzinfo=UTC)  # post_date_gmt
    assert post.slug_hint == "سفير-المغرب-بواشنطن"
    # the attachment comes after the post in the file, its URL is known all the same
    assert post.cover.source_id == "50"
    assert post.cover.url == "https://oldsite.example/wp-content/uploads/2024/07/washington.jpg"
    assert ids["50"].url == "https://oldsite.example/wp-content/uploads/2024/07/washington.jpg"
    assert post.authors[0].key == "karim" and post.authors[0].name == "كريم العلوي"
    assert post.summary.startswith("لقاء في واشنطن")
    assert (
        ids["11"].old_paths[0]
        == "/2024/07/20/%d8%ac%d9%85%d8%a7%d9%84-%d8%a7%d9%84%d8%a8%d8%b4%d8%b1%d8%a9/"
    )
    assert ids["12"].status == Status.DRAFT and ids["12"].published is None  # 0000-00-00
    assert ids["13"].status == Status.SCHEDULED
    assert ids["13"].published == datetime(2031, 3, 1, 8, 0, tzinfo=UTC)
    assert ids["102"].parent_source_id == "101" and ids["102"].entry_source_id == "10"
    assert ids["103"].status == CommentStatus.PENDING
    assert ids["104"].status == CommentStatus.REMOVED
    assert ids["105"].is_pingback
    assert "30" not in ids  # the menu item is not content
    assert all("oldsite.example" not in a.key for e in entries(records) for a in e.authors)


def test_wxr_gmt_zero_date_on_a_published_post_uses_the_site_offset(tmp_path: Path) -> None:
    text = (FIXTURES / "wordpress.xml").read_text(encoding="utf-8")
    text = text.replace(
        "<wp:post_date_gmt><![CDATA[2023-01-05 11:00:00]]>",
        "<wp:post_date_gmt><![CDATA[0000-00-00 00:00:00]]>",
    )
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    page = by_id(read_all(path))["20"]
    # post_date 12:00 in the site's zone, learnt (+01:00) from the items before it
    assert page.published == datetime(2023, 1, 5, 11, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "namespace", ["http://wordpress.org/export/1.0/", "http://wordpress.org/export/1.1/"]
)
def test_wxr_older_versions_and_http_namespaces_are_read(tmp_path: Path, namespace: str) -> None:
    text = (FIXTURES / "wordpress.xml").read_text(encoding="utf-8")
    text = text.replace("https://wordpress.org/export/1.2/", namespace)
    path = tmp_path / "wordpress.2024-08-02.xml"
    path.write_text(text, encoding="utf-8")
    export = open_export(path)
    assert export.format == "wxr"
    records = list(export.records())
    assert len(entries(records)) == 6
    assert by_id(records)["10"].summary.startswith("لقاء")


def test_invisible_characters_never_reach_a_slug_hint(tmp_path: Path) -> None:
    text = (FIXTURES / "wordpress.xml").read_text(encoding="utf-8")
    text = text.replace(
        "<wp:post_name><![CDATA[%d8%ac%d9%85",
        "<wp:post_name><![CDATA[%e2%80%8f%e2%80%8b%d8%ac%d9%85",
    )
    path = tmp_path / "wordpress.xml"
    path.write_text(text, encoding="utf-8")
    post = by_id(read_all(path))["11"]
    assert post.slug_hint == "جمال-البشرة"
    assert "\u200f" in post.title  # titles are kept as written; the slug never sees it


def test_a_password_protected_wordpress_post_does_not_become_public(tmp_path: Path) -> None:
    text = (FIXTURES / "wordpress.xml").read_text(encoding="utf-8")
    marker = "<wp:post_id>11</wp:post_id>"
    head, tail = text.split(marker)
    tail = tail.replace("<wp:post_password><![CDATA[]]>", "<wp:post_password><![CDATA[sirr]]>", 1)
    path = tmp_path / "wordpress.xml"
    path.write_text(head + marker + tail, encoding="utf-8")
    assert by_id(read_all(path))["11"].status == Status.PRIVATE


def test_records_stream_only_once() -> None:
    export = open_export(FIXTURES / "wordpress.xml")
    list(export.records())
    with pytest.raises(RuntimeError):
        export.records()


# --- detection by content -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "disguise"),
    [
        ("blogger-classic.xml", "photo.png"),
        ("blogger-takeout.atom", "backup.xml"),
        ("wordpress.xml", "feed.atom"),
    ],
)
def test_format_is_detected_from_content_not_name(tmp_path: Path, name: str, disguise: str) -> None:
    path = tmp_path / disguise
    shutil.copy(FIXTURES / name, path)
    assert open_export(path).format == EXPECTED[name]["format"]


def test_a_takeout_zip_under_any_name_is_detected(tmp_path: Path) -> None:
    path = make_takeout_zip(tmp_path / "takeout-20260101T000000Z-001.xml")
    with open_export(path) as export:
        assert export.format == "blogger-takeout"
        assert len(entries(list(export.records()))) == 6


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "PNG"),
        ("مرحبا، هذا ملف نصي وليس تصديرا.\n".encode(), "neither XML nor a ZIP"),
        (b"", "neither XML nor a ZIP"),
        (b"<?xml version='1.0'?><html><body>hi</body></html>", "<html>"),
        (
            b"<feed xmlns='http://www.w3.org/2005/Atom'><id>urn:x</id><title>t</title></feed>",
            "not a Blogger export",
        ),
    ],
)
def test_other_files_are_refused_with_a_clear_message(
    tmp_path: Path, content: bytes, needle: str
) -> None:
    path = tmp_path / "export.xml"
    path.write_bytes(content)
    with pytest.raises(UnsupportedExport, match=needle):
        open_export(path)


def test_an_rss_feed_is_not_a_wordpress_export() -> None:
    with pytest.raises(UnsupportedExport, match="not a WordPress export"):
        open_export(FIXTURES / "not-an-export.xml")


def test_a_zip_without_a_blogger_feed_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Takeout/Photos/a.jpg", JPEG)
    with pytest.raises(UnsupportedExport, match="feed.atom"):
        open_export(path)


# --- hostile and damaged files --------------------------------------------------------------


@pytest.mark.parametrize("name", ["billion-laughs.xml", "xxe.xml"])
def test_entity_attacks_are_refused_quickly(name: str) -> None:
    started = time.monotonic()
    with pytest.raises(UnsupportedExport, match="entities are not allowed"):
        open_export(FIXTURES / name)
    assert time.monotonic() - started < 1


def test_any_dtd_is_refused(tmp_path: Path) -> None:
    text = (FIXTURES / "wordpress.xml").read_text(encoding="utf-8")
    text = text.replace('<rss version="2.0"', '<!DOCTYPE rss>\n<rss version="2.0"', 1)
    path = tmp_path / "wordpress.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UnsupportedExport, match="entities are not allowed"):
        open_export(path)


def test_an_entity_declared_after_a_valid_head_is_refused(tmp_path: Path) -> None:
    # A DTD can only come before the root, but an external entity reference must never be
    # fetched wherever it hides: the whole file is checked before any record is read.
    path = tmp_path / "x.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY e SYSTEM "http://attacker.example/">]>'
        '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>&e;</title>'
        "</channel></rss>",
        encoding="utf-8",
    )
    with pytest.raises(UnsupportedExport, match="entities are not allowed"):
        open_export(path)


def test_a_truncated_file_is_refused_with_its_line_number() -> None:
    with pytest.raises(UnsupportedExport, match=r"not well-formed XML \(line 8, column \d+"):
        open_export(FIXTURES / "malformed.xml")


def test_damage_deep_in_a_file_is_refused_before_any_record(tmp_path: Path) -> None:
    text = (FIXTURES / "wordpress.xml").read_text(encoding="utf-8")
    text = text.replace("<wp:post_id>20</wp:post_id>", "<wp:post_id>20</wp:post_idd>")
    path = tmp_path / "wordpress.xml"
    path.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "</wp:post_idd>" in row)
    with pytest.raises(UnsupportedExport, match=f"line {line}"):
        open_export(path)


# --- Takeout ZIPs ---------------------------------------------------------------------------


def test_takeout_zip_streams_the_feed_and_extracts_images(tmp_path: Path) -> None:
    path = make_takeout_zip(tmp_path / "takeout.zip")
    export = open_export(path)
    assert export.format == "blogger-takeout"
    assert export.media_root is not None
    image = export.media_root / ALBUM_MEMBER
    assert image.read_bytes() == JPEG
    assert not (export.media_root / "Takeout" / "archive_browser.html").exists()
    assert not list(export.media_root.rglob("feed.atom"))  # the feed stays in the archive
    records = list(export.records())
    assert len(comments(records)) == EXPECTED["blogger-takeout.atom"]["comments"]
    export.close()
    assert not export.media_root.exists()


@pytest.mark.parametrize(
    "member",
    ["../evil.jpg", "/abs/evil.jpg", "Takeout/../../evil.jpg", "C:/evil.jpg", "..\\evil.jpg"],
)
def test_zip_members_escaping_the_folder_are_refused(tmp_path: Path, member: str) -> None:
    path = make_takeout_zip(tmp_path / "takeout.zip", {member: JPEG})
    with pytest.raises(UnsupportedExport, match="archive member") as caught:
        open_export(path)
    assert repr(member) in str(caught.value)
    assert not (tmp_path / "evil.jpg").exists()


def test_zip_symlink_members_are_refused(tmp_path: Path) -> None:
    path = make_takeout_zip(tmp_path / "takeout.zip")
    with zipfile.ZipFile(path, "a") as archive:
        info = zipfile.ZipInfo("Takeout/Blogger/Albums/link.jpg")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    with pytest.raises(UnsupportedExport, match="symbolic link"):
        open_export(path)


def test_a_hostile_feed_inside_a_zip_is_refused_and_leaves_no_files(tmp_path: Path) -> None:
    path = tmp_path / "takeout.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(FIXTURES / "xxe.xml", FEED_MEMBER)
        archive.writestr(ALBUM_MEMBER, JPEG)
    before = set(Path(__import__("tempfile").gettempdir()).glob("import-media-*"))
    with pytest.raises(UnsupportedExport, match="entities are not allowed"):
        open_export(path)
    after = set(Path(__import__("tempfile").gettempdir()).glob("import-media-*"))
    assert after == before


# --- a large export streams in bounded memory -----------------------------------------------


def write_large_wxr(path: Path, target_bytes: int) -> int:
    body = "<p>" + ("نص عربي طويل لمقال مستورد من ووردبريس " * 200) + "</p>"
    head = (FIXTURES / "wordpress.xml").read_text(encoding="utf-8").split("<item>", 1)[0]
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(head)
        while out.tell() < target_bytes:
            count += 1
            out.write(
                f"<item><title><![CDATA[مقال رقم {count}]]></title>"
                f"<link>https://oldsite.example/?p={count}</link>"
                f"<dc:creator><![CDATA[karim]]></dc:creator>"
                f"<content:encoded><![CDATA[{body}]]></content:encoded>"
                f"<wp:post_id>{count}</wp:post_id>"
                "<wp:post_date><![CDATA[2024-07-12 10:30:00]]></wp:post_date>"
                "<wp:post_date_gmt><![CDATA[2024-07-12 09:30:00]]></wp:post_date_gmt>"
                "<wp:status><![CDATA[publish]]></wp:status>"
                "<wp:post_type><![CDATA[post]]></wp:post_type>"
                '<category domain="category" nicename="x"><![CDATA[الشأن الدولي]]></category>'
                "<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content>"
                "<![CDATA[تعليق]]></wp:comment_content><wp:comment_approved>1"
                "</wp:comment_approved></wp:comment></item>\n"
            )
        out.write("</channel></rss>\n")
    return count


def test_a_large_wxr_streams_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "large.xml"
    count = write_large_wxr(path, 20 * 1024 * 1024)
    tracemalloc.start()
    try:
        export = open_export(path)
        seen = sum(1 for record in export.records() if isinstance(record, EntryRecord))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == count
    # Keeping the items read so far would cost more than the file itself (20 MB).
    assert peak < 15 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB for a 20 MB file"


def test_a_disguised_zip_named_like_xml_with_a_bad_member_name(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../" + FEED_MEMBER, (FIXTURES / "blogger-takeout.atom").read_bytes())
    path = tmp_path / "blog.xml"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(UnsupportedExport, match=r"'\.\.' in its path"):
        open_export(path)
