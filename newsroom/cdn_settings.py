"""Which purge backends the settings switch on, read by the settings module.

Kept apart (like media_storage.py) so the rule is one function, testable without a process
per environment, and nothing here touches Django's app registry.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

CREDENTIALS = {
    "newsroom.cdn.CloudflarePurger": ("CLOUDFLARE_ZONE_ID", "CLOUDFLARE_API_TOKEN"),
    "newsroom.cdn.FastlyPurger": ("FASTLY_SERVICE_ID", "FASTLY_API_TOKEN"),
}


def purge_backends(values: dict[str, str], varnish_urls: list[str], extra: list[str]) -> list[str]:
    """The app's own cache first, then each configured CDN, then `extra` dotted paths.

    A CDN with one credential of its two is refused: purges would silently never reach it.
    """
    backends = ["newsroom.pagecache.AppCachePurger"]
    if varnish_urls:
        backends.append("newsroom.cdn.VarnishPurger")
    for backend, names in CREDENTIALS.items():
        missing = [name for name in names if not values.get(name)]
        if len(missing) == 1:
            present = next(name for name in names if name not in missing)
            raise ImproperlyConfigured(
                f"{missing[0]} is not set while {present} is: set both to purge that CDN, "
                "or neither (see .env.example)."
            )
        if not missing:
            backends.append(backend)
    return backends + [path for path in extra if path not in backends]
