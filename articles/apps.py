from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


def review_label(count: int) -> str:
    return ngettext(
        "%(count)d article awaiting review", "%(count)d articles awaiting review", count
    ) % {"count": count}


def review_count() -> int:
    from .models import Article

    return Article.objects.filter(status=Article.Status.REVIEW).count()


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Content")

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

        # Saves clear the cached pages showing what changed, after the commit.
        from . import purges

        purges.connect()

        # Editors see the size of the review queue on the admin index.
        from newsroom.dashboard import Counter, register_counter

        register_counter(
            Counter(
                label=review_label,
                url_name="admin:articles_article_changelist",
                permission="articles.publish_article",
                count=review_count,
                query="status__exact=review",
            )
        )
