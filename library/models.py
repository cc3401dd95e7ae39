"""The media library: pictures used inside article bodies, stored once whatever reuses them.

A picture is identified by the SHA-256 of its normalised bytes (EXIF rotation applied,
metadata stripped, at most 2560 px), so uploading the same photo twice, from the editor or
from an import, finds the row that is already there instead of storing a copy.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.images import Renditions, validate_image_upload


class MediaImageQuerySet(models.QuerySet["MediaImage"]):
    def recent(self) -> MediaImageQuerySet:
        return self.order_by("-created_at", "-pk")

    def from_bytes(self, data: bytes, *, filename: str = "", **fields: Any) -> MediaImage:
        """The library row for these bytes, created (with renditions) if it is new.

        A thin door onto `library.services.image_add` for code that holds raw bytes, such as
        an importer; validation errors propagate as ValidationError.
        """
        from .services import image_add

        return image_add(data=data, filename=filename, **fields)


class MediaImage(models.Model):
    file = models.ImageField(
        _("file"), upload_to="library/%Y/%m/", validators=[validate_image_upload]
    )
    width = models.PositiveIntegerField(_("width"), editable=False, default=0)
    height = models.PositiveIntegerField(_("height"), editable=False, default=0)
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    # Not blank: required (in Arabic only, see translation.py) wherever a form edits them.
    # Code such as an importer may still store a picture without them.
    alt = models.CharField(_("alt text"), max_length=250)
    caption = models.CharField(_("caption"), max_length=300)
    credit = models.CharField(_("credit"), max_length=120, blank=True)
    sha256 = models.CharField(max_length=64, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = MediaImageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")

    def __str__(self) -> str:
        return self.alt or self.file.name

    @property
    def url(self) -> str:
        return default_storage.url(self.file.name)

    def thumbnail_url(self) -> str:
        """The smallest JPEG rendition, for lists and the editor's picker."""
        smallest = Renditions(self.renditions).smallest("jpeg")
        return smallest.url if smallest is not None else self.url
