"""Fields translated into fr and en by django-modeltranslation; Arabic is the default.

Falling back to Arabic is right for what names and addresses a thing (titles, names,
slugs): a French link to a section without a French name still needs a label and a URL.
It is wrong for the text a reader reads (summaries, kickers, bodies, captions, alt text,
descriptions, bios): a French page would then show Arabic paragraphs. Those fields have no
fallback, so a missing translation reads as empty and templates leave it out.
modeltranslation only takes `fallback_languages` per model, so `without_fallback()` sets it
on each of those fields' descriptors after registration.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Article, Author, Category, Tag

NO_FALLBACK: dict[str, tuple[str, ...]] = {"default": ()}


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name", "description", "slug")
    required_languages = ("ar",)


@register(Tag)
class TagTranslation(TranslationOptions):
    fields = ("name", "slug")
    required_languages = ("ar",)


@register(Author)
class AuthorTranslation(TranslationOptions):
    fields = ("name", "bio")
    required_languages = {"ar": ("name",)}


@register(Article)
class ArticleTranslation(TranslationOptions):
    fields = (
        "kicker",
        "title",
        "summary",
        "body",
        "slug",
        "cover_alt",
        "cover_caption",
        "meta_title",
        "meta_description",
    )
    required_languages = {"ar": ("title",)}


def without_fallback(model: type, *field_names: str) -> None:
    """Read these translated fields in the current language only, never in Arabic instead."""
    for name in field_names:
        model.__dict__[name].fallback_languages = NO_FALLBACK


without_fallback(Category, "description")
without_fallback(Author, "bio")
without_fallback(Article, "kicker", "summary", "body", "cover_alt", "cover_caption")
