"""Catalogue facets for any record kind: a facet reads one field and labels its codes from one code list, or,
for plain values such as a year or a publisher, shows the values themselves (``codelist=None``).

A facet declares whether its field holds one value or many (after datasette's ColumnFacet/ArrayFacet), so a
single-valued field such as ``vorm: online`` is one value, never the characters "o", "n", "l", ...
A field inside a mapping is named with dots (``erkenning.niveau``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kansrijk.records.codelists import codelist_name
from kansrijk.records.model import Record
from kansrijk.records.schema_fields import ANY_ITEM, describe_field, property_names

# The schema keyword that makes a field a catalogue filter: ``"x-filter": {"naam": "doelgroep", "legenda": "Doelgroep"}``.
# The code list comes from the field's ``x-codelijst`` (none: plain values), one value or many from its type.
FILTER_KEYWORD = "x-filter"


@dataclass(frozen=True)
class Facet:
    """One filter of a catalogue: URL/data name, legend, the record field, its code list (if any) and its arity."""

    name: str  # URL parameter and data attribute
    legend: str
    field: str  # a top-level field, or a dotted path into mappings
    codelist: str | None  # None: the values are their own labels, listed in sorted order
    many: bool

    def values(self, record: Record) -> list[str]:
        """The codes the record has for this facet: a list field as it is, a single field as one value."""
        first, *rest = self.field.split(".")
        value = record.get(first)
        for step in rest:
            value = value.get(step) if isinstance(value, dict) else None
        if value is None:
            return []
        if self.many:
            if not isinstance(value, list):
                raise TypeError(f"facet {self.name}: field {self.field} of {record.path} is not a list")
            return [str(code) for code in value]
        if isinstance(value, list):
            raise TypeError(f"facet {self.name}: field {self.field} of {record.path} holds many values; declare many=True")
        return [str(value)]


def schema_facets(document: dict, path: tuple[str, ...] = ()) -> tuple[Facet, ...]:
    """The facets a record schema declares with ``x-filter``, top-level or inside mappings, in schema order.

    Declared in the schema, a filter travels with its field: a new coded field becomes a facet without an edit in
    a section module.
    """
    found: list[Facet] = []
    for name in property_names(document, path):
        node, _required = describe_field(document, (*path, name))
        declared = node.get(FILTER_KEYWORD)
        if isinstance(declared, dict):
            field = ".".join((*path, name))
            many = node.get("type") == "array"
            coded = describe_field(document, (*path, name, ANY_ITEM))[0] if many else node
            found.append(Facet(str(declared["naam"]), str(declared["legenda"]), field, codelist_name(coded), many=many))
        if node.get("type") == "object":
            found.extend(schema_facets(document, (*path, name)))
    return tuple(found)


@dataclass(frozen=True)
class FacetOption:
    """One checkbox: its code, label and how many records have it."""

    code: str
    label: str
    count: int


def facet_options(facet: Facet, labels: Mapping[str, str] | None, records: Sequence[Record]) -> list[FacetOption]:
    """The facet's options in code-list order (codes outside the list last, plain values sorted), each with its count."""
    labels = labels or {}
    counts: dict[str, int] = {}
    for record in records:
        for code in facet.values(record):
            counts[code] = counts.get(code, 0) + 1
    ordered = [code for code in labels if code in counts] + sorted(code for code in counts if code not in labels)
    return [FacetOption(code, labels.get(code, code), counts[code]) for code in ordered]


def record_facet_values(facets: Sequence[Facet], record: Record) -> list[tuple[str, list[str]]]:
    """``(facet name, codes)`` of one record for the catalogue's data attributes (``catalogus.js`` filters on them)."""
    return [(facet.name, facet.values(record)) for facet in facets]
