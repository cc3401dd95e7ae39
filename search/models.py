"""The search index: one row per article and language, holding the text prepared for matching.

A separate table rather than columns on Article keeps the folded text (never shown to readers)
out of the article's admin, revisions and listing queries. The rows are rebuilt from the
article on every save (receiver connected in apps.py) and in bulk by
`manage.py rebuild_search_index`.

The table keeps the name it had when the model lived in articles (`articles_searchdocument`):
moving the model to this app changed no data. On PostgreSQL articles' migration 0003 added a
GIN index on `vector` (full-text search) and a trigram GIN index on `title` (typo fallback);
those indexes are created with raw SQL guarded by the database vendor, so they are not
declared in Meta and SQLite never sees them.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import Article


class SearchDocument(models.Model):
    """What search matches for one article in one language (ar, fr or en).

    `title`, `summary` and `body` hold matching text: for Arabic the output of
    `newsroom.arabic.search_terms()`, for French and English the plain text, lower-cased and
    without accents (`search.text.fold_latin`).
    `vector` (PostgreSQL only) weighs them A, B and C with the language's text search
    configuration. On PostgreSQL the summary and body live only in the vector (their columns
    stay empty): ranking a broad query reads every matching row, and narrow rows make that a
    third faster. SQLite has no vector and matches the stored text.
    """

    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="search_documents",
    )
    language = models.CharField(_("language"), max_length=5)
    title = models.TextField(_("title"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True)
    vector = SearchVectorField(null=True, editable=False)
    #: A copy of the article's publication time, written with the row: it orders the
    #: candidates of a broad query from this table's own index, so the newest matches are
    #: found without joining every match to its article. Which articles may be shown is
    #: still decided by the article's own status and time.
    publish_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        db_table = "articles_searchdocument"
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [
            models.Index(
                fields=["language", "-publish_at", "-article"], name="search_doc_newest_idx"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="unique_search_document_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article_id} ({self.language})"
