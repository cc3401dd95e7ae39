"""`import_archive` on the hand-written exports, end to end: the real readers, the importer and
the old links, as a newsroom moving in would run them.

For each format (classic Blogger, Takeout Blogger as feed.atom and as the ZIP, WordPress WXR):
the dry run's plan equals what the real run creates, a second run changes nothing, comments
keep their moderation state, and every published item's old address answers one 301 to a page
that shows its title.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article
from comments.models import Comment
from imports.models import LegacyRedirect
from pages.models import Page

from .factories import image_bytes

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
EXPECTED = json.loads((FIXTURES / "EXPECTED.json").read_text(encoding="utf-8"))
OLD_HOSTS = ["arabi-news.blogspot.com", "www.arabi-news.ma", "oldsite.example"]


def takeout_zip(tmp_path: Path) -> Path:
    path = tmp_path / "takeout-20261201.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(
            FIXTURES / "blogger-takeout.atom", "Takeout/Blogger/Blogs/أخبار عربية/feed.atom"
        )
        archive.writestr("Takeout/Blogger/Albums/أخبار عربية/washington.jpg", image_bytes())
    return path


def export_path(name: str, tmp_path: Path) -> Path:
    if name == "takeout.zip":
        return takeout_zip(tmp_path)
    # a misleading name: the format is told from the content
    target = tmp_path / "export.bin"
    target.write_bytes((FIXTURES / name).read_bytes())
    return target


def expected_for(name: str) -> dict:
    return EXPECTED["blogger-takeout.atom" if name == "takeout.zip" else name]


def run(path: Path, tmp_path: Path, capsys, *extra: str) -> str:
    hosts = [arg for host in OLD_HOSTS for arg in ("--old-host", host)]
    report = tmp_path / "report.txt"
    call_command(
        "import_archive", str(path), "--no-progress", "--report", str(report), *hosts, *extra
    )
    return capsys.readouterr().out


def summary(out: str) -> dict[str, dict[str, int]]:
    counts = {}
    for kind, numbers in re.findall(r"^  (\w+):\s+(created .*)$", out, flags=re.M):
        counts[kind] = {word: int(number) for word, number in re.findall(r"(\w+) (\d+)", numbers)}
    return counts


FORMATS = ["blogger-classic.xml", "blogger-takeout.atom", "takeout.zip", "wordpress.xml"]


@pytest.mark.parametrize("name", FORMATS)
def test_the_dry_run_plans_exactly_what_the_import_creates_and_a_rerun_changes_nothing(
    name, tmp_path, capsys
):
    path = export_path(name, tmp_path)
    plan_out = run(path, tmp_path, capsys, "--dry-run")
    plan = summary(plan_out)
    assert Article.objects.count() == 0 and Page.objects.count() == 0
    assert LegacyRedirect.objects.count() == 0

    done = summary(run(path, tmp_path, capsys))
    # A dry run stores no picture, so it counts them as planned ("images: local: N") instead.
    pictures = done.pop("image", {}).get("created", 0)
    planned = re.search(r"images: local: (\d+)", plan_out)
    assert pictures == (int(planned.group(1)) if planned else 0)
    assert done == plan
    expected = expected_for(name)
    live_posts = expected["posts"] - expected["trashed"]
    assert Article.objects.count() == live_posts == done["post"]["created"]
    assert Page.objects.count() == expected["pages"]
    assert (tmp_path / "report.txt").read_text(encoding="utf-8").strip()

    before = (Article.objects.count(), Page.objects.count(), Comment.objects.count(),
              LegacyRedirect.objects.count())  # fmt: skip
    again = summary(run(path, tmp_path, capsys))
    assert again["post"]["created"] == 0 and again["post"]["updated"] == 0
    assert again["comment"]["created"] == 0
    after = (Article.objects.count(), Page.objects.count(), Comment.objects.count(),
             LegacyRedirect.objects.count())  # fmt: skip
    assert after == before


@pytest.mark.parametrize("name", FORMATS)
def test_drafts_stay_drafts_scheduled_posts_wait_and_comments_keep_their_state(
    name, tmp_path, capsys
):
    run(export_path(name, tmp_path), tmp_path, capsys)
    expected = expected_for(name)
    assert Article.objects.filter(status=Article.Status.DRAFT).count() == expected["drafts"]
    scheduled = Article.objects.filter(status=Article.Status.PUBLISHED).exclude(
        pk__in=Article.objects.published()
    )
    assert scheduled.count() == expected["scheduled"]
    statuses = list(Comment.objects.values_list("status", flat=True))
    assert statuses.count(Comment.Status.PENDING) == expected["pending"]
    assert statuses.count(Comment.Status.SPAM) == expected["spam"]
    assert Comment.objects.filter(status=Comment.Status.APPROVED, parent__isnull=False).exists()
    assert not Comment.objects.filter(email__icontains="blogger.com").exists()


def variants(old_path: str) -> list[str]:
    """The spellings of one old link that readers' browsers and other sites actually send."""
    raw = unquote(old_path)
    spellings = {old_path, raw, quote(raw, safe="/?=&"), quote(raw, safe="/?=&").lower()}
    if "?" not in old_path:
        spellings |= {f"{old_path}?m=1", f"{old_path}?m=0", f"{old_path}?showComment=1720000000000"}
    return sorted(spellings)


@pytest.mark.parametrize("name", FORMATS)
def test_every_published_item_answers_its_old_address_with_one_301(name, client, tmp_path, capsys):
    run(export_path(name, tmp_path), tmp_path, capsys)
    published = expected_for(name)["published"]
    assert published
    for item in published:
        title = item["title"].replace("\u200f", "").replace("\u200b", "")
        for old_path in item["old_paths"]:
            for spelling in variants(old_path):
                response = client.get(spelling)
                assert response.status_code == 301, (spelling, response.status_code)
                target = client.get(response["Location"])
                assert target.status_code == 200, (spelling, response["Location"])
                html = target.content.decode()
                words = title.split()[:3]
                assert all(word in html for word in words), (spelling, title)


def test_an_unknown_old_address_is_a_404_not_the_home_page(client, tmp_path, capsys):
    run(export_path("blogger-classic.xml", tmp_path), tmp_path, capsys)
    assert client.get("/2024/07/never-existed.html").status_code == 404
    assert client.get("/2024/07/never-existed.html?m=1").status_code == 404


@pytest.mark.parametrize(
    "name", ["malformed.xml", "billion-laughs.xml", "xxe.xml", "not-an-export.xml"]
)
def test_a_file_that_is_not_a_safe_export_is_refused_and_nothing_is_written(name, tmp_path):
    with pytest.raises(CommandError):
        call_command("import_archive", str(FIXTURES / name), "--no-progress")
    assert Article.objects.count() == 0


def test_the_command_exits_with_status_1_on_an_unsupported_file(tmp_path):
    from django.core.management import ManagementUtility

    notes = tmp_path / "notes.xml"
    notes.write_text("just some notes", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "import_archive", str(notes)]).execute()
    assert exit_info.value.code == 1


def test_wordpress_section_and_tag_archives_answer_with_our_section_and_tag(
    client, tmp_path, capsys
):
    run(export_path("wordpress.xml", tmp_path), tmp_path, capsys)
    encoded = "/category/%D8%A7%D9%84%D8%B4%D8%A3%D9%86-%D8%A7%D9%84%D8%AF%D9%88%D9%84%D9%8A/"
    for old in ("/category/الشأن-الدولي/", encoded):
        response = client.get(old)
        assert response.status_code == 301, old
        assert client.get(response["Location"]).status_code == 200
    # the WordPress tag archive has our own tag page's shape: it answers directly
    assert client.get("/tag/واشنطن/").status_code == 200
    assert client.get("/category/الشأن-الدولي/feed/").status_code == 301
