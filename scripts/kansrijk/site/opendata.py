"""The open-data part of the site: the data package at stable URLs and a Dutch page that explains it.

Every file of ``kansrijk export`` is published under ``open-data/`` (so
``open-data/datapackage.json`` is the package's stable address). The page's field
lists are generated from the same Table Schemas that go into ``datapackage.json``,
and the version history from ``schemas/CHANGELOG.md``, so the page never drifts
from the data. The JSON Schemas themselves are served at their ``$id`` under
``schemas/`` by the schema reference.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator

from ..export import DATA_LICENSE, LIST_SEPARATOR, RECORD_FILES, TABLES, build_package
from ..schemas import COMMON_SCHEMA
from ..schemaversions import CHANGELOG, schema_versions
from .pages import GENERATORS, Page, SiteContext
from .urls import OPEN_DATA_DIR, OPEN_DATA_INDEX


def _cell(text: object) -> str:
    """Text for a Markdown table cell: HTML escaped, pipes and line breaks neutralised."""
    return html.escape(str(text), quote=False).replace("|", "\\|").replace("\n", " ")


def _constraint_text(field: dict) -> str:
    constraints = field.get("constraints", {})
    parts = []
    if constraints.get("required"):
        parts.append("verplicht")
    if constraints.get("unique"):
        parts.append("uniek")
    if "enum" in constraints:
        parts.append("een van: " + ", ".join(f"`{value}`" for value in constraints["enum"]))
    if "minimum" in constraints or "maximum" in constraints:
        parts.append(f"van {constraints.get('minimum', '…')} tot {constraints.get('maximum', '…')}")
    if "maxLength" in constraints:
        parts.append(f"hoogstens {constraints['maxLength']} tekens")
    if field.get("format") == "uri":
        parts.append("webadres")
    if field.get("format") == "email":
        parts.append("e-mailadres")
    return "; ".join(parts)


_TYPE_NAMES = {"string": "tekst", "integer": "geheel getal", "boolean": "true/false", "date": "datum (JJJJ-MM-DD)"}


def _table_section(resource: dict, rows: int) -> Iterator[str]:
    schema = resource["schema"]
    yield f"### {_cell(resource['title'])} (`{resource['path']}`)"
    yield ""
    yield f"{_cell(resource['description'])} [Download {resource['path']}]({resource['path']}) ({rows} regels)."
    yield ""
    keys = ", ".join(f"`{name}`" for name in schema["primaryKey"])
    yield f"Sleutel: {keys}."
    for foreign in schema.get("foreignKeys", []):
        fields = ", ".join(f"`{name}`" for name in foreign["fields"])
        target = foreign["reference"]
        yield f"{fields} verwijst naar `{target['fields'][0]}` in `{target['resource']}`."
    yield ""
    yield "| Kolom | Titel | Soort | Beschrijving | Regels |"
    yield "|---|---|---|---|---|"
    for field in schema["fields"]:
        yield (
            f"| `{field['name']}` | {_cell(field.get('title', ''))} | {_TYPE_NAMES.get(field['type'], field['type'])} "
            f"| {_cell(field.get('description', ''))} | {_constraint_text(field)} |"
        )
    yield ""


def _changelog(ctx: SiteContext) -> Iterator[str]:
    versions = schema_versions(ctx.repo.root / "schemas")
    yield "## Versies van de schema's"
    yield ""
    yield (
        f"De versie staat als `version` in `datapackage.json`. De lijst hieronder komt uit `schemas/{CHANGELOG}` "
        "in de repository; de nieuwste versie staat bovenaan. Een nieuwe hoofdversie (het eerste getal) betekent "
        "dat iets wegviel of verplicht werd: controleer dan uw scripts."
    )
    yield ""
    for version in versions:
        yield f"### {version.version} ({version.date})"
        yield ""
        yield html.escape(version.notes, quote=False)
        yield ""


def open_data_page(ctx: SiteContext, descriptor: dict, row_counts: dict[str, int], record_counts: dict[str, int]) -> str:
    resources = {resource["name"]: resource for resource in descriptor["resources"]}
    lines = [
        "---",
        "title: Open data",
        "---",
        "",
        "# Open data",
        "",
        "Alle gegevens van deze kennisbank zijn open data: de interventies, de coalities, de rondes van de "
        "Impulsregeling en de aanvragen met hun statusgeschiedenis. U mag ze vrij gebruiken, ook voor eigen analyses "
        f"en toepassingen. De gegevens vallen onder [{DATA_LICENSE['title']}]({DATA_LICENSE['path']}): "
        "u hoeft niet te vragen en niets te vermelden, al stellen we een bronvermelding op prijs.",
        "",
        "Het pakket is een [Frictionless Data Package](https://datapackage.org/): een map met CSV-bestanden en "
        "één beschrijving, `datapackage.json`, met per tabel de kolommen, hun soort en hun regels. Programma's "
        "zoals `frictionless`, R, Python (pandas) en spreadsheets lezen het direct.",
        "",
        f"- **[datapackage.json](datapackage.json)**: de beschrijving van het hele pakket (versie {descriptor.get('version', 'onbekend')}).",
        "- **CSV-tabellen**: hieronder per tabel, met uitleg bij elke kolom.",
        "- **Records als JSON**: alle records per soort, precies zoals in de repository: "
        + ", ".join(f"[{stem}.json](records/{stem}.json) ({record_counts.get(kind, 0)})" for kind, stem in RECORD_FILES.items())
        + ".",
        "- **JSON Schemas**: de regels voor elk record, op hun vaste adres: "
        + ", ".join(
            f"[{name}](../schemas/{name})"
            for name in [*sorted(ctx.repo.schemas[k].file_name for k in RECORD_FILES), COMMON_SCHEMA]
        )
        + ".",
        "- **Referentielijsten**: het CBS-gemeenteregister en de codelijsten, in `vocab/`.",
        "",
        "Records met `voorbeeld` = `true` zijn verzonnen voorbeelden; laat ze weg bij analyses. Lijsten van codes "
        f"in één cel staan gescheiden door een puntkomma (`{LIST_SEPARATOR}`). Datums hebben de vorm JJJJ-MM-DD, "
        "bedragen zijn hele euro's.",
        "",
        "## Bronnen",
        "",
    ]
    for source in descriptor.get("sources", []):
        lines.append(f"- [{_cell(source['title'])}]({source['path']})")
    lines += ["", "## Tabellen", ""]
    for table in TABLES:
        lines.extend(_table_section(resources[table.name], row_counts[table.name]))
    lines += ["## Referentielijsten", ""]
    for resource in descriptor["resources"]:
        if resource["path"].startswith("vocab/"):
            lines.append(f"- [{resource['path']}]({resource['path']}): {_cell(resource.get('title', resource['name']))}")
    lines.append("")
    lines.extend(_changelog(ctx))
    return "\n".join(lines) + "\n"


def open_data_pages(ctx: SiteContext) -> Iterable[Page]:
    package = build_package(ctx.repo)
    for rel, text in sorted(package.files.items()):
        yield Page(f"{OPEN_DATA_DIR}/{rel}", text)
    yield Page(OPEN_DATA_INDEX, open_data_page(ctx, package.descriptor, package.row_counts, package.record_counts))


GENERATORS.append(open_data_pages)
