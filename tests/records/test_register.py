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

from kansrijk.checks.validate import validate
from kansrijk.records.model import Repository, classify
from kansrijk.records.problems import Severity
from kansrijk.records.register import Vocabularies
from kansrijk.records.schemas import COMMON_SCHEMA, RECORD_SCHEMAS, bundle_schemas, load_record_schemas
from support.minirepo import MiniRepo

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"


def test_vocabulary_package_is_valid_frictionless() -> None:
    report = frictionless.validate(str(ROOT / "vocab" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    names = {task.name for task in report.tasks}
    declared = json.loads((ROOT / "vocab" / "datapackage.json").read_text("utf-8"))["resources"]
    assert names == {resource["name"] for resource in declared}
    assert {"gemeenten", "gemeenten-opgeheven", "zoekwoorden"} <= names


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
                target = document["$defs"][prop["$ref"].rsplit("/", 1)[1]]
            assert target.get("title") or target.get("description"), f"{kind}.{name} has no Dutch help"
    jsonschema.Draft202012Validator.check_schema(json.loads((ROOT / "schemas" / COMMON_SCHEMA).read_text(encoding="utf-8")))


def all_refs(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in all_refs(value)]
    if isinstance(node, list):
        return [r for item in node for r in all_refs(item)]
    return []


def test_record_schemas_are_self_contained_and_current() -> None:
    """Only local pointers, each one resolving inside the file: the layout yaml-language-server can follow."""
    assert bundle_schemas(ROOT / "schemas", write=False) == []
    common = json.loads((ROOT / "schemas" / COMMON_SCHEMA).read_text(encoding="utf-8"))
    for kind, schema in load_record_schemas(ROOT / "schemas").items():
        refs = all_refs(schema.document)
        assert refs, kind
        for ref in refs:
            assert ref.startswith("#/$defs/"), (kind, ref)
            name = ref.removeprefix("#/$defs/")
            assert name in schema.document["$defs"], (kind, ref)
            if name in common["$defs"]:
                assert schema.document["$defs"][name] == common["$defs"][name]


def copy_schemas(tmp_path: Path) -> Path:
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    for item in (ROOT / "schemas").iterdir():  # the schemas with their changelog and pinned versions
        (schemas / item.name).write_bytes(item.read_bytes())
    return schemas


def test_stale_copies_are_detected_and_rewritten(tmp_path: Path) -> None:
    schemas = copy_schemas(tmp_path)
    common = json.loads((schemas / COMMON_SCHEMA).read_text(encoding="utf-8"))
    common["$defs"]["slug"]["maxLength"] = 60
    (schemas / COMMON_SCHEMA).write_text(json.dumps(common), encoding="utf-8")
    assert sorted(bundle_schemas(schemas, write=False)) == sorted(RECORD_SCHEMAS.values())
    bundle_schemas(schemas, write=True)
    assert bundle_schemas(schemas, write=False) == []
    assert json.loads((schemas / "interventie.schema.json").read_text(encoding="utf-8"))["$defs"]["slug"]["maxLength"] == 60


def test_cross_file_refs_and_new_schema_files_are_normalised(tmp_path: Path) -> None:
    """What another branch may add after a merge: an old-style ref, the compound layout, a whole new kind."""
    schemas = copy_schemas(tmp_path)
    path = schemas / "interventie.schema.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["properties"]["nieuw_veld"] = {"$ref": "gemeenschappelijk.schema.json#/$defs/github-login"}
    document["properties"]["ander_veld"] = {
        "$ref": "https://kansrijke-start.github.io/kansrijk/schemas/gemeenschappelijk.schema.json#/$defs/korte-tekst"
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    training = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://kansrijke-start.github.io/kansrijk/schemas/training.schema.json",
        "type": "object",
        "properties": {"datum": {"$ref": "#/$defs/gemeenschappelijk/$defs/datum"}, "gemeenten": {"$ref": "#/$defs/eigen"}},
        "$defs": {"gemeenschappelijk": {"$defs": {}}, "eigen": {"$ref": "gemeenschappelijk.schema.json#/$defs/gemeenten"}},
    }
    (schemas / "training.schema.json").write_text(json.dumps(training), encoding="utf-8")
    assert bundle_schemas(schemas, write=True) == ["interventie.schema.json", "training.schema.json"]
    assert bundle_schemas(schemas, write=False) == []
    rewritten = json.loads(path.read_text(encoding="utf-8"))
    assert rewritten["$id"] == document["$id"]
    assert rewritten["properties"]["nieuw_veld"] == {"$ref": "#/$defs/github-login"}
    assert rewritten["properties"]["ander_veld"] == {"$ref": "#/$defs/korte-tekst"}
    assert {"github-login", "korte-tekst"} <= rewritten["$defs"].keys()
    new = json.loads((schemas / "training.schema.json").read_text(encoding="utf-8"))
    assert new["properties"]["datum"] == {"$ref": "#/$defs/datum"}
    assert sorted(new["$defs"]) == ["datum", "eigen", "gemeentecode", "gemeenten"]  # gemeenten needs gemeentecode
    validator = jsonschema.Draft202012Validator(new)
    assert list(validator.iter_errors({"datum": "2026-12-01", "gemeenten": ["GM0363"]})) == []
    assert list(validator.iter_errors({"gemeenten": ["Amsterdam"]}))


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
    """Self-contained schemas let check-jsonschema resolve every $ref without a network; an unknown field fails."""
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


def test_check_jsonschema_flags_an_unknown_field(tmp_path: Path) -> None:
    for path in shipped_records():
        ref = classify(path.relative_to(ROOT).as_posix())
        assert ref is not None
        changed = tmp_path / f"{ref.kind}.yaml"
        changed.write_text(path.read_text(encoding="utf-8") + "onbekend_veld: waarde\n", encoding="utf-8")
    for changed in sorted(tmp_path.glob("*.yaml")):
        result = subprocess.run(
            [
                "check-jsonschema",
                "--no-cache",
                "--schemafile",
                str(ROOT / "schemas" / f"{changed.stem}.schema.json"),
                str(changed),
            ],
            capture_output=True,
            text=True,
            check=False,
            env={"PATH": os.environ["PATH"], "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"},
        )
        assert result.returncode == 1 and "onbekend_veld" in result.stdout, (changed.name, result.stdout + result.stderr)


def test_register_states_the_editions_it_covers() -> None:
    validity = Vocabularies(ROOT / "vocab").register_validity
    assert (validity.first, validity.last) == ("2021-01-01", "2025-12-31")
    assert list(validity.editions) == [2021, 2022, 2023, 2024, 2025]
    assert "2026" in validity.note and "niet gecontroleerd" in validity.note


@pytest.mark.parametrize(
    ("updated", "warned"),
    [("2025-12-31", False), ("2026-01-01", True), ("2026-11-30", True), ("2019-06-01", False)],
)
def test_records_dated_after_the_register_get_a_warning(mini_repo: MiniRepo, updated: str, warned: bool) -> None:
    path = mini_repo.coalition("zeist", municipalities="GM0355")
    path.write_text(path.read_text(encoding="utf-8").replace("bijgewerkt_op: 2025-01-01", f"bijgewerkt_op: {updated}"))
    report = validate(Repository(mini_repo.root))
    found = [p for p in report.problems if p.code == "register-buiten-periode"]
    assert report.errors == []
    if not warned:
        assert found == []
        return
    [problem] = found
    assert (problem.file, problem.line, problem.column) == ("coalitions/zeist/coalitie.yaml", 16, 16)
    assert problem.severity is Severity.WARNING and problem.field_path == ("bijgewerkt_op",)
    assert f"{updated} valt na de periode" in problem.message and "CBS-indeling van 2026" in problem.message


def test_application_and_round_dates_are_checked_too(mini_repo: MiniRepo) -> None:
    listed = (ROOT / "rounds" / "impuls-2019.yaml").read_text(encoding="utf-8")
    listed = listed.replace("id: impuls-2019", "id: lijst-2026").replace("opent: 2019-02-01", "opent: 2026-02-01")
    mini_repo.write("rounds/lijst-2026.yaml", listed.replace("sluit: 2019-", "sluit: 2026-"))
    for_all = (ROOT / "rounds" / "voorbeeldronde-2027.yaml").read_text(encoding="utf-8")
    mini_repo.write("rounds/voorbeeldronde-2027.yaml", for_all)  # 'alle' gemeenten: no codes, no warning
    flagged = {
        (p.file, p.field_path) for p in validate(Repository(mini_repo.root)).problems if p.code == "register-buiten-periode"
    }
    assert flagged == {("rounds/lijst-2026.yaml", ("opent",))}
    shipped = {(p.file, p.field_path) for p in validate(Repository(ROOT)).problems if p.code == "register-buiten-periode"}
    assert ("coalitions/voorbeeld-tilburg/aanvraag-voorbeeldronde-2027.yaml", ("historie", 0, "datum")) in shipped
    assert ("coalitions/voorbeeld-zeist/coalitie.yaml", ("bijgewerkt_op",)) in shipped
    assert not any(file.startswith("rounds/") or file.startswith("interventions/") for file, _ in shipped)


def test_schemas_command_fails_on_a_cross_file_ref_and_write_mends_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kansrijk.cli.main import main

    schemas = copy_schemas(tmp_path)
    (tmp_path / "vocab").mkdir()  # what --root needs to call the folder a repository
    path = schemas / "ronde.schema.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"#/$defs/datum"', '"gemeenschappelijk.schema.json#/$defs/datum"'))
    assert main(["--root", str(tmp_path), "schemas"]) == 1
    assert "ronde.schema.json" in capsys.readouterr().out
    assert main(["--root", str(tmp_path), "schemas", "--write"]) == 0
    assert main(["--root", str(tmp_path), "schemas"]) == 0
    assert "alle schema's zijn actueel" in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == (ROOT / "schemas" / "ronde.schema.json").read_text(encoding="utf-8")
