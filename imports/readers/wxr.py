"""WordPress eXtended RSS (WXR 1.0–1.2), `http://` or `https://` namespaces alike.

The `wp:` namespace URI changes with the WXR version and WordPress.com writes it with https,
so tags are matched on a short name computed from whichever version the file declares. Items
are read one at a time; the only state kept across items is the author table (from the channel
head), the attachments' URLs (a first quick pass, so a cover is known even when its attachment
comes after the post) and the site's offset from UTC, learnt from items that carry both a local
and a GMT date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

from imports.records import (
    AttachmentRecord,
    AuthorRecord,
    CommentRecord,
    CommentStatus,
    EntryRecord,
    ImageRecord,
    Kind,
    Record,
    SiteRecord,
    Status,
)

from .base import without_format_characters
from .detect import WXR
from .xml import CONTENT, DC, EXCERPT_RE, WP_RE, Source, iter_elements, local, text_of

_STATUS = {
    "publish": Status.PUBLISHED,
    "draft": Status.DRAFT,
    "auto-draft": Status.DRAFT,
    "pending": Status.PENDING,
    "private": Status.PRIVATE,
    "future": Status.SCHEDULED,
    "trash": Status.TRASHED,
}
_COMMENT_STATUS = {
    "1": CommentStatus.APPROVED,
    "approve": CommentStatus.APPROVED,
    "0": CommentStatus.PENDING,
    "hold": CommentStatus.PENDING,
    "spam": CommentStatus.SPAM,
    "trash": CommentStatus.REMOVED,
    "post-trashed": CommentStatus.REMOVED,
}
_ZERO_DATE = "0000-00-00 00:00:00"
_SLASHES = re.compile(r"/{2,}")


class _Names:
    """'{uri}local' -> 'wp:local', 'excerpt:encoded', 'content:encoded', 'dc:creator' …"""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}

    def __call__(self, tag: str) -> str:
        short = self._cache.get(tag)
        if short is None:
            uri, name = local(tag)
            if WP_RE.match(uri):
                prefix = "wp:"
            elif EXCERPT_RE.match(uri):
                prefix = "excerpt:"
            elif uri == CONTENT:
                prefix = "content:"
            elif uri == DC:
                prefix = "dc:"
            elif uri:
                prefix = "?:"
            else:
                prefix = ""
            short = self._cache[tag] = prefix + name
        return short


def _fields(elem: Element, names: _Names) -> dict[str, str]:
    """The text of each simple child, by short name (first one wins)."""
    out: dict[str, str] = {}
    for child in elem:
        out.setdefault(names(child.tag), (child.text or "").strip())
    return out


def _in_channel(elem: Element, depth: int) -> bool:
    return depth == 2


def read_site(source: Source) -> SiteRecord:
    site = SiteRecord(format=WXR)
    names = _Names()
    elements = iter_elements(source, _in_channel)
    try:
        for elem in elements:
            name = names(elem.tag)
            if name == "item":
                break
            if name == "title":
                site.title = text_of(elem)
            elif name == "wp:base_blog_url" or (name == "wp:base_site_url" and not site.base_url):
                site.base_url = text_of(elem).rstrip("/")
            elif name == "link" and not site.base_url:
                site.base_url = text_of(elem).rstrip("/")
    finally:
        elements.close()
    return site


def parse_wp_date(value: str, zone: timezone) -> datetime | None:
    value = value.strip()
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        parsed = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")  # noqa: DTZ007 - zone below
    except ValueError:
        return None
    return parsed.replace(tzinfo=zone)


class _Reader:
    def __init__(self, site: SiteRecord) -> None:
        self.site = site
        self.names = _Names()
        self.authors: dict[str, str] = {}  # login -> display name
        self.attachments: dict[str, str] = {}  # post_id -> URL
        self.zone = UTC  # learnt from the first item with both dates

    def dates(self, local_value: str, gmt_value: str, undated: bool) -> datetime | None:
        utc = parse_wp_date(gmt_value, UTC)
        naive_local = parse_wp_date(local_value, UTC)
        if utc is not None:
            if naive_local is not None and self.zone is UTC:
                offset = naive_local - utc
                if offset and abs(offset) <= timedelta(hours=14):
                    self.zone = timezone(offset)
            return utc
        if undated or naive_local is None:
            return None
        return naive_local.replace(tzinfo=self.zone)

    def author(self, elem: Element) -> None:
        fields = _fields(elem, self.names)
        login = fields.get("wp:author_login", "")
        if login:
            display = fields.get("wp:author_display_name", "")
            full = " ".join(
                part
                for part in (fields.get("wp:author_first_name"), fields.get("wp:author_last_name"))
                if part
            )
            self.authors[login] = display or full or login

    def scan_attachments(self, source: Source) -> None:
        """Learn every attachment's URL first: a post's `_thumbnail_id` usually names an
        attachment exported after it (WordPress writes items in id order)."""
        for elem in iter_elements(source, _in_channel):
            if self.names(elem.tag) != "item":
                continue
            fields = _fields(elem, self.names)
            if fields.get("wp:post_type") == "attachment" and fields.get("wp:post_id"):
                url = fields.get("wp:attachment_url", "") or fields.get("guid", "")
                self.attachments[fields["wp:post_id"]] = url

    def records(self, source: Source) -> Iterator[Record]:
        yield self.site
        self.scan_attachments(source)
        for elem in iter_elements(source, _in_channel):
            name = self.names(elem.tag)
            if name == "wp:author":
                self.author(elem)
            elif name == "item":
                yield from self.item(elem)

    def item(self, elem: Element) -> Iterator[Record]:
        fields = _fields(elem, self.names)
        post_id = fields.get("wp:post_id", "")
        post_type = fields.get("wp:post_type", "post")
        if post_type == "attachment":
            url = fields.get("wp:attachment_url", "") or fields.get("guid", "")
            self.attachments[post_id] = url
            yield AttachmentRecord(source_id=post_id, url=url, title=fields.get("title", ""))
            return
        if post_type not in ("post", "page"):
            return  # menus, revisions, custom types: nothing a reader sees as content
        entry = self.entry(elem, fields, post_id, post_type)
        yield entry
        for child in elem:
            if self.names(child.tag) == "wp:comment":
                yield self.comment(child, post_id)

    def entry(
        self, elem: Element, fields: dict[str, str], post_id: str, post_type: str
    ) -> EntryRecord:
        wp_status = fields.get("wp:status", "draft")
        status = _STATUS.get(wp_status, Status.DRAFT)
        if status == Status.PUBLISHED and fields.get("wp:post_password"):
            # Readers needed a password for it: it must not become public by moving house.
            status = Status.PRIVATE
        undated = status in (Status.DRAFT, Status.PENDING)
        published = self.dates(
            fields.get("wp:post_date", ""), fields.get("wp:post_date_gmt", ""), undated
        )
        kind = Kind.PAGE if post_type == "page" else Kind.POST
        old_paths = []
        link = _path(fields.get("link", ""))
        if link:
            old_paths.append(link)
        if post_id:
            numbered = f"/?page_id={post_id}" if kind == Kind.PAGE else f"/?p={post_id}"
            if numbered not in old_paths:
                old_paths.append(numbered)
        labels: list[str] = []
        tags: list[str] = []
        term_paths: dict[str, str] = {}
        cover = None
        for child in elem:
            name = self.names(child.tag)
            if name == "category":
                term = text_of(child)
                domain = child.get("domain", "category")
                target = labels if domain == "category" else tags if domain == "post_tag" else None
                if target is not None and term and term not in target:
                    target.append(term)
                nicename = without_format_characters(unquote(child.get("nicename", "")))
                if target is not None and term and nicename:
                    base = "category" if domain == "category" else "tag"
                    term_paths[term] = f"/{base}/{nicename}/"
            elif name == "wp:postmeta":
                meta = _fields(child, self.names)
                if meta.get("wp:meta_key") == "_thumbnail_id" and meta.get("wp:meta_value"):
                    thumb = meta["wp:meta_value"]
                    cover = ImageRecord(url=self.attachments.get(thumb, ""), source_id=thumb)
        login = fields.get("dc:creator", "")
        authors = [AuthorRecord(key=login, name=self.authors.get(login, login))] if login else []
        return EntryRecord(
            source_id=post_id,
            kind=kind,
            status=status,
            title=text_of(elem.find("title")),
            body_html=fields.get("content:encoded", ""),
            published=published,
            updated=self.dates(
                fields.get("wp:post_modified", ""), fields.get("wp:post_modified_gmt", ""), False
            ),
            old_paths=old_paths,
            labels=labels,
            tags=tags,
            summary=fields.get("excerpt:encoded", ""),
            authors=authors,
            cover=cover,
            comments_open=fields.get("wp:comment_status", "open") == "open",
            slug_hint=without_format_characters(unquote(fields.get("wp:post_name", ""))),
            term_paths=term_paths,
        )

    def comment(self, elem: Element, post_id: str) -> CommentRecord:
        fields = _fields(elem, self.names)
        parent = fields.get("wp:comment_parent", "0")
        comment_type = fields.get("wp:comment_type", "")
        return CommentRecord(
            source_id=fields.get("wp:comment_id", ""),
            entry_source_id=post_id,
            parent_source_id="" if parent in ("", "0") else parent,
            author_name=fields.get("wp:comment_author", ""),
            author_email=fields.get("wp:comment_author_email", ""),
            author_url=fields.get("wp:comment_author_url", ""),
            body_text=fields.get("wp:comment_content", ""),
            published=self.dates(
                fields.get("wp:comment_date", ""), fields.get("wp:comment_date_gmt", ""), False
            ),
            status=_COMMENT_STATUS.get(
                fields.get("wp:comment_approved", "1"), CommentStatus.PENDING
            ),
            is_pingback=comment_type in ("pingback", "trackback"),
        )


def _path(link: str) -> str:
    """The path (and the query, when the permalink is `?p=12`) of an exported link."""
    parts = urlsplit(link.strip())
    path = _SLASHES.sub("/", parts.path) or "/"
    if parts.query:
        return f"{path}?{parts.query}"
    return "" if path == "/" else path


def iter_records(source: Source, site: SiteRecord) -> Iterator[Record]:
    return _Reader(site).records(source)
