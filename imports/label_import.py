"""Sections, tags and bylines of the imported posts, following the label map."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from articles.models import Article, ArticleAuthor, Author, Category, Tag
from newsroom.text import strip_invisible

from .labels import SECTION, LabelMap, label_key, safe_slug
from .models import ImportedItem
from .records import EntryRecord

DEFAULT_SECTION_NAME = "أرشيف"
DEFAULT_SECTION_SLUG = "archive"


class LabelSteps:
    """Part of Importer (imports/importer.py): labels to sections and tags, authors to bylines."""

    report: Any
    label_map: LabelMap
    _label_targets: dict[str, tuple[Any, int]]  # label -> (model, pk)
    _item: Any
    _remember: Any
    # Rows already looked up in this run, by slug or author key: most entries share a few
    # labels and one author. Emptied when an entry's transaction is rolled back.
    _known_rows: dict[tuple[str, str], Any]

    def _category(self, labels: list[str]) -> Category:
        for label in labels:
            target = self.label_map.get(label)
            if target is not None and target.kind == SECTION:
                return self._section(target.slug, label_key(label), label)
        return self._section(DEFAULT_SECTION_SLUG, DEFAULT_SECTION_NAME, None)

    def _section(self, slug: str, name: str, label: str | None) -> Category:
        category, created = self._row("section", Category, ImportedItem.Kind.CATEGORY, slug, name)
        if label is not None:
            self._note_label(label, f"section {slug}", category, created)
        return category

    def _tag(self, slug: str, name: str, label: str, how: str) -> Tag | None:
        if not slug:
            self.report.warn(f"label {label!r} makes no slug: left out")
            return None
        tag, created = self._row("tag", Tag, ImportedItem.Kind.TAG, slug, name)
        self._note_label(label, f"{how} {slug}", tag, created)
        return tag

    def _row(self, kind: str, model: Any, item_kind: str, slug: str, name: str) -> tuple[Any, bool]:
        """The section or tag with this slug (Arabic or current), made if missing; created?"""
        row = self._known_rows.get((kind, slug))
        if row is None:
            row = model.objects.filter(Q(slug=slug) | Q(slug_ar=slug)).first()
        created = row is None
        if created:
            row = model.objects.create(name_ar=name[:100], slug_ar=slug)
            self._remember(item_kind, slug, row)
            self.report.count(kind, "created")
        self._known_rows[kind, slug] = row
        return row, created

    def _note_label(self, label: str, target: str, obj: Any, created: bool) -> None:
        key = label_key(label)
        if key not in self.report.labels:
            self.report.labels[key] = target + (" (new)" if created else "")
        self._label_targets.setdefault(key, (type(obj), obj.pk))

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

    def _set_authors(self, article: Article, entry: EntryRecord, *, new: bool) -> None:
        if not new:
            ArticleAuthor.objects.filter(article=article).delete()
        seen: set[int] = set()
        for order, record in enumerate(entry.authors):
            author = self._author(record)
            if author is not None and author.pk not in seen:
                seen.add(author.pk)
                ArticleAuthor.objects.create(article=article, author=author, order=order)

    def _author(self, record: Any) -> Author | None:
        if ("author", record.key) in self._known_rows:
            return self._known_rows["author", record.key]
        item = self._item(ImportedItem.Kind.AUTHOR, record.key)
        if item is not None:
            author = Author.objects.filter(pk=item.object_id).first()
            if author is not None:
                self._known_rows["author", record.key] = author
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
        self._remember(ImportedItem.Kind.AUTHOR, record.key, author, new=item is None)
        self.report.count("author", "created")
        self._known_rows["author", record.key] = author
        return author
