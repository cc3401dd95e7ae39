"""Writes to the media library."""

from __future__ import annotations

import hashlib
import io
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.html import escape

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


def image_payload(image: MediaImage) -> dict[str, Any]:
    """What the editor needs to insert a picture: its largest JPEG rendition and its texts.

    The body keeps this local rendition as `src` (feeds and old readers show it as is);
    public pages swap in the full srcset at render time through `data-media-id`.
    """
    largest = Renditions(image.renditions).largest("jpeg")
    if largest is not None:
        width, height, src = largest.width, largest.height, largest.url
    else:
        width, height, src = image.width, image.height, image.url
    return {
        "id": image.pk,
        "src": src,
        "thumb": image.thumbnail_url(),
        "width": width,
        "height": height,
        "alt": image.alt_ar or "",
        "caption": image.caption_ar or "",
        "credit": image.credit_ar or "",
    }


def figure_html(image: MediaImage, *, alt: str = "", caption: str = "", credit: str = "") -> str:
    """The body markup of a library picture, as the editor's picture dialog writes it.

    Public pages swap in the full srcset through `data-media-id`; this is what the body
    stores (importers and the demo write bodies too, so they share it).
    """
    shown = image_payload(image)
    text = " — ".join(part for part in (caption, credit) if part)
    figcaption = f"<figcaption>{escape(text)}</figcaption>" if text else ""
    return (
        f'<figure><img src="{escape(shown["src"])}" alt="{escape(alt or shown["alt"])}" '
        f'width="{shown["width"]}" height="{shown["height"]}" data-media-id="{image.pk}">'
        f"{figcaption}</figure>"
    )
