"""The open data covers the schemas: every field is a CSV column or a declared exclusion, every code is keyed.

The expectation is built from the JSON Schemas, not from a list here: a new field, a dropped column or a coded
column without its foreign key fails, naming the table and the field.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import frictionless
import pytest

from kansrijk.opendata.export import build_package, export_package
from kansrijk.opendata.tables import TABLES, Column, Table
from kansrijk.records.codelists import codelist_name
from kansrijk.records.kinds import KINDS
from kansrijk.records.model import Repository
from kansrijk.records.schema_fields import ANY_ITEM, describe_field, property_names
from support.minirepo import MiniRepo

ROOT = Path(__file__).resolve().parents[2]
Path_ = tuple[str, ...]


def _leaves(document: dict, below: Path_ = ()) -> Iterator[Path_]:
    """Every scalar field of a schema, nested ones included; a list of scalars as ``<list>.*``."""
    for name in property_names(document, below):
        path = (*below, name)
        if property_names(document, path):
            yield from _leaves(document, path)
        elif describe_field(document, path)[0].get("type") != "array":
            yield path
        elif property_names(document, (*path, ANY_ITEM)):
            yield from _leaves(document, (*path, ANY_ITEM))
        else:
            yield (*path, ANY_ITEM)


def _owner(leaf: Path_, tables: Sequence[Table]) -> tuple[Table, Path_]:
    """The table a field belongs in (the one whose rows are the deepest list holding it) and its path there."""
    best: tuple[Table, Path_] | None = None
    for table in tables:
        for item_path in table.item_paths or ((),):
            if leaf[: len(item_path)] == item_path and (best is None or len(item_path) > len(best[1])):
                best = (table, item_path)
    assert best is not None, leaf
    return best[0], leaf[len(best[1]) :]


def _covers(column: Column) -> Path_ | None:
    """The field below a table's item that a column shows, if it shows one."""
    if column.path or column.value is None:
        return (*column.path, ANY_ITEM) if column.joined else column.path
    return None


def coverage_problems(document: dict, kind: str, columns: dict[str, Sequence[Column]]) -> list[str]:
    """The fields of ``kind`` with neither a column in their table nor a declared exclusion there."""
    tables = [table for table in TABLES if table.kind == kind]
    problems = []
    for leaf in _leaves(document):
        table, below = _owner(leaf, tables)
        excluded = any(".".join(below[:depth]) in table.excluded for depth in range(1, len(below) + 1))
        if not excluded and below not in {_covers(column) for column in columns[table.name]}:
            problems.append(f"{table.name}: field {'.'.join(leaf)} has no column and no declared exclusion")
    return problems


@pytest.fixture(scope="module")
def repo() -> Repository:
    return Repository(ROOT)


def _columns(repo: Repository) -> dict[str, tuple[Column, ...]]:
    return {table.name: table.columns_in(repo.schemas[table.kind].document) for table in TABLES}


def test_every_kind_has_a_table_of_its_records() -> None:
    record_tables = {table.kind: table.name for table in TABLES if not table.item_paths}
    assert record_tables == {name: kind.export_stem for name, kind in KINDS.items()}
    assert len({table.name for table in TABLES}) == len(TABLES)


def test_every_schema_field_is_a_column_or_a_declared_exclusion(repo: Repository) -> None:
    columns = _columns(repo)
    for kind in KINDS:
        assert coverage_problems(repo.schemas[kind].document, kind, columns) == [], kind
    for table in TABLES:
        for field, reason in table.excluded.items():
            assert len(reason) > 20, (table.name, field)
            describe_field(repo.schemas[table.kind].document, (*table.item_path, *field.split(".")))  # names a field


def test_removing_any_column_fails_naming_its_table_and_field(repo: Repository) -> None:
    """Negative control: each column that shows a schema field is needed, in every table."""
    columns = _columns(repo)
    checked = 0
    for table in TABLES:
        document = repo.schemas[table.kind].document
        for column in columns[table.name]:
            below = _covers(column)
            if below is None or _owner((*table.item_path, *below), [t for t in TABLES if t.kind == table.kind])[0] != table:
                continue  # a computed column, or a second view of a field another table holds (aanvragen.status)
            damaged = {**columns, table.name: tuple(c for c in columns[table.name] if c is not column)}
            problems = coverage_problems(document, table.kind, damaged)
            fields = [".".join((*item_path, *below)) for item_path in table.item_paths or ((),)]
            assert problems == [f"{table.name}: field {field} has no column and no declared exclusion" for field in fields]
            checked += 1
    assert checked > 80


def test_the_csv_headers_are_the_declared_columns(repo: Repository) -> None:
    package = build_package(repo)
    for table, columns in zip(TABLES, _columns(repo).values(), strict=True):
        header = next(csv.reader([package.files[table.path].partition("\n")[0]]))
        assert header == [column.name for column in columns], table.name


def _code_list_problems(descriptor: dict, repo: Repository) -> list[str]:
    """Coded columns (from the schemas) whose values the written package does not check against their code list."""
    resources = {resource["name"]: resource for resource in descriptor["resources"]}
    problems = []
    for table in TABLES:
        document = repo.schemas[table.kind].document
        schema = resources[table.name]["schema"]
        keys = {
            (tuple(key["fields"]), key["reference"]["resource"], tuple(key["reference"]["fields"]))
            for key in schema.get("foreignKeys", [])
        }
        fields = {field["name"]: field for field in schema["fields"]}
        for column in table.columns_in(document):
            below = _covers(column)
            if below is None:
                continue
            code_list = codelist_name(describe_field(document, (*table.item_path, *below))[0])
            if code_list is None:
                continue
            if not column.joined:
                if ((column.name,), code_list, ("code",)) not in keys:
                    problems.append(f"{table.name}.{column.name}: no foreign key to {code_list}")
                continue
            # A joined list cannot carry a foreign key (Frictionless compares the whole cell); its pattern must admit
            # exactly the codes of its list, alone and joined.
            codes = [row["code"] for row in csv.DictReader((repo.root / "vocab" / f"{code_list}.csv").open(encoding="utf-8"))]
            pattern = fields[column.name].get("constraints", {}).get("pattern", "")
            if not (
                all(re.fullmatch(pattern, code) for code in codes)
                and re.fullmatch(pattern, ";".join(codes))
                and not re.fullmatch(pattern, "geen-code-uit-de-lijst")
            ):
                problems.append(f"{table.name}.{column.name}: pattern does not admit exactly the codes of {code_list}")
    return problems


def test_every_coded_column_is_checked_against_its_code_list(repo: Repository, tmp_path: Path) -> None:
    package = export_package(repo, tmp_path / "pakket")
    assert _code_list_problems(package.descriptor, repo) == []
    keyed = {
        (resource["name"], key["fields"][0], key["reference"]["resource"])
        for resource in package.descriptor["resources"]
        for key in resource.get("schema", {}).get("foreignKeys", [])
    }
    assert {("interventies", "status", "recordstatussen"), ("coalities", "fase", "coalitiefasen")} <= keyed
    assert frictionless.validate(str(tmp_path / "pakket" / "datapackage.json")).flatten(["resourceName", "note"]) == []


def test_a_missing_foreign_key_is_named(repo: Repository) -> None:
    """Negative control: drop the status key of interventies.csv from the descriptor."""
    descriptor = json.loads(json.dumps(build_package(repo).descriptor))
    interventions = next(resource for resource in descriptor["resources"] if resource["name"] == "interventies")
    interventions["schema"]["foreignKeys"] = [
        key for key in interventions["schema"]["foreignKeys"] if key["fields"] != ["status"]
    ]
    assert _code_list_problems(descriptor, repo) == ["interventies.status: no foreign key to recordstatussen"]


def test_a_new_coded_field_reaches_the_csv_with_its_foreign_key(mini_repo: MiniRepo, tmp_path: Path) -> None:
    """A coded field added to the schema, nested in ``erkenning``, is a column with a key to its list, with no code."""
    mini_repo.intervention("proef")
    schema_path = mini_repo.root / "schemas" / "interventie.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["properties"]["erkenning"]["properties"]["vorm"] = {
        "title": "Vorm",
        "x-codelijst": "trainingsvormen",
        "enum": ["klassikaal", "online", "e-learning", "blended"],
    }
    schema_path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    record = mini_repo.root / "interventions" / "proef.yaml"
    record.write_text(
        record.read_text(encoding="utf-8").replace("erkenning:\n", "erkenning:\n  vorm: online\n"), encoding="utf-8"
    )
    repo = Repository(mini_repo.root)
    assert repo.valid_records("interventie"), "the record must still be valid"
    package = export_package(repo, tmp_path / "pakket")
    rows = list(csv.DictReader((tmp_path / "pakket" / "interventies.csv").open(encoding="utf-8")))
    assert rows[0]["erkenning_vorm"] == "online"
    schema_of = next(r for r in package.descriptor["resources"] if r["name"] == "interventies")["schema"]
    assert {"fields": ["erkenning_vorm"], "reference": {"resource": "trainingsvormen", "fields": ["code"]}} in schema_of[
        "foreignKeys"
    ]
    assert frictionless.validate(str(tmp_path / "pakket" / "datapackage.json")).flatten(["resourceName", "note"]) == []
