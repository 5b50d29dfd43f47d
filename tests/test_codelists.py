"""Every enum in the schemas is a code list in vocab/, named by its property, with exactly the enum's codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kansrijk.codelists import KEYWORD, codelist_name, enum_nodes, load_codelists

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = sorted((ROOT / "schemas").glob("*.schema.json"))
CODELISTS = load_codelists(ROOT / "vocab")


def _enums() -> list[tuple[str, str, dict]]:
    return [(path.name, pointer, node) for path in SCHEMAS for pointer, node in enum_nodes(json.loads(path.read_text("utf-8")))]


def test_the_schemas_have_enums_to_check() -> None:
    assert len(_enums()) >= 20


@pytest.mark.parametrize(("schema", "pointer", "node"), _enums(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_enum_names_a_code_list_with_its_codes(schema: str, pointer: str, node: dict) -> None:
    name = node.get(KEYWORD)
    assert name, f"{schema}{pointer}: enum without {KEYWORD}"
    assert name in CODELISTS, f"{schema}{pointer}: code list {name!r} is not in vocab/datapackage.json"
    assert sorted(map(str, node["enum"])) == sorted(CODELISTS[name].codes), f"{schema}{pointer} differs from vocab/{name}.csv"
    assert all(CODELISTS[name].labels[str(code)] for code in node["enum"]), f"vocab/{name}.csv: a code without label"


def test_every_code_list_is_used_by_a_schema() -> None:
    used = {node[KEYWORD] for _schema, _pointer, node in _enums()}
    assert set(CODELISTS) - used == set()


def test_condition_enums_are_not_code_lists() -> None:
    document = json.loads((ROOT / "schemas" / "ronde.schema.json").read_text("utf-8"))
    pointers = [pointer for pointer, _node in enum_nodes(document)]
    assert "/properties/subsidiabel/properties/soort" in pointers
    assert not any("/if/" in pointer for pointer in pointers)


def test_a_list_property_names_its_code_list_through_items() -> None:
    document = json.loads((ROOT / "schemas" / "training.schema.json").read_text("utf-8"))
    assert codelist_name(document["properties"]["beroepen"]) == "beroepen"
    assert codelist_name(document["properties"]["vorm"]) == "trainingsvormen"
    assert codelist_name(document["properties"]["naam"]) is None


def test_sentence_forms_live_in_the_code_list() -> None:
    intros = CODELISTS["themas"].column("inleiding")
    assert set(intros) == set(CODELISTS["themas"].codes)
    assert all(len(text) > 40 for text in intros.values())
