from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # The index follows every article save; bulk writes are indexed by
        # `manage.py rebuild_search_index`. Connected here so that articles knows nothing of
        # search: the dependency points one way. A deleted article's rows go with it through
        # the foreign key's CASCADE, so deletion needs no receiver.
        from django.db.models.signals import post_save

        from articles.models import Article

        from .signals import search_index_on_save

        post_save.connect(search_index_on_save, sender=Article, dispatch_uid="article-search-index")
