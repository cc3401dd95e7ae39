"""Rich text that is sanitised whatever writes it: the editor widget, a form, or code."""

from __future__ import annotations

from typing import Any

import nh3
from django.db import models
from django_prose_editor.fields import ProseEditorField

# What journalists may write. Everything else (scripts, event handlers, style attributes,
# iframes, javascript: links) is dropped by the allow-list.
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "u", "s", "sub", "sup", "h2", "h3", "h4", "ul", "ol", "li",
    "blockquote", "hr", "a", "figure", "figcaption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "*": {"dir", "lang"}}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}

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
}


def sanitize_html(html: str | None) -> str:
    """Allow-list sanitiser for article bodies; Arabic text passes through untouched."""
    if not html:
        return ""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()
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
