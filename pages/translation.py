"""Title, slug and body are translated; Arabic is required, French and English optional.

Title and slug fall back to Arabic (they name and address the page); the body never does,
so a French page never shows Arabic text (see articles/translation.py).
"""

from modeltranslation.translator import TranslationOptions, register

from articles.translation import without_fallback

from .models import Page


@register(Page)
class PageTranslation(TranslationOptions):
    fields = ("title", "slug", "body")
    required_languages = {"ar": ("title", "slug")}


without_fallback(Page, "body")
