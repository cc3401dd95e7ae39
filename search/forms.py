"""The search form (GET): the header's box sends only `q`, the page adds the filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from articles.home import active_sections
from articles.models import Category

from .text import MAX_QUERY_LENGTH


class SearchForm(forms.Form):
    """The search page's form (GET). The header's box sends only `q`."""

    q = forms.CharField(
        label=_("Search for"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _("The search is too long: use %(limit_value)d characters or fewer.")
        },
    )
    category = forms.ChoiceField(label=_("Section"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The header's cached list of sections (purged when a section is saved) serves both
        # the choices shown and the validation of the submitted slug: no query.
        self.sections = {category.slug: category for category in active_sections()}
        self.fields["category"].choices = [("", _("All sections"))] + [
            (slug, category.name) for slug, category in self.sections.items()
        ]

    def clean_category(self) -> Category | None:
        return self.sections.get(self.cleaned_data.get("category") or "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned
