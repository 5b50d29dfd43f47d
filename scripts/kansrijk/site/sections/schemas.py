"""Schema reference pages (``schemas/``), generated from the JSON Schemas: every field, its Dutch
description and its allowed values with their labels. The schema files are published beside them,
at the URLs their ``$id`` promises."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kansrijk.records.codelists import CodeList, codelist_name
from kansrijk.records.kinds import KINDS, RecordKind
from kansrijk.records.problems import CODES, ProblemCode
from kansrijk.records.schemas import COMMON_SCHEMA
from kansrijk.site.engine.html import html_page
from kansrijk.site.engine.pages import GENERATORS, Page, SiteContext
from kansrijk.site.engine.templating import TemplateContext, render_context
from kansrijk.site.engine.urls import (
    CODE_LISTS,
    KINDS_TABLE,
    PROBLEM_CODES,
    SCHEMAS_INDEX,
    schema_file,
    schema_page,
    section_index,
)


@dataclass(frozen=True)
class FieldRow:
    """One row of a schema page: a field, its meaning, its type and its allowed codes with their labels."""

    path: str
    required: bool
    title: str
    description: str
    type_text: str
    values: list[tuple[str, str]]


class SchemaWalker:
    """Flattens a schema into rows (path, definition, required), resolving references to the common definitions."""

    def __init__(self, document: dict, codelists: dict[str, CodeList]) -> None:
        self.document = document
        self.codelists = codelists

    def resolve(self, node: dict) -> dict:
        """The node merged over what its ``$ref`` points at; local title and description win."""
        ref = node.get("$ref")
        if not ref:
            return node
        name = ref.rsplit("/", 1)[-1]
        target = self.document.get("$defs", {}).get(name, {})
        merged = {**self.resolve(target), **{k: v for k, v in node.items() if k != "$ref"}}
        return merged

    def rows(self, node: dict, prefix: str = "") -> Iterator[tuple[str, dict, bool]]:
        required = set(node.get("required", []))
        for name, child in node.get("properties", {}).items():
            resolved = self.resolve(child)
            path = f"{prefix}{name}"
            yield path, resolved, name in required
            if resolved.get("type") == "object" or "properties" in resolved:
                yield from self.rows(resolved, path + ".")
            items = self.resolve(resolved.get("items", {})) if isinstance(resolved.get("items"), dict) else {}
            if "properties" in items:
                yield from self.rows(items, path + "[].")

    def labels_for(self, node: dict) -> dict[str, str]:
        """The labels of the code list the field names (``x-codelijst``); none when it names none."""
        items = self.resolve(node["items"]) if isinstance(node.get("items"), dict) else {}
        name = codelist_name(node) or codelist_name(items)
        return self.codelists[name].labels if name else {}


def describe_type(node: dict, walker: SchemaWalker) -> tuple[str, list[tuple[str, str]]]:
    """Readable type and the allowed values (``code — label``) of a field."""
    items = walker.resolve(node["items"]) if isinstance(node.get("items"), dict) else {}
    enum = node.get("enum") or items.get("enum")
    kind = node.get("type", "")
    names = {
        "string": "tekst",
        "integer": "geheel getal",
        "boolean": "ja/nee (true/false)",
        "object": "groep velden",
        "array": "lijst",
    }
    text = names.get(kind, kind or ("keuze" if enum else ""))
    if kind == "array" and items:
        inner = names.get(items.get("type", ""), "keuze" if items.get("enum") else "waarde")
        text = f"lijst van {inner}"
    if node.get("format") == "date" or items.get("format") == "date":
        text += " (datum JJJJ-MM-DD)"
    if node.get("maxLength"):
        text += f", hoogstens {node['maxLength']} tekens"
    labels = walker.labels_for(node) if enum else {}
    return text, [(str(value), labels.get(str(value), "")) for value in enum or ()]


@dataclass(frozen=True)
class SchemaPageContext(TemplateContext):
    template = "schemas/record.html"

    path: str
    index_path: str
    description: str
    example_path: str
    file_name: str
    schema_file: str
    title: str
    rows: list[FieldRow]


@dataclass(frozen=True)
class SchemaItem:
    """One kind on the schema index."""

    path: str
    title: str
    description: str
    example_path: str


@dataclass(frozen=True)
class SchemasIndexContext(TemplateContext):
    template = "schemas/index.html"

    index_path: str
    codes_path: str
    kinds_path: str
    code_lists_path: str
    items: list[SchemaItem]


@dataclass(frozen=True)
class ProblemCodesContext(TemplateContext):
    template = "schemas/codes.html"

    path: str
    index_path: str
    codes: list[tuple[str, ProblemCode]]  # by code


@dataclass(frozen=True)
class KindRow:
    """One kind of the kinds table (``records/kinds.py``) as the glossary shows it."""

    kind: RecordKind
    schema_path: str
    section_path: str | None  # the kind's own site section, None when its records have no pages of their own


@dataclass(frozen=True)
class KindsTableContext(TemplateContext):
    template = "schemas/kinds.html"

    path: str
    index_path: str
    rows: list[KindRow]


@dataclass(frozen=True)
class CodeListRow:
    """One code list: its name and title, the fields that use it and its codes with their labels."""

    name: str
    title: str
    used_by: list[tuple[str, str, str]]  # (schema page, kind title, field path)
    codes: list[tuple[str, str]]


@dataclass(frozen=True)
class CodeListsContext(TemplateContext):
    template = "schemas/code_lists.html"

    path: str
    index_path: str
    rows: list[CodeListRow]


def _named_code_lists(walker: SchemaWalker, node: dict, path: str) -> Iterator[tuple[str, str]]:
    """``(code list, field path)`` for every field that names a code list, through lists, references and the
    alternatives of a ``oneOf`` (the status of each step of an application's history is one)."""
    node = walker.resolve(node)
    name = codelist_name(node)
    if name:
        yield name, path
    for child_name, child in node.get("properties", {}).items():
        yield from _named_code_lists(walker, child, f"{path}.{child_name}" if path else child_name)
    if isinstance(node.get("items"), dict) and not name:
        yield from _named_code_lists(walker, node["items"], f"{path}[]")
    for keyword in ("oneOf", "anyOf", "allOf"):
        for branch in node.get(keyword, []):
            yield from _named_code_lists(walker, branch, path)


def kinds_table_page() -> Page:
    """The kinds table as a page: the glossary of every kind's folder, files, class, pages and open-data name."""
    rows = [
        KindRow(kind, schema_page(kind.name), section_index(kind.name) if kind.site_section else None) for kind in KINDS.values()
    ]
    body = render_context(KindsTableContext(path=KINDS_TABLE, index_path=SCHEMAS_INDEX, rows=rows))
    return Page(KINDS_TABLE, html_page("Recordsoorten", body))


def code_lists_page(ctx: SiteContext) -> Page:
    """Every code list of ``vocab/`` with the fields that name it (``x-codelijst``) and its codes."""
    used: dict[str, list[tuple[str, str, str]]] = {name: [] for name in ctx.codelists}
    for kind in KINDS.values():
        document = ctx.repo.schemas[kind.name].document
        walker = SchemaWalker(document, ctx.codelists)
        for name, field_path in dict.fromkeys(_named_code_lists(walker, document, "")):
            if name in used:
                used[name].append((schema_page(kind.name), kind.title, field_path))
    rows = [
        CodeListRow(name, codelist.title, used[name], [(code, codelist.label(code)) for code in codelist.codes])
        for name, codelist in ctx.codelists.items()
        if used[name]
    ]
    body = render_context(CodeListsContext(path=CODE_LISTS, index_path=SCHEMAS_INDEX, rows=rows))
    return Page(CODE_LISTS, html_page("Codelijsten", body))


def schema_record_page(ctx: SiteContext, kind: str, document: dict) -> Page:
    path = schema_page(kind)
    walker = SchemaWalker(document, ctx.codelists)
    rows = []
    for field_path, node, required in walker.rows(document):
        type_text, values = describe_type(node, walker)
        rows.append(FieldRow(field_path, required, node.get("title", ""), node.get("description", ""), type_text, values))
    record_kind = KINDS[kind]
    body = render_context(
        SchemaPageContext(
            path=path,
            index_path=SCHEMAS_INDEX,
            description=document.get("description", ""),
            example_path=record_kind.example_path,
            file_name=record_kind.schema_file,
            schema_file=schema_file(record_kind.schema_file),
            title=record_kind.title,
            rows=rows,
        )
    )
    return Page(path, html_page(f"Schema: {record_kind.title}", body))


def schema_pages(ctx: SiteContext) -> Iterable[Page]:
    schema_dir = ctx.repo.root / "schemas"
    items = []
    for kind in KINDS.values():
        document = ctx.repo.schemas[kind.name].document
        yield schema_record_page(ctx, kind.name, document)
        yield Page(schema_file(kind.schema_file), (schema_dir / kind.schema_file).read_text(encoding="utf-8"))
        items.append(SchemaItem(schema_page(kind.name), kind.title, document.get("description", ""), kind.example_path))
    yield Page(
        schema_file(COMMON_SCHEMA),
        json.dumps(json.loads((schema_dir / COMMON_SCHEMA).read_text(encoding="utf-8")), ensure_ascii=False, indent=2),
    )
    yield Page(
        SCHEMAS_INDEX,
        html_page(
            "Schema's",
            render_context(
                SchemasIndexContext(
                    index_path=SCHEMAS_INDEX,
                    codes_path=PROBLEM_CODES,
                    kinds_path=KINDS_TABLE,
                    code_lists_path=CODE_LISTS,
                    items=items,
                )
            ),
        ),
    )
    yield kinds_table_page()
    yield code_lists_page(ctx)
    codes = sorted(CODES.items())
    yield Page(
        PROBLEM_CODES,
        html_page("Meldingen", render_context(ProblemCodesContext(path=PROBLEM_CODES, index_path=SCHEMAS_INDEX, codes=codes))),
    )


GENERATORS.append(schema_pages)
