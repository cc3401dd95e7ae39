"""Design rules that hold in the files themselves: logical CSS, self-hosted assets only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from .factories import make_seed_article

ROOT = Path(__file__).resolve().parent.parent
STYLESHEET = ROOT / "static" / "css" / "site.css"
PHYSICAL = re.compile(
    r"\b(left|right)\b|-(left|right)\b|\b(top|bottom)\s*:|(margin|padding|border)-(top|bottom)\b"
)


@pytest.fixture(autouse=True)
def _arabic_outside_requests():
    """Requests activate their own language; restore Arabic afterwards for the next tests."""
    with translation.override("ar"):
        yield


def css_without_comments() -> str:
    return re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(encoding="utf-8"), flags=re.S)


def test_stylesheet_uses_logical_properties_only():
    offending = [
        line.strip()
        for line in css_without_comments().splitlines()
        if PHYSICAL.search(line) and "translateY" not in line
    ]
    assert offending == []


def test_stylesheet_has_visible_focus_a_skip_link_and_a_print_style():
    css = css_without_comments()
    assert ":focus-visible" in css and "outline" in css
    assert ".skip-link:focus" in css
    assert "@media print" in css


def test_fonts_are_self_hosted_with_their_licence():
    css = css_without_comments()
    for name in re.findall(r'url\("\.\./fonts/([^"]+)"\)', css):
        assert (ROOT / "static" / "fonts" / name).exists(), name
    assert (ROOT / "static" / "fonts" / "NotoNaskhArabic-OFL.txt").exists()
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)
    assert "@import" not in css


@pytest.mark.django_db
def test_pages_load_nothing_from_another_site(client):
    with translation.override("ar"):
        article = make_seed_article()
    for url in ["/", article.get_absolute_url(), "/fr/"]:
        html = client.get(url).content.decode()
        assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//(?!testserver)', html)
        # Lists load no script; an article only the comment form's (it fetches the form's
        # tokens, as the page is shared through the page cache) and the most-read beacon's
        # (it counts the view, which the server may not see).
        article_scripts = ["/static/js/comment-form.js", "/static/js/mostread.js"]
        expected = article_scripts if url == article.get_absolute_url() else []
        assert re.findall(r'<script src="([^"]+)"', html) == expected


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted([relative_luminance(a), relative_luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(
    ("text", "background"),
    [
        ("ink", "paper"),
        ("muted", "paper"),
        ("muted", "wash"),
        ("accent", "paper"),
        ("link", "paper"),
        ("link", "wash"),
        ("accent-ink", "accent"),
        ("paper", "ink"),
        ("ink", "focus"),
    ],
)
def test_text_colours_have_at_least_aa_contrast(text, background):
    """axe skips contrast on joined Arabic text, so the palette is checked here (WCAG AA)."""
    palette = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", css_without_comments()))
    assert contrast(palette[text], palette[background]) >= 4.5
