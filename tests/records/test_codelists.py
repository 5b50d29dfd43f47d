"""Every enum in the schemas is a code list in vocab/, named by its property, with exactly the enum's codes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import frictionless
import pytest

from kansrijk.cli.main import main
from kansrijk.records.codelists import KEYWORD, codelist_name, enum_nodes, load_codelists
from kansrijk.tools.hookfiles import HOOK_FILES

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = sorted((ROOT / "schemas").glob("*.schema.json"))
CODELISTS = load_codelists(ROOT / "vocab")


def _enums() -> list[tuple[str, str, dict]]:
    return [(path.name, pointer, node) for path in SCHEMAS for pointer, node in enum_nodes(json.loads(path.read_text("utf-8")))]


def _const_unions(node: object, pointer: str = "") -> Iterator[tuple[str, str, list[dict]]]:
    """``(pointer, property, const nodes)`` for every ``oneOf`` whose branches are told apart by a ``const`` on one
    property (the application history: one branch per status). Such a union is an enum spread over branches."""
    if isinstance(node, dict):
        branches = node.get("oneOf")
        if isinstance(branches, list) and all(isinstance(b, dict) and "properties" in b for b in branches):
            shared = set.intersection(*(set(b["properties"]) for b in branches))
            for name in sorted(shared):
                consts = [b["properties"][name] for b in branches]
                if all("const" in const for const in consts):
                    yield f"{pointer}/oneOf", name, consts
        for key, child in node.items():
            yield from _const_unions(child, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _const_unions(child, f"{pointer}/{index}")


def _unions() -> list[tuple[str, str, str, list[dict]]]:
    return [
        (path.name, pointer, name, consts)
        for path in SCHEMAS
        for pointer, name, consts in _const_unions(json.loads(path.read_text("utf-8")))
    ]


def test_the_schemas_have_enums_to_check() -> None:
    assert len(_enums()) >= 20


@pytest.mark.parametrize(("schema", "pointer", "node"), _enums(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_enum_names_a_code_list_with_its_codes(schema: str, pointer: str, node: dict) -> None:
    name = node.get(KEYWORD)
    assert name, f"{schema}{pointer}: enum without {KEYWORD}"
    assert name in CODELISTS, f"{schema}{pointer}: code list {name!r} is not in vocab/datapackage.json"
    assert sorted(map(str, node["enum"])) == sorted(CODELISTS[name].codes), f"{schema}{pointer} differs from vocab/{name}.csv"
    assert all(CODELISTS[name].labels[str(code)] for code in node["enum"]), f"vocab/{name}.csv: a code without label"


def test_the_status_union_is_found() -> None:
    assert [(schema, name) for schema, _pointer, name, _consts in _unions()] == [("aanvraag.schema.json", "status")]


@pytest.mark.parametrize(("schema", "pointer", "name", "consts"), _unions(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_const_union_names_one_code_list_with_its_codes(schema: str, pointer: str, name: str, consts: list[dict]) -> None:
    """A new branch with a status the list lacks, or a list code without a branch, fails here."""
    names = {const.get(KEYWORD) for const in consts}
    assert len(names) == 1, f"{schema}{pointer}/*/properties/{name}: every branch must name the same {KEYWORD}, not {names}"
    (list_name,) = names
    assert list_name in CODELISTS, f"{schema}{pointer}: code list {list_name!r} is not in vocab/datapackage.json"
    codes = [str(const["const"]) for const in consts]
    assert sorted(codes) == sorted(CODELISTS[list_name].codes), f"{schema}{pointer} differs from vocab/{list_name}.csv"
    assert all(CODELISTS[list_name].labels[code] for code in codes), f"vocab/{list_name}.csv: a code without label"


def test_every_code_list_is_used_by_a_schema() -> None:
    used = {node[KEYWORD] for _schema, _pointer, node in _enums()}
    used |= {const[KEYWORD] for *_where, consts in _unions() for const in consts if KEYWORD in const}
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


def test_a_new_code_list_is_one_csv_that_kansrijk_schemas_declares(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A newcomer adds the field to the schema and the CSV; ``kansrijk schemas --write`` declares the list in
    ``vocab/datapackage.json`` (title from the schema, columns from the CSV), and frictionless accepts it."""
    for folder in ("schemas", "vocab"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    for name in HOOK_FILES:
        shutil.copy2(ROOT / name, tmp_path / name)
    schema_path = tmp_path / "schemas" / "training.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["properties"]["taal"] = {"title": "Taal", KEYWORD: "talen", "enum": ["nl", "en"]}
    schema_path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (tmp_path / "vocab" / "talen.csv").write_text("code,label\nnl,Nederlands\nen,Engels\n", encoding="utf-8")
    changelog = tmp_path / "schemas" / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    first = text.index("\n## ")
    changelog.write_text(text[:first] + "\n## 9.9.0 (2026-12-02)\n\n- Training: `taal`.\n" + text[first:], encoding="utf-8")

    assert main(["--root", str(tmp_path), "schemas"]) == 1
    assert "vocab/talen.csv" in capsys.readouterr().out
    assert main(["--root", str(tmp_path), "schemas", "--write"]) == 0
    assert main(["--root", str(tmp_path), "schemas"]) == 0
    capsys.readouterr()
    talen = load_codelists(tmp_path / "vocab")["talen"]
    assert (talen.title, talen.labels) == ("Taal", {"nl": "Nederlands", "en": "Engels"})
    report = frictionless.validate(str(tmp_path / "vocab" / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "type", "note"])
