"""Reads the public pages share: the publishing rule in the current language, an article with
everything its page names, its newer and older neighbours and its related articles.

Kept apart from the views so the purges (articles/purges.py) can ask for an article's
neighbours without importing the views.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Article

RELATED_SIZE = 4


def public_articles() -> QuerySet[Article]:
    """What readers may see in the current language: the publishing rule, then translations."""
    return Article.objects.published().in_language()


def adjacent_articles(article: Article) -> tuple[Article | None, Article | None]:
    """The next newer and next older published article, ties on publish time broken by id.

    This is the old blog's "أحدث / أقدم" pair: one query, each side a LIMIT 1 subquery
    walking the (status, publish_at) index.
    """
    base = public_articles()
    same_time = Q(publish_at=article.publish_at)
    newer = (
        base.filter(Q(publish_at__gt=article.publish_at) | (same_time & Q(pk__gt=article.pk)))
        .order_by("publish_at", "pk")
        .values("pk")[:1]
    )
    older = (
        base.filter(Q(publish_at__lt=article.publish_at) | (same_time & Q(pk__lt=article.pk)))
        .order_by("-publish_at", "-pk")
        .values("pk")[:1]
    )
    pair = {"newer": None, "older": None}
    for other in Article.objects.filter(Q(pk__in=newer) | Q(pk__in=older)):
        later = (other.publish_at, other.pk) > (article.publish_at, article.pk)
        pair["newer" if later else "older"] = other
    return pair["newer"], pair["older"]


def related_articles(article: Article) -> QuerySet[Article]:
    """Same section or a shared tag, newest first; the tag test is a subquery, not a join."""
    tagged = Article.tags.through.objects.filter(
        tag__in=[tag.pk for tag in article.tags.all()]
    ).values("article_id")
    return (
        public_articles()
        .filter(Q(category_id=article.category_id) | Q(pk__in=tagged))
        .exclude(pk=article.pk)
        .select_related("category")
        .newest_first()[:RELATED_SIZE]
    )


def published_with_links(pk: int) -> tuple[Article | None, list[str]]:
    """The published article with its section, bylines and tags, and the page cache tags of
    what it names besides itself (for `newsroom.fragments.cached_object`)."""
    article = (
        Article.objects.published()
        .select_related("category")
        .with_authors()
        .prefetch_related("tags")
        .filter(pk=pk)
        .first()
    )
    if article is None:
        return None, []
    return article, named_tags(article)


def named_tags(article: Article) -> list[str]:
    """The page cache tags of what an article's page names besides itself: its section, its
    tags and its bylines (prefetched by `published_with_links`), whose renames purge those."""
    return [
        f"s{article.category_id}",
        *(f"t{item.pk}" for item in article.tags.all()),
        *(f"au{item.pk}" for item in article.ordered_authors),
    ]
