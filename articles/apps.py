from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Newsroom")

    def ready(self) -> None:
        # Revision history is registered here, after modeltranslation has added the per-language
        # fields (its app is ready first), so every version keeps the ar, fr and en texts.
        from simple_history import register

        from .models import Article

        register(
            Article,
            app=self.name,
            m2m_fields=[Article.tags.field],
            excluded_fields=["cover_renditions"],
        )

        # The search index follows every save; bulk writes are indexed by
        # `manage.py rebuild_search_index`.
        from django.db.models.signals import post_save

        from .search import search_index_on_save

        post_save.connect(search_index_on_save, sender=Article, dispatch_uid="article-search-index")
