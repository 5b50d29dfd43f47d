"""Code lists, declared once: every enum in the schemas is a CSV in ``vocab/`` with its Table Schema.

A schema property names its list with ``"x-codelijst": "<name>"``; the list's CSV holds the codes, their
Dutch labels and, where pages need them, sentence forms in extra columns (``themas.inleiding``). The site,
the export, the schema reference and ``kansrijk new`` look labels up here and never guess; the enum-sync
test checks that every enum names a list with exactly its codes.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

KEYWORD = "x-codelijst"
# Schema keywords whose subschemas only test a condition; an enum there is a subset, not a code list.
_CONDITION_KEYWORDS = ("if", "not", "contains")


@dataclass(frozen=True)
class CodeList:
    """One code list: its name, title and rows (code, label, and any sentence-form columns)."""

    name: str
    title: str
    rows: tuple[dict[str, str], ...]

    @cached_property
    def labels(self) -> dict[str, str]:
        return {row["code"]: row["label"] for row in self.rows}

    @property
    def codes(self) -> list[str]:
        return [row["code"] for row in self.rows]

    def label(self, code: str) -> str:
        """The label of a code; a code outside the list is shown as itself (the schema already refused it)."""
        return self.labels.get(code, code)

    def column(self, name: str) -> dict[str, str]:
        """``code -> value`` of an extra column, such as a sentence form."""
        return {row["code"]: row[name] for row in self.rows}


def load_codelists(vocab_dir: Path) -> dict[str, CodeList]:
    """Every resource of ``vocab/datapackage.json`` keyed by ``code``, by name."""
    descriptor = json.loads((vocab_dir / "datapackage.json").read_text(encoding="utf-8"))
    lists: dict[str, CodeList] = {}
    for resource in descriptor["resources"]:
        if resource.get("schema", {}).get("primaryKey") != ["code"] or "label" not in {
            field["name"] for field in resource["schema"]["fields"]
        }:
            continue
        with (vocab_dir / resource["path"]).open(encoding="utf-8", newline="") as handle:
            rows = tuple(csv.DictReader(handle))
        lists[resource["name"]] = CodeList(resource["name"], resource.get("title", resource["name"]), rows)
    return lists


def enum_nodes(node: object, pointer: str = "") -> Iterator[tuple[str, dict]]:
    """``(JSON pointer, node)`` for every enum in a schema document, outside conditions and embedded copies."""
    if isinstance(node, dict):
        if "enum" in node:
            yield pointer, node
        for key, child in node.items():
            if key in _CONDITION_KEYWORDS or (key == "$defs" and pointer == "" and "gemeenschappelijk" in child):
                if key == "$defs":
                    own = {name: value for name, value in child.items() if name != "gemeenschappelijk"}
                    yield from enum_nodes(own, f"{pointer}/$defs")
                continue
            yield from enum_nodes(child, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from enum_nodes(child, f"{pointer}/{index}")


def codelist_name(node: dict) -> str | None:
    """The code list a (resolved) property names, looking into ``items`` for lists of codes."""
    if KEYWORD in node:
        return str(node[KEYWORD])
    items = node.get("items")
    return str(items[KEYWORD]) if isinstance(items, dict) and KEYWORD in items else None


def _named_lists(node: object, title: str = "") -> Iterator[tuple[str, str]]:
    """``(list name, title of the property that names it)`` for every ``x-codelijst`` in a schema document."""
    if isinstance(node, dict):
        own_title = str(node.get("title") or title)
        if KEYWORD in node:
            yield str(node[KEYWORD]), own_title
        for child in node.values():
            yield from _named_lists(child, own_title)
    elif isinstance(node, list):
        for child in node:
            yield from _named_lists(child, title)


def _code_list_resource(name: str, title: str, header: list[str]) -> dict:
    """The Table Schema resource of a new code list, in the shape of the lists already declared."""
    fields: list[dict] = [
        {
            "name": "code",
            "title": "Code",
            "type": "string",
            "constraints": {"required": True, "unique": True, "pattern": "[a-z0-9]+(-[a-z0-9]+)*"},
        },
        {"name": "label", "title": "Naam", "type": "string", "constraints": {"required": True}},
    ]
    fields += [
        {"name": column, "title": column.replace("_", " ").capitalize(), "type": "string"}
        for column in header
        if column not in ("code", "label")
    ]
    return {
        "name": name,
        "path": f"{name}.csv",
        "title": title,
        "schema": {"fields": fields, "primaryKey": ["code"]},
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
    }


def undeclared_code_lists(root: Path, *, write: bool) -> list[str]:
    """Code lists a schema names whose CSV is in ``vocab/`` but not yet in ``vocab/datapackage.json``.

    With ``write`` they are declared there (title from the schema property, columns from the CSV header), so a new
    list is one CSV file: ``kansrijk schemas --write`` adds its description, and ``kansrijk schemas`` fails until then.
    """
    package_path = root / "vocab" / "datapackage.json"
    if not package_path.is_file():
        return []  # no vocabulary package to declare lists in (validation reports that, not this check)
    descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    declared = {resource["name"] for resource in descriptor["resources"]}
    wanted: dict[str, str] = {}
    for schema_path in sorted((root / "schemas").glob("*.schema.json")):
        for name, title in _named_lists(json.loads(schema_path.read_text(encoding="utf-8"))):
            if name not in declared and (root / "vocab" / f"{name}.csv").is_file():
                wanted.setdefault(name, title or name)
    if write and wanted:
        for name, title in sorted(wanted.items()):
            with (root / "vocab" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
                header = next(csv.reader(handle), [])
            descriptor["resources"].append(_code_list_resource(name, title, header))
        package_path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return [f"vocab/{name}.csv" for name in sorted(wanted)]
