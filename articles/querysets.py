"""Querysets shared by several models of the site (articles, pages)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from newsroom.i18n import current_language


def is_plausible_slug(slug: str) -> bool:
    """Slugs are at most 200 characters and never hold NUL, which PostgreSQL refuses outright
    (a query with one raises instead of finding nothing)."""
    return 0 < len(slug) <= 200 and "\x00" not in slug


def slug_fields(language: str | None = None) -> list[str]:
    """The slug fields to try, in order: `language`'s (the current one by default), then the
    Arabic one."""
    language = (language or current_language()).split("-")[0]
    return list(dict.fromkeys([f"slug_{language}", f"slug_{settings.LANGUAGE_CODE}"]))


class TranslatedSlugQuerySet(models.QuerySet):
    """Lookups by a slug translated with modeltranslation (`slug_ar`, `slug_fr`, ...)."""

    def get_by_slug(self, slug: str, language: str | None = None) -> models.Model:
        """The row with `slug` in `language` (the current one by default), else in Arabic.

        Links built in French for a section without a French slug carry the Arabic slug
        (modeltranslation falls back to it), so both must resolve. The current language wins
        when a French slug happens to equal another row's Arabic one. Raises DoesNotExist,
        which views and feeds answer with a 404.
        """
        if is_plausible_slug(slug):
            for field in slug_fields(language):
                found = self.filter(**{field: slug}).first()
                if found is not None:
                    return found
        raise self.model.DoesNotExist(f"No {self.model._meta.object_name} with this slug.")
