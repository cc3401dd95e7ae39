"""The importer: an Arabic Blogger blog's records become articles, pages, comments and links."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from typing import Any

import pytest

from articles.models import Article, Category, Tag
from comments.models import Comment
from imports import importer as importer_module
from imports.importer import Importer
from imports.labels import LabelMapError, parse_label_map
from imports.models import ImportedItem, LegacyRedirect
from imports.records import AttachmentRecord, ImageRecord, SiteRecord, Status
from library.models import MediaImage
from newsroom.text import INVISIBLE_CHARS
from pages.models import Page

from .factories import image_bytes
from .imports_fixtures import POST, FakeExport, arabic_blog, image_folder, image_server, post

pytestmark = pytest.mark.django_db

LABEL_MAP = "\ufefflabel,kind,target slug\nسياسة وطنية,section,politics\nأخبار عاجلة,tag,breaking\n"


def run(items: list[Any] | None = None, **kwargs: Any) -> Any:
    kwargs.setdefault("label_map", parse_label_map(LABEL_MAP))
    export = kwargs.pop("export", None) or FakeExport(items if items is not None else arabic_blog())
    return Importer(export=export, **kwargs).run()


def article(n: int) -> Article:
    item = ImportedItem.objects.get(kind="article", source_id=f"{POST}{n}")
    return Article.objects.get(pk=item.object_id)


def snapshot() -> dict[str, Any]:
    """Everything an import writes, to compare two runs."""
    return {
        "articles": list(Article.objects.order_by("pk").values()),
        "pages": list(Page.objects.order_by("pk").values()),
        "comments": list(Comment.objects.order_by("pk").values()),
        "tags": list(Tag.objects.order_by("pk").values()),
        "categories": list(Category.objects.order_by("pk").values()),
        "items": list(ImportedItem.objects.order_by("pk").values("pk", "content_hash")),
        "redirects": list(LegacyRedirect.objects.order_by("pk").values("old_path", "object_id")),
    }


# --- what comes in -----------------------------------------------------------------------------


def test_posts_become_articles_with_their_states_and_times():
    report = run()
    assert Article.objects.count() == 5  # the trashed post is not imported
    first = article(1)
    assert first.title_ar == "الحكومة تعلن خطة جديدة للنقل"
    assert first.status == Article.Status.PUBLISHED and first.is_published()
    assert first.publish_at == datetime(2024, 7, 2, 9, 0, tzinfo=UTC)  # +01:00 honoured
    assert first.first_published_at == first.publish_at
    assert first.updated_at == first.publish_at  # the source's updated instant is kept
    assert first.summary_ar == "ملخص الخبر الأول"
    assert [a.name for a in first.ordered_authors] == ["سعاد العلوي"]
    assert article(3).status == Article.Status.DRAFT and article(3).publish_at is None
    assert article(6).status == Article.Status.REVIEW
    scheduled = article(4)
    assert scheduled.status == Article.Status.PUBLISHED and not scheduled.is_published()
    assert scheduled.publish_at.year == 2031
    assert report.get("post", "skipped") == 1
    assert report.plan["posts: trashed (skipped)"] == 1
    assert report.plan["posts: scheduled"] == 1
    assert report.get("author", "created") == 1


def test_authors_come_without_email_and_once():
    run()
    assert article(1).authors.get() == article(2).authors.get()
    assert ImportedItem.objects.filter(kind="author").count() == 1


def test_a_page_becomes_a_static_page_kept_out_of_the_footer():
    run()
    page = Page.objects.get(title_ar="من نحن")
    assert page.is_published and not page.show_in_footer
    assert page.slug_ar == "من-نحن"  # Blogger's meaningless blog-page name is not kept
    assert page.body_ar == "<p>صفحة التعريف</p>"


def test_comments_keep_threading_and_moderation_state():
    report = run()
    first = article(1)
    by_number = {
        int(item.source_id.removeprefix(POST)) - 900: Comment.objects.get(pk=item.object_id)
        for item in ImportedItem.objects.filter(kind="comment")
    }
    assert by_number[2].status == Comment.Status.APPROVED and by_number[2].parent is None
    assert by_number[3].status == Comment.Status.PENDING and by_number[3].parent == by_number[2]
    assert by_number[3].email == "reader@example.com"
    # A reply to a reply hangs under the top-level comment (one level of threading).
    assert by_number[4].parent == by_number[2]
    assert by_number[5].status == Comment.Status.SPAM
    assert by_number[6].status == Comment.Status.REMOVED
    assert by_number[2].email == importer_module.NO_EMAIL
    assert by_number[2].body == "تعليق رقم 2"
    assert by_number[2].created_at == datetime(2024, 8, 1, 9, 2, tzinfo=UTC)
    assert by_number[1].article == article(2)  # came before its post in the file
    assert 7 not in by_number and 8 not in by_number  # pingback; comment on a trashed post
    assert report.plan["comments: pingback (skipped)"] == 1
    assert list(Comment.objects.for_article(first)) == [by_number[2], by_number[4]]
    response_text = first.get_absolute_url()
    assert response_text


def test_published_comments_show_on_the_article_page(client):
    run()
    page = client.get(article(1).get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "تعليق رقم 2" in text
    assert "اشتر الآن" not in text  # spam is never published
    assert "تعليق رقم 3" not in text  # pending stays pending


# --- labels --------------------------------------------------------------------------------------


def test_label_map_sends_labels_to_sections_and_tags():
    report = run()
    first = article(1)
    assert first.category.slug == "politics"
    assert first.category.name_ar == "سياسة وطنية"
    assert sorted(t.slug for t in first.tags.all()) == ["breaking"]
    second = article(2)
    assert second.category.slug == "archive" and second.category.name_ar == "أرشيف"
    assert [t.name_ar for t in second.tags.all()] == ["صحة"]  # unmapped label: a new tag
    assert report.labels["سياسة وطنية"] == "section politics (new)"
    assert report.labels["صحة"] == "tag (unmapped) صحة (new)"


def test_no_bidi_or_zero_width_character_reaches_a_slug():
    items = [
        post(
            1, "\u202eعنوان\u200b مقلوب\u2066", labels=["وسم\u200d خفي\u202b"], tags=["\u200fوسم"]
        ),
    ]
    run(items)
    slugs = [*Article.objects.values_list("slug", flat=True)]
    slugs += [*Tag.objects.values_list("slug", flat=True)]
    assert slugs
    for slug in slugs:
        assert not any(char in INVISIBLE_CHARS for char in slug), slug
        assert all(unicodedata.category(char)[0] != "C" for char in slug), slug
    assert Article.objects.get().slug == "عنوان-مقلوب"


def test_label_map_reads_bom_spaces_and_reports_bad_lines():
    mapping = parse_label_map("\ufeffجمال البشرة  و الشعر ,section,beauty\nصحة,tag,health\n")
    assert mapping.get("جمال   البشرة و الشعر").slug == "beauty"
    decomposed = unicodedata.normalize("NFD", "صحة")
    assert mapping.get(decomposed).kind == "tag"
    with pytest.raises(LabelMapError, match="line 2"):
        parse_label_map("a,tag,a\nb,category,b\n")
    with pytest.raises(LabelMapError, match="line 1"):
        parse_label_map("only two,columns\n")


# --- bodies and links --------------------------------------------------------------------------


def test_bodies_are_cleaned_and_internal_links_rewritten():
    report = run()
    body = article(1).body_ar
    assert "style=" not in body and 'name="more"' not in body and "<div" not in body
    assert "&nbsp;" not in body and "<br" not in body
    assert "<p>افتتاحية المدونة</p>" in body
    assert "<strong>ثانية</strong>" in body
    assert f'href="{article(2).get_absolute_url()}"' in body  # ?m=1 link to another post
    second = article(2).body_ar
    # A relative old link to a comment of another post: the post, the comment's anchor kept.
    assert f'href="{article(1).get_absolute_url()}#c42"' in second
    unresolved = {href for _title, href in report.unresolved_links}
    assert "http://www.mdwna.blogspot.com/2019/01/gone.html" in unresolved
    assert "https://mdwna.blogspot.com/p/%D8%B5%D9%81%D8%AD%D8%A9.html" in unresolved
    assert "gone.html" in report.render()


def test_without_download_images_stay_remote_links_and_are_flagged():
    report = run()
    body = article(1).body_ar
    assert "<img" not in body
    assert '<a href="https://1.bp.blogspot.com/-x/s1600/photo.jpg"' in body
    assert "ميناء طنجة" in body  # the alt text stays readable
    assert ("الحكومة تعلن خطة جديدة للنقل", "https://1.bp.blogspot.com/-x/s1600/photo.jpg") in (
        report.remote_images
    )
    assert report.plan["images: remote"] == 3
    assert not article(1).cover_image


# --- images ------------------------------------------------------------------------------------


def test_downloaded_images_are_rehosted_deduplicated_and_the_first_is_the_cover(tmp_path):
    with image_server(image_folder(tmp_path / "site")) as base:
        report = run(arabic_blog(f"{base}/x"), download_images=True)
    assert MediaImage.objects.count() == 1  # the same picture in two posts is stored once
    picture = MediaImage.objects.get()
    first, second = article(1), article(2)
    figure = re.search(r"<figure><img [^>]*></figure>", first.body_ar)
    assert figure and f'data-media-id="{picture.pk}"' in figure.group(0)
    assert 'alt="ميناء طنجة"' in figure.group(0)
    assert f'data-media-id="{picture.pk}"' in second.body_ar
    assert first.cover_image and first.cover_alt_ar == "ميناء طنجة"
    assert first.cover_renditions  # the admin's path: normalised, with renditions
    assert picture.width == 1200  # the full-size file, not the 320 px thumbnail
    failed = [(url, why) for _title, url, why in report.failed_images]
    assert failed == [(f"{base}/x/s1600/missing.jpg", "HTTP 404")]
    assert report.get("image", "failed") == 1
    assert Article.objects.count() == 5  # a failed image never aborts


def test_media_dir_images_are_found_locally(tmp_path):
    media = image_folder(tmp_path / "takeout")
    report = run(media_dir=media)
    assert MediaImage.objects.count() == 1
    assert "data-media-id" in article(1).body_ar
    assert report.plan["images: local"] == 2
    assert report.plan["images: remote"] == 1  # missing.jpg is not there: left remote


def test_public_page_shows_the_rehosted_picture(client, tmp_path):
    run(media_dir=image_folder(tmp_path / "takeout"))
    page = client.get(article(1).get_absolute_url())
    assert page.status_code == 200
    assert "<picture>" in page.content.decode()


# --- redirects ---------------------------------------------------------------------------------


def test_published_items_get_their_old_paths_redirected():
    report = run()
    paths = dict(LegacyRedirect.objects.values_list("old_path", "object_id"))
    assert paths["/2024/07/blog-post_1.html"] == article(1).pk
    assert paths["/p/blog-page.html"] == Page.objects.get().pk
    assert "/2031/01/blog-post.html" not in paths  # scheduled: not public yet
    assert "/search/label/صحة" in paths
    assert ("/2024/07/blog-post_2.html", article(2).get_absolute_url()) in report.redirects


# --- dry run, re-runs, updates -----------------------------------------------------------------


def test_dry_run_writes_nothing_and_counts_what_the_real_run_does():
    plan = run(dry_run=True)
    assert Article.objects.count() == 0 and Comment.objects.count() == 0
    assert ImportedItem.objects.count() == 0 and LegacyRedirect.objects.count() == 0
    assert Category.objects.count() == 0 and Tag.objects.count() == 0
    real = run()
    assert plan.plan == real.plan
    assert plan.outcomes == real.outcomes
    assert plan.labels == real.labels
    assert len(plan.redirects) == len(real.redirects)
    assert "dry run" in plan.render()


def test_a_second_run_changes_nothing(tmp_path):
    media = image_folder(tmp_path / "takeout")
    run(media_dir=media)
    before = snapshot()
    again = run(media_dir=media)
    assert snapshot() == before
    assert again.get("post", "created") == 0 and again.get("comment", "created") == 0
    assert again.get("post", "unchanged") == 5 and again.get("page", "unchanged") == 1


def changed_blog() -> list[Any]:
    items = arabic_blog()
    items[0] = post(1, "عنوان جديد من المصدر", body_html="<p>نص محدث</p>")
    return items


def test_a_changed_source_updates_only_with_update():
    run()
    report = run(changed_blog())
    assert article(1).title_ar == "الحكومة تعلن خطة جديدة للنقل"
    assert report.get("post", "skipped") == 2  # the changed one and the trashed one
    report = run(changed_blog(), update=True)
    assert article(1).title_ar == "عنوان جديد من المصدر"
    assert report.get("post", "updated") == 1
    assert Article.objects.count() == 5


def test_update_never_overwrites_an_editors_change_unless_forced():
    run()
    edited = article(1)
    edited.title_ar = "عنوان المحرر"
    edited.version += 1
    edited.save()
    report = run(changed_blog(), update=True)
    assert article(1).title_ar == "عنوان المحرر"
    assert any("edited here" in warning for warning in report.warnings)
    run(changed_blog(), update=True, force=True)
    assert article(1).title_ar == "عنوان جديد من المصدر"


def test_a_crash_mid_batch_leaves_no_half_imported_article(monkeypatch):
    calls = {"n": 0}
    real_set_tags = Importer._set_tags

    def crash_on_fourth(self: Importer, article: Article, entry: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("disk full")
        real_set_tags(self, article, entry)

    monkeypatch.setattr(Importer, "_set_tags", crash_on_fourth)
    with pytest.raises(RuntimeError):
        run(batch_size=2)
    # Batches of two entries: the first (posts 1, 2) is committed; the second rolled back whole.
    assert Article.objects.count() == 2
    assert ImportedItem.objects.filter(kind="article").count() == 2
    for kept in Article.objects.all():
        assert kept.authors.exists() and kept.tags.exists()
    monkeypatch.undo()
    run(batch_size=2)  # the re-run finishes the job without doubles
    assert Article.objects.count() == 5


# --- the command -------------------------------------------------------------------------------


class Unsupported(Exception):
    pass


def test_drafts_keep_no_publish_time_and_statuses_map():
    run([post(1, "مسودة", status=Status.DRAFT), post(2, "خاص", status=Status.PRIVATE)])
    assert set(Article.objects.values_list("status", flat=True)) == {"draft"}


def test_wordpress_featured_image_tags_and_query_links(tmp_path):
    uploads = tmp_path / "wp-content" / "uploads" / "2020" / "01"
    uploads.mkdir(parents=True)
    (uploads / "cover.jpg").write_bytes(image_bytes(size=(900, 600)))
    entry = post(
        12, "خبر من ووردبريس", old_paths=["/2020/01/%d8%ae%d8%a8%d8%b1/", "/?p=12"],
        labels=["اقتصاد"], tags=["بورصة الدار البيضاء"], slug_hint="خبر-اقتصادي",
        cover=ImageRecord(url="", source_id="55"),
        body_html='<p>نص <a href="https://akhbar.ma/search/label/اقتصاد">القسم</a></p>',
    )  # fmt: skip
    attachment = AttachmentRecord(
        source_id="55", url="https://akhbar.ma/wp-content/uploads/2020/01/cover.jpg"
    )
    site = SiteRecord(format="wxr", base_url="https://akhbar.ma")
    export = FakeExport([entry, attachment], format="wxr", site=site)  # the attachment comes later
    run(export=export, media_dir=tmp_path)
    imported = Article.objects.get()
    assert imported.slug == "خبر-اقتصادي"
    assert imported.cover_image and imported.cover_alt_ar == "خبر من ووردبريس"
    assert sorted(imported.tags.values_list("name_ar", flat=True)) == [
        "اقتصاد", "بورصة الدار البيضاء",
    ]  # fmt: skip
    paths = set(LegacyRedirect.objects.values_list("old_path", flat=True))
    assert {"/2020/01/خبر", "/?p=12"} <= paths  # stored normalised
    tag_url = Tag.objects.get(name_ar="اقتصاد").get_absolute_url()
    assert f'href="{tag_url}"' in imported.body_ar  # a label link follows the old-link table
    assert ImportedItem.objects.filter(source="wxr:akhbar.ma").count() >= 3


def test_dry_run_with_local_images_plans_what_the_real_run_rehosts(tmp_path):
    media = image_folder(tmp_path / "takeout")
    plan = run(dry_run=True, media_dir=media)
    assert MediaImage.objects.count() == 0
    assert not list((tmp_path / "media").rglob("*.jpg"))  # no file written either
    real = run(media_dir=media)
    assert plan.plan == real.plan
    assert plan.plan["images: local"] == 2


def test_one_bad_entry_is_reported_and_the_rest_imported(monkeypatch):
    real_set_tags = Importer._set_tags

    def refuse_the_second(self: Importer, article: Article, entry: Any) -> None:
        if entry.source_id == f"{POST}2":
            raise ValueError("bad data")
        real_set_tags(self, article, entry)

    monkeypatch.setattr(Importer, "_set_tags", refuse_the_second)
    report = run()
    assert report.get("post", "failed") == 1
    assert Article.objects.count() == 4
    assert not ImportedItem.objects.filter(kind="article", source_id=f"{POST}2").exists()
    assert any("bad data" in warning for warning in report.warnings)
