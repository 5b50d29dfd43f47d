"""The open-data part of the site: the data package at stable URLs and a Dutch page that explains it.

Every file of ``kansrijk export`` is published under ``open-data/`` (so
``open-data/datapackage.json`` is the package's stable address). The page's field
lists are generated from the same Table Schemas that go into ``datapackage.json``,
and the version history from ``schemas/CHANGELOG.md``, so the page never drifts
from the data. The JSON Schemas themselves are served at their ``$id`` under
``schemas/`` by the schema reference.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kansrijk.opendata.export import DATA_LICENSE, LIST_SEPARATOR, RECORD_FILES, SPREADSHEET_NOTE, build_package
from kansrijk.opendata.tables import TABLES
from kansrijk.records.kinds import KINDS
from kansrijk.records.schema_versions import CHANGELOG, SchemaVersion, schema_versions
from kansrijk.records.schemas import COMMON_SCHEMA
from kansrijk.site.engine.pages import GENERATORS, Page, SiteContext
from kansrijk.site.engine.templating import TemplateContext, render_context
from kansrijk.site.engine.urls import OPEN_DATA_DIR, OPEN_DATA_INDEX

# How the page names a Table Schema field type (the schema's own type names are English).
TYPE_NAMES = {"string": "tekst", "integer": "geheel getal", "boolean": "true/false", "date": "datum (JJJJ-MM-DD)"}


@dataclass(frozen=True)
class OpenDataContext(TemplateContext):
    template = "opendata/index.md"

    licence: dict[str, str]
    version: str
    record_files: list[tuple[str, int]]  # export stem, records
    kind_plurals: list[str]
    schema_files: list[str]
    list_separator: str
    spreadsheet_note: str
    sources: list[dict]
    tables: list[tuple[dict, int]]  # Table Schema resource, rows
    type_names: dict[str, str]
    vocab_resources: list[dict]
    changelog: str
    versions: list[SchemaVersion]


def open_data_page(ctx: SiteContext, descriptor: dict, row_counts: dict[str, int], record_counts: dict[str, int]) -> str:
    """The page (Markdown, ``templates/opendata/index.md``) from the package's own descriptor and the changelog."""
    resources = {resource["name"]: resource for resource in descriptor["resources"]}
    return render_context(
        OpenDataContext(
            licence=DATA_LICENSE,
            version=descriptor.get("version", "onbekend"),
            record_files=[(stem, record_counts.get(kind, 0)) for kind, stem in RECORD_FILES.items()],
            kind_plurals=[KINDS[kind].plural for kind in RECORD_FILES],
            schema_files=[*sorted(ctx.repo.schemas[kind].file_name for kind in RECORD_FILES), COMMON_SCHEMA],
            list_separator=LIST_SEPARATOR,
            spreadsheet_note=SPREADSHEET_NOTE,
            sources=descriptor.get("sources", []),
            tables=[(resources[table.name], row_counts[table.name]) for table in TABLES],
            type_names=TYPE_NAMES,
            vocab_resources=[resource for resource in descriptor["resources"] if resource["path"].startswith("vocab/")],
            changelog=CHANGELOG,
            versions=schema_versions(ctx.repo.root / "schemas"),
        )
    )


def open_data_pages(ctx: SiteContext) -> Iterable[Page]:
    package = build_package(ctx.repo)
    for rel, text in sorted(package.files.items()):
        yield Page(f"{OPEN_DATA_DIR}/{rel}", text)
    yield Page(OPEN_DATA_INDEX, open_data_page(ctx, package.descriptor, package.row_counts, package.record_counts))


GENERATORS.append(open_data_pages)
