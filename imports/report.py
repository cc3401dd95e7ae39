"""What an import did, or would do: counts, the label mapping, the redirect table, warnings.

One object collects everything while the import runs; `render()` is what the dry run prints
and what a real run writes to its report file, so the plan and the result read alike.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.db import DatabaseError

# Data problems with one item: reported, and the import goes on. Anything else is a crash.
ITEM_ERRORS = (ValidationError, DatabaseError, ValueError, OSError)
OUTCOMES = ("created", "updated", "unchanged", "skipped", "failed")
KINDS = ("post", "page", "comment", "image", "author", "section", "tag")


@dataclass
class Report:
    dry_run: bool = False
    source: str = ""
    outcomes: Counter[tuple[str, str]] = field(default_factory=Counter)
    plan: Counter[str] = field(default_factory=Counter)  # posts, drafts, comments:spam…
    labels: dict[str, str] = field(default_factory=dict)  # label -> "section x" / "tag y (new)"
    redirects: list[tuple[str, str]] = field(default_factory=list)
    unresolved_links: list[tuple[str, str]] = field(default_factory=list)  # (item, href)
    failed_images: list[tuple[str, str, str]] = field(default_factory=list)  # (item, url, why)
    remote_images: list[tuple[str, str]] = field(default_factory=list)  # (item, url)
    warnings: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.outcomes[(kind, outcome)] += n

    def get(self, kind: str, outcome: str) -> int:
        return self.outcomes[(kind, outcome)]

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def summary_lines(self) -> list[str]:
        lines = []
        for kind in KINDS:
            numbers = [f"{outcome} {self.get(kind, outcome)}" for outcome in OUTCOMES]
            if any(self.get(kind, outcome) for outcome in OUTCOMES):
                lines.append(f"  {kind + ':':9} " + ", ".join(numbers))
        return lines or ["  nothing"]

    def render(self) -> str:
        title = "Import plan (dry run: nothing was written)" if self.dry_run else "Import report"
        out = [title, f"source: {self.source}", "", "What the file holds:"]
        out += [f"  {name}: {number}" for name, number in sorted(self.plan.items())] or ["  —"]
        out += ["", "Summary (created, updated, unchanged, skipped, failed):"]
        out += self.summary_lines()
        out += ["", f"Label mapping ({len(self.labels)}):"]
        out += [f"  {label} -> {target}" for label, target in sorted(self.labels.items())]
        out += ["", f"Redirects ({len(self.redirects)}):"]
        out += [f"  {old} -> {unquote(new)}" for old, new in self.redirects]
        out += ["", f"Unresolved internal links ({len(self.unresolved_links)}):"]
        out += [f"  {item}: {href}" for item, href in self.unresolved_links]
        out += ["", f"Images left remote ({len(self.remote_images)}):"]
        out += [f"  {item}: {url}" for item, url in self.remote_images]
        out += ["", f"Images that failed ({len(self.failed_images)}):"]
        out += [f"  {item}: {url} ({why})" for item, url, why in self.failed_images]
        out += ["", f"Warnings ({len(self.warnings)}):"]
        out += [f"  {warning}" for warning in self.warnings]
        return "\n".join(out) + "\n"
