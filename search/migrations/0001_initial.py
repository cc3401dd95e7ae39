"""SearchDocument, taken over from articles with its table: state only, no data moves.

The table `articles_searchdocument` was created by articles/0003 (with the PostgreSQL GIN
index on `vector` and trigram index on `title`, which are not part of the model's state) and
articles/0005 added the French and English text search configurations; all of it stays.
The content type is renamed so that permissions granted on the model keep pointing at it.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


def content_type_to_search(apps, schema_editor):
    _rename_content_type(apps, schema_editor, "articles", "search")


def content_type_to_articles(apps, schema_editor):
    _rename_content_type(apps, schema_editor, "search", "articles")


def _rename_content_type(apps, schema_editor, old, new):
    """A fresh database has no content types yet (post_migrate creates them): nothing to do."""
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    if content_types.filter(app_label=new, model="searchdocument").exists():
        return
    content_types.filter(app_label=old, model="searchdocument").update(app_label=new)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("articles", "0008_searchdocument_moves_to_search"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SearchDocument",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("language", models.CharField(max_length=5, verbose_name="language")),
                        ("title", models.TextField(blank=True, verbose_name="title")),
                        ("summary", models.TextField(blank=True, verbose_name="summary")),
                        ("body", models.TextField(blank=True, verbose_name="body")),
                        ("vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                        ("article", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="search_documents", to="articles.article", verbose_name="article")),
                    ],
                    options={
                        "verbose_name": "search document",
                        "verbose_name_plural": "search documents",
                        "db_table": "articles_searchdocument",
                        "constraints": [models.UniqueConstraint(fields=("article", "language"), name="unique_search_document_language")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_search, content_type_to_articles, elidable=True),
    ]
