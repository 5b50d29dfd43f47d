"""Open data: the validated repository written as a Frictionless Data Package (``kansrijk export``).

The tables and their columns are declared in ``opendata/tables.py``; here the Table
Schema of every column is derived from the record's JSON Schema (Dutch title,
description, type, enum, length and pattern, foreign keys to the code lists), so the
published descriptions never drift from the schemas contributors see in their editor. Output is deterministic: rows sorted
by key, lists in record order, no timestamps, so two exports of the same
repository are byte-identical and diffs between versions stay clean.

Package layout (see also ``docs`` for the published page)::

    datapackage.json            descriptor: licence, sources, one Table Schema per CSV
    <table>.csv                 one CSV per table in TABLES
    records/<soort>.json        every record of one kind, as a JSON list in key order
    schemas/*.schema.json       the JSON Schemas those records follow
    vocab/*.csv                 the code lists and the CBS municipality register
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kansrijk.opendata.tables import TABLES, Column, Table
from kansrijk.records.kinds import KINDS
from kansrijk.records.model import Repository
from kansrijk.records.schema_fields import ANY_ITEM, describe_field
from kansrijk.records.schema_versions import schema_versions
from kansrijk.records.schemas import COMMON_SCHEMA, RECORD_SCHEMAS
from kansrijk.settings import PACKAGE_NAME, REPOSITORY_URL, SITE_URL

LIST_SEPARATOR = ";"
# A spreadsheet reads a cell that starts with one of these as a formula (tab and CR: some programs strip them first
# and then read what follows). Text cells that start so get an apostrophe, which spreadsheets show as "this is text";
# numbers, dates and true/false never do, so -5 stays a number.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SPREADSHEET_NOTE = (
    "Een tekstcel die begint met =, +, -, @, een tab of een regelterugloop, krijgt in de CSV-bestanden een apostrof (') "
    "ervoor, zodat een spreadsheet de tekst als tekst toont en niet als formule uitvoert. Haal die ene apostrof weg als "
    "u de tekst in een programma verwerkt; de JSON-bestanden in records/ hebben hem niet. Getallen, datums en "
    "true/false krijgen nooit een apostrof: -5 blijft een getal. Daarom is de grootste lengte (maxLength) van een "
    "tekstkolom hier één teken meer dan in het JSON Schema van het record."
)
DATA_LICENSE = {
    "name": "CC0-1.0",
    "path": "https://creativecommons.org/publicdomain/zero/1.0/",
    "title": "Creative Commons Zero v1.0 Universal (publiek domein)",
}


def _xsd_pattern(pattern: str) -> str | None:
    """A JSON Schema pattern as a Table Schema pattern (implicitly anchored), or None if it uses lookaround."""
    if "(?" in pattern:
        return None
    return pattern.removeprefix("^").removesuffix("$")


RECORD_FILES = {kind.name: kind.export_stem for kind in KINDS.values()}


def spreadsheet_text(cell: str) -> str:
    """A text cell that a spreadsheet shows as text: an apostrophe in front when it would start a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


# --- Table Schemas ---------------------------------------------------------------------------------


def _table_field(column: Column, table: Table, document: dict) -> dict:
    """The Table Schema field for one column, from the JSON Schema where the column has a path."""
    node: dict = {}
    required = bool(column.required)
    if column.path or column.value is None:
        node, always_there = describe_field(document, table.item_path + column.path)
        if column.required is None:
            required = always_there or (bool(table.item_path) and not column.path)
    field_type = "string" if column.joined else column.type or _table_type(node)
    title = column.title or node.get("title") or column.name
    description = column.description or node.get("description")
    result: dict = {"name": column.name, "title": title}
    if description:
        result["description"] = description
    constraints: dict = {}
    if column.joined:
        item, _ = describe_field(document, (*table.item_path, *column.path, ANY_ITEM))
        result["type"] = "string"
        result["description"] = (
            f"{description + ' ' if description else ''}Meerdere waarden gescheiden door een puntkomma ({LIST_SEPARATOR})."
        )
        alternatives = item.get("enum")
        item_pattern = "|".join(re.escape(v) for v in alternatives) if alternatives else _xsd_pattern(item.get("pattern", ""))
        if item_pattern:
            constraints["pattern"] = f"({item_pattern})({re.escape(LIST_SEPARATOR)}({item_pattern}))*"
    else:
        result["type"] = field_type
        constraints.update(_constraints(node, field_type))
        if node.get("format") in ("uri", "email"):
            result["format"] = node["format"]
    if required:
        constraints["required"] = True
    if table.primary_key == (column.name,):
        constraints["unique"] = True
    if constraints:
        result["constraints"] = dict(sorted(constraints.items()))
    return result


def _table_type(node: dict) -> str:
    if node.get("format") == "date":
        return "date"
    if "const" in node:
        return "string"
    json_type = node.get("type")
    if json_type in ("integer", "boolean", "string"):
        return json_type
    if "enum" in node:
        return "string"
    raise ValueError(f"no Table Schema type for {node}")


def _constraints(node: dict, field_type: str) -> dict:
    found: dict = {}
    if "enum" in node:
        found["enum"] = list(node["enum"])
    if field_type == "string":
        if "minLength" in node:
            found["minLength"] = node["minLength"]
        if "maxLength" in node:
            found["maxLength"] = node["maxLength"] + 1  # a text cell may carry the apostrophe of spreadsheet_text
        pattern = _xsd_pattern(node.get("pattern", ""))
        if pattern and node.get("format") not in ("date", "uri", "email"):
            found["pattern"] = pattern
    if field_type == "integer":
        for key in ("minimum", "maximum"):
            if key in node:
                found[key] = node[key]
    return found


def table_schema(table: Table, repo: Repository) -> dict:
    document = repo.schemas[table.kind].document
    schema: dict = {
        "fields": [_table_field(column, table, document) for column in table.columns_in(document)],
        "primaryKey": list(table.primary_key),
    }
    foreign_keys = table.foreign_keys_in(document)
    if foreign_keys:
        schema["foreignKeys"] = [
            {"fields": list(fields), "reference": {"resource": resource, "fields": list(target)}}
            for fields, resource, target in foreign_keys
        ]
    return schema


# --- Rows ------------------------------------------------------------------------------------------


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


def table_rows(table: Table, repo: Repository, schema: dict) -> list[list[str]]:
    """The CSV cells of one table: records in key order, list items in record order. ``schema`` is the table's
    Table Schema: a cell of a ``string`` column goes through :func:`spreadsheet_text`, any other cell as it is."""
    records = sorted(repo.valid_records(table.kind), key=lambda record: record.key)
    columns = table.columns_in(repo.schemas[table.kind].document)
    text = [field["type"] == "string" for field in schema["fields"]]
    return [
        [
            spreadsheet_text(_cell(table.value(column, row))) if is_text else _cell(table.value(column, row))
            for column, is_text in zip(columns, text, strict=True)
        ]
        for record in records
        for row in table.rows(record, repo)
    ]


def _csv_text(header: Iterable[str], rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


# --- Versions and the package ----------------------------------------------------------------------


@dataclass
class DataPackage:
    """The package's files (relative path -> text) and what they hold, for the command, the site and tests."""

    files: dict[str, str] = field(default_factory=dict)
    descriptor: dict = field(default_factory=dict)
    row_counts: dict[str, int] = field(default_factory=dict)
    record_counts: dict[str, int] = field(default_factory=dict)


def _vocab_resources(repo: Repository) -> list[dict]:
    descriptor = json.loads((repo.vocab.vocab_dir / "datapackage.json").read_text(encoding="utf-8"))
    resources = []
    for resource in descriptor["resources"]:
        copied = dict(resource)
        copied["path"] = f"vocab/{resource['path']}"
        resources.append(copied)
    return resources


def _record_resource(kind: str, repo: Repository, count: int) -> dict:
    schema = repo.schemas[kind]
    return {
        "name": f"records-{RECORD_FILES[kind]}",
        "path": f"records/{RECORD_FILES[kind]}.json",
        "title": f"{schema.document['title']}: alle records als JSON",
        "description": (
            f"Een JSON-lijst van {count} records, op kenmerk gesorteerd, met precies de velden uit de YAML-bestanden. "
            f"Elk element volgt het JSON Schema {schema.document['$id']} (ook in schemas/{schema.file_name})."
        ),
        "profile": "data-resource",
        "format": "json",
        "mediatype": "application/json",
        "encoding": "utf-8",
    }


def build_descriptor(repo: Repository, counts: dict[str, int], schemas: dict[str, dict]) -> dict:
    """The package descriptor; ``schemas`` holds the Table Schema of every table by name."""
    versions = schema_versions(repo.root / "schemas")
    resources: list[dict] = []
    for table in TABLES:
        resources.append(
            {
                "name": table.name,
                "path": table.path,
                "title": table.title,
                "description": table.description,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schemas[table.name],
            }
        )
    resources.extend(_record_resource(kind, repo, counts[kind]) for kind in RECORD_FILES)
    resources.extend(_vocab_resources(repo))
    descriptor: dict = {
        "profile": "data-package",
        "name": PACKAGE_NAME,
        "title": "Kansrijke Start: interventies, coalities en impulsaanvragen",
        "description": (
            "Open data van de kennisbank Kansrijke Start: de interventies uit het menu, de lokale en regionale coalities, "
            "de rondes van de Impuls Kansrijke Start en de aanvragen met hun statusgeschiedenis. Gemaakt met 'kansrijk export' "
            "uit de gevalideerde records in de repository. Records met voorbeeld = true zijn verzonnen voorbeelden. "
            + SPREADSHEET_NOTE
        ),
        "homepage": f"{SITE_URL}open-data/",
        "licenses": [DATA_LICENSE],
        "sources": [
            {"title": "Kansrijk-repository: de records (YAML) waaruit dit pakket is gemaakt", "path": REPOSITORY_URL},
            {
                "title": "Openbare bronnen per interventie: zie interventie-bronnen.csv",
                "path": "interventie-bronnen.csv",
            },
            {
                "title": "CBS, Gemeentelijke indeling per jaar (gemeenteregister)",
                "path": "https://www.cbs.nl/nl-nl/onze-diensten/methoden/classificaties/overig/gemeentelijke-indelingen-per-jaar",
            },
        ],
        "keywords": ["Kansrijke Start", "eerste 1000 dagen", "interventies", "coalities", "impuls", "gemeenten"],
        "resources": resources,
    }
    if versions:
        descriptor["version"] = versions[0].version
    return descriptor


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def _json_lines_array(items: list[object]) -> str:
    """A JSON array with one compact item per line: as diffable as indented JSON, but written by the C
    encoder (``indent`` falls back to pure Python, which took 6 s for the records of a 5,000-record build)."""
    if not items:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(item, ensure_ascii=False) for item in items) + "\n]\n"


def build_package(repo: Repository) -> DataPackage:
    """Every file of the data package, in memory. The caller must have validated ``repo`` first."""
    package = DataPackage()
    schemas = {table.name: table_schema(table, repo) for table in TABLES}
    for table in TABLES:
        rows = table_rows(table, repo, schemas[table.name])
        columns = table.columns_in(repo.schemas[table.kind].document)
        package.files[table.path] = _csv_text((column.name for column in columns), rows)
        package.row_counts[table.name] = len(rows)
    for kind, file_stem in RECORD_FILES.items():
        records = sorted(repo.valid_records(kind), key=lambda record: record.key)
        package.files[f"records/{file_stem}.json"] = _json_lines_array([record.data for record in records])
        package.record_counts[kind] = len(records)
    for file_name in [*RECORD_SCHEMAS.values(), COMMON_SCHEMA]:
        source = repo.root / "schemas" / file_name
        if source.is_file():
            package.files[f"schemas/{file_name}"] = source.read_text(encoding="utf-8")
    for resource in _vocab_resources(repo):
        package.files[resource["path"]] = (repo.vocab.vocab_dir / Path(resource["path"]).name).read_text(encoding="utf-8")
    package.descriptor = build_descriptor(repo, package.record_counts, schemas)
    package.files["datapackage.json"] = _json(package.descriptor)
    return package


def export_package(repo: Repository, out_dir: Path) -> DataPackage:
    """Write the data package into ``out_dir``, file by file in sorted order."""
    package = build_package(repo)
    for rel, text in sorted(package.files.items()):
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")
    return package
