"""Writes to the media library."""

from __future__ import annotations

import hashlib
import io
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from articles.images import (
    ALLOWED_FORMATS,
    Renditions,
    normalise_image,
    validate_image_upload,
    write_renditions,
)

from .models import MediaImage

TEXT_FIELDS = ("alt", "caption", "credit")


def image_add(
    *,
    data: bytes,
    filename: str = "",
    alt: str = "",
    caption: str = "",
    credit: str = "",
    uploaded_by: Any = None,
    **translations: str,
) -> MediaImage:
    """Store a picture once: validate, normalise, hash, write renditions, create the row.

    The hash is taken of the normalised bytes, not of the upload, so the same photo sent
    twice (or once with its GPS tags and once without) finds the existing row, which is
    returned untouched apart from texts it did not have yet. `alt`, `caption` and `credit`
    are the Arabic texts; `alt_fr=...` and the like fill other languages. Raises
    ValidationError for anything that is not an acceptable image.
    """
    validate_image_upload(ContentFile(data, name=filename or "upload"))
    image, fmt, normalised = normalise_image(io.BytesIO(data))
    digest = hashlib.sha256(normalised).hexdigest()
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    texts = {f"alt_{default}": alt, f"caption_{default}": caption, f"credit_{default}": credit}
    texts.update(translations)
    unknown = set(texts) - {
        f"{name}_{code}" for name in TEXT_FIELDS for code in settings.MODELTRANSLATION_LANGUAGES
    }
    if unknown:
        raise TypeError(f"image_add() got unexpected texts: {sorted(unknown)}")

    existing = MediaImage.objects.filter(sha256=digest).first()
    if existing is not None:
        return _fill_missing_texts(existing, texts)

    stem = digest[:16]
    folder = f"library/{digest[:2]}"
    name = default_storage.save(f"{folder}/{stem}.{ALLOWED_FORMATS[fmt]}", ContentFile(normalised))
    renditions = write_renditions(image, folder=f"{folder}/renditions", stem=stem)
    written = [name, *Renditions(renditions).names()]
    try:
        with transaction.atomic():
            return MediaImage.objects.create(
                file=name,
                width=image.width,
                height=image.height,
                renditions=renditions,
                sha256=digest,
                uploaded_by=uploaded_by,
                **{key: value.strip() for key, value in texts.items()},
            )
    except IntegrityError:
        # The same picture arrived at the same moment from elsewhere: keep that row.
        for path in written:
            default_storage.delete(path)
        return _fill_missing_texts(MediaImage.objects.get(sha256=digest), texts)


def _fill_missing_texts(image: MediaImage, texts: dict[str, str]) -> MediaImage:
    changed = [key for key, value in texts.items() if value.strip() and not getattr(image, key, "")]
    for key in changed:
        setattr(image, key, texts[key].strip())
    if changed:
        image.save(update_fields=changed)
    return image
