"""French and English search ignore accents on PostgreSQL: `unaccent` before the stemmer.

`newsroom_french` and `newsroom_english` are copies of the built-in configurations whose word
mappings pass through the `unaccent` dictionary first, so `hôpital` and `hopital` give one
lexeme in the index and in the query. Nothing happens on SQLite, where search folds accents
in Python.

Index rows written before this migration keep their old vectors: run
`python manage.py rebuild_search_index` after migrating (`make run` does).
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

CONFIGURATIONS = {"newsroom_french": "french", "newsroom_english": "english"}


class PostgresOnlyUnaccentExtension(UnaccentExtension):
    """unaccent on PostgreSQL; nothing elsewhere, in both directions (see 0003)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def create_configurations(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, source in CONFIGURATIONS.items():
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
        schema_editor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {source})")
        schema_editor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {name} "
            f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {source}_stem"
        )


def drop_configurations(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CONFIGURATIONS:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0004_featured_index"),
    ]

    operations = [
        PostgresOnlyUnaccentExtension(),
        migrations.RunPython(create_configurations, drop_configurations, elidable=False),
    ]
