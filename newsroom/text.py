"""Reader text made safe to store and to put in email headers.

- `strip_invisible()` removes zero-width and bidi control characters, which are invisible on
  screen but let a name impersonate another or flip the direction of the text around it;
- `VisibleCharField` applies it in a form before `required` and `max_length`;
- `one_line()` flattens text that goes into an email header.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms

# Zero-width characters and bidi controls, listed explicitly so the intent is readable; any other
# Cc/Cf character (except newline and tab) goes too.
INVISIBLE_CHARS = frozenset(
    "\u200b\u200c\u200d\u2060\ufeff"  # zero-width space, non-joiner, joiner, word joiner, BOM
    "\u200e\u200f\u061c"  # LRM, RLM, Arabic letter mark
    "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI
)
_KEPT_CONTROLS = frozenset("\n\t")


def strip_invisible(text: str) -> str:
    """Remove zero-width characters, bidi controls and other control characters.

    Newlines and tabs stay (a comment keeps its paragraphs); Windows line endings become "\\n"
    rather than losing the line break.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        char
        for char in text
        if char in _KEPT_CONTROLS
        or (char not in INVISIBLE_CHARS and unicodedata.category(char) not in ("Cc", "Cf"))
    )


def one_line(text: str, limit: int | None = None) -> str:
    """Text fit for an email header: every line break and run of spaces becomes one space.

    Forms already refuse newlines in names and subjects; this is the second lock, used
    wherever reader text goes into a header (From/Reply-To names, subjects).
    """
    flat = " ".join(text.split())  # str.split() also breaks on U+2028, U+0085, \x1c-\x1e
    return flat if limit is None else flat[:limit]


class VisibleCharField(forms.CharField):
    """A CharField that drops invisible characters before `required` and `max_length` apply.

    A name made only of zero-width spaces is then empty (and refused as such), and the length
    limit counts the characters a reader actually sees.
    """

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        value = strip_invisible(value)
        return value.strip() if self.strip else value
