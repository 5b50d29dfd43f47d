"""The import contract: data flows one way through the rooms of the package, read from every module's imports (AST).

- ``records/`` (the model) imports nothing from the other rooms;
- ``checks/`` imports only the model;
- a module of ``site/sections/`` never imports another section;
- only ``github/`` talks to GitHub's API (github3, requests, urllib3, urllib.request, http.client);
- nothing but the command (``cli/``, ``__main__``) imports ``cli/``.

The top-level shared modules (``settings``, ``nlformat``) belong to no room and may be imported everywhere. Imports inside
functions count too: a lazy import is still an arrow.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "scripts" / "kansrijk"
SHARED = ("kansrijk.settings", "kansrijk.nlformat", "kansrijk")
API_LIBRARIES = ("github3", "requests", "urllib3", "urllib.request", "http.client")


@dataclass(frozen=True)
class Arrow:
    """One import: ``source`` module imports ``target`` at ``line``."""

    source: str
    target: str
    line: int


def module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def arrows(package: Path) -> list[Arrow]:
    """Every import of every module under ``package``, resolved to an absolute module name."""
    found: list[Arrow] = []
    for path in sorted(package.rglob("*.py")):
        source = module_name(path, package)
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                found += [Arrow(source, alias.name, node.lineno) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = source.split(".") if is_package else source.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    target = ".".join([*base, node.module] if node.module else base)
                else:
                    target = node.module or ""
                # ``from kansrijk.site import sections`` imports a module too: name each imported name that is one.
                for alias in node.names:
                    candidate = f"{target}.{alias.name}"
                    is_module = (package.parent / Path(*candidate.split("."))).with_suffix(".py").exists() or (
                        package.parent / Path(*candidate.split(".")) / "__init__.py"
                    ).exists()
                    found.append(Arrow(source, candidate if is_module else target, node.lineno))
    return found


def within(module: str, room: str) -> bool:
    return module == room or module.startswith(room + ".")


def room_of(module: str) -> str | None:
    """``kansrijk.site.sections.rounds`` -> ``kansrijk.site.sections.rounds`` for sections, else the top room."""
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "kansrijk":
        return None
    if parts[1:3] == ["site", "sections"] and len(parts) > 3:
        return ".".join(parts[:4])
    return ".".join(parts[:2])


def broken_rules(arrow: Arrow) -> list[str]:
    """The rules of the contract that one import breaks (in words a reader can act on)."""
    source, target = arrow.source, arrow.target
    internal = within(target, "kansrijk") and target not in SHARED
    broken: list[str] = []
    if within(source, "kansrijk.records") and internal and not within(target, "kansrijk.records"):
        broken.append("the model (records/) imports nothing from the other rooms")
    if (
        within(source, "kansrijk.checks")
        and internal
        and not (within(target, "kansrijk.records") or within(target, "kansrijk.checks"))
    ):
        broken.append("the checks (checks/) import only the model (records/)")
    if (
        within(source, "kansrijk.site.sections")
        and within(target, "kansrijk.site.sections")
        and room_of(target) not in (room_of(source), "kansrijk.site.sections")
    ):
        broken.append("a site section never imports another section; move what they share to site/parts/")
    if any(within(target, library) for library in API_LIBRARIES) and not within(source, "kansrijk.github"):
        broken.append("only github/ calls GitHub's API")
    if within(target, "kansrijk.cli") and not (within(source, "kansrijk.cli") or source == "kansrijk.__main__"):
        broken.append("only the command (cli/) imports cli/")
    return broken


def violations(package: Path) -> list[str]:
    return [
        f"{arrow.source} (line {arrow.line}) imports {arrow.target}: {rule}"
        for arrow in arrows(package)
        for rule in broken_rules(arrow)
    ]


def test_the_package_keeps_the_import_contract() -> None:
    assert violations(PACKAGE) == []


def test_the_contract_reads_every_room() -> None:
    """The rules only mean something if the rooms exist where the contract looks for them."""
    rooms = {room_of(arrow.source) for arrow in arrows(PACKAGE)}
    for room in ("kansrijk.records", "kansrijk.checks", "kansrijk.github", "kansrijk.cli", "kansrijk.pullrequests"):
        assert room in rooms
    assert sum(1 for room in rooms if room and room.startswith("kansrijk.site.sections.")) >= 10


@pytest.mark.parametrize(
    ("module", "source", "rule"),
    [
        ("records/model.py", "from kansrijk.checks import rules\n", "the model"),
        ("records/kinds.py", "def later():\n    from ..site.engine import urls\n", "the model"),
        ("checks/rules.py", "from kansrijk.pullrequests.report import Verdict\n", "the checks"),
        ("site/sections/monitor.py", "from .coalitions import phase\n", "never imports another section"),
        ("site/sections/themes.py", "from kansrijk.site.sections import agenda\n", "never imports another section"),
        ("tools/stale.py", "import github3\n", "only github/"),
        ("pullrequests/report_pr.py", "def f():\n    import requests\n", "only github/"),
        ("site/engine/build.py", "from kansrijk.cli.repo_root import UsageError\n", "only the command"),
    ],
)
def test_each_rule_catches_a_planted_arrow(tmp_path: Path, module: str, source: str, rule: str) -> None:
    package = tmp_path / "kansrijk"
    for folder in ("records", "checks", "site/sections", "site/engine", "tools", "pullrequests", "cli", "github"):
        (package / folder).mkdir(parents=True, exist_ok=True)
        (package / folder / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    for name in ("site/sections/coalitions.py", "site/sections/agenda.py", "checks/rules.py", "cli/repo_root.py"):
        (package / name).write_text("")
    (package / module).write_text(source)
    found = violations(package)
    assert len(found) == 1 and rule in found[0], found


def test_allowed_arrows_pass(tmp_path: Path) -> None:
    package = tmp_path / "kansrijk"
    for folder in ("records", "checks", "site/sections", "site/parts", "github"):
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "records/kinds.py").write_text("")
    (package / "site/parts/indexes.py").write_text("")
    (package / "records/model.py").write_text("from .kinds import KINDS\nfrom kansrijk.settings import SITE_URL\n")
    (package / "checks/rules.py").write_text("from kansrijk.records.model import Record\nfrom kansrijk.nlformat import euro\n")
    (package / "site/sections/monitor.py").write_text("from kansrijk.site.parts.indexes import CoalitionIndex\n")
    (package / "github/client.py").write_text("import github3\nimport requests\n")
    assert violations(package) == []
