from typing import Any

from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def article_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """An article the lists show was edited, unpublished or deleted: rebuild them after commit.

    Its title or status may have changed: the lists are rebuilt and every page showing them
    purged. Other saves (nearly all) cost one cache read.
    """
    from newsroom import pagecache

    from .ranking import refresh_after_edit, shows

    if not pagecache.in_bulk() and shows(instance.pk):
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
