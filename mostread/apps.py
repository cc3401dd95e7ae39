from typing import Any

from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def article_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """After commit: a saved article's public languages are recorded for the beacon; if the
    lists show it (edited, unpublished or deleted), they are rebuilt and every page showing
    them purged. Other saves cost one cache read and one write.
    """
    from newsroom import pagecache

    from .ranking import refresh_after_edit, shows
    from .services import remember_public

    if pagecache.in_bulk():
        return
    saved = kwargs.get("signal") is post_save
    transaction.on_commit(lambda: remember_public(instance, deleted=not saved))
    if shows(instance.pk):
        transaction.on_commit(refresh_after_edit)


class MostReadConfig(AppConfig):
    name = "mostread"
    verbose_name = _("Most read")

    def ready(self) -> None:
        from articles.models import Article

        post_save.connect(article_changed, sender=Article, dispatch_uid="mostread-article-saved")
        post_delete.connect(
            article_changed, sender=Article, dispatch_uid="mostread-article-deleted"
        )
