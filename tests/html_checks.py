"""Where the HTML checking tools live (npm, under var/node) and what to do when they are absent.

Without them the tests that need them are skipped, except in CI (CI_REQUIRE_BROWSER set),
where a missing tool is an error.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
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


def vnu_errors(*paths: Path) -> list[str]:
    """The Nu Html Checker's complaints about these files, as `file:line: message`."""
    require(VNU_JAR, "vnu.jar (npm package vnu-jar)")
    java = shutil.which("java")
    if java is None:
        require(Path("/nonexistent/java"), "java (apt-get install default-jre-headless)")
    result = subprocess.run(
        [str(java), "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") != "info"
    ]
