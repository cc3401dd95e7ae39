"""Plain records that every export reader yields and the importer consumes.

A reader knows one file format and nothing about our models; the importer knows our models and
nothing about XML. These dataclasses are the whole contract between them, so a new format
(another blogging platform) is one more reader and no change to the importer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Kind(StrEnum):
    POST = "post"
    PAGE = "page"


class Status(StrEnum):
    PUBLISHED = "published"  # live; a future `published` time makes it scheduled
    DRAFT = "draft"
    PENDING = "pending"  # WordPress "pending review"
    PRIVATE = "private"
    SCHEDULED = "scheduled"
    TRASHED = "trashed"


class CommentStatus(StrEnum):
    APPROVED = "approved"
    PENDING = "pending"
    SPAM = "spam"
    REMOVED = "removed"  # trashed, emptied or deleted at the source


@dataclass(frozen=True)
class AuthorRecord:
    """A byline. Never an e-mail address: exports carry placeholders or private ones."""

    key: str  # stable within the file: Blogger profile URI or name, WordPress login
    name: str


@dataclass(frozen=True)
class ImageRecord:
    """An image the body or the cover points to, as found in the export."""

    url: str  # full-size variant when known (Blogger /s1600/, the <a href> around a thumbnail)
    source_id: str = ""  # WordPress attachment post_id, when it comes from one
    alt: str = ""


@dataclass
class EntryRecord:
    """A post or a page."""

    source_id: str  # Blogger `tag:blogger.com,1999:blog-B.post-P`, WordPress post_id
    kind: Kind
    status: Status
    title: str
    body_html: str  # as exported: the importer cleans and sanitises it
    published: datetime | None  # aware; offsets from the file honoured
    updated: datetime | None
    old_paths: list[str] = field(default_factory=list)  # '/2024/07/blog-post_12.html', '/?p=12'
    labels: list[str] = field(default_factory=list)  # Blogger labels, WordPress categories
    tags: list[str] = field(default_factory=list)  # WordPress post_tag terms
    summary: str = ""  # excerpt or meta description
    authors: list[AuthorRecord] = field(default_factory=list)
    cover: ImageRecord | None = None  # WordPress _thumbnail_id; else the importer takes the
    # first body image
    comments_open: bool = True
    slug_hint: str = ""  # WordPress post_name (decoded), Blogger filename's last segment
    # label or tag name -> its old archive path (WordPress `/category/<slug>/`, `/tag/<slug>/`)
    term_paths: dict[str, str] = field(default_factory=dict)


@dataclass
class CommentRecord:
    source_id: str
    entry_source_id: str  # the post it belongs to
    parent_source_id: str  # "" for a top-level comment
    author_name: str
    author_email: str  # "" when the export has none or a placeholder (noreply@blogger.com)
    author_url: str
    body_text: str  # plain text or simple HTML; the importer keeps text only
    published: datetime | None
    status: CommentStatus
    is_pingback: bool = False


@dataclass
class AttachmentRecord:
    """WordPress attachment items: the files a _thumbnail_id or a body may point to."""

    source_id: str
    url: str
    title: str = ""


@dataclass
class SiteRecord:
    """What the file says about the old site: hosts, time zone, base URL."""

    format: str  # "blogger-classic", "blogger-takeout", "wxr"
    title: str = ""
    base_url: str = ""  # WordPress base_site_url, Blogger alternate link host if present
    time_zone: str = ""


Record = SiteRecord | EntryRecord | CommentRecord | AttachmentRecord
