"""Schema reference pages (``schemas/``), generated from the JSON Schemas: every field, its Dutch
description and its allowed values with their labels. The schema files are published beside them,
at the URLs their ``$id`` promises."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from ..model import ACTION_LINE_LABELS
from ..schemas import COMMON_SCHEMA, RECORD_SCHEMAS
from .agenda import KIND_LABELS
from .coalitions import PHASE_LABELS, PLAN_LABELS, USE_LABELS
from .html import asset_href, esc, href, html_page
from .interventions import STATUS_LABELS, THEME_LABELS
from .pages import GENERATORS, Page, SiteContext

SCHEMAS_INDEX = "schemas/index.md"
KIND_TITLES = {
    "interventie": "Interventie",
    "coalitie": "Coalitie",
    "aanvraag": "Aanvraag",
    "ronde": "Ronde",
    "activiteit": "Activiteit",
}
RECORD_FOLDERS = {
    "interventie": "interventions/<kenmerk>.yaml",
    "coalitie": "coalitions/<kenmerk>/coalitie.yaml",
    "aanvraag": "coalitions/<kenmerk>/aanvraag-<ronde>.yaml",
    "ronde": "rounds/<kenmerk>.yaml",
    "activiteit": "agenda/<kenmerk>.yaml",
}
VOCAB_TABLES = ("doelgroepen", "beroepen", "settings", "partnertypen", "erkenningsniveaus", "databanken")


def schema_path(kind: str) -> str:
    return f"schemas/{kind}.md"


class SchemaWalker:
    """Flattens a schema into rows (path, definition, required), resolving references to the common definitions."""

    def __init__(self, document: dict, label_sets: list[dict[str, str]]) -> None:
        self.document = document
        self.label_sets = label_sets

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

    def labels_for(self, values: list[str]) -> dict[str, str]:
        """The first code list that names every value, or none."""
        for labels in self.label_sets:
            if all(v in labels for v in values):
                return labels
        return {}


def describe_type(node: dict, walker: SchemaWalker) -> tuple[str, list[str]]:
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
    values = []
    if enum:
        labels = walker.labels_for([str(v) for v in enum])
        values = [f"{v} — {labels[v]}" if v in labels else str(v) for v in enum]
    return text, values


def schema_page(ctx: SiteContext, kind: str, document: dict, label_sets: list[dict[str, str]]) -> Page:
    path = schema_path(kind)
    walker = SchemaWalker(document, label_sets)
    rows = []
    for field_path, node, required in walker.rows(document):
        type_text, values = describe_type(node, walker)
        allowed = (
            "<ul>"
            + "".join(f"<li><code>{esc(v.split(' — ')[0])}</code>{esc(v[len(v.split(' — ')[0]) :])}</li>" for v in values)
            + "</ul>"
            if values
            else ""
        )
        rows.append(
            f'<tr><th scope="row"><code>{esc(field_path)}</code></th><td>{"verplicht" if required else "optioneel"}</td>'
            f"<td><strong>{esc(node.get('title', ''))}</strong><br>{esc(node.get('description', ''))}"
            f'<br><span class="ks-meta">{esc(type_text)}</span>{allowed}</td></tr>'
        )
    file_name = RECORD_SCHEMAS[kind]
    body = f"""<p>{esc(document.get("description", ""))}</p>
<p>Bestand: <code>{esc(RECORD_FOLDERS[kind])}</code>. Schema: <a href="{asset_href(path, "schemas/" + file_name)}">{esc(file_name)}</a>
(JSON Schema 2020-12; de eerste regel van elk record verwijst ernaar, zodat uw editor hulp toont).</p>
<table class="ks-tabel">
<caption class="ks-sr">Velden van {esc(KIND_TITLES[kind])}</caption>
<thead><tr><th scope="col">Veld</th><th scope="col">Verplicht</th><th scope="col">Betekenis en toegestane waarden</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<p class="ks-terug"><a href="{href(path, SCHEMAS_INDEX)}">Alle schema's</a></p>"""
    return Page(path, html_page(f"Schema: {KIND_TITLES[kind]}", body))


def schema_pages(ctx: SiteContext) -> Iterable[Page]:
    schema_dir = ctx.repo.root / "schemas"
    label_sets = [ctx.repo.vocab.labels(name) for name in VOCAB_TABLES]
    label_sets += [dict(ACTION_LINE_LABELS), THEME_LABELS, STATUS_LABELS, PHASE_LABELS, PLAN_LABELS, USE_LABELS, KIND_LABELS]
    items = []
    for kind, file_name in RECORD_SCHEMAS.items():
        document = ctx.repo.schemas[kind].document
        yield schema_page(ctx, kind, document, label_sets)
        yield Page(f"schemas/{file_name}", (schema_dir / file_name).read_text(encoding="utf-8"))
        items.append(
            f'<li><a href="{href(SCHEMAS_INDEX, schema_path(kind))}">{esc(KIND_TITLES[kind])}</a> — '
            f"{esc(document.get('description', ''))} <code>{esc(RECORD_FOLDERS[kind])}</code></li>"
        )
    yield Page(
        f"schemas/{COMMON_SCHEMA}",
        json.dumps(json.loads((schema_dir / COMMON_SCHEMA).read_text(encoding="utf-8")), ensure_ascii=False, indent=2),
    )
    body = f"""<p>Elk record is een YAML-bestand dat een JSON Schema volgt. Deze pagina's zijn gemaakt uit de schema's zelf:
elk veld, de Nederlandse uitleg en de toegestane waarden.</p>
<ul>{"".join(items)}</ul>"""
    yield Page(SCHEMAS_INDEX, html_page("Schema's", body))


GENERATORS.append(schema_pages)
