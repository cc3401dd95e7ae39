"""The media library: pictures stored once, the editor's upload door, rights, admin list."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import Image

from library.models import MediaImage
from library.services import image_add

from .factories import image_bytes, make_upload, make_user

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/library/mediaimage/upload/"
RECENT = "/admin/library/mediaimage/recent/"


def exif_rotated_jpeg() -> bytes:
    """A 600x400 JPEG whose EXIF says "rotate 90°", with a GPS-ish comment in its metadata."""
    image = Image.new("RGB", (600, 400), (10, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 CW
    exif[0x010F] = "SecretCam serial 1234"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def test_a_picture_is_normalised_and_gets_webp_and_jpeg_renditions():
    image = image_add(data=image_bytes(size=(3000, 2000)), filename="big.jpg", alt="ميناء")
    assert (image.width, image.height) == (2560, 1707)
    widths = [entry[0] for entry in image.renditions["jpeg"]]
    assert widths == [320, 640, 960, 1280]
    assert [entry[0] for entry in image.renditions["webp"]] == widths
    for _w, _h, name in image.renditions["webp"] + image.renditions["jpeg"]:
        assert default_storage.exists(name)
    assert image.alt_ar == "ميناء"


def test_exif_rotation_is_applied_and_metadata_stripped():
    image = image_add(data=exif_rotated_jpeg(), filename="phone.jpg", alt="صورة")
    assert (image.width, image.height) == (400, 600)
    with default_storage.open(image.file.name, "rb") as handle:
        stored = handle.read()
    assert b"SecretCam" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()


def test_the_same_picture_uploaded_twice_is_stored_once():
    data = image_bytes(size=(900, 600))
    first = image_add(data=data, filename="a.jpg", alt="أول")
    again = image_add(data=data, filename="copy-of-a.jpg", alt="ثان", caption="تعليق")
    via_manager = MediaImage.objects.from_bytes(data, filename="third.jpg")
    assert first.pk == again.pk == via_manager.pk
    assert MediaImage.objects.count() == 1
    again.refresh_from_db()
    assert again.alt_ar == "أول"  # the library's text is kept...
    assert again.caption_ar == "تعليق"  # ...and a missing one is filled in


def test_a_picture_that_differs_only_in_metadata_is_the_same_picture():
    plain = io.BytesIO()
    Image.new("RGB", (500, 300), (1, 2, 3)).save(plain, "PNG")
    tagged = io.BytesIO()
    info = __import__("PIL.PngImagePlugin", fromlist=["PngInfo"]).PngInfo()
    info.add_text("Author", "someone")
    Image.new("RGB", (500, 300), (1, 2, 3)).save(tagged, "PNG", pnginfo=info)
    assert image_add(data=plain.getvalue()).pk == image_add(data=tagged.getvalue()).pk


def test_texts_in_other_languages_are_stored_and_unknown_ones_refused():
    image = image_add(data=image_bytes(), alt="صورة", alt_fr="Image", caption_en="Picture")
    assert (image.alt_fr, image.caption_en) == ("Image", "Picture")
    with pytest.raises(TypeError):
        image_add(data=image_bytes(size=(10, 10)), colour="red")


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"not an image at all", "not_image"), (image_bytes("GIF"), "format")],
)
def test_what_is_not_an_acceptable_image_is_refused(data, code):
    with pytest.raises(ValidationError) as info:
        image_add(data=data, filename="x.jpg")
    assert info.value.code == code
    assert MediaImage.objects.count() == 0


# --- the editor's upload door -----------------------------------------------------------------


def post(client, **overrides):
    data = {"file": make_upload("port.jpg"), "alt": "ميناء طنجة", "caption": "الميناء صباحا"}
    data.update(overrides)
    return client.post(UPLOAD, data)


@pytest.mark.parametrize("role", ["journalist", "editor"])
def test_journalists_and_editors_upload_from_the_editor(client, role, request):
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = post(client, credit="و.م.ع")
    assert response.status_code == 201
    payload = response.json()
    image = MediaImage.objects.get()
    assert payload["id"] == image.pk
    assert payload["src"].startswith("/media/") and payload["src"].endswith("-800.jpg")
    assert (payload["width"], payload["height"]) == (800, 600)
    assert (payload["alt"], payload["caption"], payload["credit"]) == (
        "ميناء طنجة", "الميناء صباحا", "و.م.ع",
    )  # fmt: skip
    assert image.uploaded_by == user


def test_upload_errors_are_sentences_in_arabic(client, editor):
    client.force_login(editor)
    response = post(client, file=make_upload("fake.jpg", b"GIF89a not really"), alt="")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any("ليس صورة" in e for e in errors), errors
    assert any("صف الصورة للقراء" in e for e in errors), errors
    assert MediaImage.objects.count() == 0


def test_a_too_big_upload_says_so(client, editor, settings):
    client.force_login(editor)
    big = make_upload("big.jpg", image_bytes() + b"\0" * (10 * 1024 * 1024))
    response = post(client, file=big)
    assert response.status_code == 400
    assert "10" in " ".join(response.json()["errors"])


def test_the_upload_needs_a_staff_login_and_the_add_right(client, moderator):
    assert post(client).status_code == 302  # to the admin login
    client.force_login(moderator)
    assert post(client).status_code == 403
    assert MediaImage.objects.count() == 0


def test_the_upload_is_csrf_protected(editor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert post(client).status_code == 403


def test_the_upload_accepts_only_post(client, editor):
    client.force_login(editor)
    assert client.get(UPLOAD).status_code == 405


def test_recent_pictures_for_the_editor_picker(client, journalist):
    older = image_add(data=image_bytes(size=(300, 200)), alt="قديمة")
    newer = image_add(data=image_bytes(size=(400, 200)), alt="حديثة")
    client.force_login(journalist)
    images = client.get(RECENT).json()["images"]
    assert [i["id"] for i in images] == [newer.pk, older.pk]
    assert images[0]["thumb"].endswith("-320.jpg")


def test_recent_pictures_are_not_for_readers_or_moderators(client, moderator):
    assert client.get(RECENT).status_code == 302
    client.force_login(moderator)
    assert client.get(RECENT).status_code == 403


# --- the library in the admin -----------------------------------------------------------------


def test_the_changelist_shows_thumbnails_and_searches_alt_and_caption(client, journalist):
    image_add(data=image_bytes(size=(600, 400)), alt="ميناء طنجة", caption="سفن")
    image_add(data=image_bytes(size=(500, 400)), alt="ملعب", caption="جمهور")
    client.force_login(journalist)
    page = client.get("/admin/library/mediaimage/").content.decode()
    assert page.count('class="library-thumb"') == 2
    assert "مكتبة الوسائط" in client.get("/admin/").content.decode()
    found = client.get("/admin/library/mediaimage/", {"q": "جمهور"}).content.decode()
    assert "ملعب" in found and "ميناء طنجة" not in found
    found = client.get("/admin/library/mediaimage/", {"q": "طنجة"}).content.decode()
    assert "ميناء طنجة" in found and "ملعب" not in found


def test_uploading_through_the_admin_form_reuses_a_known_picture(client, editor):
    client.force_login(editor)
    data = image_bytes(size=(640, 480))
    existing = image_add(data=data, alt="معروفة", caption="قديمة")
    form = {
        "file": make_upload("again.jpg", data),
        "alt_ar": "جديدة",
        "caption_ar": "تعليق",
        "credit_ar": "",
    }
    response = client.post("/admin/library/mediaimage/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert MediaImage.objects.count() == 1
    assert MediaImage.objects.get().pk == existing.pk


def test_the_admin_form_requires_arabic_alt_text_and_caption(client, editor):
    client.force_login(editor)
    response = client.post("/admin/library/mediaimage/add/", {"file": make_upload()})
    assert response.status_code == 200
    assert MediaImage.objects.count() == 0
    assert response.context["adminform"].form.errors.keys() >= {"alt_ar", "caption_ar"}


def test_a_new_picture_through_the_admin_form(client, journalist):
    client.force_login(journalist)
    form = {"file": make_upload("new.png", image_bytes("PNG", size=(1500, 900)))}
    form |= {"alt_ar": "صورة", "caption_ar": "تعليق", "alt_fr": "Image"}
    response = client.post("/admin/library/mediaimage/add/", form)
    assert response.status_code == 302
    image = MediaImage.objects.get()
    assert (image.width, image.alt_fr, image.uploaded_by) == (1500, "Image", journalist)
    assert image.renditions["webp"]


def make_staff_without_role():
    return make_user(is_staff=True)


def test_staff_without_a_role_see_no_library(client):
    client.force_login(make_staff_without_role())
    assert client.get("/admin/library/mediaimage/").status_code == 403


def test_two_uploads_of_one_picture_at_the_same_moment_keep_one_row_and_its_files(monkeypatch):
    """The second writer loses the unique key on sha256 and returns the first one's row."""
    from library.models import MediaImageQuerySet

    data = image_bytes(size=(700, 500))
    first = image_add(data=data, alt="أولى")
    files_before = sorted(default_storage.listdir(first.file.name.rsplit("/", 1)[0])[1])
    original_first = MediaImageQuerySet.first
    missed = []

    def lookup_that_misses_once(self):
        if not missed:
            missed.append(True)
            return None  # as if the other upload had not committed yet
        return original_first(self)

    monkeypatch.setattr(MediaImageQuerySet, "first", lookup_that_misses_once)
    second = image_add(data=data, alt="ثانية")
    assert missed and second.pk == first.pk
    assert MediaImage.objects.count() == 1
    assert sorted(default_storage.listdir(first.file.name.rsplit("/", 1)[0])[1]) == files_before
    for _w, _h, name in first.renditions["jpeg"]:
        assert default_storage.exists(name)


def test_texts_of_invisible_characters_only_are_empty_and_overlong_ones_refused(client, editor):
    client.force_login(editor)
    response = post(client, alt="\u200b\u200f\u202e", caption="ت" * 301)
    assert response.status_code == 400
    errors = " ".join(response.json()["errors"])
    assert "صف الصورة للقراء" in errors and "300" in errors
    assert MediaImage.objects.count() == 0


def test_hostile_texts_are_kept_as_text_without_hidden_controls(client, editor):
    client.force_login(editor)
    response = post(
        client, alt='<script>alert(1)</script>"onerror=x', caption="صورة\u202e' OR 1=1 --"
    )
    assert response.status_code == 201
    image = MediaImage.objects.get()
    assert image.alt_ar == '<script>alert(1)</script>"onerror=x'  # escaped wherever shown
    assert image.caption_ar == "صورة' OR 1=1 --"  # the bidi override is gone
