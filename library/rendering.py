"""Article bodies on public pages: library pictures become responsive, links become embeds.

Both run at render time, on bodies the sanitiser already cleaned, rather than at save time.
A body keeps only what the editor wrote (`<img src data-media-id>`), so:

- renditions can be regenerated, or their format changed, without rewriting every stored
  body and every history version;
- the sanitiser stays narrow: `srcset`, `sizes`, `loading`, `<picture>` and `<iframe>`-like
  markup never have to be admitted on input, where they would be an attack surface;
- the cost is one query per page that shows library pictures (none when it shows none),
  however many pictures the body holds.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.template.loader import render_to_string
from django.utils.html import escape

from articles.images import Renditions

from .models import MediaImage

BODY_SIZES = "(min-width: 48em) 46rem, 100vw"
_IMG = re.compile(r"<img\s[^>]*>")
_ATTR = re.compile(r'([a-zA-Z][a-zA-Z0-9-]*)="([^"]*)"')
_MEDIA_ID = re.compile(r'\sdata-media-id="([0-9]+)"')


def body_images(body: str) -> str:
    """Give every library picture in a body a <picture> with WebP and JPEG srcsets.

    Width and height come from the rendition (no layout shift); pictures load lazily and
    decode off the main thread. A picture whose library row is gone keeps its stored `src`.
    """
    if not body or "<img" not in body:
        return body or ""
    wanted = {int(pk) for pk in _MEDIA_ID.findall(body)}
    images = (
        {
            image.pk: image
            for image in MediaImage.objects.filter(pk__in=wanted).only(
                "pk", "file", "width", "height", "renditions"
            )
        }
        if wanted
        else {}
    )

    def replace(match: re.Match[str]) -> str:
        attrs = dict(_ATTR.findall(match.group(0)))
        media_id = attrs.get("data-media-id", "")
        image = images.get(int(media_id)) if media_id.isdigit() else None
        alt = attrs.get("alt", "")
        renditions = Renditions(image.renditions if image is not None else None)
        largest = renditions.largest("jpeg")
        if largest is None:
            size = "".join(
                f' {name}="{attrs[name]}"' for name in ("width", "height") if name in attrs
            )
            return (
                f'<img src="{attrs.get("src", "")}" alt="{alt}"{size} '
                'loading="lazy" decoding="async">'
            )
        return (
            "<picture>"
            f'<source type="image/webp" srcset="{escape(renditions.srcset("webp"))}" '
            f'sizes="{BODY_SIZES}">'
            f'<img src="{escape(largest.url)}" '
            f'srcset="{escape(renditions.srcset("jpeg"))}" sizes="{BODY_SIZES}" '
            f'width="{largest.width}" height="{largest.height}" alt="{alt}" loading="lazy" '
            'decoding="async">'
            "</picture>"
        )

    return _IMG.sub(replace, body)


_LOCAL_IMG_SRC = re.compile(r'(<img\s[^>]*?\bsrc=")(/[^"/][^"]*")')


def absolute_image_urls(body: str, base: str) -> str:
    """Body pictures with absolute URLs, for feeds: readers elsewhere cannot resolve "/media/"."""
    if not body or "<img" not in body:
        return body or ""
    base = base.rstrip("/")
    return _LOCAL_IMG_SRC.sub(lambda m: f"{m.group(1)}{base}{m.group(2)}", body)


# --- embeds ------------------------------------------------------------------------------------

_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_TWEET_PATH = re.compile(r"/[A-Za-z0-9_]{1,15}/status/[0-9]{1,25}/?")
# A paragraph holding nothing but a URL, typed as text or linked by the editor.
_LONE_URL = re.compile(
    r"<p(?:\s[^>]*)?>\s*(?:"
    r'<a\s[^>]*href="(?P<href>https?://[^"\s]+)"[^>]*>[^<]*</a>'
    r"|(?P<text>https?://[^<\s]+)"
    r")\s*</p>"
)
YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com"}
X_HOSTS = {"x.com", "www.x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com"}
FACEBOOK_HOSTS = {"facebook.com", "www.facebook.com", "m.facebook.com", "fb.watch", "www.fb.watch"}


def embed_for(url: str) -> dict[str, Any] | None:
    """Recognise a YouTube, X or Facebook URL; None for anything else."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"}:
        return None
    host = (parts.hostname or "").lower()
    if host in YOUTUBE_HOSTS or host == "youtu.be":
        if host == "youtu.be":
            video = parts.path.strip("/").split("/")[0]
        elif parts.path.startswith(("/shorts/", "/embed/", "/live/")):
            video = parts.path.split("/")[2]
        else:
            video = (parse_qs(parts.query).get("v") or [""])[0]
        if not _YOUTUBE_ID.fullmatch(video):
            return None
        return {
            "kind": "youtube",
            "video": video,
            "url": f"https://www.youtube.com/watch?v={video}",
        }
    if host in X_HOSTS and _TWEET_PATH.fullmatch(parts.path):
        return {"kind": "x", "url": f"https://x.com{parts.path.rstrip('/')}"}
    if host in FACEBOOK_HOSTS and parts.path.strip("/"):
        return {"kind": "facebook", "url": url}
    return None


def body_embeds(body: str) -> str:
    """Turn paragraphs made of one YouTube, X or Facebook link into privacy-friendly cards.

    Nothing is requested from the third party while the reader only reads: the card is our
    own markup (no iframe, no remote thumbnail). Clicking a YouTube card loads the player
    from youtube-nocookie.com (static/js/embeds.js); X and Facebook would need their
    tracking scripts to embed, so their cards simply open the post in a new tab.
    """
    if not body or "http" not in body:
        return body or ""

    def replace(match: re.Match[str]) -> str:
        url = html.unescape(match.group("href") or match.group("text"))
        embed = embed_for(url)
        if embed is None:
            return match.group(0)
        return render_to_string("library/embed.html", {"embed": embed}).strip()

    return _LONE_URL.sub(replace, body)
