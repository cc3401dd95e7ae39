"""Where the HTML checking tools live (npm, under var/node) and what to do when they are absent.

Without them the tests that need them are skipped, except in CI (CI_REQUIRE_BROWSER set),
where a missing tool is an error.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = Path(os.environ.get("VNU_JAR", ROOT / "var/node/node_modules/vnu-jar/build/dist/vnu.jar"))
AXE_JS = Path(os.environ.get("AXE_JS", ROOT / "var/node/node_modules/axe-core/axe.min.js"))


def require(path: Path, what: str) -> None:
    if path.exists():
        return
    message = f"{what} is missing at {path}: run `make html-tools`"
    if os.environ.get("CI_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)
