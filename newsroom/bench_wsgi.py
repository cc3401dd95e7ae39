"""The WSGI entry point `make bench` runs: the site, plus its floor.

The floor is the fastest this gunicorn can answer with the same bytes: a request to
`/__floor__/<name>` gets the status, headers and body the benchmark captured from the page
`<name>`, straight from memory, without Django. The site's figures are reported as a ratio to
it, measured in the same run, so a noisy shared machine moves both alike. Production runs
`newsroom.wsgi`, which has no floor.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from typing import Any

from newsroom.wsgi import application as site

FLOOR_PREFIX = "/__floor__/"

_floor: dict[str, tuple[str, list[tuple[str, str]], bytes]] = {}


def _load_floor() -> None:
    """Read the captured pages once per worker (the file is written after the workers start)."""
    path = os.environ.get("BENCH_FLOOR_FILE", "")
    if not path or not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as handle:
        pages = json.load(handle)
    for name, page in pages.items():
        body = page["body"].encode("latin-1")
        headers = [(k, v) for k, v in page["headers"] if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(body))))
        _floor[name] = (page["status"], headers, body)


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    path = environ.get("PATH_INFO", "")
    if path.startswith(FLOOR_PREFIX):
        name = path[len(FLOOR_PREFIX) :]
        if name not in _floor:
            _load_floor()
        if name in _floor:
            status, headers, body = _floor[name]
            start_response(status, headers)
            return [body]
        start_response("404 Not Found", [("Content-Length", "0")])
        return [b""]
    return site(environ, start_response)
