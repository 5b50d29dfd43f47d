"""Everything a newcomer needs is documented: every kind and code list in docs/techniek/architectuur.md,
every problem code the program can emit in the catalogue (title and explanation) and on the Meldingen page,
and every module in the README's module table."""

from __future__ import annotations

import ast
import datetime
import html
import json
import re
from pathlib import Path

import pytest

from kansrijk.checks.entries import _REFUSED_KINDS
from kansrijk.records.codelists import load_codelists
from kansrijk.records.kinds import KINDS
from kansrijk.records.problems import CODES, Problem, Severity
from kansrijk.site.engine.build import build_pages

ROOT = Path(__file__).resolve().parents[2]
ARCHITECTURE = (ROOT / "docs" / "techniek" / "architectuur.md").read_text("utf-8")
PACKAGE = ROOT / "scripts" / "kansrijk"
MODULE_TABLE_HEADER = "| Module (`scripts/kansrijk/`) | Job |"
# Calls that make a problem, and the position of their code argument.
CODE_ARGUMENT = {"refusal": 0, "Problem": 6, "problem": 3, "_fail": 3, "_error": 2, "FileProblem": 4, "_schema_problem": 3}
_CODE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def emitted_codes() -> dict[str, str]:
    """Every problem code written as a literal in the package's source, with a file that writes it."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "scripts" / "kansrijk").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in CODE_ARGUMENT:
                continue
            candidates = [k.value for k in node.keywords if k.arg == "code"]
            if len(node.args) > CODE_ARGUMENT[name]:
                candidates.append(node.args[CODE_ARGUMENT[name]])
            for value in candidates:
                if isinstance(value, ast.Constant) and isinstance(value.value, str) and _CODE.fullmatch(value.value):
                    found.setdefault(value.value, path.name)
    return found


def _keywords(node: object) -> set[str]:
    if isinstance(node, dict):
        return set(node) | {k for value in node.values() for k in _keywords(value)}
    if isinstance(node, list):
        return {k for value in node for k in _keywords(value)}
    return set()


@pytest.fixture(scope="module")
def shipped_pages() -> dict[str, str]:
    return {page.path: page.content for page in build_pages(ROOT, datetime.date(2026, 12, 1))}


@pytest.mark.parametrize("kind", list(KINDS.values()), ids=list(KINDS))
def test_every_kind_is_in_the_generated_kinds_table(kind, shipped_pages: dict[str, str]) -> None:
    """The glossary of kinds is made from the kinds table, so it cannot leave a kind out; this holds the page to
    every column the architecture page promises."""
    page = shipped_pages["schemas/soorten.md"]
    start = page.find(f'<h2 id="{kind.name}">')
    assert start >= 0, f"schemas/soorten.md: no entry for {kind.name}"
    row = page[start : page.index("</table>", start)]
    for name in (kind.example_path, kind.record_class or "Record", kind.export_stem, *kind.owners):
        assert f"<code>{html.escape(name)}</code>" in row, (kind.name, name)
    assert (f"<code>{kind.site_section}/</code>" in row) == bool(kind.site_section)
    assert (f"<code>{kind.date_field}</code>" in row) == bool(kind.date_field)


def test_every_code_list_a_schema_names_is_on_the_generated_page(shipped_pages: dict[str, str]) -> None:
    page = shipped_pages["schemas/codelijsten.md"]
    named = {
        match
        for text in (ROOT / "schemas").glob("*.schema.json")
        for match in re.findall(r'"x-codelijst": "([^"]+)"', text.read_text("utf-8"))
    }
    assert named, "no schema names a code list: the scan is broken"
    codelists = load_codelists(ROOT / "vocab")
    for name in named:
        assert f'<code id="{name}">{name}</code>' in page, name
        assert all(f"<code>{code}</code>" in page for code in codelists[name].codes), name


def test_every_emitted_problem_code_is_in_the_catalogue() -> None:
    emitted = emitted_codes()
    assert len(emitted) >= 45  # the scan finds the loader, rules, grants, schemas and PR codes
    assert {code: where for code, where in emitted.items() if code not in CODES} == {}
    # entries refused whatever their name carry their code in a table, not in a call
    assert {code for code, _advice in _REFUSED_KINDS.values()} <= set(CODES)


def test_every_schema_keyword_has_a_schema_code() -> None:
    """explain.py reports ``schema-<keyword>``: every validation keyword our schemas use is declared."""
    keywords = set().union(*(_keywords(json.loads(p.read_text("utf-8"))) for p in (ROOT / "schemas").glob("*.json")))
    validation = {
        "required", "additionalProperties", "enum", "const", "type", "format", "pattern", "minLength", "maxLength",
        "minItems", "maxItems", "uniqueItems", "minimum", "maximum", "minProperties", "oneOf", "anyOf", "allOf", "not",
        "if", "then", "else", "contains", "dependentRequired", "propertyNames", "exclusiveMinimum", "exclusiveMaximum",
    }  # fmt: skip
    assert keywords & validation, "the schemas use validation keywords"
    assert {k for k in keywords & validation if f"schema-{k}" not in CODES} == set()


def test_every_code_has_a_title_and_an_explanation() -> None:
    for code, entry in CODES.items():
        assert _CODE.fullmatch(code) or re.fullmatch(r"schema-[a-zA-Z]+", code), code
        assert len(entry.title) >= 5 and entry.title[0].isupper(), code
        assert len(entry.description) >= 20 and entry.description.endswith("."), code


def test_an_undeclared_code_cannot_be_made() -> None:
    with pytest.raises(ValueError, match="not declared"):
        Problem("x.yaml", 1, 1, Severity.ERROR, "bericht", (), "verzonnen-code")
    assert Problem("x.yaml", 1, 1, Severity.ERROR, "bericht", (), "id-dubbel").code == "id-dubbel"


def test_the_site_lists_every_code_with_its_meaning() -> None:
    page = next(p for p in build_pages(ROOT, datetime.date(2026, 12, 1)) if p.path == "schemas/meldingen.md")
    for code, entry in CODES.items():
        assert f'<code id="{code}">{code}</code>' in page.content
        assert entry.title.replace("'", "&#39;").replace("&", "&amp;")[:12] in page.content


def module_table() -> dict[str, str]:
    """The README's module table: first cell (a room folder or a top-level module) -> the row's job cell."""
    readme = (ROOT / "README.md").read_text("utf-8")
    start = readme.index(MODULE_TABLE_HEADER)
    rows = readme[start:].split("\n\n", 1)[0].splitlines()[2:]
    cells = [row.strip("|").split(" | ", 1) for row in rows]
    return {first.strip().strip("`"): job.strip() for first, job in cells}


# Rooms whose modules are uniform plug-ins, each declared by its own docstring rather than in the README: a site
# section is one module in site/sections/, found by the page framework without a list.
SELF_DESCRIBED_ROOMS = ("site/sections/",)


def test_the_readme_module_table_names_every_module() -> None:
    """After datasette's test_docs: each package folder has a row that names its modules; a new module without a
    mention fails here, and so does a row that names a module that is gone. Section modules describe themselves."""
    table = module_table()
    rooms = sorted(p.parent.relative_to(PACKAGE).as_posix() + "/" for p in PACKAGE.rglob("__init__.py") if p.parent != PACKAGE)
    top_level = sorted(p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
    assert sorted(table) == sorted(rooms + top_level)
    for room in rooms:
        named = set(re.findall(r"`([a-z_]+\.py)`", table[room]))
        present = {p.name for p in (PACKAGE / room).glob("*.py") if p.name != "__init__.py"}
        assert sorted(named - present) == [], f"README.md: the {room} row names modules that are gone"
        if room in SELF_DESCRIBED_ROOMS:
            undocumented = [
                name for name in present if not ast.get_docstring(ast.parse((PACKAGE / room / name).read_text("utf-8")))
            ]
            assert undocumented == [], f"give these section modules a docstring that says what they publish: {undocumented}"
        else:
            assert sorted(present - named) == [], f"README.md: name these modules in the {room} row"
