"""What the home page shows besides the latest list: the lead story, the breaking strip and
the newest articles of each section, each read once and kept in the fragment cache."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from newsroom.fragments import cached_fragment

from .models import Article, Category
from .querysets import is_plausible_slug, slug_fields

BLOCK_SIZE = 4
BREAKING_WINDOW = timedelta(days=1)


def active_sections() -> list[Category]:
    """The active sections, cached until a section is saved ("nav"); the header's menu and
    the home page's blocks both read them."""
    sections = lambda: list(Category.objects.active())  # noqa: E731
    return cached_fragment("sections", ["nav"], "all", sections, scheduled=False)


def active_section(slug: str) -> Category | None:
    """The active section with `slug` in the current language, else in Arabic: what
    `Category.objects.active().get_by_slug()` finds, read from the cached sections instead
    of a query on every section page."""
    if is_plausible_slug(slug):
        sections = active_sections()
        for field in slug_fields():
            found = next((s for s in sections if getattr(s, field) == slug), None)
            if found is not None:
                return found
    return None


def category_blocks() -> list[tuple[Category, list[Article]]]:
    """The newest few articles of every active section (home.html caches what it renders)."""
    categories = active_sections()
    by_category: dict[int, list[Article]] = {}
    for item in (
        Article.objects.published().in_language().newest_per_category(categories, BLOCK_SIZE)
    ):
        by_category.setdefault(item.category_id, []).append(item)
    return [(c, by_category[c.pk]) for c in categories if c.pk in by_category]


def lead_and_breaking() -> tuple[Article | None, list[Article]]:
    """The lead story and the breaking strip of the home page.

    The lead is the newest featured article, else the newest: each a walk down the
    (status, publish_at) index that stops at the first match, not a sort of the archive.
    """
    newest = Article.objects.published().in_language().select_related("category").newest_first()
    lead = newest.filter(is_featured=True).first() or newest.first()
    breaking = list(
        Article.objects.published()
        .in_language()
        .filter(is_breaking=True, publish_at__gte=timezone.now() - BREAKING_WINDOW)
        .newest_first()[:3]
    )
    return lead, breaking
