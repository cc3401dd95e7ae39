"""The label map: which free-text labels of the old blog become sections, which become tags.

Blogger labels and WordPress categories are free text ("جمال البشرة و الشعر", near-duplicates
spelled three ways). The operator decides in a CSV of `label,kind,target slug` rows; a label
matches after NFC normalisation, trimming and collapsing runs of spaces, so the same label
typed with a double space or decomposed letters still matches. Unmapped labels become tags.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from articles.models import unicode_slug
from newsroom.text import strip_invisible

SECTION = "section"
TAG = "tag"


class LabelMapError(ValueError):
    """A label map that cannot be trusted; the message names the line."""


def label_key(label: str) -> str:
    """How two spellings of one label are recognised as the same label."""
    return " ".join(strip_invisible(unicodedata.normalize("NFC", label)).split())


@dataclass(frozen=True)
class LabelTarget:
    kind: str  # SECTION or TAG
    slug: str


@dataclass
class LabelMap:
    targets: dict[str, LabelTarget] = field(default_factory=dict)

    def get(self, label: str) -> LabelTarget | None:
        return self.targets.get(label_key(label))


def parse_label_map(text: str) -> LabelMap:
    """Read the CSV text; any bad row raises LabelMapError with its line number."""
    text = text.removeprefix("\ufeff")
    label_map = LabelMap()
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != 3:
            raise LabelMapError(
                f"line {number}: expected 3 columns (label,kind,target slug), got {len(row)}"
            )
        label, kind, slug = (label_key(cell) for cell in row)
        if number == 1 and (label.lower(), kind.lower()) == ("label", "kind"):
            continue  # a header row
        if not label:
            raise LabelMapError(f"line {number}: the label is empty")
        if kind.lower() not in {SECTION, TAG}:
            raise LabelMapError(f"line {number}: kind must be 'section' or 'tag', not {kind!r}")
        if not slug or any(char in slug for char in "/?#") or " " in slug:
            raise LabelMapError(f"line {number}: {slug!r} is not a slug (no spaces, no '/')")
        if label in label_map.targets:
            raise LabelMapError(f"line {number}: the label {label!r} is mapped twice")
        label_map.targets[label] = LabelTarget(kind=kind.lower(), slug=slug)
    return label_map


def load_label_map(path: Path | str | None) -> LabelMap:
    if path is None:
        return LabelMap()
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LabelMapError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise LabelMapError(f"{path}: {exc.strerror or exc}") from exc
    return parse_label_map(text)


def safe_slug(text: str) -> str:
    """A unicode slug with no bidi or zero-width control left in it."""
    import html

    return unicode_slug(strip_invisible(html.unescape(text or "")))
