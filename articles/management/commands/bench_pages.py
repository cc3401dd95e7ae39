"""Throughput of the public pages under gunicorn: requests per second and latency percentiles.

Throughput is measured here, never asserted in a test. The command fills the configured
database with demo content, collects static files, starts gunicorn with production settings
on a free 127.0.0.1 port, requests each page a fixed number of times from a few threads, and
prints a table. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from articles.models import Article, Category


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class Command(BaseCommand):
    help = "Benchmark the public pages under gunicorn (make bench)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--articles", type=int, default=1000, help="archive size to load")
        parser.add_argument("--requests", type=int, default=300, help="requests per page")
        parser.add_argument("--concurrency", type=int, default=4, help="client threads")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("load_demo", count=options["articles"], no_progress=True, stdout=self.stdout)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh bulk-loaded tables have no statistics yet
        article = Article.objects.published().newest_first().first()
        category = Category.objects.active().first()
        if article is None or category is None:
            raise SystemExit("No published article to benchmark.")
        pages = {
            "home": "/",
            "home page 5": "/?page=5",
            "category": category.get_absolute_url(),
            "article": article.get_absolute_url(),
            "home (fr)": "/fr/",
        }
        with tempfile.TemporaryDirectory() as static_root:
            env = {
                **os.environ,
                "DEBUG": "0",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "127.0.0.1",
                "SECURE_SSL_REDIRECT": "0",
                "STATIC_ROOT": static_root,
            }
            subprocess.run(  # noqa: S603
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=settings.BASE_DIR,
                env=env,
                check=True,
            )
            port = _free_port()
            server = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "newsroom.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(options["workers"]),
                    "--log-level",
                    "warning",
                ],  # fmt: skip
                cwd=settings.BASE_DIR,
                env=env,
            )
            try:
                self._wait_until_up(port)
                self.stdout.write(
                    f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
                    f"{Article.objects.published().count()} published articles, "
                    f"{options['workers']} gunicorn workers, {options['concurrency']} clients"
                )
                self.stdout.write(f"{'page':<14}{'req/s':>8}{'median ms':>11}{'p95 ms':>9}")
                for name, path in pages.items():
                    rate, latencies = self._run(port, path, options)
                    self.stdout.write(
                        f"{name:<14}{rate:>8.1f}{statistics.median(latencies):>11.1f}"
                        f"{_percentile(latencies, 0.95):>9.1f}"
                    )
            finally:
                server.terminate()
                server.wait(timeout=30)

    def _wait_until_up(self, port: int) -> None:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("gunicorn did not start")

    def _run(self, port: int, path: str, options: dict[str, Any]) -> tuple[float, list[float]]:
        total, concurrency = options["requests"], options["concurrency"]
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        counter = iter(range(total))

        def client() -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            while True:
                with lock:
                    if next(counter, None) is None:
                        break
                start = time.perf_counter()
                connection.request("GET", path, headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    latencies.append(elapsed)
                    if response.status != 200:
                        errors.append(f"{path}: HTTP {response.status}")
            connection.close()

        # Warm up each worker before measuring.
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(options["workers"] * 3):
            warm.request("GET", path, headers={"Host": "127.0.0.1"})
            warm.getresponse().read()
        warm.close()
        threads = [threading.Thread(target=client) for _ in range(concurrency)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        duration = time.perf_counter() - started
        if errors:
            raise SystemExit(f"{len(errors)} failed requests, e.g. {errors[0]}")
        return total / duration, latencies
