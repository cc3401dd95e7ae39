from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pages"
    verbose_name = _("Static pages")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the footer cache invalidation
