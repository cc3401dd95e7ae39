"""Hand-built export records (an Arabic Blogger blog) and a local image server, for import tests.

The importer reads records, never files, so these tests build the records a reader would
yield. Images are served by an http.server on 127.0.0.1: no test ever reaches the internet.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from imports.records import (
    AuthorRecord,
    CommentRecord,
    CommentStatus,
    EntryRecord,
    Kind,
    SiteRecord,
    Status,
)

from .factories import image_bytes

HOST = "mdwna.blogspot.com"
PLUS_ONE = timezone(timedelta(hours=1))
POST = "tag:blogger.com,1999:blog-9.post-"
WRITER = AuthorRecord(key="https://www.blogger.com/profile/42", name="سعاد العلوي")


@dataclass
class FakeExport:
    """What imports.readers.open_export() returns: format, site, records(), media_root."""

    items: list[Any]
    format: str = "blogger-classic"
    site: SiteRecord = field(
        default_factory=lambda: SiteRecord(
            format="blogger-classic", title="مدونة الأخبار", base_url=f"https://{HOST}"
        )
    )
    media_root: Path | None = None

    def records(self) -> Iterator[Any]:
        yield self.site
        yield from self.items


def post(n: int, title: str, **kwargs: Any) -> EntryRecord:
    kwargs.setdefault("status", Status.PUBLISHED)
    kwargs.setdefault("body_html", f"<p>نص المقال رقم {n}.</p>")
    kwargs.setdefault("published", datetime(2024, 7, n % 28 + 1, 10, 0, tzinfo=PLUS_ONE))
    kwargs.setdefault("updated", kwargs["published"])
    kwargs.setdefault("authors", [WRITER])
    if kwargs["status"] == Status.PUBLISHED:
        kwargs.setdefault("old_paths", [f"/2024/07/blog-post_{n}.html"])
    return EntryRecord(source_id=f"{POST}{n}", kind=Kind.POST, title=title, **kwargs)


def comment(
    n: int,
    entry: int,
    *,
    parent: int | None = None,
    status: CommentStatus = CommentStatus.APPROVED,
    **kwargs: Any,
) -> CommentRecord:
    kwargs.setdefault("author_name", "قارئ")
    kwargs.setdefault("author_email", "")
    kwargs.setdefault("author_url", "")
    kwargs.setdefault("body_text", f"<p>تعليق رقم {n}</p>")
    kwargs.setdefault("published", datetime(2024, 8, 1, 9, n, tzinfo=UTC))
    return CommentRecord(
        source_id=f"{POST}{900 + n}",
        entry_source_id=f"{POST}{entry}",
        parent_source_id=f"{POST}{900 + parent}" if parent else "",
        status=status,
        **kwargs,
    )


def arabic_blog(image_base: str = "https://1.bp.blogspot.com/-x") -> list[Any]:
    """The blog every test imports: published posts, a draft, a 2031 post, a trashed post,
    a page, threaded comments (one pending, one spam, a pingback), images in <a><img></a>."""
    first_body = (
        '<div dir="rtl" style="text-align: right;">افتتاحية المدونة<br /><br />'
        'فقرة <b>ثانية</b> <a href="https://mdwna.blogspot.com/2024/07/blog-post_2.html?m=1">'
        'الخبر التالي</a><a name="more"></a></div>'
        '<div class="separator" style="clear: both; text-align: center;">'
        f'<a href="{image_base}/s1600/photo.jpg" imageanchor="1" style="margin-left: 1em;">'
        f'<img border="0" src="{image_base}/s320/photo.jpg" alt="ميناء طنجة" width="320" /></a>'
        "</div><p>&nbsp;</p>"
        '<p>رابط قديم <a href="http://www.mdwna.blogspot.com/2019/01/gone.html">مفقود</a></p>'
    )
    second_body = (
        f'<p>صورة مكررة</p><img src="{image_base}/w400-h300/photo.jpg" />'
        f'<p><a href="{image_base}/s1600/missing.jpg"><img src="{image_base}/s200/missing.jpg"'
        ' alt="مفقودة"></a></p>'
        '<p><a href="/2024/07/blog-post_1.html?showComment=1720000000#c42">السابق</a> و '
        '<a href="https://mdwna.blogspot.com/p/%D8%B5%D9%81%D8%AD%D8%A9.html">الصفحة</a></p>'
    )
    return [
        post(1, "الحكومة تعلن خطة جديدة للنقل", body_html=first_body,
             labels=["سياسة  وطنية", "أخبار عاجلة"], summary="<p>ملخص الخبر الأول</p>"),
        comment(1, 2),  # before its post: waits for it
        post(2, "\u202bوزير\u200b الصحة\u202c يزور المستشفى", body_html=second_body,
             labels=["صحة"]),
        post(3, "مسودة لم تنشر", status=Status.DRAFT, old_paths=[]),
        post(4, "مقال مجدول", published=datetime(2031, 1, 1, 8, 0, tzinfo=UTC),
             old_paths=["/2031/01/blog-post.html"]),
        post(5, "مقال محذوف", status=Status.TRASHED),
        post(6, "مقال ينتظر المراجعة", status=Status.PENDING, old_paths=[]),
        EntryRecord(
            source_id=f"{POST}700", kind=Kind.PAGE, status=Status.PUBLISHED, title="من نحن",
            body_html="<p>صفحة التعريف</p>", published=datetime(2020, 1, 1, tzinfo=UTC),
            updated=None, old_paths=["/p/blog-page.html"], slug_hint="blog-page",
        ),
        comment(2, 1),
        comment(3, 1, parent=2, status=CommentStatus.PENDING, author_email="Reader@Example.com"),
        comment(4, 1, parent=3),  # a reply to a reply
        comment(5, 1, status=CommentStatus.SPAM, body_text="اشتر الآن http://spam.example"),
        comment(6, 1, status=CommentStatus.REMOVED),
        comment(7, 1, is_pingback=True),
        comment(8, 5),  # on the trashed post
    ]  # fmt: skip


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def image_server(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1; yields the base URL. Every request path is recorded."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def image_folder(root: Path) -> Path:
    """Full-size files where a Blogger URL's /s1600/ points: photo.jpg and a copy of it."""
    folder = root / "x" / "s1600"
    folder.mkdir(parents=True)
    (folder / "photo.jpg").write_bytes(image_bytes(size=(1200, 800)))
    (folder / "copy.jpg").write_bytes(image_bytes(size=(1200, 800)))
    return root
