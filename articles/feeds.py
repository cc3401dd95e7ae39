"""RSS 2.0 and Atom feeds of the newest articles, per language and per section.

The summary is the description, the full (sanitised) body goes into `content:encoded`
(RSS) or `<content>` (Atom), and the cover image is an enclosure. The language is the one
of the URL prefix, and only articles translated into it are listed.

One feed object serves every request (the URLconf creates it once), and threaded workers
run requests side by side: nothing about a request is kept on the feed. `get_object()`
gathers it into a `FeedContext` per call, and every item carries its context along.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.utils import feedgenerator
from django.utils.translation import gettext as _

from library.rendering import absolute_image_urls
from newsroom.i18n import current_language
from newsroom.pagecache import tag_response

from .images import Renditions
from .models import Article, Category

FEED_SIZE = 30


@dataclass(frozen=True)
class FeedContext:
    """What one call of a feed needs from its request: language, host and section."""

    request: HttpRequest
    language: str
    category: Category | None = None

    def absolute(self, url: str) -> str:
        return self.request.build_absolute_uri(url)


@dataclass(frozen=True)
class FeedEntry:
    """One article of one feed call, with the context its links are built in."""

    article: Article
    context: FeedContext


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

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FeedContext:
        language = current_language()
        tag_response(request, "feed")
        return FeedContext(request=request, language=language)

    def title(self, obj: FeedContext) -> str:
        if obj.category is not None:
            return f"{obj.category.name} | {settings.SITE_NAME}"
        return settings.SITE_NAME

    def description(self, obj: FeedContext) -> str:
        return _("The latest news from Morocco and the world, as it happens.")

    def link(self, obj: FeedContext) -> str:
        if obj.category is not None:
            return obj.category.get_absolute_url()
        return "/" if obj.language == settings.LANGUAGE_CODE else f"/{obj.language}/"

    def items(self, obj: FeedContext) -> list[FeedEntry]:
        articles = Article.objects.published().in_language(obj.language)
        if obj.category is not None:
            articles = articles.filter(category=obj.category)
        articles = articles.for_listing().newest_first()[:FEED_SIZE]
        return [FeedEntry(article=article, context=obj) for article in articles]

    def item_link(self, item: FeedEntry) -> str:
        return item.article.get_absolute_url()

    def item_title(self, item: FeedEntry) -> str:
        return item.article.title

    def item_description(self, item: FeedEntry) -> str:
        return item.article.summary or item.article.title

    def item_pubdate(self, item: FeedEntry) -> datetime:
        return item.article.publish_at

    def item_updateddate(self, item: FeedEntry) -> datetime:
        return max(item.article.updated_at, item.article.publish_at)

    def item_author_name(self, item: FeedEntry) -> str:
        names = [author.name for author in item.article.authors.all()]
        return _(", ").join(names) or item.article.byline or settings.SITE_NAME

    def item_categories(self, item: FeedEntry) -> list[str]:
        return [item.article.category.name]

    def item_enclosures(self, item: FeedEntry) -> list[feedgenerator.Enclosure]:
        largest = Renditions(item.article.cover_renditions).largest("jpeg")
        if largest is None:
            return []
        try:
            length = default_storage.size(largest.name)
        except OSError:
            return []
        url = item.context.absolute(largest.url)
        return [feedgenerator.Enclosure(url, str(length), "image/jpeg")]

    def item_extra_kwargs(self, item: FeedEntry) -> dict[str, Any]:
        base = item.context.absolute("/")
        return {"content_encoded": absolute_image_urls(item.article.body or "", base)}


class LatestArticlesAtom(LatestArticlesFeed):
    feed_type = ContentAtomFeed
    subtitle = LatestArticlesFeed.description


class CategoryFeed(LatestArticlesFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FeedContext:
        context = super().get_object(request)
        category = Category.objects.active().get_by_slug(kwargs["slug"], context.language)
        tag_response(request, f"s{category.pk}")
        return FeedContext(request=request, language=context.language, category=category)


class CategoryAtom(CategoryFeed):
    feed_type = ContentAtomFeed
    subtitle = LatestArticlesFeed.description
