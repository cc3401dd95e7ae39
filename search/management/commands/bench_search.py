"""Search benchmark: an archive of 100,000 articles in PostgreSQL, 100 varied queries.

`make bench-search` runs it against a dedicated database (created here if missing), never
the site's own. Each query is a full request of the search page through Django's test client
(form, ranked query, count, snippets, template), timed with a monotonic clock, three times
over; the report gives the median and the 95th percentile of each query's median time, and
of the first pass alone. The load is idempotent: a second run reuses the
archive and only times the queries.
"""

from __future__ import annotations

import gc
import os
import random
import re
import statistics
import time
from typing import Any
from urllib.parse import urlencode

import psycopg2
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client

from articles.models import Article
from newsroom.management.commands.load_demo import OBJECTS, SUBJECTS, VERBS
from search.models import SearchDocument
from search.query import MAX_RESULTS

#: Typed the way readers type: variant letters, tashkeel, glued و, Eastern digits, typos.
VARIANT_QUERIES = [
    "الحكومة",
    "الحكومه",
    "والحكومة",
    "الحُكُومَة",
    "الحكـــومة",
    "البرلمان",
    "والبرلمان",
    "الجامعة",
    "الجامعه",
    "فالجامعة",
    "السياحة",
    "السیاحة",  # Persian yeh
    "الفلاحة",
    "الفلاحه",
    "إصلاحات",
    "اصلاحات",
    "إصلاحات واسعة",
    "اتفاقية تعاون",
    "اتفاقيه تعاون",
    "مهرجانا ثقافيا",
    "ندوة دولية",
    "ندوه دوليه",
    "حملة وطنية",
    "خطة للتنمية",
    "برنامجا للشباب",
    "بنك المغرب",
    "بنک المغرب",  # Persian keheh
    "والمغرب",
    "المنتخب الوطني",
    "الدار البيضاء",
    "مراكش",
    "طنجة",
    "الرباط",
    "الميناء",
    "القطار",
    "وزارة الصحة",
    "مستشفى",
    "۲۰۲۵",
    "٢٠٢٤",
    "2023",
    "سنة ۲۰۲۴",
    "عملية",
    "الأمريكية",
    "الامريكية",
    "بوريطة",
    "سفير المغرب بواشنطن",
    "الحكومت",  # typo: trigram fallback
    "البرلمن",  # typo
    "مهرجن",  # typo
    "زلزال",  # no match
    "في من على",  # only stop words
    "؟!،",  # only punctuation
    "%_%",
    "' OR 1=1 --",
]
LATIN_QUERIES = [
    ("fr", "démonstration"),
    ("fr", "article"),
    ("fr", "texte français"),
    ("fr", "articles de démonstration"),
    ("fr", "élections"),
    ("en", "demo"),
    ("en", "demo article"),
    ("en", "english text"),
    ("en", "articles"),
    ("en", "housing"),
]
PREFIX = {"ar": "", "fr": "/fr", "en": "/en"}
COUNT = re.compile(r'data-count="(\d+)"')


def varied_queries(count: int) -> list[tuple[str, dict[str, str]]]:
    """`count` (path, params) pairs: reader variants, word combinations, filters, fr and en."""
    queries: list[tuple[str, dict[str, str]]] = [
        ("/search/", {"q": query}) for query in VARIANT_QUERIES
    ]
    queries += [(f"{PREFIX[language]}/search/", {"q": q}) for language, q in LATIN_QUERIES]
    combinations = (
        [{"q": f"{subject} {verb}"} for subject in SUBJECTS for verb in VERBS[:2]]
        + [{"q": f"{verb} {obj}"} for verb in VERBS for obj in OBJECTS[:2]]
        + [{"q": subject, "page": "3"} for subject in SUBJECTS]
        + [{"q": obj, "date_from": "2025-01-01"} for obj in OBJECTS]
    )
    random.Random(0).shuffle(combinations)  # noqa: S311 - a fixed, varied order
    queries += [("/search/", params) for params in combinations]
    return queries[:count]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


class Command(BaseCommand):
    help = "Load N articles into a dedicated PostgreSQL database and time 100 search queries."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--queries", type=int, default=100)
        parser.add_argument("--passes", type=int, default=3)
        parser.add_argument(
            "--force",
            action="store_true",
            help="allow a database whose name does not contain 'bench'",
        )

    def handle(
        self,
        *args: Any,
        count: int,
        queries: int,
        passes: int = 3,
        force: bool = False,
        **options: Any,
    ) -> None:
        settings_dict = connection.settings_dict
        if connection.vendor != "postgresql":
            raise CommandError("The search benchmark needs PostgreSQL: set DATABASE_URL.")
        if "bench" not in settings_dict["NAME"] and not force:
            raise CommandError(
                f"Refusing to load {count} articles into {settings_dict['NAME']!r}: "
                "use a database whose name contains 'bench' (or --force)."
            )
        self.create_database(settings_dict)
        call_command("migrate", verbosity=0)

        started = time.perf_counter()
        existing = Article.objects.filter(slug__startswith="demo-").count()
        if existing < count:
            call_command("load_demo", count=count, no_progress=True, verbosity=0)
        load_seconds = time.perf_counter() - started
        if existing < count or SearchDocument.objects.count() < Article.objects.count():
            started = time.perf_counter()
            call_command("rebuild_search_index", no_progress=True, verbosity=0)
            index_seconds = time.perf_counter() - started
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        else:
            index_seconds = 0.0

        total = Article.objects.count()
        documents = SearchDocument.objects.count()
        self.stdout.write(
            f"archive: {total} articles, {documents} index rows "
            f"(load {load_seconds:.1f} s, index {index_seconds:.1f} s; 0 means reused)"
        )

        client = Client(SERVER_NAME="localhost")
        plan = varied_queries(queries)
        gc.freeze()  # as newsroom.wsgi does once a worker has loaded the site
        for path, params in plan[:10]:  # warm the connection and the caches
            client.get(path, params)
        # Three passes over the plan; each query's figure is the median of its three times, so
        # a hiccup of this shared machine (a stolen slice of CPU) does not pass for a slow
        # query. The first pass alone is reported too.
        runs: dict[int, list[float]] = {index: [] for index in range(len(plan))}
        matches: dict[int, int] = {}
        for _pass in range(passes):
            for index, (path, params) in enumerate(plan):
                started = time.perf_counter()
                response = client.get(path, params)
                runs[index].append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    url = f"{path}?{urlencode(params)}"
                    raise CommandError(f"{url} answered {response.status_code}")
                found = COUNT.search(response.content.decode())
                matches[index] = int(found[1]) if found else 0
        urls = [f"{path}?{urlencode(params)}" for path, params in plan]
        first = [(runs[i][0], urls[i], matches[i]) for i in runs]
        timings = [(statistics.median(runs[i]), urls[i], matches[i]) for i in runs]

        self.report(f"{len(timings)} queries over {total} articles, first pass", first)
        label = f"{len(timings)} queries over {total} articles, median of {passes} passes"
        self.report(label, timings)
        self.report("  with fewer than 1,000 matches", [t for t in timings if t[2] < MAX_RESULTS])
        self.report("  with 1,000 matches or more", [t for t in timings if t[2] >= MAX_RESULTS])
        self.stdout.write(f"load average during the run: {os.getloadavg()[0]:.1f}")
        self.stdout.write("slowest (median of the passes):")
        for elapsed, url, count in sorted(timings, reverse=True)[:5]:
            self.stdout.write(f"  {elapsed:7.1f} ms  {count:5d} matches  {url}")

    def report(self, label: str, timings: list[tuple[float, str, int]]) -> None:
        values = [elapsed for elapsed, _, _ in timings]
        if not values:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{label}: n={len(values)}, median {statistics.median(values):.1f} ms, "
                f"p95 {percentile(values, 0.95):.1f} ms, max {max(values):.1f} ms"
            )
        )

    def create_database(self, settings_dict: dict[str, Any]) -> None:
        """Create the benchmark database from the maintenance database if it is missing."""
        params = {
            "dbname": "postgres",
            "user": settings_dict.get("USER") or None,
            "password": settings_dict.get("PASSWORD") or None,
            "host": settings_dict.get("HOST") or None,
            "port": settings_dict.get("PORT") or None,
        }
        maintenance = psycopg2.connect(**{k: v for k, v in params.items() if v is not None})
        try:
            maintenance.autocommit = True
            with maintenance.cursor() as cursor:
                cursor.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [settings_dict["NAME"]]
                )
                if cursor.fetchone() is None:
                    cursor.execute(
                        f'CREATE DATABASE "{settings_dict["NAME"].replace(chr(34), "")}"'  # noqa: S608
                    )
                    self.stdout.write(f"created database {settings_dict['NAME']}")
        finally:
            maintenance.close()
