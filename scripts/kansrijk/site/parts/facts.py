"""The facts of a record page, derived from its kind's schema: one row per field the page shows nowhere else.

Rows follow the schema's field order and titles. Codes are labelled from the code list the schema names
(``x-codelijst``, on the field or on its list items), themes and interventions link to their pages and URLs to
the outside page. A new optional field therefore reaches the page without an edit in a page module. The rows are
data; ``_macros.html`` (``fact_value``) turns them into markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kansrijk.records.codelists import codelist_name
from kansrijk.records.schema_fields import ANY_ITEM, describe_field, property_names
from kansrijk.site.engine.pages import SiteContext
from kansrijk.site.engine.urls import intervention_page, theme_page

# Fields of a kind that neither its record page nor its form shows, each with the reason: kind -> field -> reason.
# Every other optional field must reach both (tests/contracts/test_record_fields_reach_pages_and_forms.py); on a
# catalogue page (``parts/catalogue.py``) a field not shown elsewhere is a row of the facts by itself.
HIDDEN_FIELDS: dict[str, dict[str, str]] = {}

THEMES = "themas"  # the code list whose codes have a theme page
INTERVENTION_REFERENCES = "interventies"  # a list of intervention ids (``trainings/``)


@dataclass(frozen=True)
class FactField:
    """One field the facts show: its name, its title and the code list that labels it (if any)."""

    name: str
    title: str
    codelist: str | None
    is_url: bool


@dataclass(frozen=True)
class Link:
    """A labelled link: to a page of the site (a docs path) or, when ``external``, to an outside URL.

    The one link concept of the record pages: facts, catalogue items, "used by" and related lists. A link to a record
    page says whether that record is an example, so the page can mark it.
    """

    target: str
    text: str
    external: bool = False
    is_example: bool = False


@dataclass(frozen=True)
class Fact:
    """One row: the field's title and its value, as text or as links."""

    label: str
    text: str = ""
    links: tuple[Link, ...] = ()


def fact_fields(document: dict, shown_elsewhere: Iterable[str]) -> tuple[FactField, ...]:
    """The fields of a record schema the facts show, in schema order: read once per build, not per page."""
    skipped = set(shown_elsewhere)
    fields = []
    for name in property_names(document, ()):
        if name in skipped:
            continue
        node, _required = describe_field(document, (name,))
        codelist = codelist_name(node)
        if codelist is None and node.get("type") == "array":
            codelist = codelist_name(describe_field(document, (name, ANY_ITEM))[0])
        fields.append(FactField(name, str(node.get("title", name)), codelist, node.get("format") == "uri"))
    return tuple(fields)


def facts(ctx: SiteContext, fields: Iterable[FactField], data: Mapping[str, object]) -> list[Fact]:
    """The record's rows: a field it leaves out or leaves empty has none."""
    rows = []
    for field in fields:
        value = data.get(field.name)
        codes = [str(v) for v in value] if isinstance(value, list) else [] if value is None else [str(value)]
        if not codes:
            continue
        fact = _fact(ctx, field, codes)
        if fact.text or fact.links:
            rows.append(fact)
    return rows


def _fact(ctx: SiteContext, field: FactField, codes: list[str]) -> Fact:
    if field.name == INTERVENTION_REFERENCES:
        known = [ctx.interventions[key] for key in codes if key in ctx.interventions]
        return Fact(field.title, links=tuple(Link(intervention_page(i.key), i.name) for i in known))
    if field.codelist == THEMES:
        return Fact(field.title, links=tuple(Link(theme_page(code), ctx.label(THEMES, code)) for code in codes))
    if field.is_url:
        return Fact(field.title, links=tuple(Link(url, url, external=True) for url in codes))
    if field.codelist:
        return Fact(field.title, ", ".join(ctx.label(field.codelist, code) for code in codes))
    return Fact(field.title, ", ".join(codes))
