"""Reference vocabularies and schemas: the CBS register, Frictionless Table Schemas, offline $refs."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from pathlib import Path

import frictionless
import jsonschema
import pytest

from kansrijk.model import Repository, classify
from kansrijk.schemas import COMMON_SCHEMA, RECORD_SCHEMAS, bundle_schemas, load_record_schemas
from kansrijk.vocab import Vocabularies

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


def test_vocabulary_package_is_valid_frictionless() -> None:
    report = frictionless.validate(str(ROOT / "vocab" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    names = {task.name for task in report.tasks}
    assert names == {
        "gemeenten",
        "gemeenten-opgeheven",
        "partnertypen",
        "beroepen",
        "doelgroepen",
        "settings",
        "erkenningsniveaus",
        "databanken",
        "zoekwoorden",
    }


def test_frictionless_catches_a_broken_register(tmp_path: Path) -> None:
    broken = tmp_path / "vocab"
    broken.mkdir()
    for item in (ROOT / "vocab").iterdir():
        (broken / item.name).write_bytes(item.read_bytes())
    with (broken / "gemeenten.csv").open("a", encoding="utf-8") as handle:
        handle.write("GM0363,Dubbel Amsterdam,PV27,Noord-Holland\nXX12,Fout,PV99,Atlantis\n")
    report = frictionless.validate(str(broken / "datapackage.json"))
    assert not report.valid
    errors = {error.type for task in report.tasks for error in task.errors}
    assert {"primary-key", "constraint-error"} <= errors


def test_register_has_342_municipalities_in_12_provinces() -> None:
    vocab = Vocabularies(ROOT / "vocab")
    assert len(vocab.municipalities) == 342
    assert len(vocab.provinces) == 12
    assert vocab.municipalities["GM0363"].naam == "Amsterdam"
    assert vocab.municipalities["GM1992"].naam == "Voorne aan Zee"
    assert vocab.municipalities["GM1680"].provincie == "Drenthe"


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared CBS source files sit beside the project")
def test_register_matches_the_cbs_source() -> None:
    with (SHARED / "gemeenten-2023.csv").open(encoding="utf-8") as handle:
        source = {row["GemeentecodeGM"]: (row["Gemeentenaam"], row["Provincienaam"]) for row in csv.DictReader(handle)}
    vocab = Vocabularies(ROOT / "vocab")
    assert {code: (m.naam, m.provincie) for code, m in vocab.municipalities.items()} == source


def test_mergers_since_2021_lead_to_current_municipalities() -> None:
    vocab = Vocabularies(ROOT / "vocab")
    ended = vocab.ended_municipalities
    assert len(ended) == 18
    assert ended["GM0457"].opvolgers == ("GM0363",)  # Weesp -> Amsterdam
    assert ended["GM0788"].opvolgers == ("GM0757", "GM0824", "GM0855", "GM0865")  # Haaren split in four
    assert ended["GM0003"].einddatum == "2021-01-01"
    for gone in ended.values():
        assert gone.code not in vocab.municipalities
        assert all(successor in vocab.municipalities for successor in gone.opvolgers)


@pytest.mark.parametrize(
    ("vocab_name", "pointer"),
    [
        ("partnertypen", ("gemeenschappelijk.schema.json", "$defs", "partnertype", "enum")),
        ("beroepen", ("interventie.schema.json", "properties", "uitvoerders", "items", "enum")),
        ("doelgroepen", ("interventie.schema.json", "properties", "doelgroepen", "items", "enum")),
        ("settings", ("interventie.schema.json", "properties", "settings", "items", "enum")),
        ("erkenningsniveaus", ("interventie.schema.json", "properties", "erkenning", "properties", "niveau", "enum")),
        ("databanken", ("interventie.schema.json", "properties", "erkenning", "properties", "databank", "enum")),
    ],
)
def test_schema_enums_match_the_vocabularies(vocab_name: str, pointer: tuple[str, ...]) -> None:
    node = json.loads((ROOT / "schemas" / pointer[0]).read_text(encoding="utf-8"))
    for key in pointer[1:]:
        node = node[key]
    assert node == list(Vocabularies(ROOT / "vocab").labels(vocab_name))


def test_schemas_are_valid_2020_12_with_stable_ids_and_dutch_help() -> None:
    for kind, schema in load_record_schemas(ROOT / "schemas").items():
        document = schema.document
        assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert document["$id"].endswith(f"/schemas/{RECORD_SCHEMAS[kind]}")
        assert document["additionalProperties"] is False
        for name, prop in document["properties"].items():
            target = prop
            if "$ref" in prop and "title" not in prop:
                target = document["$defs"]["gemeenschappelijk"]["$defs"][prop["$ref"].rsplit("/", 1)[1]]
            assert target.get("title") or target.get("description"), f"{kind}.{name} has no Dutch help"
    jsonschema.Draft202012Validator.check_schema(json.loads((ROOT / "schemas" / COMMON_SCHEMA).read_text(encoding="utf-8")))


def test_embedded_common_definitions_are_current() -> None:
    assert bundle_schemas(ROOT / "schemas", write=False) == []


def test_stale_embedded_definitions_are_detected(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    for item in (ROOT / "schemas").glob("*.json"):
        (schemas / item.name).write_bytes(item.read_bytes())
    common = json.loads((schemas / COMMON_SCHEMA).read_text(encoding="utf-8"))
    common["$defs"]["slug"]["maxLength"] = 60
    (schemas / COMMON_SCHEMA).write_text(json.dumps(common), encoding="utf-8")
    assert sorted(bundle_schemas(schemas, write=False)) == sorted(RECORD_SCHEMAS.values())
    bundle_schemas(schemas, write=True)
    assert bundle_schemas(schemas, write=False) == []


def shipped_records() -> list[Path]:
    repo = Repository(ROOT)
    return [ROOT / ref.path for refs in repo.index.values() for ref in refs.values()]


def test_every_shipped_record_starts_with_its_schema_modeline() -> None:
    records = shipped_records()
    assert records
    for path in records:
        ref = classify(path.relative_to(ROOT).as_posix())
        assert ref is not None
        schema_file = RECORD_SCHEMAS.get(ref.kind) or f"{ref.kind}.schema.json"
        first = path.read_text(encoding="utf-8").splitlines()[0]
        expected = Path("../" * (len(path.relative_to(ROOT).parts) - 1) + "schemas") / schema_file
        assert first == f"# yaml-language-server: $schema={expected.as_posix()}", path
        assert (path.parent / expected).resolve().is_file()


def test_check_jsonschema_validates_shipped_records_offline() -> None:
    """The embedded common definitions let check-jsonschema resolve every $ref without a network."""
    by_schema: dict[str, list[str]] = {}
    for path in shipped_records():
        ref = classify(path.relative_to(ROOT).as_posix())
        assert ref is not None
        by_schema.setdefault(RECORD_SCHEMAS.get(ref.kind, f"{ref.kind}.schema.json"), []).append(str(path))
    for schema_file, files in by_schema.items():
        result = subprocess.run(
            ["check-jsonschema", "--no-cache", "--schemafile", str(ROOT / "schemas" / schema_file), *files],
            capture_output=True,
            text=True,
            check=False,
            env={"PATH": os.environ["PATH"], "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"},
        )
        assert result.returncode == 0, result.stdout + result.stderr
