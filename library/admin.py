"""The media library in the admin, and the two JSON doors the body editor uses.

Journalists and editors may add and view pictures (granted by this app's role migration).
The upload and "recent pictures" URLs live under the library's admin, so they get the admin's
staff check, CSRF protection and Arabic language for free.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST
from modeltranslation.admin import TabbedTranslationAdmin

from articles.images import SafeImageFormField

from . import services
from .forms import UploadForm
from .models import MediaImage
from .services import image_add

RECENT_COUNT = 24


@admin.register(MediaImage)
class MediaImageAdmin(TabbedTranslationAdmin):
    list_display = ("thumbnail", "alt", "caption", "credit", "dimensions", "created_at")
    list_display_links = ("thumbnail", "alt")
    search_fields = (
        "alt_ar", "alt_fr", "alt_en", "caption_ar", "caption_fr", "caption_en", "credit_ar",
    )  # fmt: skip
    list_per_page = 50
    date_hierarchy = "created_at"
    formfield_overrides = {models.ImageField: {"form_class": SafeImageFormField}}
    readonly_fields = ("preview", "dimensions", "uploaded_by", "created_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # A stored picture is identified by its bytes: replacing the file would break the
        # bodies that show it. Upload a new picture instead.
        return ("file", *self.readonly_fields) if obj else self.readonly_fields

    @admin.display(description=_("picture"))
    def thumbnail(self, obj: MediaImage) -> str:
        return format_html(
            '<img src="{}" alt="" width="96" height="{}" loading="lazy" class="library-thumb">',
            obj.thumbnail_url(),
            round(96 * obj.height / obj.width) if obj.width else 64,
        )

    @admin.display(description=_("preview"))
    def preview(self, obj: MediaImage) -> str:
        if not obj.pk:
            return "-"
        return format_html('<img src="{}" alt="" class="library-preview">', obj.thumbnail_url())

    @admin.display(description=_("size"))
    def dimensions(self, obj: MediaImage) -> str:
        return f"{obj.width} × {obj.height}" if obj.width else "-"

    def save_model(self, request: HttpRequest, obj: MediaImage, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        upload = form.cleaned_data["file"]
        upload.seek(0)
        texts = {
            key: form.cleaned_data.get(key) or ""
            for key in form.cleaned_data
            if key.startswith(("alt_", "caption_", "credit_"))
        }
        stored = image_add(
            data=upload.read(), filename=upload.name, uploaded_by=request.user, **texts
        )
        obj.pk = stored.pk
        obj.__dict__.update({k: v for k, v in stored.__dict__.items() if k != "_state"})
        obj._state.adding = False

    def get_urls(self) -> list[Any]:
        wrap = self.admin_site.admin_view
        return [
            path("upload/", wrap(self.upload_view), name="library_mediaimage_upload"),
            path("recent/", wrap(self.recent_view), name="library_mediaimage_recent"),
            *super().get_urls(),
        ]

    def upload_view(self, request: HttpRequest) -> JsonResponse:
        return upload(request, model_admin=self)

    def recent_view(self, request: HttpRequest) -> JsonResponse:
        return recent(request, model_admin=self)


@require_POST
def upload(request: HttpRequest, *, model_admin: MediaImageAdmin) -> JsonResponse:
    """The editor's upload: JSON in, JSON out, errors as sentences the dialog shows."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = [str(message) for messages in form.errors.values() for message in messages]
        return JsonResponse({"errors": errors}, status=400)
    upload = form.cleaned_data["file"]
    upload.seek(0)
    try:
        image = image_add(
            data=upload.read(),
            filename=upload.name,
            alt=form.cleaned_data["alt"],
            caption=form.cleaned_data["caption"],
            credit=form.cleaned_data["credit"],
            uploaded_by=request.user,
        )
    except ValidationError as exc:
        return JsonResponse({"errors": exc.messages}, status=400)
    payload = services.image_payload(image)
    # The dialog's texts win for this insertion, even when the picture was already stored.
    payload.update(
        alt=form.cleaned_data["alt"],
        caption=form.cleaned_data["caption"],
        credit=form.cleaned_data["credit"],
    )
    return JsonResponse(payload, status=201)


@require_GET
def recent(request: HttpRequest, *, model_admin: MediaImageAdmin) -> JsonResponse:
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    images = MediaImage.objects.recent()[:RECENT_COUNT]
    return JsonResponse({"images": [services.image_payload(image) for image in images]})
