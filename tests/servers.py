"""A real gunicorn serving the project against the test database, for load tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from .conftest import free_port

ROOT = Path(__file__).resolve().parent.parent


def current_database_url() -> str:
    """The URL of the PostgreSQL database this test run uses, for a server in another process."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def gunicorn(
    *,
    env: dict[str, str] | None = None,
    workers: int = 2,
    threads: int = 1,
    probe: str = "/robots.txt",
    boot_seconds: float = 40,
) -> Iterator[str]:
    """Start gunicorn on a free 127.0.0.1 port and yield its base URL; stop it afterwards.

    The server sits behind one trusted proxy, so a test can give each request its own client
    address through X-Forwarded-For, and signs with the test run's SECRET_KEY, so forms can be
    posted with tokens the test made.
    """
    port = free_port()
    server_env = {
        **os.environ,
        "DATABASE_URL": current_database_url(),
        "DEBUG": "1",  # static files without collectstatic; the request path is the same
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "TRUSTED_PROXY_COUNT": "1",
        "LOG_LEVEL": "WARNING",
        **(env or {}),
    }
    command = [
        sys.executable, "-m", "gunicorn", "newsroom.wsgi",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
        "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=server_env)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + boot_seconds  # a loaded machine boots workers slowly
        while True:
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail("gunicorn did not start")
            try:
                urllib.request.urlopen(base + probe, timeout=10).close()  # noqa: S310
                break
            except urllib.error.HTTPError:
                break  # it answers, even if not with 200
            except OSError:  # refused while booting, or a read timeout under load
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)
