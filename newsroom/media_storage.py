"""The media storage settings: local disk, or an S3-compatible bucket through django-storages.

Read by the settings module (so nothing here touches Django's app registry). Kept apart so
the rules (which URL readers get, which origin the CSP must allow) are one function each
and can be tested without starting a process per environment.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

S3_BACKEND = "storages.backends.s3.S3Storage"


def s3_media_storage(
    *,
    bucket: str,
    endpoint_url: str = "",
    region: str = "",
    access_key: str = "",
    secret_key: str = "",
    public_url: str = "",
    signed_urls: bool = False,
    signed_url_seconds: int = 86_400,
    default_acl: str = "",
    addressing_style: str = "",
) -> tuple[dict[str, Any], str]:
    """The STORAGES["default"] entry for a bucket, and the MEDIA_URL readers will see.

    MEDIA_URL becomes the bucket's public base URL because two things compare against it:
    the body sanitiser keeps an <img> only when its src starts with MEDIA_URL, and the
    Content-Security-Policy allows images from its origin. Files are never overwritten: a
    second "صورة.jpg" gets a new name, as on local disk.

    - `public_url`: a CDN or a public bucket address (https://media.example.ma); pages link
      there. Ignored for signed URLs, which must go to the endpoint that checks them.
    - `signed_urls`: for a private bucket; every URL carries a signature valid
      `signed_url_seconds` (keep it well above the page cache and CDN lifetimes).
    - `endpoint_url`: any S3-compatible server (MinIO, Ceph, Garage, a test server); such
      servers get path-style addresses (endpoint/bucket/key) unless told otherwise.
    """
    if not bucket:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs MEDIA_S3_BUCKET (the bucket name).")
    if bool(access_key) != bool(secret_key):
        raise ImproperlyConfigured(
            "Set both MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY, or neither "
            "(then boto3 finds credentials itself: an instance role, ~/.aws)."
        )
    endpoint_url = endpoint_url.rstrip("/")
    public_url = "" if signed_urls else public_url.rstrip("/")
    style = addressing_style or ("path" if endpoint_url else "virtual")
    if style not in {"path", "virtual"}:
        raise ImproperlyConfigured("MEDIA_S3_ADDRESSING_STYLE must be 'path' or 'virtual'.")
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "file_overwrite": False,
        "querystring_auth": signed_urls,
        "querystring_expire": signed_url_seconds,
        "addressing_style": style,
        "signature_version": "s3v4",
        "default_acl": default_acl or None,
        # Renditions and originals never change under one name (a new picture gets a new
        # name), so browsers and CDNs may keep them for a year.
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
    }
    if endpoint_url:
        options["endpoint_url"] = endpoint_url
    if region:
        options["region_name"] = region
    if access_key:
        options["access_key"] = access_key
        options["secret_key"] = secret_key
    if public_url:
        parts = urlsplit(public_url)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ImproperlyConfigured(
                "MEDIA_S3_PUBLIC_URL must be an http(s) address, e.g. https://media.example.ma"
            )
        options["custom_domain"] = parts.netloc + parts.path
        options["url_protocol"] = f"{parts.scheme}:"
        return {"BACKEND": S3_BACKEND, "OPTIONS": options}, f"{public_url}/"
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}, bucket_base_url(
        bucket=bucket, endpoint_url=endpoint_url, region=region, style=style
    )


def bucket_base_url(*, bucket: str, endpoint_url: str, region: str, style: str) -> str:
    """The address boto3 gives the bucket's objects, up to the key (ends with "/")."""
    if endpoint_url:
        parts = urlsplit(endpoint_url)
        if style == "path":
            return f"{endpoint_url}/{bucket}/"
        return f"{parts.scheme}://{bucket}.{parts.netloc}{parts.path}/"
    # boto3 gives us-east-1 (and no region) the global host name.
    host = f"s3.{region}.amazonaws.com" if region not in {"", "us-east-1"} else "s3.amazonaws.com"
    return f"https://{host}/{bucket}/" if style == "path" else f"https://{bucket}.{host}/"


def media_origins(media_url: str) -> list[str]:
    """The origin to add to the CSP's img-src when media live on another host (else none)."""
    parts = urlsplit(media_url)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []
