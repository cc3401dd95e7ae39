"""Throughput of the public pages under gunicorn, as a ratio to the floor of the same server.

Throughput is measured here, never asserted in a test. For each archive size the command fills
a database of its own with demo content (a SQLite file under var/bench/, or a PostgreSQL
database), then serves the site with production settings under gunicorn twice: with the page
cache off (fragment caches on) and on. In each run, `wrk` loads the home page, a section and
an article, and right after each one the same bytes served from memory by the same gunicorn
(`newsroom.bench_wsgi`): the floor. On a shared machine bare figures wander with the
neighbours' load; the ratio to a floor measured seconds apart does much less. CPU time per
request is read from the workers' own counters in /proc. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

PAGES = ("home", "section", "article")
HOP_HEADERS = {"date", "server", "connection", "transfer-encoding", "keep-alive"}


@dataclass
class Load:
    """One wrk run: requests per second and CPU milliseconds the workers spent per request."""

    rate: float
    cpu_ms: float


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process, from /proc (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


class Command(BaseCommand):
    help = "Benchmark home, section and article under gunicorn with wrk, against the floor."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--articles", type=int, nargs="+", default=[1000, 10000], help="archive sizes"
        )
        parser.add_argument(
            "--database",
            choices=["sqlite", "postgresql"],
            default="sqlite",
            help="a SQLite file under var/bench/ or a PostgreSQL database on 127.0.0.1:5432",
        )
        parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
        parser.add_argument(
            "--rounds", type=int, default=3, help="page/floor pairs per figure (medians shown)"
        )
        parser.add_argument("--connections", type=int, default=8, help="wrk connections")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
        parser.add_argument(
            "--cache-url",
            default=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/9"),
            help="the shared cache (its database is emptied); 'local' for per-worker memory",
        )
        parser.add_argument(
            "--paths", action="store_true", help="print the pages to load, as JSON (internal)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["paths"]:
            self.print_paths()
            return
        if not shutil.which("wrk"):
            raise CommandError("wrk is missing: apt-get install -y wrk (make bench does it).")
        static_root = tempfile.mkdtemp(prefix="bench-static-")
        try:
            self.collectstatic(static_root)
            for size in options["articles"]:
                self.bench_size(size, static_root, options)
        finally:
            shutil.rmtree(static_root, ignore_errors=True)
            Path(f"{static_root}.floor").unlink(missing_ok=True)

    # --- the archive ---------------------------------------------------------------------

    def database_url(self, size: int, engine: str) -> str:
        if engine == "postgresql":
            name = f"newsroom_bench_{size}"
            created = subprocess.run(  # noqa: S603
                ["createdb", "-h", "127.0.0.1", "-U", "postgres", name],  # noqa: S607
                capture_output=True,
                text=True,
            )
            if created.returncode and "already exists" not in created.stderr:
                raise CommandError(created.stderr)
            return f"postgres://postgres@127.0.0.1:5432/{name}"
        folder = Path(settings.BASE_DIR) / "var" / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{folder / f'articles-{size}.sqlite3'}"

    def manage(self, env: dict[str, str], *arguments: str) -> str:
        return subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *arguments],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def print_paths(self) -> None:
        """The pages to load, read from this process's database (run as a child)."""
        from django.db import connection

        from articles.models import Article, Category

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # bulk-loaded tables have no statistics yet
        article = Article.objects.published().newest_first().first()
        category = Category.objects.active().first()
        if article is None or category is None:
            raise CommandError("No published article to benchmark.")
        paths = {"home": "/", "section": category.get_absolute_url()}
        paths["article"] = article.get_absolute_url()
        count = Article.objects.published().count()
        self.stdout.write(json.dumps({"paths": paths, "published": count}))

    # --- the server ----------------------------------------------------------------------

    def base_env(self, database_url: str, static_root: str) -> dict[str, str]:
        return {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", secrets.token_urlsafe(50)),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_ROOT": static_root,
            "DATABASE_URL": database_url,
            "BENCH_FLOOR_FILE": str(Path(static_root).with_name(Path(static_root).name + ".floor")),
        }

    def collectstatic(self, static_root: str) -> None:
        env = self.base_env("sqlite:///:memory:", static_root)
        self.manage(env, "collectstatic", "--noinput", "-v0")

    def bench_size(self, size: int, static_root: str, options: dict[str, Any]) -> None:
        database_url = self.database_url(size, options["database"])
        env = self.base_env(database_url, static_root)
        self.stdout.write(f"Loading {size:,} articles into {options['database']}…")
        self.manage(env, "migrate", "--noinput", "-v0")
        self.manage(env, "load_demo", "--count", str(size), "--no-progress")
        found = json.loads(self.manage(env, "bench_pages", "--paths").strip().splitlines()[-1])
        paths: dict[str, str] = found["paths"]
        cache_url = options["cache_url"]
        if cache_url != "local":
            env["CACHE_URL"] = cache_url
        else:
            env.pop("CACHE_URL", None)
            env.pop("REDIS_URL", None)
        self.stdout.write(
            f"\n{found['published']:,} published articles, {options['database']}, "
            f"cache: {cache_url}, gunicorn {options['workers']} sync workers, "
            f"wrk {options['connections']} connections × {options['duration']} s, "
            f"median of {options['rounds']} page/floor pairs\n"
        )
        header = (
            f"{'page':<9}{'mode':<10}{'req/s':>9}{'CPU ms':>8}"
            f"{'floor req/s':>13}{'floor CPU':>11}{'ratio':>8}"
        )
        self.stdout.write(header)
        for mode, page_cache in (("uncached", "0"), ("cached", "1")):
            self.flush_cache(cache_url)
            with self.server({**env, "PAGE_CACHE": page_cache}, options) as (port, pid):
                self.capture_floor(port, paths, env["BENCH_FLOOR_FILE"])
                for page in PAGES:
                    self.wrk(port, paths[page], pid, options, seconds=2)  # warm every worker
                    pairs = [
                        (
                            self.wrk(port, paths[page], pid, options),
                            self.wrk(port, f"/__floor__/{page}", pid, options),
                        )
                        for _ in range(options["rounds"])
                    ]
                    site = Load(
                        statistics.median(p[0].rate for p in pairs),
                        statistics.median(p[0].cpu_ms for p in pairs),
                    )
                    floor = Load(
                        statistics.median(p[1].rate for p in pairs),
                        statistics.median(p[1].cpu_ms for p in pairs),
                    )
                    ratio = statistics.median(p[0].rate / p[1].rate for p in pairs)
                    self.stdout.write(
                        f"{page:<9}{mode:<10}{site.rate:>9.0f}{site.cpu_ms:>8.2f}"
                        f"{floor.rate:>13.0f}{floor.cpu_ms:>11.2f}{ratio:>8.1%}"
                    )

    def flush_cache(self, cache_url: str) -> None:
        if cache_url == "local":
            return
        import redis

        redis.Redis.from_url(cache_url).flushdb()

    def server(self, env: dict[str, str], options: dict[str, Any]) -> _Server:
        return _Server(env, options["workers"])

    def capture_floor(self, port: int, paths: dict[str, str], floor_file: str) -> None:
        """The bytes each page answers with now, for the floor to replay from memory."""
        pages = {}
        for page, path in paths.items():
            for _ in range(2):  # the second answer is the cached one when the cache is on
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("GET", path, headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                body = response.read()
                connection.close()
            if response.status != 200:
                raise CommandError(f"{path} answered {response.status}")
            headers = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_HEADERS]
            pages[page] = {
                "status": f"{response.status} {response.reason}",
                "headers": headers,
                "body": body.decode("latin-1"),
            }
        Path(floor_file).write_text(json.dumps(pages), encoding="utf-8")

    def wrk(
        self, port: int, path: str, pid: int, options: dict[str, Any], seconds: int = 0
    ) -> Load:
        workers = _children(pid)
        before = sum(_cpu_seconds(worker) for worker in workers)
        output = subprocess.run(  # noqa: S603
            [
                shutil.which("wrk") or "wrk", "-t", "2", "-c", str(options["connections"]),
                "-d", f"{seconds or options['duration']}s", "--timeout", "30s",
                f"http://127.0.0.1:{port}{path}",
            ],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        spent = sum(_cpu_seconds(worker) for worker in workers) - before
        if "Non-2xx" in output or "Socket errors" in output:
            raise CommandError(f"wrk saw errors on {path}:\n{output}")
        total = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
        return Load(rate=rate, cpu_ms=1000 * spent / max(total, 1))


class _Server:
    """gunicorn serving `newsroom.bench_wsgi` on a free port; stopped on exit."""

    def __init__(self, env: dict[str, str], workers: int) -> None:
        self.env = env
        self.workers = workers

    def __enter__(self) -> tuple[int, int]:
        self.port = _free_port()
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable, "-m", "gunicorn", "newsroom.bench_wsgi",
                "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
                "--log-level", "warning",
            ],
            cwd=settings.BASE_DIR, env=self.env,
        )  # fmt: skip
        for _ in range(150):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            self.process.kill()
            raise CommandError("gunicorn did not start")
        for _ in range(50):  # every worker booted, so /proc lists them all
            if len(_children(self.process.pid)) >= self.workers:
                break
            time.sleep(0.1)
        return self.port, self.process.pid

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
