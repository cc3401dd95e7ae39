"""RSS 2.0 and Atom feeds of the newest articles, per language and per section.

The summary is the description, the full (sanitised) body goes into `content:encoded`
(RSS) or `<content>` (Atom), and the cover image is an enclosure. The language is the one
of the URL prefix, and only articles translated into it are listed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import feedgenerator, translation
from django.utils.translation import gettext as _

from library.rendering import absolute_image_urls

from .models import Article, Category
from .views import find_by_slug

FEED_SIZE = 30


class ContentRssFeed(feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with the full article in `content:encoded`, as feed readers expect."""

    def rss_attributes(self) -> dict[str, str]:
        attrs = super().rss_attributes()
        attrs["xmlns:content"] = "http://purl.org/rss/1.0/modules/content/"
        return attrs

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_encoded"):
            handler.addQuickElement("content:encoded", item["content_encoded"])


class ContentAtomFeed(feedgenerator.Atom1Feed):
    """Atom with the full article as `<content type="html">`."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_encoded"):
            handler.addQuickElement("content", item["content_encoded"], {"type": "html"})


class LatestArticlesFeed(Feed):
    feed_type = ContentRssFeed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self, obj: Category | None = None) -> str:
        if obj is not None:
            return f"{obj.name} | {settings.SITE_NAME}"
        return settings.SITE_NAME

    def description(self, obj: Category | None = None) -> str:
        return _("The latest news from Morocco and the world, as it happens.")

    def link(self, obj: Category | None = None) -> str:
        return obj.get_absolute_url() if obj is not None else "/" + self.prefix()

    def prefix(self) -> str:
        language = translation.get_language() or settings.LANGUAGE_CODE
        return "" if language == settings.LANGUAGE_CODE else f"{language}/"

    def base_items(self) -> QuerySet[Article]:
        return Article.objects.published().in_language().for_listing().newest_first()

    def items(self, obj: Category | None = None) -> QuerySet[Article]:
        items = self.base_items()
        if obj is not None:
            items = items.filter(category=obj)
        return items[:FEED_SIZE]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary or item.title

    def item_pubdate(self, item: Article) -> datetime:
        return item.publish_at

    def item_updateddate(self, item: Article) -> datetime:
        return max(item.updated_at, item.publish_at)

    def item_author_name(self, item: Article) -> str:
        names = [author.name for author in item.authors.all()]
        return _(", ").join(names) or item.byline or settings.SITE_NAME

    def item_categories(self, item: Article) -> list[str]:
        return [item.category.name]

    def item_enclosures(self, item: Article) -> list[feedgenerator.Enclosure]:
        jpegs = (item.cover_renditions or {}).get("jpeg") or []
        if not jpegs:
            return []
        name = jpegs[-1][2]
        try:
            length = default_storage.size(name)
        except OSError:
            return []
        url = self.request.build_absolute_uri(default_storage.url(name))
        return [feedgenerator.Enclosure(url, str(length), "image/jpeg")]

    def item_extra_kwargs(self, item: Article) -> dict[str, Any]:
        base = self.request.build_absolute_uri("/")
        return {"content_encoded": absolute_image_urls(item.body or "", base)}


class LatestArticlesAtom(LatestArticlesFeed):
    feed_type = ContentAtomFeed
    subtitle = LatestArticlesFeed.description


class CategoryFeed(LatestArticlesFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Category:
        return find_by_slug(Category.objects.active(), slug)


class CategoryAtom(CategoryFeed):
    feed_type = ContentAtomFeed
    subtitle = LatestArticlesFeed.description
