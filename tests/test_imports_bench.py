"""The benchmark's generated archive is a WordPress export our own reader accepts in full."""

from __future__ import annotations

from imports.management.commands.bench_import import generate
from imports.readers import open_export
from imports.records import CommentRecord, EntryRecord


def test_the_generated_export_reads_back_post_for_post(tmp_path):
    path = tmp_path / "bench.xml"
    posts = generate(path, 1)
    assert path.stat().st_size >= 1024 * 1024
    with open_export(path) as export:
        records = list(export.records())
    assert export.format == "wxr"
    assert sum(isinstance(r, EntryRecord) for r in records) == posts
    assert sum(isinstance(r, CommentRecord) for r in records) == 2 * posts
