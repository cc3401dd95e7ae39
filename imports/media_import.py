"""Pictures of imported bodies and covers: re-hosted through the media library, or left remote."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
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

    def _body(self, entry: EntryRecord, title: str) -> tuple[str, tuple[Any, str] | None]:
        """The cleaned body, and the first re-hosted picture (library row, alt)."""
        cover: list[tuple[Any, str]] = []

        def replace(found: images.FoundImage) -> str:
            url = self._absolute(found.url)
            alt = " ".join(strip_invisible(found.alt).split())
            media = self._planned_picture(url, alt, title)
            if media is None:
                return f'<p><a href="{escape(url)}">{escape(alt or url)}</a></p>'
            if not cover:
                cover.append((media, alt))
            return self._figure(media, alt)

        raw = bodies.strip_noise(entry.body_html)
        body = bodies.finish(images.replace_images(raw, replace))
        return body, (cover[0] if cover else None)

    def _planned_picture(self, url: str, alt: str, title: str) -> Any:
        """Count the plan for this image, then re-host it (not in a dry run); None if remote."""
        plan = self.images.plan(url)
        self.report.plan[f"images: {plan}"] += 1
        if plan == images.REMOTE:
            self.report.remote_images.append((title, url))
            return None
        return None if self.dry_run else self._picture(url, alt, title)

    def _picture(self, url: str, alt: str, title: str) -> Any:
        """The library row for this URL: known from a previous run, or fetched and added now."""
        from library.models import MediaImage
        from library.services import image_add

        if url in self._image_cache:
            return self._image_cache[url]
        media = None
        item = self._item(ImportedItem.Kind.IMAGE, url)
        if item is not None:
            media = MediaImage.objects.filter(pk=item.object_id).first()
        if media is not None:
            self.report.count("image", "unchanged")
        else:
            try:
                data = self.images.fetch(url)
                with transaction.atomic():
                    media = image_add(data=data, filename=images.filename_of(url), alt=alt)
                    self._remember(ImportedItem.Kind.IMAGE, url, media, new=item is None)
                self.report.count("image", "created")
            except images.ImageFailed as exc:
                self.report.failed_images.append((title, url, str(exc)))
                self.report.count("image", "failed")
            except ValidationError as exc:
                self.report.failed_images.append((title, url, "; ".join(exc.messages)))
                self.report.count("image", "failed")
        self._image_cache[url] = media  # a row, or None: a failed URL is not tried twice
        return media

    @staticmethod
    def _figure(media: Any, alt: str) -> str:
        from library.services import figure_html

        return figure_html(media, alt=alt)

    def _cover_url(self, record: ImageRecord) -> str:
        url = record.url or self._attachments.get(record.source_id, "")
        return self._absolute(images.full_size_url(url)) if url else ""

    def _cover_from_record(self, record: ImageRecord, title: str) -> tuple[Any, str] | None:
        url = self._cover_url(record)
        media = self._planned_picture(url, record.alt, title) if url else None
        return (media, record.alt) if media is not None else None

    def _set_cover(self, article: Article, media: Any, alt: str, *, title: str) -> None:
        """The same path as the admin: store the file as the cover, then make its renditions."""
        with default_storage.open(media.file.name, "rb") as handle:
            data = handle.read()
        article.cover_alt_ar = (alt or media.alt_ar or title)[:250]
        article.cover_image.save(PurePosixPath(media.file.name).name, ContentFile(data), save=False)
        article.save()
        process_cover(article)

    def _late_covers(self) -> None:
        """Featured images whose attachment came after the post in the file."""
        for pk, record, title in self._pending_covers:
            if not self._cover_url(record):
                self.report.warn(f"{title!r}: featured image {record.source_id} not in the file")
                continue
            cover = self._cover_from_record(record, title)
            article = Article.objects.filter(pk=pk).first()
            if cover is not None and article is not None and not article.cover_image:
                # Not an edit: keep the updated time the import gave, which --update compares.
                updated_at = article.updated_at
                self._set_cover(article, *cover, title=title)
                Article.objects.filter(pk=pk).update(updated_at=updated_at)
