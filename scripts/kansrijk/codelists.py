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
