"""Counters on the admin index ("12 comments awaiting moderation", "3 unread messages").

Apps register their counters in AppConfig.ready(); the admin index shows those the user has
the permission for. The project keeps one admin index template, whatever the apps count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class Counter:
    label: Callable[[int], str]  # receives the count, returns the localised sentence
    url_name: str
    permission: str
    count: Callable[[], int]
    query: str = ""


_COUNTERS: list[Counter] = []


def register_counter(counter: Counter) -> None:
    if counter not in _COUNTERS:
        _COUNTERS.append(counter)


def counters_for(user: Any) -> list[dict[str, Any]]:
    """The counters `user` may see, with their current values and links."""
    visible = []
    for counter in _COUNTERS:
        if not user.has_perm(counter.permission):
            continue
        value = counter.count()
        url = reverse(counter.url_name) + (f"?{counter.query}" if counter.query else "")
        visible.append({"label": counter.label(value), "count": value, "url": url})
    return visible
