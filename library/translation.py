"""Alt text, caption and credit in ar, fr and en; Arabic alt text and caption are required."""

from modeltranslation.translator import TranslationOptions, register

from .models import MediaImage


@register(MediaImage)
class MediaImageTranslation(TranslationOptions):
    fields = ("alt", "caption", "credit")
    required_languages = {"ar": ("alt", "caption")}
