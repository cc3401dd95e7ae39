"""Bodies from the old blog: Blogger's markup noise out, the editor's sanitiser over the rest.

Cleaning is regular expressions over the exported HTML followed by nh3, an HTML5 parser: the
regexes only turn Blogger's layout devices (separator divs, `<br>` runs) into paragraph
boundaries, and the parser then repairs the nesting exactly as a browser would, so a
`</p><p>` dropped inside a list or a heading closes and reopens what it must.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from django.utils.html import strip_tags

from articles.fields import sanitize_html
from newsroom.text import strip_invisible

_JUMP_BREAK = re.compile(r"<a\s+name\s*=\s*[\"']?more[\"']?\s*>\s*</a>", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_STYLE_ATTR = re.compile(r"\sstyle\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+)", re.IGNORECASE)
_BLOCKS_TO_DROP = re.compile(
    r"<(script|style|noscript|iframe|object)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)
_BR_RUN = re.compile(r"(?:<br\s*/?>(?:\s|&nbsp;|&#160;|\xa0)*){2,}", re.IGNORECASE)
_DIV = re.compile(r"</?div\b[^>]*>", re.IGNORECASE)
_EMPTY_PARAGRAPH = re.compile(
    r"<p(?:\s[^>]*)?>(?:\s|&nbsp;|&#160;|\xa0|<br\s*/?>)*</p>", re.IGNORECASE
)
_BOLD = re.compile(r"<(/?)b(\s[^>]*)?>", re.IGNORECASE)
_ITALIC = re.compile(r"<(/?)i(\s[^>]*)?>", re.IGNORECASE)
_HREF = re.compile(r'(<a\s[^>]*?\bhref=")([^"]*)(")', re.IGNORECASE)


def strip_noise(html: str) -> str:
    """Blogger's noise out, before images are handled: still raw HTML, not yet sanitised."""
    html = _COMMENT.sub("", html or "")
    html = _BLOCKS_TO_DROP.sub("", html)
    html = _JUMP_BREAK.sub("", html)
    html = _STYLE_ATTR.sub("", html)
    html = _BOLD.sub(r"<\1strong>", html)
    html = _ITALIC.sub(r"<\1em>", html)
    html = _BR_RUN.sub("</p><p>", html)
    return _DIV.sub("</p><p>", html)


def finish(html: str) -> str:
    """Sanitise as the editor does and drop the paragraphs that hold only spaces or breaks."""
    cleaned = sanitize_html(f"<p>{html}</p>")
    previous = None
    while previous != cleaned:
        previous, cleaned = cleaned, _EMPTY_PARAGRAPH.sub("", cleaned)
    return sanitize_html(cleaned.strip())


def clean_body(html: str) -> str:
    """The whole cleaning for a body with no images to re-host."""
    return finish(strip_noise(html))


def host_key(host: str) -> str:
    host = (host or "").lower().strip().rstrip(".")
    return host.removeprefix("www.")


def old_site_path(href: str, hosts: Iterable[str]) -> str | None:
    """The path of a link to the old site (any of its hosts, http or https, or relative).

    None for a link elsewhere (another site, mailto:, a fragment only).
    """
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return None
    wanted = {host_key(host) for host in hosts if host}
    if parts.scheme in {"http", "https"} or href.startswith("//"):
        if host_key(parts.hostname or "") not in wanted:
            return None
    elif parts.scheme or not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def rewrite_links(
    html: str, resolve: Callable[[str], str | None], hosts: Iterable[str]
) -> tuple[str, list[str]]:
    """Point links to other imported items at their new URLs; return the body and the misses.

    `resolve(old path)` gives the new URL or None; a link to the old site that resolves to
    nothing is left as it is and returned in the list of unresolved links.
    """
    import html as html_lib

    hosts = list(hosts)
    unresolved: list[str] = []

    def replace(match: re.Match[str]) -> str:
        href = html_lib.unescape(match.group(2))
        path = old_site_path(href, hosts)
        if path is None:
            return match.group(0)
        target = resolve(path)
        if target is None:
            unresolved.append(href)
            return match.group(0)
        fragment = urlsplit(href).fragment
        new = target + (f"#{fragment}" if fragment else "")
        return f"{match.group(1)}{html_lib.escape(new)}{match.group(3)}"

    return _HREF.sub(replace, html or ""), unresolved


def trim_words(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.،؛:") + "…"


def plain_text(html: str) -> str:
    """Text only: tags out, entities decoded, invisible characters dropped."""
    import html as html_lib

    return strip_invisible(html_lib.unescape(strip_tags(html or ""))).strip()
