"""Sections never import sections: what two sections share lives in ``site/parts/`` (or ``site/engine/``).

A section importing another one ties their page code together and makes the import order of
``GENERATOR_MODULES`` matter; an AST scan keeps the rule without relying on review.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SECTIONS = Path(__file__).resolve().parents[2] / "scripts" / "kansrijk" / "site" / "sections"
PACKAGE = "kansrijk.site.sections"


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("path", sorted(SECTIONS.glob("*.py")), ids=lambda p: p.name)
def test_a_section_imports_no_other_section(path: Path) -> None:
    sections = [name for name in _imported_modules(path) if name == PACKAGE or name.startswith(PACKAGE + ".")]
    assert not sections, f"{path.name} imports {sorted(sections)}; move what they share to site/parts/"
