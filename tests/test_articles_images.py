"""Cover images: bad files get a clear error; good ones are normalised and rendered once."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from articles.images import process_cover, validate_image_upload
from articles.models import Article

from .factories import image_bytes, make_article, make_category, make_upload

pytestmark = pytest.mark.django_db


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels (a decompression bomb)."""
    raw = image_bytes("PNG", (1, 1))
    ihdr_data = struct.pack(">II", width, height) + raw[24:29]
    chunk = b"IHDR" + ihdr_data
    return raw[:8] + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk)) + raw[33:]


def error_of(upload: SimpleUploadedFile) -> str:
    with translation.override("en"):
        with pytest.raises(ValidationError) as info:
            validate_image_upload(upload)
        return " ".join(info.value.messages)


def test_a_real_jpeg_png_and_webp_are_accepted():
    for fmt, name in (("JPEG", "a.jpg"), ("PNG", "a.png"), ("WEBP", "a.webp")):
        validate_image_upload(make_upload(name, image_bytes(fmt)))


def test_a_renamed_text_file_is_refused_with_a_clear_error():
    assert "not an image" in error_of(make_upload("photo.jpg", b"<html>not an image</html>"))


def test_a_truncated_jpeg_is_refused():
    data = image_bytes("JPEG", (1200, 900), quality=95)
    assert "truncated" in error_of(make_upload("cut.jpg", data[: len(data) // 2]))


def test_a_decompression_bomb_is_refused():
    assert "decompression bomb" in error_of(
        make_upload("bomb.png", png_declaring(60_000, 60_000), "image/png")
    )


def test_an_image_over_40_megapixels_is_refused():
    assert "megapixels" in error_of(make_upload("big.png", png_declaring(8000, 6000), "image/png"))


def test_a_file_over_10_mb_is_refused():
    upload = make_upload("huge.jpg", image_bytes() + b"\0" * (10 * 1024 * 1024))
    assert "10 MB" in error_of(upload)


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_formats_are_refused(fmt):
    assert "JPEG, PNG and WebP" in error_of(make_upload(f"a.{fmt.lower()}", image_bytes(fmt)))


def test_errors_reach_arabic_speaking_editors_in_arabic():
    with translation.override("ar"):
        with pytest.raises(ValidationError) as info:
            validate_image_upload(make_upload("photo.jpg", b"not an image"))
        assert "ليس صورة صالحة" in info.value.messages[0]


def test_an_empty_file_is_refused():
    assert error_of(make_upload("empty.jpg", b""))


def _exif_jpeg() -> bytes:
    image = Image.new("RGB", (400, 200), (10, 200, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "CameraMaker"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_cover_is_rotated_stripped_and_rendered_once():
    article = make_article()
    article.cover_image.save("phone.jpg", make_upload("phone.jpg", _exif_jpeg()), save=True)
    assert process_cover(article) is True
    with article.cover_image.open("rb") as handle, Image.open(handle) as stored:
        assert stored.size == (200, 400)  # orientation applied
        assert not stored.getexif()  # metadata stripped
    assert [w for w, _h, _n in article.cover_renditions["webp"]] == [200]
    assert process_cover(article) is False  # renditions are made once per file


def test_large_covers_are_scaled_and_get_every_rendition_width():
    article = make_article()
    article.cover_image.save("wide.jpg", make_upload("wide.jpg", image_bytes("JPEG", (3000, 1500))))
    process_cover(article)
    article.refresh_from_db()
    assert (article.cover_width, article.cover_height) == (2560, 1280)
    widths = [w for w, _h, _n in article.cover_renditions["jpeg"]]
    assert widths == [320, 640, 960, 1280]
    assert [w for w, _h, _n in article.cover_renditions["webp"]] == widths
    name = article.cover_renditions["webp"][0][2]
    assert name.endswith(".webp")


def _admin_post(client, **extra):
    data = {
        "title_ar": "مقال بصورة",
        "slug_ar": "مقال-بصورة",
        "category": make_category().pk,
        "status": Article.Status.DRAFT,
        "articleauthor_set-TOTAL_FORMS": "0",
        "articleauthor_set-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return client.post("/admin/articles/article/add/", data)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: make_upload("x.jpg", b"GIF89a not really"), "not an image"),
        (lambda: make_upload("b.png", png_declaring(60_000, 60_000), "image/png"), "bomb"),
        (lambda: make_upload("t.jpg", image_bytes("JPEG", (900, 900))[:900]), "truncated"),
    ],
)
def test_admin_upload_of_a_bad_image_shows_the_error_and_saves_nothing(
    client, editor, upload, message
):
    client.force_login(editor)
    client.cookies["django_language"] = "en"
    response = _admin_post(client, cover_image=upload(), cover_alt_ar="وصف")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.exists()


def test_admin_requires_alt_text_when_there_is_an_image(client, editor):
    client.force_login(editor)
    client.cookies["django_language"] = "en"
    response = _admin_post(client, cover_image=make_upload())
    assert response.status_code == 200
    assert "Describe the image" in response.content.decode()
    assert not Article.objects.exists()


def test_admin_upload_of_a_good_image_makes_renditions(
    client, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = _admin_post(
            client,
            cover_image=make_upload("ok.jpg", image_bytes("JPEG", (1400, 700))),
            cover_alt_ar="وصف الصورة",
        )
    assert response.status_code == 302
    article = Article.objects.get()
    assert [w for w, _h, _n in article.cover_renditions["webp"]] == [320, 640, 960, 1280]


def test_the_same_image_uploaded_for_two_articles_keeps_both_intact():
    data = image_bytes("JPEG", (700, 400))
    first, second = make_article(), make_article()
    for article in (first, second):
        article.cover_image.save("same.jpg", make_upload("same.jpg", data), save=True)
        process_cover(article)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.cover_image.name != second.cover_image.name
    names = {n for _w, _h, n in first.cover_renditions["webp"]}
    assert names.isdisjoint(n for _w, _h, n in second.cover_renditions["webp"])
    assert first.cover_image.storage.exists(first.cover_image.name)
    assert second.cover_image.storage.exists(second.cover_image.name)


def test_admin_changelist_shows_the_smallest_jpeg_rendition_of_a_cover(client, editor):
    make_article(
        title="بصورة",
        cover_image="covers/x.jpg",
        cover_alt_ar="صورة",
        cover_renditions={
            "source": "covers/x.jpg",
            "webp": [[320, 180, "r/a-320.webp"], [1280, 720, "r/a-1280.webp"]],
            "jpeg": [[320, 180, "r/a-320.jpg"], [1280, 720, "r/a-1280.jpg"]],
        },
    )
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert '<img src="/media/r/a-320.jpg" alt="" width="64" loading="lazy">' in html
