"""Receivers that keep the index in step with the articles (connected in apps.py)."""

from __future__ import annotations

from typing import Any

from articles.models import Article

from .services import search_index_update


def search_index_on_save(
    sender: type[Article], instance: Article, raw: bool = False, **kwargs: Any
) -> None:
    """post_save receiver; fixtures loaded raw are indexed by a rebuild."""
    if not raw:
        search_index_update(articles=[instance])
