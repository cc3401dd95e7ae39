"""Blogger exports: the classic "Back up content" file and the Takeout `feed.atom`.

Both are Atom, with the same ids, titles and HTML bodies; they differ in how an entry says what
it is and where it lived. Classic: kinds and labels are categories, drafts are `app:draft`, the
old URL is the alternate link and a reply names its parent in a `related` link. Takeout:
`blogger:type`, `blogger:status`, `blogger:filename` (a path, no host), `blogger:parent` and
`blogger:inReplyTo`. Entries are classified by kind, never by id prefix: comments' ids look
like posts' (`….post-C`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

from imports.records import (
    AuthorRecord,
    CommentRecord,
    CommentStatus,
    EntryRecord,
    Kind,
    Record,
    SiteRecord,
    Status,
)

from .base import without_format_characters
from .detect import BLOGGER_TAKEOUT, KIND_SCHEME
from .xml import APP, APP_OLD, ATOM, BLOGGER, GD, THR, Source, iter_elements, text_of

KIND_PREFIX = "http://schemas.google.com/blogger/2008/kind#"
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
TAKEOUT_LABEL_PREFIX = "tag:blogger.com,1999:blog-"
PLACEHOLDER_EMAILS = {"noreply@blogger.com", "anonymous@blogger.com"}
_REPLY_RE = re.compile(r"/comments/default/(\d+)/?$")

_TAKEOUT_STATUS = {
    "LIVE": Status.PUBLISHED,
    "DRAFT": Status.DRAFT,
    "SCHEDULED": Status.SCHEDULED,
    "SOFT_TRASHED": Status.TRASHED,
}
_TAKEOUT_COMMENT_STATUS = {
    "LIVE": CommentStatus.APPROVED,
    "PENDING": CommentStatus.PENDING,
    "SPAM": CommentStatus.SPAM,
    "EMPTIED": CommentStatus.REMOVED,
    "DELETED": CommentStatus.REMOVED,
}


def _a(name: str) -> str:
    return f"{{{ATOM}}}{name}"


def _b(name: str) -> str:
    return f"{{{BLOGGER}}}{name}"


def _child_text(elem: Element, tag: str) -> str:
    return text_of(elem.find(tag))


def parse_datetime(value: str) -> datetime | None:
    """ISO 8601 with its offset kept (`-08:00`, `Z`); None when absent or unreadable."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _is_top(elem: Element, depth: int) -> bool:
    return depth == 1


def read_site(source: Source, fmt: str) -> SiteRecord:
    """Title, old host and time zone from the feed head (and classic `settings` entries)."""
    site = SiteRecord(format=fmt)
    elements = iter_elements(source, _is_top)
    try:
        for elem in elements:
            if elem.tag == _a("title"):
                site.title = text_of(elem)
            elif elem.tag == _a("link") and elem.get("rel") == "alternate":
                site.base_url = _base_url(elem.get("href", ""))
            elif elem.tag == _a("entry"):
                kind = _kind(elem)
                if kind != "settings" and kind != "template":
                    break
                if _child_text(elem, _a("id")).endswith(".settings.BLOG_TIME_ZONE"):
                    site.time_zone = _child_text(elem, _a("content"))
    finally:
        elements.close()
    return site


def iter_records(source: Source, site: SiteRecord) -> Iterator[Record]:
    yield site
    takeout = site.format == BLOGGER_TAKEOUT
    now = datetime.now(UTC)
    for elem in iter_elements(source, _is_top):
        if elem.tag != _a("entry"):
            continue
        kind = _kind(elem)
        if kind in ("post", "page"):
            yield _entry(elem, kind, takeout, now)
        elif kind == "comment":
            yield _comment(elem, takeout)
        # settings, template, layout and anything unknown carry no content to import


def _base_url(href: str) -> str:
    parts = urlsplit(href.strip())
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return ""


def _kind(elem: Element) -> str:
    declared = _child_text(elem, _b("type"))
    if declared:
        return declared.lower()
    for category in elem.iterfind(_a("category")):
        term = category.get("term", "")
        if category.get("scheme") == KIND_SCHEME and term.startswith(KIND_PREFIX):
            return term[len(KIND_PREFIX) :]
    return ""


def _is_draft(elem: Element) -> bool:
    for app in (APP_OLD, APP):
        if text_of(elem.find(f"{{{app}}}control/{{{app}}}draft")).lower() == "yes":
            return True
    return False


def _alternate_path(elem: Element) -> str:
    for link in elem.iterfind(_a("link")):
        if link.get("rel") == "alternate" and link.get("type", "text/html") == "text/html":
            path = urlsplit(link.get("href", "").strip()).path
            if path and path != "/":
                return path
    return ""


def _labels(elem: Element) -> list[str]:
    labels: list[str] = []
    for category in elem.iterfind(_a("category")):
        scheme = category.get("scheme", "")
        term = (category.get("term") or "").strip()
        if not term or scheme == KIND_SCHEME:
            continue
        if (scheme == LABEL_SCHEME or scheme.startswith(TAKEOUT_LABEL_PREFIX)) and (
            term not in labels
        ):
            labels.append(term)
    return labels


def _authors(elem: Element) -> list[AuthorRecord]:
    authors: list[AuthorRecord] = []
    for author in elem.iterfind(_a("author")):
        name = _child_text(author, _a("name"))
        uri = _child_text(author, _a("uri"))
        key = uri or name
        if key and all(known.key != key for known in authors):
            authors.append(AuthorRecord(key=key, name=name or key))
    return authors


def _status(elem: Element, takeout: bool, published: datetime | None, now: datetime) -> Status:
    if _is_draft(elem):
        return Status.DRAFT
    if takeout:
        if _child_text(elem, _b("trashed")):
            return Status.TRASHED
        declared = _child_text(elem, _b("status")).upper()
        status = _TAKEOUT_STATUS.get(declared, Status.DRAFT if declared else Status.PUBLISHED)
    else:
        status = Status.PUBLISHED  # the classic file has no flag for scheduled or trashed
    if status == Status.PUBLISHED and published is not None and published > now:
        return Status.SCHEDULED
    return status


def _entry(elem: Element, kind: str, takeout: bool, now: datetime) -> EntryRecord:
    published = parse_datetime(_child_text(elem, _a("published")))
    if takeout and published is None:
        published = parse_datetime(_child_text(elem, _b("created")))
    path = _child_text(elem, _b("filename")) if takeout else ""
    path = path or _alternate_path(elem)
    if path and not path.startswith("/"):
        path = "/" + path
    slug_hint = path.rsplit("/", 1)[-1].removesuffix(".html") if path else ""
    slug_hint = without_format_characters(unquote(slug_hint))
    summary = _child_text(elem, _b("metaDescription")) or _child_text(elem, _a("summary"))
    return EntryRecord(
        source_id=_child_text(elem, _a("id")),
        kind=Kind.PAGE if kind == "page" else Kind.POST,
        status=_status(elem, takeout, published, now),
        title=_child_text(elem, _a("title")),
        body_html=text_of(elem.find(_a("content"))),
        published=published,
        updated=parse_datetime(_child_text(elem, _a("updated"))),
        old_paths=[path] if path else [],
        labels=_labels(elem),
        summary=summary,
        authors=_authors(elem),
        slug_hint=slug_hint,
    )


def _sibling_id(own_id: str, ref: str) -> str:
    """A numeric id as the full `tag:blogger.com,1999:blog-B.post-N` its siblings use."""
    ref = ref.strip()
    if not ref or not ref.isdigit():
        return ref
    prefix, sep, _ = own_id.rpartition(".post-")
    return f"{prefix}.post-{ref}" if sep else ref


def _comment(elem: Element, takeout: bool) -> CommentRecord:
    own_id = _child_text(elem, _a("id"))
    if takeout:
        post_id = _sibling_id(own_id, _child_text(elem, _b("parent")))
        parent_id = _sibling_id(own_id, _child_text(elem, _b("inReplyTo")))
        declared = _child_text(elem, _b("status")).upper()
        status = _TAKEOUT_COMMENT_STATUS.get(declared, CommentStatus.APPROVED)
        if not declared and _child_text(elem, _b("trashed")):
            status = CommentStatus.REMOVED
    else:
        reply_to = elem.find(f"{{{THR}}}in-reply-to")
        post_id = reply_to.get("ref", "") if reply_to is not None else ""
        parent_id = ""
        for link in elem.iterfind(_a("link")):
            match = _REPLY_RE.search(link.get("href", ""))
            if link.get("rel") == "related" and match:
                parent_id = _sibling_id(own_id, match.group(1))
        status = CommentStatus.APPROVED
        for prop in elem.iterfind(f"{{{GD}}}extendedProperty"):
            if prop.get("name") == "blogger.contentRemoved" and prop.get("value") != "false":
                status = CommentStatus.REMOVED
    author = elem.find(_a("author"))
    email = _child_text(author, _a("email")) if author is not None else ""
    return CommentRecord(
        source_id=own_id,
        entry_source_id=post_id,
        parent_source_id=parent_id,
        author_name=_child_text(author, _a("name")) if author is not None else "",
        author_email="" if email.lower() in PLACEHOLDER_EMAILS else email,
        author_url=_child_text(author, _a("uri")) if author is not None else "",
        body_text=text_of(elem.find(_a("content"))),
        published=parse_datetime(_child_text(elem, _a("published"))),
        status=status,
    )
