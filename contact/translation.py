"""The subject names readers choose from, in ar (default), fr and en."""

from modeltranslation.translator import TranslationOptions, register

from .models import ContactSubject


@register(ContactSubject)
class ContactSubjectTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("ar",)
