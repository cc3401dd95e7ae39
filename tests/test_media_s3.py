"""Media in an S3-compatible bucket: a real local S3 server (moto_server) on 127.0.0.1.

With MEDIA_STORAGE=s3 several app servers share one bucket, so every upload, rendition, body
picture and imported picture must land there, pages must link there, and no request may
leave a file on the app server's own disk.
"""

from __future__ import annotations

import io
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from articles.models import Article
from imports.importer import Importer
from library.models import MediaImage
from library.services import figure_html
from newsroom.media_storage import media_origins, s3_media_storage

from .factories import article_form_data, image_bytes, make_article, make_upload
from .imports_fixtures import FakeExport, arabic_blog, image_folder

pytestmark = pytest.mark.django_db

MOTO_SERVER = Path(sys.executable).parent / "moto_server"  # installed with this virtualenv
if not MOTO_SERVER.exists():
    MOTO_SERVER = Path(shutil.which("moto_server") or MOTO_SERVER)
KEYS = {"access_key": "testing", "secret_key": "testing"}
LIBRARY_UPLOAD = "/admin/library/mediaimage/upload/"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A moto S3 server for the whole session (one per xdist worker); yields its URL."""
    if not MOTO_SERVER.exists():
        pytest.skip(
            "moto_server is not installed next to this Python: the S3 media tests need a "
            "local S3 server (pip install -r requirements-dev.txt)"
        )
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own venv's script, fixed arguments
        [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("moto_server did not start on 127.0.0.1")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@dataclass
class Bucket:
    """One empty bucket per test, with the storage settings pointing at it."""

    name: str
    client: Any
    media_url: str

    def keys(self) -> set[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return {item["Key"] for item in listing.get("Contents", [])}

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


def _use_bucket(settings: Any, endpoint: str, **options: Any) -> Bucket:
    import boto3

    name = f"media-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )
    client.create_bucket(Bucket=name)
    backend, media_url = s3_media_storage(
        bucket=name, endpoint_url=endpoint, region="us-east-1", **KEYS, **options
    )
    # Changing STORAGES drops Django's cached storages, so default_storage is rebuilt.
    settings.STORAGES = {**settings.STORAGES, "default": backend}
    settings.MEDIA_URL = media_url
    return Bucket(name=name, client=client, media_url=media_url)


@pytest.fixture
def bucket(settings: Any, s3_endpoint: str) -> Bucket:
    """A public-read bucket, the way a site serves media to readers without signatures."""
    return _use_bucket(settings, s3_endpoint, default_acl="public-read")


def fetch(url: str) -> bytes:
    assert url.startswith("http://127.0.0.1:"), url  # never anything but the local server
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        return response.read()


def assert_nothing_on_local_disk(settings: Any) -> None:
    root = Path(settings.MEDIA_ROOT)
    assert not root.exists() or not any(root.rglob("*")), sorted(root.rglob("*"))


def test_the_storage_in_use_is_the_bucket(bucket):
    assert type(default_storage._wrapped).__name__ != "FileSystemStorage"
    name = default_storage.save("probe/نص.txt", ContentFile(b"hello"))
    assert bucket.keys() == {name}
    assert default_storage.url(name).startswith(bucket.media_url)


def test_an_admin_cover_upload_lands_in_the_bucket_and_the_page_shows_it_from_there(
    client, editor, bucket, settings, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    data = article_form_data(
        status=Article.Status.PUBLISHED,
        cover_image=make_upload("غلاف.jpg", image_bytes("JPEG", (1400, 700))),
        cover_alt_ar="ميناء طنجة",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    renditions = article.cover_renditions
    stored = {article.cover_image.name} | {n for f in ("webp", "jpeg") for *_s, n in renditions[f]}
    assert len(stored) == 9  # the original and 4 widths x 2 formats
    assert bucket.keys() == stored  # the upload-time file was replaced, nothing else left

    client.logout()
    page = client.get(article.get_absolute_url()).content.decode()
    src = re.search(r'<img [^>]*src="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert src.startswith(bucket.media_url)
    key = src.removeprefix(bucket.media_url)
    assert key in stored
    assert fetch(src) == bucket.read(key)
    assert_nothing_on_local_disk(settings)


def test_a_body_picture_uploaded_from_the_editor_lands_in_the_bucket(
    client, journalist, bucket, settings
):
    client.force_login(journalist)
    response = client.post(
        LIBRARY_UPLOAD,
        {"file": make_upload("ميناء.jpg"), "alt": "ميناء طنجة", "caption": "الميناء صباحا"},
    )
    assert response.status_code == 201, response.content
    payload = response.json()
    picture = MediaImage.objects.get()
    assert picture.file.name in bucket.keys()
    assert payload["src"].startswith(bucket.media_url)
    assert fetch(payload["src"]) == bucket.read(payload["src"].removeprefix(bucket.media_url))

    # The figure the editor inserts survives the body sanitiser with its bucket address.
    article = make_article(body=figure_html(picture, caption="الميناء صباحا"))
    assert f'src="{payload["src"]}"' in Article.objects.get(pk=article.pk).body_ar
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'data-media-id="{picture.pk}"' not in page  # rendered as a <picture>
    assert bucket.media_url in page
    assert_nothing_on_local_disk(settings)


def test_imported_pictures_land_in_the_bucket(bucket, settings, tmp_path):
    media = image_folder(tmp_path / "takeout")
    Importer(export=FakeExport(arabic_blog()), media_dir=media, stdout=io.StringIO()).run()
    picture = MediaImage.objects.get()
    keys = bucket.keys()
    assert picture.file.name in keys
    covers = Article.objects.exclude(cover_image="")
    assert covers
    for cover in covers:
        assert cover.cover_image.name in keys
        assert {n for *_s, n in cover.cover_renditions["jpeg"]} <= keys
    assert_nothing_on_local_disk(settings)


def test_feed_enclosures_point_at_the_bucket_and_a_missing_file_is_left_out(client, bucket):
    data = image_bytes("JPEG", (1280, 720))
    name = default_storage.save("renditions/1/a-1280.jpg", ContentFile(data))
    for title, stored in (("خبر بصورة", name), ("خبر فقد صورته", "renditions/2/gone-1280.jpg")):
        make_article(
            title=title,
            cover_image="covers/x.jpg",
            cover_alt_ar="صورة",
            cover_renditions={"source": "covers/x.jpg", "jpeg": [[1280, 720, stored]], "webp": []},
        )
    response = client.get("/feeds/rss/")
    assert response.status_code == 200
    enclosures = re.findall(
        r'<enclosure length="([0-9]+)" type="image/jpeg" url="([^"]+)"', response.content.decode()
    )
    assert enclosures == [(str(len(data)), bucket.media_url + "renditions/1/a-1280.jpg")]


def test_the_demo_stores_its_picture_in_the_bucket(bucket, settings):
    call_command("load_demo", count=3, no_progress=True, stdout=io.StringIO())
    picture = MediaImage.objects.get()
    assert picture.file.name in bucket.keys()
    assert_nothing_on_local_disk(settings)


def test_an_arabic_file_name_taken_already_gets_a_new_name_not_an_overwrite(bucket):
    first = default_storage.save("library/صورة الميناء.jpg", ContentFile(b"first"))
    second = default_storage.save("library/صورة الميناء.jpg", ContentFile(b"second"))
    assert first == "library/صورة الميناء.jpg"
    assert second != first and second.startswith("library/صورة الميناء_")
    assert bucket.read(first) == b"first"
    assert bucket.read(second) == b"second"


def test_copying_local_media_into_the_bucket_is_idempotent(bucket, tmp_path):
    old = tmp_path / "old-media"
    (old / "covers" / "2024" / "07").mkdir(parents=True)
    (old / "library" / "ab").mkdir(parents=True)
    (old / "covers" / "2024" / "07" / "غلاف.jpg").write_bytes(image_bytes())
    (old / "library" / "ab" / "a.png").write_bytes(image_bytes("PNG"))
    (old / "library" / "ab" / "stale.jpg").write_bytes(b"new bytes, longer")
    bucket.client.put_object(Bucket=bucket.name, Key="library/ab/stale.jpg", Body=b"old")

    out = io.StringIO()
    call_command("copy_media_to_storage", source=str(old), stdout=out)
    assert "copied: 2, replaced (size differed): 1, skipped (already there): 0" in out.getvalue()
    assert bucket.keys() == {"covers/2024/07/غلاف.jpg", "library/ab/a.png", "library/ab/stale.jpg"}
    assert bucket.read("covers/2024/07/غلاف.jpg") == (old / "covers/2024/07/غلاف.jpg").read_bytes()
    assert bucket.read("library/ab/stale.jpg") == b"new bytes, longer"

    again = io.StringIO()
    call_command("copy_media_to_storage", source=str(old), stdout=again)
    assert "copied: 0, replaced (size differed): 0, skipped (already there): 3" in again.getvalue()


def test_signed_urls_open_a_private_bucket_and_bare_addresses_do_not(settings, s3_endpoint):
    bucket = _use_bucket(settings, s3_endpoint, signed_urls=True, signed_url_seconds=600)
    name = default_storage.save("covers/خاص.jpg", ContentFile(b"private"))
    url = default_storage.url(name)
    assert "X-Amz-Signature=" in url and url.startswith(bucket.media_url)
    assert fetch(url) == b"private"
    with pytest.raises(urllib.error.HTTPError) as refused:
        fetch(url.split("?")[0])
    assert refused.value.code == 403


# --- the settings, without a server ------------------------------------------------------------


def test_a_public_address_serves_media_from_a_cdn_host():
    backend, media_url = s3_media_storage(bucket="news", public_url="https://media.example.ma/")
    assert media_url == "https://media.example.ma/"
    assert backend["OPTIONS"]["custom_domain"] == "media.example.ma"
    assert backend["OPTIONS"]["file_overwrite"] is False
    assert media_origins(media_url) == ["https://media.example.ma"]
    assert media_origins("/media/") == []  # local disk: same origin, nothing to add


def test_amazon_buckets_get_the_address_boto3_gives_them():
    assert s3_media_storage(bucket="news", region="eu-west-3")[1] == (
        "https://news.s3.eu-west-3.amazonaws.com/"
    )
    assert (
        s3_media_storage(bucket="news", region="us-east-1")[1] == "https://news.s3.amazonaws.com/"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"bucket": ""}, "MEDIA_S3_BUCKET"),
        ({"bucket": "news", "access_key": "only-one"}, "MEDIA_S3_SECRET_ACCESS_KEY"),
        ({"bucket": "news", "public_url": "media.example.ma"}, "MEDIA_S3_PUBLIC_URL"),
    ],
)
def test_incomplete_bucket_settings_stop_the_site_with_a_clear_message(options, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        s3_media_storage(**options)
