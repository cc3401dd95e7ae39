"""The article form of the admin: language direction on every translated field, edit conflicts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .models import Article

LANGUAGE_DIRECTIONS = {"ar": "rtl", "fr": "ltr", "en": "ltr"}


class LanguageDirectionMixin:
    """Give each translated field's widget its language's `dir` and `lang`.

    modeltranslation names the fields `<field>_<language>`; without these attributes a French
    or English title typed in the Arabic (RTL) admin runs right to left, punctuation first.
    The rich-text editor copies them from its textarea (static/js/admin-editor.js).
    """

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            language = name.rsplit("_", 1)[-1] if "_" in name else ""
            if language in LANGUAGE_DIRECTIONS:
                field.widget.attrs.update(dir=LANGUAGE_DIRECTIONS[language], lang=language)


class TranslatedAdminForm(LanguageDirectionMixin, forms.ModelForm):
    """Admin form of the other translated models (sections, tags, authors)."""


class EditConflictError(Exception):
    """Someone else saved the article between the form's opening and this save."""


def conflict_message(article_pk: int) -> str:
    """Who saved last and when, as far as the history knows."""
    last = Article.history.filter(id=article_pk).select_related("history_user").first()
    if last is None:
        return str(
            _(
                "Someone else saved this article after you opened it. Nothing was overwritten: "
                "reload the page to see their changes, then apply yours again."
            )
        )
    when = formats.date_format(timezone.localtime(last.history_date), "DATETIME_FORMAT")
    user = last.history_user
    name = (user.get_full_name() or user.get_username()) if user else "?"
    return str(
        _(
            "%(user)s saved this article at %(time)s, after you opened it. Nothing was "
            "overwritten: reload the page to see their changes, then apply yours again."
        )
        % {"user": name, "time": when}
    )


class ArticleAdminForm(LanguageDirectionMixin, forms.ModelForm):
    """The admin's article form, carrying the version it was opened at.

    A save whose version is no longer the stored one is refused with the name of whoever
    saved in between, instead of silently overwriting their work.
    """

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = Article
        exclude: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The browser's copy of unsaved text (static/js/admin-autosave.js) reads its
        # translated labels from here: the admin's JavaScript catalogue has only Django's own.
        self.fields["opened_version"].widget.attrs.update(
            {
                "data-autosave-found": _("Unsaved text from %(time)s is kept in this browser."),
                "data-autosave-restore": _("Restore unsaved text"),
                "data-autosave-discard": _("Discard it"),
            }
        )
        if self.instance.pk and not self.is_bound:
            # The stored version, not the instance's: a version restored from the history
            # carries the number it had back then.
            stored = Article.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
            self.initial["opened_version"] = stored.first() or 0

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk and not self.instance._state.adding:
            opened = cleaned.get("opened_version")
            if opened is None:
                return cleaned  # a post without the form's version (scripts): nothing to compare
            stored = Article.objects.filter(pk=self.instance.pk)
            if transaction.get_connection().in_atomic_block:
                stored = stored.select_for_update()
            current = stored.values_list("version", flat=True).first()
            if current is not None and current != opened:
                raise forms.ValidationError(conflict_message(self.instance.pk), code="conflict")
        return cleaned
