"""What load balancers and operators read: health checks, which server answered, request ids.

`/healthz` says the process is up (no database, so a slow database never gets a healthy
server taken out); `/readyz` says it can serve: database, cache and media storage reachable.
Every response names the app server that answered (`X-Served-By`) and carries a request id,
taken from the proxy's `X-Request-ID` when it sends a sane one, so a line in nginx's log and
one in the app's log can be matched. Both headers are added outside every cache, so no copy
of a page ever names the wrong server.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="-")
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_OWN_HEADERS = ("x-served-by", "x-request-id")


class ServedBy:
    """WSGI middleware, outermost: the request id for logs, and the two headers."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        incoming = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _SANE_ID.fullmatch(incoming) else uuid.uuid4().hex
        environ["HTTP_X_REQUEST_ID"] = request_id
        extra = [("X-Served-By", settings.SERVER_ID), ("X-Request-ID", request_id)]

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            kept = [(name, value) for name, value in headers if name.lower() not in _OWN_HEADERS]
            return start_response(status, kept + extra, exc_info)

        token = REQUEST_ID.set(request_id)
        try:
            return self.app(environ, start)
        finally:
            REQUEST_ID.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record (`-` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors (`LOG_FORMAT=json`)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(record.created)),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "server": settings.SERVER_ID,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain")


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache() -> None:
    key = f"readyz:{settings.SERVER_ID}"
    cache.set(key, "1", timeout=30)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not keep a value")


def _check_storage() -> None:
    default_storage.exists("readyz-probe")


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the database, the cache and media storage answer; 503 naming what failed."""
    checks: dict[str, str] = {}
    for name, check in (
        ("database", _check_database),
        ("cache", _check_cache),
        ("storage", _check_storage),
    ):
        try:
            check()
        except Exception as error:  # any failure makes the server not ready
            logging.getLogger(__name__).warning("readyz: %s failed: %s", name, error)
            checks[name] = f"failed: {type(error).__name__}"
        else:
            checks[name] = "ok"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"ready": ready, "server": settings.SERVER_ID, "checks": checks},
        status=200 if ready else 503,
    )
