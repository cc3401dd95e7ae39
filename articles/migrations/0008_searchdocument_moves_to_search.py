"""SearchDocument now belongs to the search app: removed from articles' state only.

The table (`articles_searchdocument`), its GIN and trigram indexes and the text search
configurations created by 0003 and 0005 stay exactly as they are, rows included;
search/0001 takes the model over under the same table name.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0007_journalists_add_tags"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SearchDocument")],
            database_operations=[],
        ),
    ]
