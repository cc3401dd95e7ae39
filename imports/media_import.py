"""Pictures of imported bodies and covers: re-hosted through the media library, or left remote."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.html import escape

from articles.images import process_cover
from articles.models import Article
from newsroom.text import strip_invisible

from . import bodies, images
from .models import ImportedItem
from .records import EntryRecord, ImageRecord


class MediaSteps:
    """Part of Importer (imports/importer.py): the picture steps."""

    report: Any
    site: Any
    images: images.ImageSource
    dry_run: bool
    _image_cache: dict[str, Any]
    _attachments: dict[str, str]
    _pending_covers: list[tuple[int, ImageRecord, str]]
    _item: Any
    _remember: Any

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
