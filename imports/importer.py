"""Turn the records of an export into articles, pages, comments, pictures and old links.

Decisions worth knowing:

- Idempotency is keyed on the source's own ids (ImportedItem), never on titles: two posts
  may share a title, and a re-run must find what the first run created even after an
  editor renamed it. A record's content hash tells a change at the source from none.
- `--update` rewrites an item only if nobody changed it here since the import (its version
  and its `updated_at` are still what the import left); `force` overrides that.
- The source's `updated` instant is kept as `Article.updated_at` (a queryset update after the
  save, since the field is auto_now): readers and search engines see when the text last
  changed at the source, and an editor's later save moves it past the import's mark, which is
  how `--update` recognises an edited article.
- Entries are written in batches, one transaction each: a crash loses at most the batch in
  progress and never leaves an article without its tags, authors or comments. A dry run is
  the same work inside one transaction that is rolled back, so its counts are the real
  run's; it fetches no image (and writes no file), it only says what it would fetch.
- Links between imported posts are rewritten in a second pass, once every post has its new
  URL; comments whose post or parent comes later in the file wait for the end.
- Imported comments bypass the reader-facing defences (rate limits, blocklist, notifications):
  they were moderated at the source, and their state is kept. The model requires an e-mail
  address; a comment exported without one gets `NO_EMAIL`, a reserved `.invalid` address that
  can never receive mail nor match a reader's address.
- Pingbacks and trackbacks are skipped and counted: they are not conversation, and most are spam.
- Imported pages are not put in the footer: the old blog's pages are many and the footer is
  the editors' choice.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html as html_lib
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urljoin, urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.html import escape, strip_tags
from tqdm import tqdm

from articles.images import process_cover
from articles.models import Article, ArticleAuthor, Author, Category, Tag, unicode_slug
from comments.models import Comment
from newsroom.text import strip_invisible
from pages.models import Page

from . import bodies, images, redirects
from .labels import SECTION, LabelMap, label_key
from .models import ImportedItem
from .records import (
    AttachmentRecord,
    CommentRecord,
    CommentStatus,
    EntryRecord,
    ImageRecord,
    Kind,
    SiteRecord,
    Status,
)
from .report import Report

DEFAULT_SECTION_NAME = "أرشيف"
DEFAULT_SECTION_SLUG = "archive"
UNTITLED = "بدون عنوان"
ANONYMOUS = "مجهول"
NO_EMAIL = "no-email@import.invalid"
BATCH_SIZE = 100
SUMMARY_LENGTH = 300
# Blogger names an Arabic post `blog-post_12.html`: such a name says nothing, the title will.
_MEANINGLESS_SLUG = re.compile(r"(?:blog-(?:post|page)(?:_\d+)?|\d+(?:-\d+)*)")
_COMMENT_STATUS = {
    CommentStatus.APPROVED: Comment.Status.APPROVED,
    CommentStatus.PENDING: Comment.Status.PENDING,
    CommentStatus.SPAM: Comment.Status.SPAM,
    CommentStatus.REMOVED: Comment.Status.REMOVED,
}
# Data problems with one item: reported, the import goes on. Anything else is a crash.
ITEM_ERRORS = (ValidationError, DatabaseError, ValueError, OSError)


class _Rollback(Exception):
    """Raised at the end of a dry run to undo everything it wrote."""


def content_hash(record: Any) -> str:
    data = json.dumps(dataclasses.asdict(record), default=str, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def trim_words(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.،؛:") + "…"


def plain_text(html: str) -> str:
    return strip_invisible(html_lib.unescape(strip_tags(html or ""))).strip()


def safe_slug(text: str) -> str:
    """A unicode slug with no bidi or zero-width control left in it."""
    return unicode_slug(strip_invisible(html_lib.unescape(text or "")))


class Importer:
    def __init__(
        self,
        *,
        export: Any,
        label_map: LabelMap | None = None,
        media_dir: Path | str | None = None,
        download_images: bool = False,
        update: bool = False,
        dry_run: bool = False,
        old_hosts: list[str] | None = None,
        stdout: TextIO | None = None,
        force: bool = False,
        progress: bool = False,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self.export = export
        self.label_map = label_map or LabelMap()
        self.update = update
        self.force = force
        self.dry_run = dry_run
        self.stdout = stdout or sys.stdout
        self.progress = progress
        self.batch_size = max(1, batch_size)
        site: SiteRecord = export.site
        self.site = site
        self.source = f"{export.format}:{self._site_key(site)}"[:200]
        base_host = urlsplit(site.base_url).hostname if site.base_url else None
        self.hosts = [h for h in [*(old_hosts or []), base_host] if h]
        self.images = images.ImageSource(
            folders=[media_dir, getattr(export, "media_root", None)], download=download_images
        )
        self.report = Report(dry_run=dry_run, source=self.source)
        # What this run knows, kept small: old path -> new URL, source ids -> pks.
        self._new_url_by_path: dict[str, str] = {}
        self._articles: dict[str, int] = {}  # entry source id -> article pk
        self._comments: dict[str, tuple[int, int]] = {}  # source id -> (pk, top-level pk)
        self._attachments: dict[str, str] = {}  # attachment source id -> url
        self._touched: list[int] = []  # articles created or updated: their links get rewritten
        self._pending_covers: list[tuple[int, ImageRecord, str]] = []
        self._waiting_comments: list[CommentRecord] = []
        self._label_targets: dict[str, str] = {}
        self._image_cache: dict[str, Any] = {}

    @staticmethod
    def _site_key(site: SiteRecord) -> str:
        if site.base_url:
            parts = urlsplit(site.base_url)
            return (parts.hostname or "") + parts.path.rstrip("/")
        return site.title or "site"

    # --- running ---------------------------------------------------------------------------

    def run(self) -> Report:
        with translation.override("ar"):
            if self.dry_run:
                try:
                    with transaction.atomic():
                        self._run()
                        raise _Rollback
                except _Rollback:
                    pass
            else:
                self._run()
        return self.report

    def _bar(self, description: str, total: int | None = None) -> tqdm:
        return tqdm(
            total=total,
            desc=description,
            unit="item",
            disable=not self.progress,
            file=sys.stderr,
            leave=False,
        )

    def _run(self) -> None:
        records = self.export.records()
        bar = self._bar("entries")
        for batch in self._batches(records):
            with transaction.atomic():
                for record in batch:
                    self._one(record)
            bar.update(len(batch))
        bar.close()
        with transaction.atomic():
            self._late_comments()
            self._late_covers()
            self._rewrite_links()
            self._site_redirects()

    def _batches(self, records: Iterator[Any]) -> Iterator[list[Any]]:
        batch: list[Any] = []
        entries = 0
        for record in records:
            if isinstance(record, SiteRecord):
                continue
            batch.append(record)
            entries += isinstance(record, EntryRecord)
            if entries >= self.batch_size:
                yield batch
                batch, entries = [], 0
        if batch:
            yield batch

    def _one(self, record: Any) -> None:
        if isinstance(record, EntryRecord):
            self._entry(record)
        elif isinstance(record, CommentRecord):
            self._count_comment_plan(record)
            if not self._comment(record, final=False):
                self._waiting_comments.append(record)
        elif isinstance(record, AttachmentRecord):
            self._attachments[record.source_id] = record.url

    def _item(self, kind: str, source_id: str) -> ImportedItem | None:
        return ImportedItem.objects.filter(
            source=self.source, kind=kind, source_id=source_id[:500]
        ).first()

    def _remember(
        self, kind: str, source_id: str, obj: Any, digest: str = "", version: int | None = None
    ) -> None:
        ImportedItem.objects.update_or_create(
            source=self.source,
            kind=kind,
            source_id=source_id[:500],
            defaults={"object_id": obj.pk, "content_hash": digest, "imported_version": version},
        )

    # --- entries ---------------------------------------------------------------------------

    def _count_entry_plan(self, entry: EntryRecord) -> None:
        kind = "posts" if entry.kind == Kind.POST else "pages"
        if entry.status == Status.TRASHED:
            self.report.plan[f"{kind}: trashed (skipped)"] += 1
        elif entry.status in {Status.PUBLISHED, Status.SCHEDULED}:
            future = entry.published is not None and entry.published > timezone.now()
            live = "scheduled" if future or entry.status == Status.SCHEDULED else "published"
            self.report.plan[f"{kind}: {live}"] += 1
        elif entry.status == Status.PENDING:
            self.report.plan[f"{kind}: pending review"] += 1
        else:
            self.report.plan[f"{kind}: draft"] += 1

    def _entry(self, entry: EntryRecord) -> None:
        self._count_entry_plan(entry)
        kind_name = "post" if entry.kind == Kind.POST else "page"
        if entry.status == Status.TRASHED:
            self.report.count(kind_name, "skipped")
            return
        item_kind = ImportedItem.Kind.ARTICLE if entry.kind == Kind.POST else ImportedItem.Kind.PAGE
        digest = content_hash(entry)
        item = self._item(item_kind, entry.source_id)
        model = Article if entry.kind == Kind.POST else Page
        obj = model.objects.filter(pk=item.object_id).first() if item is not None else None
        if item is not None and obj is None:
            self.report.warn(f"{entry.title!r}: deleted here after the import, not imported again")
            self.report.count(kind_name, "skipped")
            return
        if obj is not None:
            self._known(entry, obj)
            if item.content_hash == digest:
                self.report.count(kind_name, "unchanged")
                return
            if not self.update:
                self.report.warn(f"{entry.title!r}: changed at the source; --update to take it")
                self.report.count(kind_name, "skipped")
                return
            if self._edited_here(obj, item) and not self.force:
                self.report.warn(
                    f"{entry.title!r}: edited here after the import, kept (--force to overwrite)"
                )
                self.report.count(kind_name, "skipped")
                return
        try:
            with transaction.atomic():
                if entry.kind == Kind.POST:
                    obj = self._save_article(entry, obj)
                else:
                    obj = self._save_page(entry, obj)
                version = getattr(obj, "version", None)
                self._remember(item_kind, entry.source_id, obj, digest, version)
                self._add_redirects(entry, obj)
        except ITEM_ERRORS as exc:
            self.report.warn(f"{entry.title!r}: not imported ({exc})")
            self.report.count(kind_name, "failed")
            return
        self.report.count(kind_name, "updated" if item is not None else "created")
        self._known(entry, obj)

    def _known(self, entry: EntryRecord, obj: Any) -> None:
        url = obj.get_absolute_url()
        for path in entry.old_paths:
            self._new_url_by_path[redirects.normalise_path(path)] = url
        if isinstance(obj, Article):
            self._articles[entry.source_id] = obj.pk

    @staticmethod
    def _edited_here(obj: Any, item: ImportedItem) -> bool:
        if isinstance(obj, Article) and item.imported_version is not None:
            if obj.version != item.imported_version:
                return True
        return obj.updated_at > item.updated_at

    def _title(self, entry: EntryRecord) -> str:
        title = " ".join(strip_invisible(html_lib.unescape(entry.title or "")).split())
        return title[:200] or UNTITLED

    def _slug(self, entry: EntryRecord, title: str) -> str:
        hint = safe_slug(entry.slug_hint)
        if hint and not _MEANINGLESS_SLUG.fullmatch(hint):
            return hint
        return safe_slug(title) or hint or "item"

    def _save_article(self, entry: EntryRecord, article: Article | None) -> Article:
        title = self._title(entry)
        creating = article is None
        article = article or Article()
        article.title_ar = title
        article.slug_ar = self._slug(entry, title)
        article.summary_ar = trim_words(plain_text(entry.summary), SUMMARY_LENGTH)
        article.category = self._category(entry.labels)
        article.comments_enabled = entry.comments_open
        now = timezone.now()
        if entry.status in {Status.PUBLISHED, Status.SCHEDULED}:
            article.status = Article.Status.PUBLISHED
            article.publish_at = entry.published or now
            article.first_published_at = article.publish_at
        else:
            pending = entry.status == Status.PENDING
            article.status = Article.Status.REVIEW if pending else Article.Status.DRAFT
            article.publish_at = None
        body, cover = self._body(entry, title)
        article.body_ar = body
        article.save()
        if entry.cover is not None:
            cover = self._cover_from_record(entry.cover, title) or cover
            if cover is None and article.pk:
                self._pending_covers.append((article.pk, entry.cover, title))
        if cover is not None and not article.cover_image:
            self._set_cover(article, *cover, title=title)
        self._set_tags(article, entry)
        self._set_authors(article, entry)
        stamps = {}
        if entry.updated is not None:
            stamps["updated_at"] = entry.updated
        if creating and entry.published is not None:
            stamps["created_at"] = entry.published
        if stamps:
            Article.objects.filter(pk=article.pk).update(**stamps)
            for name, value in stamps.items():
                setattr(article, name, value)
        self._touched.append(article.pk)
        return article

    def _save_page(self, entry: EntryRecord, page: Page | None) -> Page:
        title = self._title(entry)
        creating = page is None
        page = page or Page(show_in_footer=False)
        page.title_ar = title
        if creating:
            page.slug_ar = self._unique_page_slug(self._slug(entry, title))
        page.is_published = entry.status == Status.PUBLISHED and (
            entry.published is None or entry.published <= timezone.now()
        )
        page.body_ar, _cover = self._body(entry, title)
        page.save()
        return page

    @staticmethod
    def _unique_page_slug(base: str) -> str:
        base = base[:190]
        slug, n = base, 1
        while Page.objects.filter(Q(slug=slug) | Q(slug_ar=slug)).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    # --- labels ----------------------------------------------------------------------------

    def _category(self, labels: list[str]) -> Category:
        for label in labels:
            target = self.label_map.get(label)
            if target is not None and target.kind == SECTION:
                return self._section(target.slug, label_key(label), label)
        return self._section(DEFAULT_SECTION_SLUG, DEFAULT_SECTION_NAME, None)

    def _section(self, slug: str, name: str, label: str | None) -> Category:
        category = Category.objects.filter(Q(slug=slug) | Q(slug_ar=slug)).first()
        created = category is None
        if created:
            category = Category.objects.create(name_ar=name[:100], slug_ar=slug)
            self._remember(ImportedItem.Kind.CATEGORY, slug, category)
            self.report.count("section", "created")
        if label is not None:
            self._note_label(label, f"section {slug}", category, created)
        return category

    def _tag(self, slug: str, name: str, label: str, how: str) -> Tag | None:
        if not slug:
            self.report.warn(f"label {label!r} makes no slug: left out")
            return None
        tag = Tag.objects.filter(Q(slug=slug) | Q(slug_ar=slug)).first()
        created = tag is None
        if created:
            tag = Tag.objects.create(name_ar=name[:100], slug_ar=slug)
            self._remember(ImportedItem.Kind.TAG, slug, tag)
            self.report.count("tag", "created")
        self._note_label(label, f"{how} {slug}", tag, created)
        return tag

    def _note_label(self, label: str, target: str, obj: Any, created: bool) -> None:
        key = label_key(label)
        if key not in self.report.labels:
            self.report.labels[key] = target + (" (new)" if created else "")
        self._label_targets.setdefault(key, obj.get_absolute_url())

    def _set_tags(self, article: Article, entry: EntryRecord) -> None:
        tags: list[Tag] = []
        for label in entry.labels:
            target = self.label_map.get(label)
            name = label_key(label)
            if target is None:
                tag = self._tag(safe_slug(name)[:120], name, label, "tag (unmapped)")
            elif target.kind == SECTION:
                continue
            else:
                tag = self._tag(target.slug, name, label, "tag")
            if tag is not None:
                tags.append(tag)
        for name in entry.tags:
            tag = self._tag(safe_slug(label_key(name))[:120], label_key(name), name, "tag")
            if tag is not None:
                tags.append(tag)
        article.tags.set(tags)

    def _set_authors(self, article: Article, entry: EntryRecord) -> None:
        ArticleAuthor.objects.filter(article=article).delete()
        seen: set[int] = set()
        for order, record in enumerate(entry.authors):
            author = self._author(record)
            if author is not None and author.pk not in seen:
                seen.add(author.pk)
                ArticleAuthor.objects.create(article=article, author=author, order=order)

    def _author(self, record: Any) -> Author | None:
        item = self._item(ImportedItem.Kind.AUTHOR, record.key)
        if item is not None:
            author = Author.objects.filter(pk=item.object_id).first()
            if author is not None:
                return author
        name = " ".join(strip_invisible(record.name or "").split())[:120]
        if not name:
            return None
        base = safe_slug(name)[:130] or "author"
        slug, n = base, 1
        while Author.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        author = Author.objects.create(name_ar=name, slug=slug)
        self._remember(ImportedItem.Kind.AUTHOR, record.key, author)
        self.report.count("author", "created")
        return author

    # --- bodies and images -----------------------------------------------------------------

    def _absolute(self, url: str) -> str:
        if self.site.base_url and not urlsplit(url).scheme and not url.startswith("//"):
            return urljoin(self.site.base_url, url)
        return "https:" + url if url.startswith("//") else url

    def _body(self, entry: EntryRecord, title: str) -> tuple[str, tuple[bytes, str, str] | None]:
        """The cleaned body, and the first re-hosted picture (bytes, file name, alt)."""
        cover: list[tuple[bytes, str, str]] = []

        def replace(found: images.FoundImage) -> str:
            url = self._absolute(found.url)
            alt = " ".join(strip_invisible(found.alt).split())
            plan = self.images.plan(url)
            self.report.plan[f"images: {plan}"] += 1
            if plan == images.REMOTE:
                self.report.remote_images.append((title, url))
                return f'<p><a href="{escape(url)}">{escape(alt or url)}</a></p>'
            if self.dry_run:
                return f'<p><a href="{escape(url)}">{escape(alt or url)}</a></p>'
            picture = self._picture(url, alt, title)
            if picture is None:
                return f'<p><a href="{escape(url)}">{escape(alt or url)}</a></p>'
            media, data = picture
            if not cover:
                cover.append((data, images.filename_of(url), alt))
            return self._figure(media, alt)

        raw = bodies.strip_noise(entry.body_html)
        body = bodies.finish(images.replace_images(raw, replace))
        return body, (cover[0] if cover else None)

    def _picture(self, url: str, alt: str, title: str) -> tuple[Any, bytes] | None:
        from library.services import image_add

        if url in self._image_cache:
            return self._image_cache[url]
        result = None
        try:
            data = self.images.fetch(url)
            with transaction.atomic():
                existing = self._item(ImportedItem.Kind.IMAGE, url)
                media = image_add(data=data, filename=images.filename_of(url), alt=alt)
                self._remember(ImportedItem.Kind.IMAGE, url, media)
            self.report.count("image", "unchanged" if existing else "created")
            result = (media, data)
        except images.ImageFailed as exc:
            self.report.failed_images.append((title, url, str(exc)))
            self.report.count("image", "failed")
        except ValidationError as exc:
            self.report.failed_images.append((title, url, "; ".join(exc.messages)))
            self.report.count("image", "failed")
        self._image_cache[url] = result
        return result

    @staticmethod
    def _figure(media: Any, alt: str) -> str:
        from library.admin import image_payload

        shown = image_payload(media)
        return (
            f'<figure><img src="{escape(shown["src"])}" alt="{escape(alt or shown["alt"])}" '
            f'width="{shown["width"]}" height="{shown["height"]}" data-media-id="{media.pk}">'
            "</figure>"
        )

    def _cover_from_record(self, record: ImageRecord, title: str) -> tuple[bytes, str, str] | None:
        url = record.url or self._attachments.get(record.source_id, "")
        if not url:
            return None
        url = self._absolute(images.full_size_url(url))
        plan = self.images.plan(url)
        self.report.plan[f"images: {plan}"] += 1
        if plan == images.REMOTE:
            self.report.remote_images.append((title, url))
            return None
        if self.dry_run:
            return None
        picture = self._picture(url, record.alt, title)
        if picture is None:
            return None
        return picture[1], images.filename_of(url), record.alt

    def _set_cover(
        self, article: Article, data: bytes, filename: str, alt: str, *, title: str
    ) -> None:
        """The same path as the admin: store the upload, then normalise it and its renditions."""
        article.cover_alt_ar = (alt or title)[:250]
        article.cover_image.save(filename or "cover.jpg", ContentFile(data), save=False)
        article.save()
        process_cover(article)

    def _late_covers(self) -> None:
        for pk, record, title in self._pending_covers:
            if not record.url and record.source_id not in self._attachments:
                self.report.warn(f"{title!r}: featured image {record.source_id} not in the file")
                continue
            cover = self._cover_from_record(record, title)
            article = Article.objects.filter(pk=pk).first()
            if cover is not None and article is not None and not article.cover_image:
                # Not an edit: keep the updated time the import gave, which --update compares.
                updated_at = article.updated_at
                self._set_cover(article, *cover, title=title)
                Article.objects.filter(pk=pk).update(updated_at=updated_at)

    # --- links -----------------------------------------------------------------------------

    def _rewrite_links(self) -> None:
        bar = self._bar("links", total=len(self._touched))
        for pk in self._touched:
            bar.update(1)
            article = Article.objects.filter(pk=pk).only("pk", "title_ar", "body_ar").first()
            if article is None or "<a" not in (article.body_ar or ""):
                continue
            body, unresolved = bodies.rewrite_links(
                article.body_ar, self._resolve, [*self.hosts, *self._link_hosts()]
            )
            self.report.unresolved_links += [(article.title_ar, href) for href in unresolved]
            if body != article.body_ar:
                article.body_ar = body
                article.save(update_fields=["body_ar"])
        bar.close()

    def _link_hosts(self) -> list[str]:
        return [urlsplit(self.site.base_url).hostname or ""] if self.site.base_url else []

    def _resolve(self, path: str) -> str | None:
        return self._new_url_by_path.get(redirects.normalise_path(path))

    # --- redirects -------------------------------------------------------------------------

    def _add_redirects(self, entry: EntryRecord, obj: Any) -> None:
        live = (
            obj.is_published() if isinstance(obj, Article) else getattr(obj, "is_published", False)
        )
        if not live:
            return
        url = obj.get_absolute_url()
        for path in entry.old_paths:
            redirects.add_redirect(old_path=path, target=obj, source=self.source)
            self.report.redirects.append((redirects.normalise_path(path), url))

    def _site_redirects(self) -> None:
        if self._label_targets:
            redirects.site_redirects(source=self.source, label_targets=dict(self._label_targets))

    # --- comments --------------------------------------------------------------------------

    def _count_comment_plan(self, record: CommentRecord) -> None:
        state = "pingback (skipped)" if record.is_pingback else record.status.value
        self.report.plan[f"comments: {state}"] += 1

    def _comment(self, record: CommentRecord, *, final: bool) -> bool:
        """Import one comment; False when its post or parent is not known yet (try later)."""
        if record.is_pingback:
            self.report.count("comment", "skipped")
            return True
        if self._item(ImportedItem.Kind.COMMENT, record.source_id) is not None:
            self.report.count("comment", "unchanged")
            return True
        article_pk = self._articles.get(record.entry_source_id)
        parent = self._comment_ref(record.parent_source_id) if record.parent_source_id else None
        if article_pk is None or (record.parent_source_id and parent is None):
            if not final:
                return False
            missing = "post" if article_pk is None else "parent comment"
            self.report.warn(f"comment {record.source_id}: its {missing} was not imported")
            self.report.count("comment", "skipped")
            return True
        name = " ".join(strip_invisible(record.author_name or "").split())[:80] or ANONYMOUS
        email = (record.author_email or "").strip().lower()[:254] or NO_EMAIL
        body = plain_text(record.body_text)[:3000]
        try:
            with transaction.atomic():
                comment = Comment.objects.create(
                    article_id=article_pk,
                    parent_id=parent[1] if parent else None,
                    name=name,
                    email=email,
                    body=body,
                    status=_COMMENT_STATUS[record.status],
                    moderation_reasons="imported",
                    content_hash=Comment.hash_content(
                        article_id=article_pk, email=email, body=body
                    ),
                )
                if record.published is not None:
                    Comment.objects.filter(pk=comment.pk).update(created_at=record.published)
                self._remember(ImportedItem.Kind.COMMENT, record.source_id, comment)
        except ITEM_ERRORS as exc:
            self.report.warn(f"comment {record.source_id}: not imported ({exc})")
            self.report.count("comment", "failed")
            return True
        self._comments[record.source_id] = (comment.pk, parent[1] if parent else comment.pk)
        self.report.count("comment", "created")
        return True

    def _late_comments(self) -> None:
        """Comments that came before their post or parent: retry until nothing moves."""
        waiting = self._waiting_comments
        while waiting:
            still = [record for record in waiting if not self._comment(record, final=False)]
            if len(still) == len(waiting):
                for record in still:
                    self._comment(record, final=True)
                break
            waiting = still
        self._waiting_comments = []

    def _comment_ref(self, source_id: str) -> tuple[int, int] | None:
        """(pk, top-level pk) of a comment imported by this run or an earlier one."""
        if source_id in self._comments:
            return self._comments[source_id]
        item = self._item(ImportedItem.Kind.COMMENT, source_id)
        row = (
            Comment.objects.filter(pk=item.object_id).values_list("pk", "parent_id").first()
            if item is not None
            else None
        )
        if row is None:
            return None
        self._comments[source_id] = (row[0], row[1] or row[0])
        return self._comments[source_id]
