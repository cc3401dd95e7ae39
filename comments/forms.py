"""The readers' comment form: fields, limits and the shared anti-spam checks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from newsroom.antispam import AntiSpamFormMixin
from newsroom.text import VisibleCharField, strip_invisible

from .models import Comment


class CommentForm(AntiSpamFormMixin, forms.ModelForm):
    """Name, email, comment and an optional reply-to, for one article.

    Names and comments lose their zero-width and bidi control characters before the length
    limits apply (80 and 3,000 characters). A reply to a reply is attached to the top-level
    comment, so threads stay one level deep.
    """

    name = VisibleCharField(label=_("Name"), max_length=80)
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("Required, never shown."),
    )
    body = VisibleCharField(
        label=_("Comment"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Comment
        fields = ["name", "email", "body"]

    def __init__(self, *args: Any, article: Article, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.article = article
        self.fields["name"].widget.attrs.update({"dir": "auto", "autocomplete": "name"})
        self.fields["email"].widget.attrs.update({"dir": "ltr", "autocomplete": "email"})

    def clean_email(self) -> str:
        return strip_invisible(self.cleaned_data["email"]).strip().lower()

    def clean_parent(self) -> Comment | None:
        parent_id = self.cleaned_data.get("parent")
        if not parent_id:
            return None
        parent = (
            Comment.objects.approved()
            .filter(article=self.article, pk=parent_id)
            .only("pk", "parent_id")
            .first()
        )
        if parent is None:
            raise forms.ValidationError(
                _("The comment you are replying to is not available."), code="parent"
            )
        if parent.parent_id:
            parent = Comment.objects.get(pk=parent.parent_id)
        return parent
