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
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from tqdm import tqdm

from articles.models import Article
from newsroom import pagecache
from newsroom.text import strip_invisible
from pages.models import Page

from . import images, redirects
from .bodies import plain_text, trim_words
from .comment_import import NO_EMAIL, CommentSteps
from .label_import import LabelSteps
from .labels import LabelMap, safe_slug
from .link_import import LinkSteps
from .media_import import MediaSteps
from .models import ImportedItem
from .records import (
    AttachmentRecord,
    CommentRecord,
    EntryRecord,
    ImageRecord,
    Kind,
    SiteRecord,
    Status,
)
from .report import ITEM_ERRORS, Report

__all__ = ["NO_EMAIL", "Importer"]

UNTITLED = "بدون عنوان"
BATCH_SIZE = 100
SUMMARY_LENGTH = 300
# Blogger names an Arabic post `blog-post_12.html`: such a name says nothing, the title will.
_MEANINGLESS_SLUG = re.compile(r"(?:blog-(?:post|page)(?:_\d+)?|\d+(?:-\d+)*)")


class _Rollback(Exception):
    """Raised at the end of a dry run to undo everything it wrote."""


def content_hash(record: Any) -> str:
    data = json.dumps(dataclasses.asdict(record), default=str, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


class Importer(LabelSteps, MediaSteps, CommentSteps, LinkSteps):
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
        self._known_urls: dict[str, str | None] = {}
        self._articles: dict[str, int] = {}  # entry source id -> article pk
        self._comments: dict[str, tuple[int, int]] = {}  # source id -> (pk, top-level pk)
        self._attachments: dict[str, str] = {}  # attachment source id -> url
        # Articles and pages created or updated: their links get rewritten at the end.
        self._touched: list[tuple[type[Article] | type[Page], int]] = []
        self._pending_covers: list[tuple[int, ImageRecord, str]] = []
        self._waiting_comments: list[CommentRecord] = []
        self._label_targets: dict[str, tuple[Any, int]] = {}
        self._term_paths: dict[str, str] = {}  # label key -> old /category/…/ or /tag/…/ path
        self._image_cache: dict[str, Any] = {}
        self._known_rows: dict[tuple[str, str], Any] = {}

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
                # One purge of every cached page at the end, instead of one per saved item.
                with pagecache.bulk():
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
            self._site_redirects()
            self._rewrite_links()

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
        self,
        kind: str,
        source_id: str,
        obj: Any,
        digest: str = "",
        version: int | None = None,
        *,
        new: bool = False,
    ) -> None:
        """Record which object a source item became; `new` when no record can exist yet."""
        key = {"source": self.source, "kind": kind, "source_id": source_id[:500]}
        fields = {"object_id": obj.pk, "content_hash": digest, "imported_version": version}
        if new:
            ImportedItem.objects.create(**key, **fields)
        else:
            ImportedItem.objects.update_or_create(**key, defaults=fields)

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
                self._remember(item_kind, entry.source_id, obj, digest, version, new=item is None)
                self._add_redirects(entry, obj)
        except ITEM_ERRORS as exc:
            # Rows it created are gone with its transaction: forget them.
            self._known_rows.clear()
            self._image_cache.clear()
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
            if self._cover_url(entry.cover):
                cover = self._cover_from_record(entry.cover, title) or cover
            else:  # its attachment comes later in the file
                self._pending_covers.append((article.pk, entry.cover, title))
        if cover is not None and not article.cover_image:
            self._set_cover(article, *cover, title=title)
        self._set_tags(article, entry)
        self._set_authors(article, entry, new=creating)
        stamps = {}
        if entry.updated is not None:
            stamps["updated_at"] = entry.updated
        if creating and entry.published is not None:
            stamps["created_at"] = entry.published
        if stamps:
            Article.objects.filter(pk=article.pk).update(**stamps)
            for name, value in stamps.items():
                setattr(article, name, value)
        self._touched.append((Article, article.pk))
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
        self._touched.append((Page, page.pk))
        return page

    @staticmethod
    def _unique_page_slug(base: str) -> str:
        base = base[:190]
        slug, n = base, 1
        while Page.objects.filter(Q(slug=slug) | Q(slug_ar=slug)).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug
