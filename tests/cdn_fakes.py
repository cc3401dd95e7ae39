"""Local servers playing Cloudflare's and Fastly's purge APIs, for the CDN purge tests."""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .conftest import free_port

CLOUDFLARE_OK = {"success": True, "errors": [], "messages": [], "result": {"id": "zone-1"}}
CLOUDFLARE_REFUSED = {
    "success": False,
    "errors": [{"code": 1134, "message": "Purge rate limit exceeded"}],
    "messages": [],
    "result": None,
}


@dataclass
class Call:
    method: str
    path: str
    headers: Message
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class FakeAPI:
    """An HTTP server on 127.0.0.1 answering purge calls the way a CDN's API does.

    `replies` are answered first, in order, then `default`; `delay` makes every answer wait
    (a hanging API). `stop()` and `start()` take it down and bring it back on the same port.
    """

    default: tuple[int, Any]
    replies: list[tuple[int, Any]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    delay: float = 0
    port: int = field(default_factory=free_port)
    released: threading.Event = field(default_factory=threading.Event)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                api.calls.append(Call(self.command, self.path, self.headers, body))
                status, payload = api.replies.pop(0) if api.replies else api.default
                if api.delay and not api.released.wait(api.delay):
                    return  # the client gave up long ago
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.server.handle_error = lambda request, address: None  # type: ignore[method-assign]
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def tags(self) -> Counter[str]:
        """How many times each tag reached the API, over every call."""
        return Counter(tag for call in self.calls for tag in self.tags_of(call))

    def tags_of(self, call: Call) -> list[str]:
        raise NotImplementedError


class FakeCloudflare(FakeAPI):
    def tags_of(self, call: Call) -> list[str]:
        return call.json()["tags"]


class FakeFastly(FakeAPI):
    def tags_of(self, call: Call) -> list[str]:
        return call.headers["Surrogate-Key"].split(" ")
