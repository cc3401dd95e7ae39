"""STUB for the importer's branch: replace with the real redirects module when merging.

Same signatures as the contract (normalise_path, add_redirect, site_redirects); it only stores
LegacyRedirect rows so the importer and its tests run without the redirects part.
"""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from django.contrib.contenttypes.models import ContentType

from .models import LegacyRedirect


def normalise_path(raw: str) -> str:
    parts = urlsplit(raw.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "m"]
    path = unicodedata.normalize("NFC", unquote(parts.path or "/"))
    return path + (f"?{urlencode(query)}" if query else "")


def add_redirect(
    *, old_path: str, target: Any = None, target_url: str = "", source: str = ""
) -> LegacyRedirect:
    fields: dict[str, Any] = {"target_url": target_url, "source": source}
    if target is not None:
        kind = ContentType.objects.get_for_model(target)
        fields |= {"content_type": kind, "object_id": target.pk}
    redirect, _ = LegacyRedirect.objects.update_or_create(
        old_path=normalise_path(old_path), defaults=fields
    )
    return redirect


def site_redirects(*, source: str, label_targets: dict[str, str]) -> None:
    for label, url in label_targets.items():
        add_redirect(old_path=f"/search/label/{label}", target_url=url, source=source)
