"""Purge backends for caches in front of the site: Varnish (xkey), Cloudflare and Fastly.

The settings add each backend to `PAGE_CACHE_PURGERS` once it is configured, after the app's
own cache; `newsroom.pagecache.purge()` calls them after every commit that changes pages.

A CDN may be slow or down exactly when the news breaks, and publishing must not wait for it:
- tags go out in chunks each API accepts, over urllib with short timeouts;
- a failed call is retried a couple of times with a short pause, but never past the time
  `pagecache.purge()` allows for all backends together (`CDN_PURGE_BUDGET`);
- what still failed is not lost: it is kept pending in Django's cache (shared by every
  process), per target, and sent again with the next purge or by `manage.py retry_purges`.
A failure is logged; nothing here raises into the publish.
"""

from __future__ import annotations

import http.client
import json
import logging
import time
import urllib.error
import urllib.request
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache

from newsroom.pagecache import purge_time_left

logger = logging.getLogger(__name__)

NETWORK_ERRORS = (OSError, ValueError, http.client.HTTPException)  # URLError, timeouts, bad JSON


class PurgeRefused(Exception):
    """The API answered, but did not purge (Cloudflare's `success: false`)."""


# --- what is still to be sent ----------------------------------------------------------------


class PendingPurges:
    """Tags one target has yet to receive, kept in Django's cache.

    Every failure writes its own record, numbered by an atomic `incr`, so two processes
    failing at once never overwrite each other's tags. A delivery reads the records up to the
    current number, deletes them and writes back, as one new record, whatever it could not
    send. Records expire when no CDN copy they could clear can remain: `s-maxage`,
    `stale-while-revalidate` and `stale-if-error` after the failure.
    """

    def __init__(self, target: str) -> None:
        self.prefix = f"cdn:pending:{target}"
        self.counter = f"{self.prefix}:last"
        self.done = f"{self.prefix}:done"

    def add(self, tags: list[str]) -> None:
        if not tags:
            return
        cache.add(self.counter, 0, timeout=None)
        number = cache.incr(self.counter)
        seconds = (
            settings.CDN_S_MAXAGE
            + settings.CDN_STALE_WHILE_REVALIDATE
            + settings.CDN_STALE_IF_ERROR
        )
        cache.set(f"{self.prefix}:{number}", sorted(tags), timeout=seconds)

    def read(self) -> tuple[int, list[str], set[str]]:
        """The last record number, the keys of the records to take, and their tags."""
        last = cache.get(self.counter) or 0
        first = cache.get(self.done) or 0
        if first > last:  # the counter was evicted and started again
            first = 0
        keys = [f"{self.prefix}:{number}" for number in range(first + 1, last + 1)]
        tags: set[str] = set()
        for record in cache.get_many(keys).values():
            tags.update(record)
        return last, keys, tags

    def settle(self, last: int, keys: list[str], unsent: list[str]) -> None:
        """Replace the records taken by one holding the tags that are still unsent."""
        self.add(unsent)
        if keys:
            cache.delete_many(keys)
            cache.set(self.done, last, timeout=None)

    def tags(self) -> set[str]:
        """Every tag still waiting, for the operator's eye and the tests."""
        return self.read()[2]


# --- one place to purge ----------------------------------------------------------------------


class Target:
    """One place to purge (a Varnish server, a Cloudflare zone, a Fastly service).

    Subclasses set `name`, `chunk_size`, `timeout` and `retries` and send one chunk in `send()`,
    raising on failure.
    """

    name = ""
    label = ""
    chunk_size = 100
    timeout: float = 2
    retries = 2

    def send(self, tags: list[str], timeout: float) -> None:
        raise NotImplementedError

    def deliver(self, tags: list[str]) -> tuple[int, int]:
        """Send `tags` and whatever is pending; return (tags sent, tags left pending)."""
        pending = PendingPurges(self.name)
        last, keys, earlier = pending.read()
        todo = sorted(set(tags) | earlier)
        chunks = [todo[i : i + self.chunk_size] for i in range(0, len(todo), self.chunk_size)]
        unsent: list[str] = []
        for index, chunk in enumerate(chunks):
            if not self._send_with_retries(chunk):
                # Most likely down: keep this chunk and the rest for later rather than wait more.
                unsent = [tag for rest in chunks[index:] for tag in rest]
                break
        pending.settle(last, keys, unsent)
        if unsent:
            logger.error(
                "%s purge failed: %d tags kept pending (sent again with the next purge or by "
                "manage.py retry_purges)",
                self.label,
                len(unsent),
            )
        return len(todo) - len(unsent), len(unsent)

    def _send_with_retries(self, chunk: list[str]) -> bool:
        for attempt in range(self.retries + 1):
            timeout = self.timeout
            left = purge_time_left()
            if left is not None:
                if left <= 0.05:
                    return False
                timeout = min(timeout, left)
            try:
                self.send(chunk, timeout)
                return True
            except (*NETWORK_ERRORS, PurgeRefused) as error:
                logger.warning("%s purge failed (attempt %d): %s", self.label, attempt + 1, error)
            if attempt < self.retries:
                pause = 0.2 * (attempt + 1)
                left = purge_time_left()
                time.sleep(pause if left is None else max(0, min(pause, left)))
        return False


def _post(url: str, headers: dict[str, str], body: bytes, timeout: float) -> bytes:
    """POST and return the body; a 4xx/5xx raises PurgeRefused with the API's own words."""
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.read()
    except urllib.error.HTTPError as error:
        detail = error.read(500).decode("utf-8", "replace")
        raise PurgeRefused(f"HTTP {error.code}: {detail}") from None


class VarnishServer(Target):
    """One Varnish with the xkey module (deploy/varnish/newsroom.vcl): PURGE, `xkey-purge`."""

    chunk_size = 256  # keeps the header well under Varnish's 8 KB limit

    def __init__(self, url: str) -> None:
        self.url = url
        self.name = self.label = f"varnish:{url}"
        self.timeout = settings.VARNISH_PURGE_TIMEOUT
        self.retries = settings.VARNISH_PURGE_RETRIES

    def send(self, tags: list[str], timeout: float) -> None:
        request = urllib.request.Request(  # noqa: S310 - a configured http(s) URL
            self.url, method="PURGE", headers={"xkey-purge": " ".join(tags)}
        )
        with urllib.request.urlopen(request, timeout=timeout):  # noqa: S310
            pass


class CloudflareZone(Target):
    """Cloudflare's purge by cache tag (pages carry them in `Cache-Tag`).

    Cloudflare's documented limit is 100 operations (tags) per purge call on every plan (it
    was 30 before 2025); the call answers JSON whose `success` says whether it purged.
    """

    chunk_size = 100

    def __init__(self) -> None:
        self.zone = settings.CLOUDFLARE_ZONE_ID
        self.name = f"cloudflare:{self.zone}"
        self.label = f"Cloudflare zone {self.zone}"
        self.timeout = settings.CDN_PURGE_TIMEOUT
        self.retries = settings.CDN_PURGE_RETRIES

    def send(self, tags: list[str], timeout: float) -> None:
        url = f"{settings.CLOUDFLARE_API_URL}/zones/{quote(self.zone, safe='')}/purge_cache"
        headers = {
            "Authorization": f"Bearer {settings.CLOUDFLARE_API_TOKEN}",
            "Content-Type": "application/json",
        }
        answer = json.loads(_post(url, headers, json.dumps({"tags": tags}).encode(), timeout))
        if not (isinstance(answer, dict) and answer.get("success") is True):
            errors = answer.get("errors") if isinstance(answer, dict) else answer
            raise PurgeRefused(f"success is not true: {errors}")


class FastlyService(Target):
    """Fastly's batch purge by surrogate key (pages carry them in `Surrogate-Key`).

    Up to 256 keys per call, space-separated in the `Surrogate-Key` request header;
    `FASTLY_SOFT_PURGE` marks the pages stale instead of removing them.
    """

    chunk_size = 256

    def __init__(self) -> None:
        self.service = settings.FASTLY_SERVICE_ID
        self.name = f"fastly:{self.service}"
        self.label = f"Fastly service {self.service}"
        self.timeout = settings.CDN_PURGE_TIMEOUT
        self.retries = settings.CDN_PURGE_RETRIES

    def send(self, tags: list[str], timeout: float) -> None:
        url = f"{settings.FASTLY_API_URL}/service/{quote(self.service, safe='')}/purge"
        headers = {
            "Fastly-Key": settings.FASTLY_API_TOKEN,
            "Surrogate-Key": " ".join(tags),
            "Accept": "application/json",
        }
        if settings.FASTLY_SOFT_PURGE:
            headers["Fastly-Soft-Purge"] = "1"
        _post(url, headers, b"", timeout)


# --- the backends named in PAGE_CACHE_PURGERS ------------------------------------------------


class TargetPurger:
    """A backend for `PAGE_CACHE_PURGERS`: purges each of its targets, never raises."""

    def targets(self) -> list[Target]:
        raise NotImplementedError

    def purge(self, tags: list[str]) -> None:
        for target in self.targets():
            target.deliver(tags)

    def retry_pending(self) -> list[tuple[str, int, int]]:
        """Send what earlier purges left pending: (target, tags sent, tags still pending)."""
        return [(target.label, *target.deliver([])) for target in self.targets()]


class VarnishPurger(TargetPurger):
    """Every server of `VARNISH_PURGE_URLS`, each with its own pending tags."""

    def targets(self) -> list[Target]:
        return [VarnishServer(url) for url in settings.VARNISH_PURGE_URLS]


class CloudflarePurger(TargetPurger):
    """The zone `CLOUDFLARE_ZONE_ID`, with the API token `CLOUDFLARE_API_TOKEN`."""

    def targets(self) -> list[Target]:
        configured = settings.CLOUDFLARE_ZONE_ID and settings.CLOUDFLARE_API_TOKEN
        return [CloudflareZone()] if configured else []


class FastlyPurger(TargetPurger):
    """The service `FASTLY_SERVICE_ID`, with the API token `FASTLY_API_TOKEN`."""

    def targets(self) -> list[Target]:
        configured = settings.FASTLY_SERVICE_ID and settings.FASTLY_API_TOKEN
        return [FastlyService()] if configured else []
