"""Index every article for search (bulk inserts such as `load_demo --count` skip the signal)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from articles.models import Article
from search.services import search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index of every article, in batches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(
        self, *args: Any, batch_size: int = 1000, no_progress: bool = False, **options: Any
    ) -> None:
        with tqdm(
            total=Article.objects.count(), desc="index", unit="art", disable=no_progress
        ) as bar:
            rows = search_index_rebuild(batch_size=max(1, batch_size), progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {rows} documents."))
