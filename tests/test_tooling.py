"""The build files: what production installs, what the Makefile promises, how tests are shared.

`make serve` once installed pytest, Playwright and ruff on the production machine because one
requirements file held everything; these tests keep the runtime set small and honest.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("newsroom", "articles", "library", "pages", "comments", "contact", "search")
TEST_TOOLS = re.compile(r"^(pytest.*|playwright|ruff|hypothesis|aiosmtpd|feedparser)$")
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==[0-9][^\s;]*$")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_lines(filename: str) -> list[str]:
    lines = []
    for raw in (ROOT / filename).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def requirement_names(filename: str) -> set[str]:
    return {
        normalise(match["name"])
        for line in requirement_lines(filename)
        if (match := PIN.match(line))
    }


# --- requirements ------------------------------------------------------------------------------


def test_runtime_requirements_hold_no_test_tools():
    tools = sorted(name for name in requirement_names("requirements.txt") if TEST_TOOLS.match(name))
    assert tools == []


def test_runtime_requirements_are_all_pinned():
    lines = requirement_lines("requirements.txt")
    assert lines
    assert [line for line in lines if not PIN.match(line)] == []


def test_dev_requirements_add_the_test_tools_to_the_runtime():
    lines = requirement_lines("requirements-dev.txt")
    assert lines[0] == "-r requirements.txt"
    assert [line for line in lines[1:] if not PIN.match(line)] == []
    dev = requirement_names("requirements-dev.txt")
    for tool in ("pytest", "pytest-django", "playwright", "ruff", "hypothesis", "feedparser"):
        assert tool in dev
    assert dev.isdisjoint(requirement_names("requirements.txt"))


def application_files() -> list[Path]:
    files = [ROOT / "manage.py"]
    for app in APPS:
        if (ROOT / app).is_dir():
            files += [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]
    return files


def imported_top_level_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_every_package_the_application_imports_is_a_runtime_requirement():
    """A package the site imports but only the dev file installs breaks `make serve`."""
    from django.conf import settings

    modules: set[str] = set()
    for path in application_files():
        modules |= imported_top_level_modules(path)
    modules |= {app.split(".")[0] for app in settings.INSTALLED_APPS}
    modules |= {entry.split(".")[0] for entry in settings.MIDDLEWARE}
    local = {p.name for p in ROOT.iterdir() if p.is_dir()} | {"manage"}
    third_party = modules - set(sys.stdlib_module_names) - local - {"__future__"}

    providers = importlib.metadata.packages_distributions()
    runtime = requirement_names("requirements.txt")
    missing = {
        module: providers.get(module, ["(not installed)"])
        for module in third_party
        if not any(normalise(dist) in runtime for dist in providers.get(module, []))
    }
    assert missing == {}


# --- Makefile ----------------------------------------------------------------------------------


class Makefile:
    """Just enough of make's syntax to follow prerequisites: variables, rules, recipes."""

    def __init__(self, text: str) -> None:
        self.variables: dict[str, str] = {}
        self.rules: dict[str, list[str]] = {}
        self.recipes: dict[str, list[str]] = {}
        self.phony: list[str] = []
        current: list[str] | None = None
        text = text.replace("\\\n", " ")
        for line in text.splitlines():
            if line.startswith("\t"):
                if current is not None:
                    current.append(line.strip())
                continue
            current = None
            if not line.strip() or line.startswith("#"):
                continue
            if assignment := re.match(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(\?=|:=|=)\s*(.*)$", line):
                self.variables.setdefault(assignment[1], assignment[3].strip())
                continue
            if rule := re.match(r"^([^:=\s][^:=]*?)\s*:(?!=)\s*(.*)$", line):
                target = self.expand(rule[1])
                prerequisites = self.expand(rule[2]).split()
                if target == ".PHONY":
                    self.phony += prerequisites
                    continue
                self.rules[target] = prerequisites
                current = self.recipes.setdefault(target, [])

    def expand(self, text: str) -> str:
        for _ in range(10):
            text = re.sub(
                r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)",
                lambda m: self.variables.get(m[1], m[0]),
                text,
            )
        return text

    def commands(self, target: str) -> list[str]:
        """Every recipe line `make target` may run, prerequisites first."""
        seen: set[str] = set()
        lines: list[str] = []

        def visit(name: str) -> None:
            if name in seen or name not in self.rules:
                return
            seen.add(name)
            for prerequisite in self.rules[name]:
                visit(prerequisite)
            lines.extend(self.expand(line) for line in self.recipes[name])

        visit(target)
        return lines

    def people_targets(self) -> set[str]:
        """Named targets (not files such as the install stamps)."""
        return {t for t in self.rules if re.fullmatch(r"[a-z][a-z-]*", t)}


@pytest.fixture(scope="module")
def makefile() -> Makefile:
    return Makefile((ROOT / "Makefile").read_text(encoding="utf-8"))


def installed_files(commands: list[str]) -> list[str]:
    return [
        word
        for line in commands
        if "pip install" in line
        for word in re.findall(r"-r\s+(\S+)", line)
    ]


def test_serve_installs_only_the_runtime_requirements(makefile):
    commands = makefile.commands("serve")
    assert installed_files(commands) == ["requirements.txt"]
    assert not any("requirements-dev" in line for line in commands)
    stamps = [p for p in makefile.rules["serve"] if p in makefile.rules]
    for stamp in stamps:
        for prerequisite in makefile.rules[stamp]:
            assert prerequisite != "requirements-dev.txt"


def test_make_serve_dry_run_installs_only_the_runtime():
    out = subprocess.run(
        ["make", "--no-print-directory", "-n", "-B", "serve"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "pip install --quiet -r requirements.txt" in out
    assert "requirements-dev.txt" not in out
    assert "gunicorn newsroom.wsgi" in out


@pytest.mark.parametrize("target", ["run", "test", "lint", "format", "bench", "bench-search"])
def test_development_targets_install_the_test_tools(makefile, target):
    assert installed_files(makefile.commands(target)) == ["requirements-dev.txt"]


def test_the_dev_install_follows_both_requirement_files(makefile):
    (stamp,) = makefile.rules["install"]
    assert set(makefile.rules[stamp]) == {"requirements.txt", "requirements-dev.txt"}
    (stamp,) = makefile.rules["install-runtime"]
    assert makefile.rules[stamp] == ["requirements.txt"]


def test_every_phony_target_has_a_rule(makefile):
    assert [t for t in makefile.phony if t not in makefile.rules] == []


def test_every_named_target_is_phony(makefile):
    assert sorted(makefile.people_targets() - set(makefile.phony)) == []


def test_make_help_lists_every_target(makefile):
    out = subprocess.run(
        ["make", "--no-print-directory", "-s", "help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    listed = set(re.findall(r"^make ([a-z][a-z-]*)\b", out, flags=re.MULTILINE))
    assert sorted(makefile.people_targets() - listed) == []
    assert sorted(listed - makefile.people_targets()) == []


def test_ci_runs_make_test_and_lint():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, flags=re.MULTILINE)
    assert re.search(r"^make lint$", ci, flags=re.MULTILINE)


# --- tests share helpers through helper modules, not through each other -------------------------


def test_no_test_module_imports_another_test_module():
    offenders = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules: list[str] = []
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if node.level == 1 and not module:
                    modules = [alias.name for alias in node.names]
                elif node.level == 1:
                    modules = [module]
                elif node.level == 0 and module.startswith("tests."):
                    modules = [module.removeprefix("tests.")]
            elif isinstance(node, ast.Import):
                modules = [
                    alias.name.removeprefix("tests.")
                    for alias in node.names
                    if alias.name.startswith("tests.")
                ]
            offenders += [
                f"{path.name} imports {m}" for m in modules if m.split(".")[0].startswith("test_")
            ]
    assert offenders == []
