"""An article's History page in words an editor reads, not database values.

django-simple-history shows what it stored: `published` for a status, `None` for an empty
time, `<p>` tags in a body, its own change-reason keys. And because history is registered
after modeltranslation, every translated field is recorded twice: the original column
(`title`, which modeltranslation keeps in step with the Arabic text) and `title_ar`; each
change of a title then appeared twice. Here the original column is left out, each language
is labelled by name, and values are shown as the admin shows them elsewhere.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from html import unescape
from typing import Any

from django.conf import settings
from django.db.models import Field, ManyToManyField
from django.utils import formats, timezone
from django.utils.html import conditional_escape, strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy
from modeltranslation.translator import NotRegistered, translator
from simple_history.models import ModelChange
from simple_history.template_utils import HistoricalRecordContextHelper

from .fields import RichTextField
from .services import REASON_PUBLISHED, REASON_SUBMITTED, REASON_UNPUBLISHED

EMPTY = "—"

REASON_LABELS = {
    REASON_SUBMITTED: gettext_lazy("Submitted for review"),
    REASON_PUBLISHED: gettext_lazy("Published"),
    REASON_UNPUBLISHED: gettext_lazy("Unpublished (back to draft)"),
}


def reason_label(reason: str | None) -> str:
    if not reason:
        return EMPTY
    return str(REASON_LABELS.get(reason, reason))


def translated_base_fields(model: type) -> set[str]:
    """Names of the fields modeltranslation mirrors into `<name>_<language>` fields."""
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


def field_label(field: Field) -> str:
    """ "Title (Arabic)" for a per-language field, the plain verbose name otherwise."""
    base = getattr(field, "translated_field", None)
    language = getattr(field, "language", None)
    if base is None or language is None:
        return capfirst(str(field.verbose_name))
    names = {code: gettext(str(name)) for code, name in settings.LANGUAGES}
    return f"{capfirst(str(base.verbose_name))} ({names.get(language, language)})"


def readable_value(field: Field, value: Any) -> str:
    """A stored value as a person reads it: labels, local times, text without tags."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, list):
        return "، ".join(str(item) for item in value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.localize(value)
    if isinstance(value, date):
        return formats.localize(value)
    if isinstance(getattr(field, "translated_field", field), RichTextField):
        return " ".join(unescape(strip_tags(str(value))).split()) or EMPTY
    return str(value)


def changed_passage(old: str, new: str, *, context: int = 6, limit: int = 240) -> tuple[str, str]:
    """The words that differ between two texts, with a few words around them on each side.

    A body is thousands of characters; an editor wants to see the sentence that changed,
    not two truncated copies of the whole text with "[2062 chars]" in the middle.
    """
    old_words, new_words = old.split(), new.split()
    start = 0
    while start < min(len(old_words), len(new_words)) and old_words[start] == new_words[start]:
        start += 1
    end = 0
    while (
        end < min(len(old_words), len(new_words)) - start
        and old_words[-1 - end] == new_words[-1 - end]
    ):
        end += 1

    def passage(words: list[str]) -> str:
        first, last = max(0, start - context), len(words) - max(0, end - context)
        text = " ".join(words[first:last])
        if len(text) > limit:
            text = text[:limit].rsplit(" ", 1)[0] + " …"
        return ("… " if first > 0 else "") + text + (" …" if last < len(words) else "")

    return passage(old_words) if old_words else EMPTY, passage(new_words) if new_words else EMPTY


class ReadableHistoryContextHelper(HistoricalRecordContextHelper):
    def context_for_delta_changes(self, delta: Any) -> list[dict[str, Any]]:
        """Each change once, and only changes a reader can see.

        A first save in the admin turns an empty translation stored as NULL into "" and drops
        the microseconds of a time: real writes, but "— → —" tells an editor nothing.
        """
        mirrored = translated_base_fields(self.model)
        changes = [
            change
            for change in delta.changes
            if change.field not in mirrored
            and self._readable_pair(change)[0] != self._readable_pair(change)[1]
        ]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=changes))

    def _readable_pair(self, change: ModelChange) -> tuple[str, str]:
        field = self.model._meta.get_field(change.field)
        old = self.prepare_delta_change_value(change, change.old)
        new = self.prepare_delta_change_value(change, change.new)
        if isinstance(field, ManyToManyField):  # lists of related objects, not dicts
            old, new = [str(v) for v in old], [str(v) for v in new]
        return readable_value(field, old), readable_value(field, new)

    def format_delta_change(self, change: ModelChange) -> ModelChange:
        field = self.model._meta.get_field(change.field)
        old_text, new_text = self._readable_pair(change)
        if isinstance(getattr(field, "translated_field", field), RichTextField):
            old_short, new_short = changed_passage(old_text, new_text)
        else:
            old_short, new_short = self.get_obj_diff_display().common_shorten_repr(
                old_text, new_text
            )
        return dataclasses.replace(
            change,
            field=field_label(field),
            old=conditional_escape(old_short),
            new=conditional_escape(new_short),
        )


class ReadableHistoryAdminMixin:
    """For a SimpleHistoryAdmin: readable changes, reasons and column values."""

    def get_historical_record_context_helper(
        self, request: Any, historical_record: Any
    ) -> HistoricalRecordContextHelper:
        return ReadableHistoryContextHelper(self.model, historical_record)

    def set_history_delta_changes(
        self, request: Any, historical_records: Any, foreign_keys_are_objs: bool = True
    ) -> None:
        super().set_history_delta_changes(  # type: ignore[misc]
            request, historical_records, foreign_keys_are_objs=foreign_keys_are_objs
        )
        for record in historical_records:
            record.reason_label = reason_label(record.history_change_reason)
