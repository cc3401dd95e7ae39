"""`manage.py bench_import`: a generated WordPress export of N megabytes, imported for real.

Prints what a newsroom planning its move wants to know: how long a large archive takes
(items per second) and how much memory the import needs (peak resident size of the import
process, read from the kernel's accounting of that one process). The archive is generated
from the seed article, so it looks like the real thing: Arabic bodies of a few kilobytes,
sections, tags, threaded comments. It runs in its own database (SQLite by default), never the
site's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, TextIO
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from newsroom.management.commands.load_demo import SEED_FILE, parse_seed

SECTIONS = ["سياسة", "اقتصاد", "رياضة", "مجتمع", "ثقافة", "الشأن الدولي"]
HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" \
xmlns:content="http://purl.org/rss/1.0/modules/content/" \
xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>أرشيف تجريبي</title><link>https://bench.example</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://bench.example</wp:base_site_url>
<wp:author><wp:author_login><![CDATA[bench]]></wp:author_login>\
<wp:author_display_name><![CDATA[محرر الأرشيف]]></wp:author_display_name></wp:author>
"""
COMMENT = (
    "<wp:comment><wp:comment_id>{id}</wp:comment_id>"
    "<wp:comment_author><![CDATA[قارئ {id}]]></wp:comment_author>"
    "<wp:comment_author_email><![CDATA[reader{id}@example.com]]></wp:comment_author_email>"
    "<wp:comment_date_gmt><![CDATA[{date} 12:00:00]]></wp:comment_date_gmt>"
    "<wp:comment_content><![CDATA[{text}]]></wp:comment_content>"
    "<wp:comment_approved><![CDATA[1]]></wp:comment_approved>"
    "<wp:comment_type><![CDATA[comment]]></wp:comment_type>"
    "<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
)


def write_item(out: TextIO, n: int, paragraphs: list[str]) -> None:
    year, month, day = 2010 + n % 15, 1 + n % 12, 1 + n % 28
    date = f"{year}-{month:02d}-{day:02d}"
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs[n % 3 :] + paragraphs[: n % 3])
    comments = COMMENT.format(id=n * 10, date=date, text="مقال مفيد، شكرا.", parent=0)
    comments += COMMENT.format(id=n * 10 + 1, date=date, text="أتفق معك.", parent=n * 10)
    out.write(
        f"<item><title><![CDATA[خبر رقم {n}: {escape(paragraphs[0][:60])}]]></title>"
        f"<link>https://bench.example/{year}/{month:02d}/{day:02d}/post-{n}/</link>"
        f"<dc:creator><![CDATA[bench]]></dc:creator><content:encoded><![CDATA[{body}]]>"
        f"</content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>"
        f"<wp:post_id>{n}</wp:post_id><wp:post_date_gmt><![CDATA[{date} 09:30:00]]>"
        f"</wp:post_date_gmt><wp:post_name><![CDATA[post-{n}]]></wp:post_name>"
        f"<wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>"
        f'<category domain="category" nicename="s{n % 6}"><![CDATA[{SECTIONS[n % 6]}]]></category>'
        f'<category domain="post_tag" nicename="t{n % 40}"><![CDATA[وسم {n % 40}]]></category>'
        f"{comments}</item>\n"
    )


def generate(path: Path, megabytes: int) -> int:
    """Write the export; returns the number of posts. Written as a stream, like a real one."""
    _title, paragraphs = parse_seed(SEED_FILE.read_text(encoding="utf-8"))
    target = megabytes * 1024 * 1024
    posts = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        while out.tell() < target:
            posts += 1
            write_item(out, posts, paragraphs)
        out.write("</channel>\n</rss>\n")
    return posts


class Command(BaseCommand):
    help = "Import a generated WordPress export of N MB; report items/s and peak memory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--megabytes", type=int, default=100)
        parser.add_argument(
            "--database-url",
            default=f"sqlite:///{Path(settings.BASE_DIR) / 'var' / 'bench-import.sqlite3'}",
            help="an empty database of its own (it is migrated and filled)",
        )

    def handle(self, *args: Any, megabytes: int, database_url: str, **options: Any) -> None:
        folder = Path(settings.BASE_DIR) / "var"
        folder.mkdir(exist_ok=True)
        export = folder / f"bench-import-{megabytes}mb.xml"
        started = time.perf_counter()
        posts = generate(export, megabytes)
        self.stdout.write(
            f"generated {export.stat().st_size / 1024 / 1024:.0f} MB, {posts} posts, "
            f"{posts * 2} comments in {time.perf_counter() - started:.0f} s"
        )
        if database_url.startswith("sqlite:///"):
            Path(database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "1"}
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)  # noqa: S603
        report = folder / "bench-import-report.txt"
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603
            [*manage, "import_archive", str(export), "--no-progress", "--report", str(report)],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            self.stderr.write("the import failed; see its output above")
            sys.exit(1)
        items = posts * 3  # each post and its two comments
        self.stdout.write(
            f"imported {posts} posts and {posts * 2} comments in {seconds:.0f} s: "
            f"{items / seconds:.1f} items/s ({posts / seconds:.1f} posts/s); "
            f"peak memory of the import process {usage.ru_maxrss / 1024:.0f} MB"
        )
