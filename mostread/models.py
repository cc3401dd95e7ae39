"""Page views per article, language and hour: what the "most read" block sums.

One row per (article, language, hour) rather than one per view: the counting happens in the
shared cache and `services.flush_counts()` writes the totals here in batches.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import Article


class ArticleViewCount(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", verbose_name=_("article")
    )
    language = models.CharField(_("language"), max_length=8)
    hour = models.DateTimeField(_("hour"), help_text=_("The start of the hour, in UTC."))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("article views in an hour")
        verbose_name_plural = _("article views per hour")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language", "hour"], name="mostread_one_row_per_hour"
            )
        ]
        # "Sum of views since T per language, per article": language and hour narrow the
        # rows, the article id is read from the index.
        indexes = [
            models.Index(fields=["language", "hour", "article"], name="mostread_lang_hour_idx")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {self.language} {self.hour:%Y-%m-%d %H}h: {self.views}"
