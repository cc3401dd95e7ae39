from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def purge_cached_404s(sender: Any, **kwargs: Any) -> None:
    """An old link added or changed in the admin must not wait behind a cached 404."""
    from newsroom import pagecache

    if not pagecache.in_bulk():
        pagecache.purge_after_commit(["404"])


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("Moving in")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import LegacyRedirect

        post_save.connect(purge_cached_404s, sender=LegacyRedirect, dispatch_uid="imports-404")
        post_delete.connect(purge_cached_404s, sender=LegacyRedirect, dispatch_uid="imports-404d")
