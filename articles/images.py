"""Images: strict checks on upload, one normalised original, fixed renditions for srcset.

Renditions are made once, when a cover is saved in the admin (or by load_demo) or a picture
enters the media library, never at request time: pages only read the list of files stored in
`Article.cover_renditions` or `MediaImage.renditions`.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import IO, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_EDGE = 2560
RENDITION_WIDTHS = (320, 640, 960, 1280)
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def _rewind(file: IO[bytes]) -> None:
    if hasattr(file, "seek"):
        file.seek(0)


def validate_image_upload(file: Any) -> None:
    """Refuse anything that is not a real, complete, reasonably sized JPEG, PNG or WebP.

    Every check decodes with Pillow rather than trusting the name or the browser's type, so
    a renamed file, a truncated file and a decompression bomb each get their own message.
    """
    if file is None:
        return
    if isinstance(file, FieldFile) and file._committed:
        # Already stored (a re-save, a restored version): it was checked when it was uploaded,
        # so only make sure it is still there rather than decode it again on every save.
        if file.name and not file.storage.exists(file.name):
            raise ValidationError(
                _(
                    "The stored image file is missing (%(name)s): upload the image again "
                    "or clear the field."
                ),
                code="stored_file_missing",
                params={"name": file.name},
            )
        return
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The image is %(size)s MB; the limit is 10 MB."),
            code="too_big",
            params={"size": f"{size / 1024 / 1024:.1f}"},
        )
    raw = file.file if isinstance(file, FieldFile) else file
    _rewind(raw)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(raw) as image:
                if image.format not in ALLOWED_FORMATS:
                    raise ValidationError(
                        _("Only JPEG, PNG and WebP images are accepted (this file is %(fmt)s)."),
                        code="format",
                        params={"fmt": image.format or "?"},
                    )
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ValidationError(
                        _(
                            "The image is %(mp)s megapixels; the limit is 40. "
                            "Scale it down before uploading."
                        ),
                        code="too_many_pixels",
                        params={"mp": f"{width * height / 1_000_000:.0f}"},
                    )
                image.load()  # a full decode: truncated or corrupt files fail here
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("The image declares an enormous size (a decompression bomb) and was refused."),
            code="bomb",
        ) from exc
    except UnidentifiedImageError as exc:
        raise ValidationError(
            _("This file is not an image Pillow can read: upload a JPEG, PNG or WebP file."),
            code="not_image",
        ) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("The image file is damaged or incomplete (truncated); export it again."),
            code="truncated",
        ) from exc
    finally:
        _rewind(raw)


class CoverImageField(models.ImageField):
    """An ImageField that survives a file gone from storage.

    Django re-reads an image's size whenever the field is assigned (loading a version from the
    history, refresh_from_db, a form). A file deleted from storage would turn every one of those
    into a crash instead of the form's own "file is missing" error: keep the stored size.
    """

    def update_dimension_fields(
        self, instance: Any, force: bool = False, *args: Any, **kwargs: Any
    ) -> None:
        try:
            super().update_dimension_fields(instance, force, *args, **kwargs)
        except OSError:
            pass


class SafeImageFormField(forms.ImageField):
    """An ImageField whose errors say what is wrong, checked before Django's generic check."""

    def to_python(self, data: Any) -> Any:
        if data not in self.empty_values:
            validate_image_upload(data)
        return super().to_python(data)


def _encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    elif fmt == "WEBP":
        image.save(buffer, "WEBP", quality=80, method=4)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def normalise_image(source: IO[bytes]) -> tuple[Image.Image, str, bytes]:
    """Decode, rotate by EXIF orientation, scale to at most MAX_EDGE and re-encode.

    Re-encoding is what strips metadata (GPS, camera serials), so the bytes returned are the
    ones to store and to hash: the same picture uploaded twice hashes the same. Returns the
    image (for renditions), its format and its bytes.
    """
    with Image.open(source) as opened:
        fmt = opened.format if opened.format in ALLOWED_FORMATS else "JPEG"
        image = ImageOps.exif_transpose(opened)
        image.load()
    if image.mode not in {"RGB", "RGBA", "L", "LA"}:
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    image.thumbnail((MAX_EDGE, MAX_EDGE), Image.Resampling.LANCZOS)
    return image, fmt, _encode(image, fmt)


def write_renditions(image: Image.Image, *, folder: str, stem: str) -> dict[str, Any]:
    """Write WebP and JPEG renditions at the fixed widths; returns `{"webp": [...], "jpeg": [...]}`.

    Each entry is `[width, height, storage name]`, the shape pages read for `srcset`. An image
    narrower than a width gets no upscaled copy: its own width closes the list instead.
    """
    renditions: dict[str, Any] = {"webp": [], "jpeg": []}
    widths = [w for w in RENDITION_WIDTHS if w < image.width] + [min(image.width, 1280)]
    for width in sorted(set(widths)):
        height = round(image.height * width / image.width)
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        for fmt_key, fmt_name in (("webp", "WEBP"), ("jpeg", "JPEG")):
            name = default_storage.save(
                f"{folder}/{stem}-{width}.{'webp' if fmt_key == 'webp' else 'jpg'}",
                ContentFile(_encode(resized, fmt_name)),
            )
            renditions[fmt_key].append([width, height, name])
    return renditions


def process_cover(article: Any) -> bool:
    """Normalise an article's cover and write its renditions, once per uploaded file.

    EXIF orientation is applied, metadata (GPS, camera serials) is stripped by re-encoding,
    and originals larger than 2560 px are scaled down. Returns True when work was done.
    """
    field = article.cover_image
    if not field:
        if article.cover_renditions:
            type(article).objects.filter(pk=article.pk).update(cover_renditions={})
            article.cover_renditions = {}
        return False
    if Renditions(article.cover_renditions).source == field.name:
        return False

    with default_storage.open(field.name, "rb") as handle:
        image, fmt, original_bytes = normalise_image(handle)
    digest = hashlib.sha256(original_bytes).hexdigest()[:12]
    original_name = default_storage.save(
        f"covers/{article.pk}-{digest}.{ALLOWED_FORMATS[fmt]}", ContentFile(original_bytes)
    )
    old_name = field.name

    renditions: dict[str, Any] = {
        "source": original_name,
        **write_renditions(image, folder=f"renditions/{article.pk}", stem=digest),
    }

    type(article).objects.filter(pk=article.pk).update(
        cover_image=original_name,
        cover_width=image.width,
        cover_height=image.height,
        cover_renditions=renditions,
    )
    article.cover_image.name = original_name
    article.cover_width, article.cover_height = image.width, image.height
    article.cover_renditions = renditions
    if old_name != original_name:
        # Versions recorded with the upload-time name would point at a deleted file: give
        # them the stored name, so restoring any version restores a cover that exists.
        history = getattr(type(article), "history", None)
        if history is not None:
            history.filter(id=article.pk, cover_image=old_name).update(cover_image=original_name)
        default_storage.delete(old_name)
    return True


@dataclass(frozen=True)
class Rendition:
    """One stored file of a rendition set."""

    width: int
    height: int
    name: str

    @property
    def url(self) -> str:
        return default_storage.url(self.name)


class Renditions:
    """The read side of a stored rendition set: `Article.cover_renditions`, `MediaImage.renditions`.

    The stored shape, `{"source": name, "webp": [[width, height, name], ...], "jpeg": [...]}`
    with widths ascending, is written by write_renditions() and read only here, so covers,
    library pictures, feeds and the admin agree on which file is the small or the large one.
    """

    def __init__(self, stored: dict[str, Any] | None) -> None:
        self._stored = stored or {}

    def __bool__(self) -> bool:
        return bool(self.of("jpeg") or self.of("webp"))

    @property
    def source(self) -> str:
        """Storage name of the normalised original the renditions were made from."""
        return self._stored.get("source") or ""

    def of(self, fmt: str) -> list[Rendition]:
        return [Rendition(int(w), int(h), str(name)) for w, h, name in self._stored.get(fmt) or []]

    def smallest(self, fmt: str) -> Rendition | None:
        files = self.of(fmt)
        return files[0] if files else None

    def largest(self, fmt: str) -> Rendition | None:
        files = self.of(fmt)
        return files[-1] if files else None

    def names(self) -> list[str]:
        """Storage names of every rendition file (not the source)."""
        return [r.name for fmt in ("webp", "jpeg") for r in self.of(fmt)]

    def srcset(self, fmt: str) -> str:
        """`srcset` value for one format."""
        return ", ".join(f"{r.url} {r.width}w" for r in self.of(fmt))
