"""Open data: the validated repository as a Frictionless Data Package.

The tables are declared once (``TABLES``); the Table Schema of every column is
derived from the record's JSON Schema (Dutch title, description, type, enum,
length and pattern), so the published descriptions never drift from the
schemas contributors see in their editor. Output is deterministic: rows sorted
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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kansrijk.records.codelists import codelist_name
from kansrijk.records.kinds import KINDS
from kansrijk.records.model import Application, Coalition, Record, Repository
from kansrijk.records.schema_fields import describe_field, property_names
from kansrijk.records.schema_versions import schema_versions
from kansrijk.records.schemas import COMMON_SCHEMA, RECORD_SCHEMAS
from kansrijk.settings import PACKAGE_NAME, REPOSITORY_URL, SITE_URL

LIST_SEPARATOR = ";"
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


# --- Table declarations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One source row: the record, the list item the row stands for (if any) and its position."""

    record: Record
    repo: Repository
    item: object = None
    index: int = 0
    line: str = ""


@dataclass(frozen=True)
class Column:
    """A CSV column; ``path`` (below the table's item path) names both the value and its JSON Schema."""

    name: str
    path: tuple[str, ...] = ()
    title: str | None = None
    description: str | None = None
    type: str | None = None
    value: Callable[[Row], object] | None = None
    joined: bool = False
    required: bool | None = None


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    kind: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    rows: Callable[[Record, Repository], Iterator[Row]] = lambda record, repo: iter((Row(record, repo),))
    item_path: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()
    # True: one column per top-level field of the schema, in schema order (``columns`` lists none), so a new
    # optional field reaches the CSV with no edit here. Lists of codes are joined; lists of objects get a table.
    from_schema: bool = False

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    def columns_in(self, repo: Repository) -> tuple[Column, ...]:
        """The table's columns: declared, or derived from the kind's JSON Schema."""
        if not self.from_schema:
            return self.columns
        document = repo.schemas[self.kind].document
        columns = []
        for name in property_names(document, ()):
            node, _ = describe_field(document, (name,))
            if name == "voorbeeld":
                columns.append(_EXAMPLE)
            elif node.get("type") == "array":
                item, _ = describe_field(document, (name, "*"))
                if item.get("type") != "object":
                    columns.append(Column(name, (name,), joined=True))
            elif node.get("type") != "object":
                columns.append(Column(name, (name,)))
        return tuple(columns)

    def foreign_keys_in(self, repo: Repository) -> tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...]:
        """The declared foreign keys and, for a table derived from the schema, one per single-valued column whose
        field names a code list (``x-codelijst``): the schema says it once, so a new coded field is checked too."""
        if not self.from_schema:
            return self.foreign_keys
        document = repo.schemas[self.kind].document
        derived = []
        for column in self.columns_in(repo):
            if column.path and not column.joined:
                code_list = codelist_name(describe_field(document, column.path)[0])
                if code_list:
                    derived.append(((column.name,), code_list, ("code",)))
        return (*self.foreign_keys, *derived)


def _dig(data: object, path: tuple[str, ...]) -> object:
    for step in path:
        if not isinstance(data, dict):
            return None
        data = data.get(step)
    return data


def _key(row: Row) -> str:
    return row.record.key


def _number(row: Row) -> int:
    return row.index + 1


def _items(*path: str) -> Callable[[Record, Repository], Iterator[Row]]:
    def rows(record: Record, repo: Repository) -> Iterator[Row]:
        for index, item in enumerate(_dig(record.data, path) or []):  # type: ignore[arg-type]
            yield Row(record, repo, item, index)

    return rows


def _coalition_interventions(record: Record, repo: Repository) -> Iterator[Row]:
    assert isinstance(record, Coalition)
    for line, index, entry in record.interventions_in_use():
        yield Row(record, repo, entry, index, line)


def _awarded(row: Row) -> object:
    assert isinstance(row.record, Application)
    amounts = [step["bedrag_toegekend"] for step in row.record.history if step.get("status") == "toegekend"]
    return amounts[-1] if amounts else None


def _register_name(row: Row) -> object:
    code = str(row.item)
    place = row.repo.vocab.municipalities.get(code) or row.repo.vocab.ended_municipalities.get(code)
    return place.naam if place else None


def _register_province(row: Row) -> object:
    code = str(row.item)
    place = row.repo.vocab.municipalities.get(code) or row.repo.vocab.ended_municipalities.get(code)
    return place.provincie if place else None


def _register_ended(row: Row) -> bool:
    return str(row.item) not in row.repo.vocab.municipalities


_NUMBER = Column(
    "volgnummer",
    title="Volgnummer",
    type="integer",
    value=_number,
    required=True,
    description="Plaats in de lijst in het record, vanaf 1.",
)
_EXAMPLE = Column(
    "voorbeeld",
    ("voorbeeld",),
    type="boolean",
    value=lambda row: bool(row.record.data.get("voorbeeld")),
    required=True,
    description="true als het record een verzonnen voorbeeld is (laat voorbeelden weg bij analyses), anders false.",
)


def _parent(name: str, title: str, table: str) -> Column:
    return Column(
        name, title=title, type="string", value=_key, required=True, description=f"Verwijst naar de kolom id in {table}.csv."
    )


TABLES: tuple[Table, ...] = (
    Table(
        "interventies",
        "Interventies",
        "Eén regel per interventie uit het menu van Kansrijke Start. Lijsten van codes staan gescheiden door een puntkomma.",
        "interventie",
        (
            Column("id", ("id",)),
            Column("naam", ("naam",)),
            _EXAMPLE,
            Column("samenvatting", ("samenvatting",)),
            Column("beschrijving", ("beschrijving",)),
            Column("doelgroepen", ("doelgroepen",), joined=True),
            Column("doelgroep_toelichting", ("doelgroep_toelichting",)),
            Column("uitvoerders", ("uitvoerders",), joined=True),
            Column("settings", ("settings",), joined=True),
            Column("duur", ("duur",)),
            Column("eigenaar", ("eigenaar",)),
            Column("erkenning_niveau", ("erkenning", "niveau")),
            Column("erkenning_databank", ("erkenning", "databank")),
            Column("erkenning_datum", ("erkenning", "datum")),
            Column("erkenning_toelichting", ("erkenning", "toelichting")),
            Column("kosten", ("kosten",)),
            Column("website", ("website",)),
            Column("themas", ("themas",), joined=True),
            Column("gecontroleerd_op", ("gecontroleerd_op",)),
            Column("status", ("status",)),
        ),
        ("id",),
        foreign_keys=(
            (("erkenning_niveau",), "erkenningsniveaus", ("code",)),
            (("erkenning_databank",), "databanken", ("code",)),
        ),
    ),
    Table(
        "interventie-actielijnen",
        "Interventies per actielijn",
        "Eén regel per interventie en actielijn (voor, tijdens of na de zwangerschap) waarin zij past.",
        "interventie",
        (_parent("interventie", "Interventie", "interventies"), Column("actielijn", ())),
        ("interventie", "actielijn"),
        rows=_items("actielijnen"),
        item_path=("actielijnen", "*"),
        foreign_keys=((("interventie",), "interventies", ("id",)),),
    ),
    Table(
        "interventie-bronnen",
        "Bronnen van de interventies",
        "De openbare webpagina's waar de feiten over een interventie vandaan komen.",
        "interventie",
        (_parent("interventie", "Interventie", "interventies"), _NUMBER, Column("url", ("url",)), Column("titel", ("titel",))),
        ("interventie", "volgnummer"),
        rows=_items("bronnen"),
        item_path=("bronnen", "*"),
        foreign_keys=((("interventie",), "interventies", ("id",)),),
    ),
    Table(
        "coalities",
        "Coalities",
        "Eén regel per lokale of regionale coalitie Kansrijke Start.",
        "coalitie",
        (
            Column("id", ("id",)),
            Column("naam", ("naam",)),
            _EXAMPLE,
            Column("startdatum", ("startdatum",)),
            Column("fase", ("fase",)),
            Column("plan_van_aanpak_status", ("plan_van_aanpak", "status"), title="Plan van aanpak: status"),
            Column("plan_van_aanpak_datum", ("plan_van_aanpak", "datum"), title="Plan van aanpak: datum vastgesteld"),
            Column("plan_van_aanpak_link", ("plan_van_aanpak", "link"), title="Plan van aanpak: link"),
            Column("contact_email", ("contact", "email"), title="Contact: functioneel e-mailadres"),
            Column("contact_website", ("contact", "website"), title="Contact: webpagina"),
            Column("bijgewerkt_op", ("bijgewerkt_op",)),
            Column("toelichting", ("toelichting",)),
        ),
        ("id",),
    ),
    Table(
        "coalitie-partners",
        "Partners van de coalities",
        "Eén regel per partnerorganisatie van een coalitie.",
        "coalitie",
        (_parent("coalitie", "Coalitie", "coalities"), _NUMBER, Column("naam", ("naam",)), Column("type", ("type",))),
        ("coalitie", "volgnummer"),
        rows=_items("partners"),
        item_path=("partners", "*"),
        foreign_keys=((("coalitie",), "coalities", ("id",)), (("type",), "partnertypen", ("code",))),
    ),
    Table(
        "coalitie-gemeenten",
        "Gemeenten van de coalities",
        "Eén regel per gemeente die aan een coalitie deelneemt, met naam en provincie uit het CBS-register. "
        "Een code van een opgeheven gemeente staat in vocab/gemeenten-opgeheven.csv, niet in vocab/gemeenten.csv.",
        "coalitie",
        (
            _parent("coalitie", "Coalitie", "coalities"),
            Column("gemeente", ()),
            Column(
                "gemeentenaam",
                title="Gemeentenaam",
                type="string",
                value=_register_name,
                required=True,
                description="Naam volgens het CBS-register.",
            ),
            Column(
                "provincie",
                title="Provincie",
                type="string",
                value=_register_province,
                required=True,
                description="Provincie volgens het CBS-register.",
            ),
            Column(
                "opgeheven",
                title="Opgeheven gemeente",
                type="boolean",
                value=_register_ended,
                required=True,
                description="true als de gemeente niet meer bestaat; zie vocab/gemeenten-opgeheven.csv voor de opvolger.",
            ),
        ),
        ("coalitie", "gemeente"),
        rows=_items("gemeenten"),
        item_path=("gemeenten", "*"),
        foreign_keys=((("coalitie",), "coalities", ("id",)),),
    ),
    Table(
        "coalitie-interventies",
        "Interventies in gebruik bij de coalities",
        "Eén regel per interventie die een coalitie noemt, per actielijn, met de status van de uitvoering.",
        "coalitie",
        (
            _parent("coalitie", "Coalitie", "coalities"),
            Column(
                "actielijn",
                title="Actielijn",
                type="string",
                value=lambda row: row.line,
                required=True,
                description="De actielijn waaronder de coalitie de interventie noemt: voor, tijdens of na.",
            ),
            _NUMBER,
            Column("interventie", ("interventie",)),
            Column("status", ("status",)),
            Column("sinds", ("sinds",)),
            Column("toelichting", ("toelichting",)),
        ),
        ("coalitie", "actielijn", "volgnummer"),
        rows=_coalition_interventions,
        item_path=("interventies", "voor", "*"),
        foreign_keys=((("coalitie",), "coalities", ("id",)), (("interventie",), "interventies", ("id",))),
    ),
    Table(
        "rondes",
        "Rondes",
        "Eén regel per ronde van een regeling, zoals een tranche van de Impuls Kansrijke Start.",
        "ronde",
        (
            Column("id", ("id",)),
            Column("titel", ("titel",)),
            Column("regeling", ("regeling",)),
            _EXAMPLE,
            Column("opent", ("opent",)),
            Column("sluit", ("sluit",)),
            Column("budget", ("budget",)),
            Column("max_per_gemeente", ("max_per_gemeente",)),
            Column("subsidiabel_soort", ("subsidiabel", "soort"), title="Wie mag aanvragen: soort"),
            Column("subsidiabel_gemeenten", ("subsidiabel", "gemeenten"), title="Wie mag aanvragen: gemeenten", joined=True),
            Column("verplichte_onderdelen", ("verplichte_onderdelen",), joined=True),
            Column("uitbetaling_wijze", ("uitbetaling", "wijze"), title="Uitbetaling: wijze"),
            Column("uitbetaling_circulaire", ("uitbetaling", "circulaire"), title="Uitbetaling: circulaire"),
            Column("verantwoording_uiterlijk", ("verantwoording_uiterlijk",)),
            Column("bron", ("bron",)),
            Column("toelichting", ("toelichting",)),
        ),
        ("id",),
    ),
    Table(
        "aanvragen",
        "Impulsaanvragen",
        "Eén regel per aanvraag van een coalitie in een ronde, met de huidige status. De volledige geschiedenis staat in "
        "aanvraag-statushistorie.csv, de begroting in records/aanvragen.json.",
        "aanvraag",
        (
            Column(
                "id",
                title="Kenmerk van de aanvraag",
                type="string",
                value=_key,
                required=True,
                description="Coalitie en ronde, gescheiden door een schuine streep: <coalitie>/<ronde>.",
            ),
            Column("coalitie", ("coalitie",)),
            Column("ronde", ("ronde",)),
            _EXAMPLE,
            Column("gemeenten", ("gemeenten",), joined=True),
            Column("bedrag_aangevraagd", ("bedrag_aangevraagd",)),
            Column(
                "bedrag_toegekend",
                title="Toegekend bedrag",
                type="integer",
                value=_awarded,
                description="In hele euro's; leeg zolang er niets is toegekend.",
            ),
            Column(
                "status",
                ("historie", "*", "status"),
                title="Huidige status",
                type="string",
                value=lambda row: row.record.status,  # type: ignore[attr-defined]
                required=True,
                description="De status van de laatste stap in de statusgeschiedenis.",
            ),
            Column("interventies", ("interventies",), joined=True),
        ),
        ("id",),
        foreign_keys=((("coalitie",), "coalities", ("id",)), (("ronde",), "rondes", ("id",))),
    ),
    Table(
        "aanvraag-statushistorie",
        "Statusgeschiedenis van de aanvragen",
        "Eén regel per stap in de statusgeschiedenis van een aanvraag, in volgorde. Stappen worden alleen toegevoegd, nooit gewijzigd.",
        "aanvraag",
        (
            _parent("aanvraag", "Aanvraag", "aanvragen"),
            _NUMBER,
            Column("datum", ("datum",)),
            Column("status", ("status",), title="Status"),
            Column("door", ("door",)),
            Column("toelichting", ("toelichting",)),
            Column("bedrag_toegekend", ("bedrag_toegekend",)),
            Column("reden", ("reden",)),
            Column("coalitie_gevormd", ("verantwoording", "coalitie_gevormd")),
            Column("plan_van_aanpak", ("verantwoording", "plan_van_aanpak")),
            Column("interventies_gestart", ("verantwoording", "interventies_gestart"), joined=True),
            Column("bedrag_besteed", ("verantwoording", "bedrag_besteed")),
            Column("toelichting_onderbesteding", ("verantwoording", "toelichting_onderbesteding")),
        ),
        ("aanvraag", "volgnummer"),
        rows=_items("historie"),
        item_path=("historie", "*"),
        foreign_keys=((("aanvraag",), "aanvragen", ("id",)),),
    ),
)

TABLES += (
    Table(
        "activiteiten",
        "Activiteiten in de agenda",
        "Eén regel per webinar, training, leerbijeenkomst of congres in de agenda van de kennisbank.",
        "activiteit",
        (),
        ("id",),
        from_schema=True,
    ),
    Table(
        "trainingen",
        "Trainingen",
        "Eén regel per training, cursus of e-learning voor professionals. Lijsten van codes staan gescheiden door een puntkomma.",
        "training",
        (),
        ("id",),
        from_schema=True,
    ),
    Table(
        "training-bronnen",
        "Bronnen van de trainingen",
        "De openbare webpagina's waar de feiten over een training vandaan komen.",
        "training",
        (_parent("training", "Training", "trainingen"), _NUMBER, Column("url", ("url",)), Column("titel", ("titel",))),
        ("training", "volgnummer"),
        rows=_items("bronnen"),
        item_path=("bronnen", "*"),
        foreign_keys=((("training",), "trainingen", ("id",)),),
    ),
)

RECORD_FILES = {kind.name: kind.export_stem for kind in KINDS.values()}


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
        item, _ = describe_field(document, (*table.item_path, *column.path, "*"))
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
        for json_key, table_key in (("minLength", "minLength"), ("maxLength", "maxLength")):
            if json_key in node:
                found[table_key] = node[json_key]
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
        "fields": [_table_field(column, table, document) for column in table.columns_in(repo)],
        "primaryKey": list(table.primary_key),
    }
    foreign_keys = table.foreign_keys_in(repo)
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


def _value(table: Table, column: Column, row: Row) -> object:
    if column.value is not None:
        return column.value(row)
    source = row.item if table.item_path else row.record.data
    return _dig(source, column.path) if column.path else source


def table_rows(table: Table, repo: Repository) -> list[list[str]]:
    """The CSV cells of one table: records in key order, list items in record order."""
    records = sorted(repo.valid_records(table.kind), key=lambda record: record.key)
    columns = table.columns_in(repo)
    return [[_cell(_value(table, column, row)) for column in columns] for record in records for row in table.rows(record, repo)]


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


def build_descriptor(repo: Repository, counts: dict[str, int]) -> dict:
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
                "schema": table_schema(table, repo),
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
            "uit de gevalideerde records in de repository. Records met voorbeeld = true zijn verzonnen voorbeelden."
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
    for table in TABLES:
        rows = table_rows(table, repo)
        package.files[table.path] = _csv_text((c.name for c in table.columns_in(repo)), rows)
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
    package.descriptor = build_descriptor(repo, package.record_counts)
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
