"""What an import leaves behind: which source item became which object, and the old links.

`ImportedItem` makes a re-run idempotent (keyed on the source's own ids) and lets `--update`
tell an item changed at the source from one an editor changed here. `LegacyRedirect` is the
map from the old site's paths to the new pages, read only when a request would be a 404.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedItem(models.Model):
    class Kind(models.TextChoices):
        ARTICLE = "article", _("article")
        PAGE = "page", _("static page")
        COMMENT = "comment", _("comment")
        IMAGE = "image", _("picture")
        AUTHOR = "author", _("author")
        CATEGORY = "category", _("section")
        TAG = "tag", _("tag")

    source = models.CharField(
        _("source"), max_length=200
    )  # e.g. "blogger:<blog id>", "wxr:<base url>"
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    source_id = models.CharField(_("id at the source"), max_length=500)
    object_id = models.PositiveBigIntegerField(_("object id"))
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    imported_version = models.PositiveIntegerField(
        _("version when imported"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("imported item")
        verbose_name_plural = _("imported items")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "source_id"], name="imported_item_unique_source_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.source_id}"


class LegacyRedirect(models.Model):
    """One old path answered with a 301.

    `old_path` is stored normalised (percent-decoded, NFC, no host, no `m=` switch); a query
    is part of it only where it names the item (`/?p=12`, `/?page_id=7`). The target is an
    object (followed to its current URL, so a later slug change still lands right) or a URL.
    """

    old_path = models.CharField(_("old path"), max_length=1000, unique=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("kind")
    )
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    target_url = models.CharField(_("target URL"), max_length=1000, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    hits = models.PositiveIntegerField(_("hits"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("old link")
        verbose_name_plural = _("old links")
        ordering = ["old_path"]

    def __str__(self) -> str:
        return self.old_path
