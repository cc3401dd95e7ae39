"""Old links of a Blogger or WordPress site, stored once and answered with one 301.

An old link reaches us in many spellings: with or without its host, percent-encoded in upper
or lower case or sent as raw UTF-8, with Blogger's mobile switch (`?m=1`), a comment anchor
(`?showComment=…#c…`), a trailing slash or not, and now and then a stray bidi mark copied
along with an Arabic title. `normalise_path()` folds all of them into one key, so a stored
row matches every spelling with one indexed equality lookup; the importer stores keys made
by the same function.

Rows point at an object (stored by content type and id, so a later slug change still lands
right) or, for what has no object (a feed, a hand-made fix), at a URL.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.urls import Resolver404, resolve
from django.utils import translation

from newsroom.text import strip_invisible

from .models import LegacyRedirect

# Query parameters that name an item on the old site; every other one (`m`, `showComment`,
# `max-results`, `utm_*`, ...) only changes how a page looked and is dropped. In this order.
ITEM_PARAMETERS = ("p", "page_id", "attachment_id", "cat", "tag")

# Rows an editor changed in the admin carry this source: a re-import leaves them alone.
EDITOR_SOURCE = "admin"

# Blogger's label listing and label feeds, where `+` in the label stands for a space.
LABEL_PREFIXES = ("/search/label/", "/feeds/posts/default/-/", "/feeds/posts/summary/-/")

_SLASHES = re.compile("/{2,}")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def _clean_text(text: str) -> str:
    """NFC, without the invisible characters copied Arabic text carries, nor line breaks."""
    return strip_invisible(unicodedata.normalize("NFC", text)).replace("\n", "").replace("\t", "")


def _escape(text: str, specials: str) -> str:
    """Escape `%` and the characters that would change meaning when the key is read again."""
    for char in "%" + specials:
        text = text.replace(char, f"%{ord(char):02X}")
    return text


def normalise_path(raw: str) -> str:
    """The one key of an old link: path (and item-naming query) without host or decoration.

    - the scheme and host are dropped (`https://old.example.ma/x` → `/x`), so is the fragment;
    - the path is percent-decoded once (upper- or lower-case hex), NFC-normalised, and loses
      bidi/zero-width/control characters; runs of slashes become one; `/index.php` is `/`;
    - a trailing slash is dropped (`/category/x/` and `/category/x` are one key; `/` stays);
    - in a Blogger label path a `+` is a space, as Blogger writes them;
    - only the query parameters of ITEM_PARAMETERS stay, in that order (`/?p=12`).

    The key is itself a valid input: normalise_path(normalise_path(x)) == normalise_path(x),
    which is why a literal `%` (and `?`, `#`) left after decoding is escaped again.
    """
    text = (raw or "").strip()
    if _SCHEME.match(text) or text.startswith("//"):
        parts = urlsplit(text if not text.startswith("//") else "http:" + text)
        path, query = parts.path, parts.query
    else:
        text = text.split("#", 1)[0]
        path, _sep, query = text.partition("?")
    path = _SLASHES.sub("/", "/" + path.lstrip("/"))
    label_at = next((len(p) for p in LABEL_PREFIXES if path.startswith(p)), None)
    if label_at is not None:
        path = path[:label_at] + path[label_at:].replace("+", " ")
    path = _clean_text(unquote(path, errors="replace"))
    path = _SLASHES.sub("/", path)
    if path == "/index.php":
        path = "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    specials = "?#+" if label_at is not None else "?#"
    key = _escape(path, specials)

    kept: dict[str, str] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        name = _clean_text(name).strip()
        if name in ITEM_PARAMETERS and name not in kept:
            value = _clean_text(value).strip()
            if value:
                kept[name] = value
    if kept:
        ordered = [name for name in ITEM_PARAMETERS if name in kept]
        key += "?" + "&".join(f"{name}={_escape(kept[name], '&=#+')}" for name in ordered)
    return key


def _same_target(row: LegacyRedirect, content_type: Any, object_id: Any, target_url: str) -> bool:
    return (
        row.content_type_id == (content_type.pk if content_type else None)
        and row.object_id == object_id
        and row.target_url == target_url
    )


def add_redirect(
    *, old_path: str, target: Any = None, target_url: str = "", source: str = ""
) -> LegacyRedirect:
    """Store (or update) the 301 of one old path: idempotent on the normalised path.

    `target` is any model instance with get_absolute_url(); it wins over `target_url`. A
    `target_url` that is itself a stored old path is replaced by that row's target, so a
    visitor never follows two hops. A row an editor changed in the admin (source
    EDITOR_SOURCE) keeps the editor's target. Two or three indexed queries per call.
    """
    key = normalise_path(old_path)
    content_type = None
    object_id = None
    if target is not None:
        if target.pk is None:
            raise ValueError("The target of a redirect must be saved first.")
        content_type = ContentType.objects.get_for_model(target)
        object_id = target.pk
        target_url = ""
    else:
        target_url = (target_url or "").strip()
        if not target_url:
            raise ValueError("A redirect needs a target object or a target URL.")
        if _is_local(target_url):
            target_key = normalise_path(target_url)
            if target_key == key:
                raise ValueError(f"{old_path!r} cannot redirect to itself.")
            hop = LegacyRedirect.objects.filter(old_path=target_key).first()
            if hop is not None:
                content_type, object_id = hop.content_type, hop.object_id
                target_url = hop.target_url

    with transaction.atomic():
        row = LegacyRedirect.objects.select_for_update().filter(old_path=key).first()
        if row is None:
            row = LegacyRedirect.objects.create(
                old_path=key,
                content_type=content_type,
                object_id=object_id,
                target_url=target_url,
                source=source,
            )
        elif row.source != EDITOR_SOURCE and not _same_target(
            row, content_type, object_id, target_url
        ):
            row.content_type, row.object_id, row.target_url = content_type, object_id, target_url
            row.source = source or row.source
            row.save(update_fields=["content_type", "object_id", "target_url", "source"])
    return row


def repoint_to(row: LegacyRedirect) -> int:
    """Rows whose target URL is `row`'s old path now lead where `row` leads: still one hop.

    Called where a person adds an old link (the admin); not on every add_redirect(), since
    `target_url` has no index and an import adds tens of thousands of rows.
    """
    spellings = list(dict.fromkeys([row.old_path, row.old_path + "/", quote(row.old_path)]))
    return (
        LegacyRedirect.objects.filter(target_url__in=spellings)
        .exclude(pk=row.pk)
        .update(content_type=row.content_type, object_id=row.object_id, target_url=row.target_url)
    )


def _is_local(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


def _object_for_url(url: str) -> models.Model | None:
    """The section or tag a local URL shows, so the row follows its later slug changes."""
    from articles.models import Category, Tag

    if not _is_local(url):
        return None
    # Old links are Arabic-site links: read the URL as the unprefixed (default) language does,
    # whatever language the importing command happens to run in.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            return None
        model = {"articles:category": Category, "articles:tag": Tag}.get(match.view_name)
        if model is None:
            return None
        try:
            return model.objects.get_by_slug(match.kwargs.get("slug", ""))
        except model.DoesNotExist:
            return None


def site_redirects(*, source: str, label_targets: dict[str, Any]) -> list[LegacyRedirect]:
    """Blogger's label listing and label feed of every label, to its section or tag.

    `label_targets` maps a label (free text, Arabic with spaces included) to its new home: a
    URL (`/category/<slug>/`, `/tag/<slug>/`) or the Category/Tag itself. A URL of one of our
    sections or tags is stored as that object. The feed row points at the same target: the
    middleware answers a section's feed (RSS, or Atom with `alt=atom`), and a tag, which has
    no feed, with its page.
    """
    rows = []
    for label, destination in label_targets.items():
        label = label.strip()
        if not label or not destination:
            continue
        if isinstance(destination, models.Model):
            target, url = destination, ""
        else:
            target, url = _object_for_url(destination), destination
        # Label text goes in escaped: a `/`, `?` or `+` inside a label is part of its name.
        encoded = quote(label, safe="")
        for prefix in ("/search/label/", "/feeds/posts/default/-/"):
            rows.append(
                add_redirect(
                    old_path=prefix + encoded, target=target, target_url=url, source=source
                )
            )
    return rows


def taxonomy_redirects(*, source: str, categories: dict[str, Any]) -> list[LegacyRedirect]:
    """WordPress `/category/<parent>/<child>/` and `/tag/<slug>/` paths, to our sections/tags.

    `categories` maps each old path to a URL or a Category/Tag; `…/feed/` of those paths
    needs no row of its own (the middleware finds the path's row and answers its feed).
    """
    rows = []
    for old_path, destination in categories.items():
        if not destination:
            continue
        if isinstance(destination, models.Model):
            target, url = destination, ""
        else:
            target, url = _object_for_url(destination), destination
        rows.append(add_redirect(old_path=old_path, target=target, target_url=url, source=source))
    return rows
