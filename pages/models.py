"""Static pages (About, Privacy, Terms): written and translated in the admin, shown at `/p/<slug>/`.

A small model of our own rather than django.contrib.flatpages: flatpages looks a page up by its
full URL (one `url` per page, so `/fr/p/...` would need a page of its own or a translated URL
field), needs the sites framework, and stores its content as plain unsanitised HTML. Here a
page is one row with translated title, slug and body (modeltranslation, like articles), its
URL comes from `i18n_patterns` like every other page, and the body is a `RichTextField`, so
it goes through the same editor and allow-list sanitiser as article bodies.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.fields import RichTextField
from articles.models import unicode_slug
from articles.querysets import TranslatedSlugQuerySet
from newsroom.i18n import current_language


class PageQuerySet(TranslatedSlugQuerySet):
    def published(self) -> PageQuerySet:
        return self.filter(is_published=True)

    def in_language(self, language: str | None = None) -> PageQuerySet:
        """Pages with a title in `language`: an untranslated page is not listed there."""
        language = language.split("-")[0] if language else current_language()
        if language == settings.LANGUAGE_CODE:
            return self
        return self.exclude(**{f"title_{language}": ""}).exclude(**{f"title_{language}": None})

    def in_footer(self) -> PageQuerySet:
        return self.published().filter(show_in_footer=True).order_by("order", "pk")


class Page(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        allow_unicode=True,
        unique=True,
        blank=True,
        help_text=_("The address: /p/<slug>/. Made from the title when left empty."),
    )
    body = RichTextField(_("body"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    show_in_footer = models.BooleanField(_("show in the footer"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("static page")
        verbose_name_plural = _("static pages")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pages:detail", kwargs={"slug": self.slug or unicode_slug(self.title)})

    def clean(self) -> None:
        for language in ("ar", "fr", "en"):
            title = getattr(self, f"title_{language}", "")
            if title and not getattr(self, f"slug_{language}", ""):
                setattr(self, f"slug_{language}", unicode_slug(title))

    def languages(self) -> list[str]:
        """Languages this page is translated into (Arabic always)."""
        return [code for code, _name in settings.LANGUAGES if getattr(self, f"title_{code}", "")]
