"""Rich text that is sanitised whatever writes it: the editor widget, a form, or code."""

from __future__ import annotations

import re
from typing import Any

import nh3
from django.conf import settings
from django.db import models
from django_prose_editor.fields import ProseEditorField

from library.editor import PICTURE_EXTENSIONS

# What journalists may write. Everything else (scripts, event handlers, style attributes,
# iframes, javascript: links) is dropped by the allow-list.
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "u", "s", "sub", "sup", "h2", "h3", "h4", "ul", "ol", "li",
    "blockquote", "hr", "a", "figure", "figcaption", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "img": {"src", "alt", "width", "height", "data-media-id"},
    "*": {"dir", "lang"},
}
_DIGITS = re.compile(r"[0-9]{1,9}")
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=\")[^>]*>")
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}
LOCAL_MEDIA_URL = "/media/"  # MEDIA_URL on local disk

EDITOR_EXTENSIONS: dict[str, Any] = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False},
    "History": True,
    **PICTURE_EXTENSIONS,
}


def _local_media_only(element: str, attribute: str, value: str) -> str | None:
    """Images may only show files of this site's media library.

    A remote `src` would let a body track readers (or break when the other site goes); a
    `data:` URL smuggles unchecked bytes. Only addresses under MEDIA_URL pass ("//host/..."
    does not: it is remote); with media in a bucket that is the bucket's public address, and
    "/media/" still passes so bodies written before the move keep their pictures (pages show
    them through `data-media-id`). Sizes and the library id must be plain numbers.
    """
    if element != "img":
        return value
    if attribute == "src":
        prefixes = (settings.MEDIA_URL, LOCAL_MEDIA_URL)
        local = value.startswith(prefixes) and not value.startswith("//")
        return value if local and "\\" not in value and ".." not in value else None
    if attribute in {"width", "height", "data-media-id"}:
        return value if _DIGITS.fullmatch(value.strip()) else None
    return value


def sanitize_html(html: str | None) -> str:
    """Allow-list sanitiser for article bodies; Arabic text passes through untouched."""
    if not html:
        return ""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_local_media_only,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    # An image whose source was refused is dropped whole, not left as an empty box.
    cleaned = _IMG_WITHOUT_SRC.sub("", cleaned).strip()
    return "" if cleaned in {"<p></p>", "<p><br></p>"} else cleaned


class RichTextField(ProseEditorField):
    """A ProseMirror editor in the admin, sanitised on form clean *and* on every save."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("extensions", dict(EDITOR_EXTENSIONS))
        kwargs["sanitize"] = sanitize_html
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value
