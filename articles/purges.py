"""What a change to the newsroom's content clears from the page cache, after commit.

A saved or deleted article clears its own page, every list it appears (or appeared) in, in
every language at once (tags carry no language), the pages linking to it as their newer or
older neighbour ("n<id>"), and the pages of its neighbours, whose links may now point at it.
A comment clears "a<id>" only, so its article's neighbours stay cached. Sections, tags and
authors clear their pages; a section also changes the navigation of every page ("site", and
"nav" for the cached menu).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Min, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone, translation

from library.models import MediaImage
from newsroom import pagecache

from .models import Article, ArticleAuthor, Author, Category, Tag

LISTS = ("home", "archive", "feed", "sitemap", "404")


def neighbour_tags(article: Article) -> set[str]:
    """The pages whose "newer / older" links point next to `article`, in each language."""
    from .reads import adjacent_articles

    if not article.pk or not article.is_published():
        return set()
    tags: set[str] = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            tags.update(f"a{other.pk}" for other in adjacent_articles(article) if other)
    return tags


def article_tags(article: Article) -> set[str]:
    """Everything showing `article` now: its page, its section, tags and authors, the lists."""
    tags = {f"a{article.pk}", f"n{article.pk}", f"s{article.category_id}", *LISTS}
    tags.update(f"t{pk}" for pk in article.tags.values_list("pk", flat=True))
    tags.update(f"au{pk}" for pk in article.authors.values_list("pk", flat=True))
    return tags | neighbour_tags(article)


def _before(sender: type[Article], instance: Article, **kwargs: Any) -> None:
    """Remember what showed the article before the change (old section, tags, neighbours)."""
    if not instance.pk or pagecache.in_bulk():
        return
    old = Article.objects.filter(pk=instance.pk).first()
    instance._purge_before = article_tags(old) if old is not None else set()  # type: ignore[attr-defined]


def _after_save(sender: type[Article], instance: Article, **kwargs: Any) -> None:
    if pagecache.in_bulk():
        return
    before = getattr(instance, "_purge_before", set())
    pagecache.purge_after_commit(before | article_tags(instance))


def _after_delete(sender: type[Article], instance: Article, **kwargs: Any) -> None:
    gone = {f"a{instance.pk}", f"n{instance.pk}"}
    pagecache.purge_after_commit(getattr(instance, "_purge_before", set()) | gone)


def _links_changed(sender: Any, instance: Any, action: str, pk_set: Any, **kwargs: Any) -> None:
    """Tags added to or removed from an article (or articles added to a tag)."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if isinstance(instance, Article):
        tags = {f"a{instance.pk}", f"s{instance.category_id}", *LISTS}
        ids = pk_set or set(instance.tags.values_list("pk", flat=True))
        tags.update(f"t{pk}" for pk in ids)
    else:
        tags = {f"t{instance.pk}", *LISTS}
        tags.update(f"a{pk}" for pk in pk_set or ())
    pagecache.purge_after_commit(tags)


def _byline_changed(sender: type[ArticleAuthor], instance: ArticleAuthor, **kwargs: Any) -> None:
    pagecache.purge_after_commit(
        {f"a{instance.article_id}", f"au{instance.author_id}", "home", "archive", "feed"}
    )


def _section_saved(sender: type[Category], instance: Category, **kwargs: Any) -> None:
    pagecache.purge_after_commit({f"s{instance.pk}", "nav", "site"})


def _tag_saved(sender: type[Tag], instance: Tag, **kwargs: Any) -> None:
    pagecache.purge_after_commit({f"t{instance.pk}"})


def _author_saved(sender: type[Author], instance: Author, **kwargs: Any) -> None:
    pagecache.purge_after_commit({f"au{instance.pk}"})


def _picture_changed(sender: type[MediaImage], instance: MediaImage, **kwargs: Any) -> None:
    """Article bodies show library pictures by id, drawn at display time: clear those pages.

    A new picture is in no body yet, and an import purges everything once at its end: neither
    needs the search through every body.
    """
    if kwargs.get("created") or pagecache.in_bulk():
        return
    marker = f'data-media-id="{instance.pk}"'
    using = Q()
    for code, _name in settings.LANGUAGES:
        using |= Q(**{f"body_{code}__contains": marker})
    ids = Article.objects.filter(using).values_list("pk", flat=True)
    pagecache.purge_after_commit({"feed", *(f"a{pk}" for pk in ids)})


def next_change() -> datetime | None:
    """The next scheduled publication, or the end of the oldest breaking strip on show."""
    from .home import BREAKING_WINDOW

    now = timezone.now()
    # One query over the (status, publish_at) index: the last day and the future only.
    found = Article.objects.filter(
        status=Article.Status.PUBLISHED, publish_at__gte=now - BREAKING_WINDOW
    ).aggregate(
        scheduled=Min("publish_at", filter=Q(publish_at__gt=now)),
        breaking=Min("publish_at", filter=Q(is_breaking=True, publish_at__lte=now)),
    )
    scheduled, breaking = found["scheduled"], found["breaking"]
    moments = [m for m in (scheduled, breaking and breaking + BREAKING_WINDOW) if m]
    return min(moments) if moments else None


def connect() -> None:
    uid = "articles.purges"
    pre_save.connect(_before, sender=Article, dispatch_uid=f"{uid}.before")
    pre_delete.connect(_before, sender=Article, dispatch_uid=f"{uid}.before-delete")
    post_save.connect(_after_save, sender=Article, dispatch_uid=f"{uid}.save")
    post_delete.connect(_after_delete, sender=Article, dispatch_uid=f"{uid}.delete")
    m2m_changed.connect(_links_changed, sender=Article.tags.through, dispatch_uid=f"{uid}.tags")
    for signal in (post_save, post_delete):
        signal.connect(_byline_changed, sender=ArticleAuthor, dispatch_uid=f"{uid}.byline")
        signal.connect(_section_saved, sender=Category, dispatch_uid=f"{uid}.section")
        signal.connect(_tag_saved, sender=Tag, dispatch_uid=f"{uid}.tag")
        signal.connect(_author_saved, sender=Author, dispatch_uid=f"{uid}.author")
    for signal in (post_save, post_delete):
        signal.connect(_picture_changed, sender=MediaImage, dispatch_uid=f"{uid}.picture")
    pagecache.register_schedule(next_change)
