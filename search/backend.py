"""Which database searches, and in which language's configuration."""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from newsroom import i18n

#: Text search configuration of each language's index rows. The French and English ones are
#: copies of PostgreSQL's with `unaccent` before the stemmer (migration
#: articles/0005_search_unaccent): the folded text and anything the Python table in
#: `search.text` misses meet the same way in the index and the query.
CONFIGS = {"ar": "arabic", "fr": "newsroom_french", "en": "newsroom_english"}


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def current_language() -> str:
    language = i18n.current_language()
    return language if language in CONFIGS else settings.LANGUAGE_CODE
