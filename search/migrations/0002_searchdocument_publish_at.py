"""Each index row keeps its article's publication time, indexed with the language.

Broad queries take their candidates newest first from this index instead of joining every
match to its article. Existing rows are filled from their articles; saves keep them current.
"""

from django.db import migrations, models

BACKFILL = (
    "UPDATE articles_searchdocument SET publish_at = ("
    "SELECT a.publish_at FROM articles_article a WHERE a.id = articles_searchdocument.article_id)"
)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0008_searchdocument_moves_to_search'),
        ('search', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='searchdocument',
            name='publish_at',
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop, elidable=True),
        migrations.AddIndex(
            model_name='searchdocument',
            index=models.Index(fields=['language', '-publish_at', '-article'], name='search_doc_newest_idx'),
        ),
    ]
