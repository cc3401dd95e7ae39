"""Fields translated into fr and en by django-modeltranslation; Arabic is the default."""

from modeltranslation.translator import TranslationOptions, register

from .models import Article, Author, Category, Tag


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
