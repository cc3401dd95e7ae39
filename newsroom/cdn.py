"""Purge backends for caches in front of the site, used through `PAGE_CACHE_PURGERS`.

Each backend is a class with `purge(tags)`; `newsroom.pagecache.purge()` calls them after the
app's own cache, logs a failure and goes on, so publishing never waits on a CDN for long.
"""

from __future__ import annotations

import logging
import time
import urllib.error
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)


class VarnishPurger:
    """Varnish with the xkey module (deploy/varnish/newsroom.vcl): one PURGE per server.

    `VARNISH_PURGE_URLS` lists the servers; a failed request is retried
    `VARNISH_PURGE_RETRIES` times with a short pause, then reported.
    """

    def purge(self, tags: list[str]) -> None:
        failed: list[str] = []
        for url in settings.VARNISH_PURGE_URLS:
            if not self._send(url, tags):
                failed.append(url)
        if failed:
            raise ConnectionError(f"Varnish purge failed at {', '.join(failed)}")

    def _send(self, url: str, tags: list[str]) -> bool:
        retries = settings.VARNISH_PURGE_RETRIES
        for attempt in range(retries + 1):
            request = urllib.request.Request(  # noqa: S310 - a configured http(s) URL
                url, method="PURGE", headers={"xkey-purge": " ".join(tags)}
            )
            try:
                with urllib.request.urlopen(request, timeout=settings.VARNISH_PURGE_TIMEOUT):  # noqa: S310
                    return True
            except (urllib.error.URLError, OSError) as error:
                logger.warning(
                    "Varnish purge at %s failed (attempt %d): %s", url, attempt + 1, error
                )
                if attempt < retries:
                    time.sleep(0.2 * (attempt + 1))
        return False
