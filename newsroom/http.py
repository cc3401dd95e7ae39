"""Facts about the request that proxies can blur: the client's address."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of the client, as far as the configured proxies let us know it.

    With TRUSTED_PROXY_COUNT = 0 (no proxy) only REMOTE_ADDR counts: anyone can send an
    X-Forwarded-For header, so reading it blindly would let a spammer pick a new address for
    every request and walk past the rate limit. Behind N trusted proxies, each appends the
    address it saw, so the client is the Nth address from the right; anything to its left was
    written by the client and is ignored.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR", "")) or ""
    trusted = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if trusted <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < trusted:
        # Fewer hops than proxies configured: the request did not come through them all.
        return remote
    return _valid_ip(forwarded[-trusted]) or remote
