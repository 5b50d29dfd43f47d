"""A catalogue section: one record kind as a faceted catalogue page plus one page per record.

The trainings and the interventions were near-copies (a catalogue, a ``Listed...`` dataclass, a record page with
facts from the schema). A section now declares its kind, facets, order, how an item is listed and its templates; its
module keeps only what is its own (the interventions' recognition, search words and coalition links).

The catalogue is a static list: every item carries its facet values as data attributes, so ``catalogus.js`` filters
and counts in the browser without a server; full-text narrowing uses the Pagefind index (the ``id`` filter).
Each template gets one typed context, ``page``: ``CataloguePage`` or a ``RecordPage`` (or a section's subclass).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from typing import Generic, TypeVar

from kansrijk.records.kinds import KINDS, RecordKind
from kansrijk.records.model import Record
from kansrijk.site.engine.html import html_page
from kansrijk.site.engine.pages import Page, SiteContext
from kansrijk.site.engine.templating import render
from kansrijk.site.engine.urls import record_page, section_index
from kansrijk.site.parts.facets import Facet, FacetOption, facet_options, record_facet_values, schema_facets
from kansrijk.site.parts.facts import HIDDEN_FIELDS, Fact, FactField, Link, fact_fields, facts

RecordT = TypeVar("RecordT", bound=Record)
DetailsT = TypeVar("DetailsT")

ARCHIVED = "gearchiveerd"  # the record status (``recordstatussen``) that marks an item as no longer offered

# Fields every catalogue record page shows in its own place (name as title, example badge, summary, description,
# sources, checked date); every other field is a row of the facts, in schema order, so a new optional field reaches
# the page without an edit in a section.
COMMON_SHOWN_ELSEWHERE = frozenset(
    {"id", "naam", "titel", "voorbeeld", "samenvatting", "beschrijving", "bronnen", "gecontroleerd_op"}
)


@dataclass(frozen=True)
class CatalogueItem(Generic[DetailsT]):
    """What the catalogue shows of one record, with its facet codes for the browser filters."""

    key: str
    link: Link
    summary: str
    archived: bool
    facet_values: list[tuple[str, list[str]]]
    details: DetailsT  # the section's own features of an item, shown by its catalogue template


@dataclass(frozen=True)
class CataloguePage(Generic[DetailsT]):
    """Context of ``<section>/catalogue.html``: the kind's words, the facets with their options and the items."""

    path: str
    kind: str
    singular: str
    plural: str
    intro: str  # the schema's description of the kind, for a catalogue without a template of its own
    facets: list[tuple[Facet, list[FacetOption]]]
    items: list[CatalogueItem[DetailsT]]


@dataclass(frozen=True)
class RecordPage:
    """Context of a catalogue record page: what every such page shows. A section that shows more subclasses it."""

    path: str
    key: str
    index_path: str
    filters: list[tuple[str, str]]  # Pagefind filters: soort and id first, then the section's own
    is_example: bool
    archived: bool
    summary: str
    description: str
    facts: list[Fact]
    sources: list[dict[str, str]]
    checked: str
    form: str | None  # the kind's form page, for the change link; None when the kind has no form
    plural: str  # the kind's plural in lower case, for the generic page's back link

    def shared(self) -> dict[str, object]:
        """The fields as keywords, for a subclass built on top of this page: ``InterventionPage(**page.shared(), ...)``."""
        return {f.name: getattr(self, f.name) for f in fields(RecordPage)}


def common_page(ctx: SiteContext, record: Record, page: RecordPage) -> RecordPage:
    """For a section whose page template shows only what every catalogue record page shows."""
    return page


def no_details(ctx: SiteContext, record: Record) -> None:
    """For a section whose catalogue items show only name, summary and the archived badge."""
    return None


def no_search_filters(ctx: SiteContext, record: Record) -> list[tuple[str, str]]:
    """For a section whose pages need no Pagefind filters besides the kind and the record's key."""
    return []


# The templates of a section that has none of its own: every field through the facts, the kind's words from
# the kinds table and the intro from the schema's description.
GENERIC_CATALOGUE = "_parts/catalogue_page.html"
GENERIC_PAGE = "_parts/record_page.html"


class _SchemaFacets:
    """The facets each kind's schema declares, read once per build (not once per catalogue item)."""

    def __init__(self, ctx: SiteContext) -> None:
        self.ctx = ctx
        self._found: dict[str, tuple[Facet, ...]] = {}

    def of(self, kind: str) -> tuple[Facet, ...]:
        if kind not in self._found:
            self._found[kind] = schema_facets(self.ctx.repo.schemas[kind].document)
        return self._found[kind]


@dataclass(frozen=True)
class CatalogueSection(Generic[RecordT, DetailsT]):
    """One catalogue: a kind of the kinds table, its facets and templates, and the hooks for what is its own."""

    kind: str  # a key of ``kinds.KINDS`` with a ``site_section``
    facets: tuple[Facet, ...] | None = None  # None: the filters the schema declares (``x-filter``, ``parts/facets.py``)
    # The valid records, in any order; by default every valid record of the kind.
    records: Callable[[SiteContext], Iterable[RecordT]] | None = None
    details: Callable[[SiteContext, RecordT], DetailsT] = no_details  # type: ignore[assignment]  # an item's own features
    catalogue_template: str = GENERIC_CATALOGUE
    page_template: str = GENERIC_PAGE
    search_filters: Callable[[SiteContext, RecordT], list[tuple[str, str]]] = no_search_filters  # after soort and id
    form: str | None = None  # the kind's form page (``urls.form_page``): record pages link to it
    shown_elsewhere: frozenset[str] = frozenset()  # fields the page template shows besides the common ones
    extend_page: Callable[[SiteContext, RecordT, RecordPage], RecordPage] = common_page  # the page template's context

    @property
    def record_kind(self) -> RecordKind:
        return KINDS[self.kind]

    @property
    def index_path(self) -> str:
        return section_index(self.kind)  # the catalogue page

    def facet_list(self, ctx: SiteContext) -> tuple[Facet, ...]:
        """The catalogue's filters: declared on the section, or else declared in the kind's schema."""
        if self.facets is not None:
            return self.facets
        return ctx.index(_SchemaFacets).of(self.kind)

    def order(self, records: Iterable[RecordT]) -> list[RecordT]:
        """Catalogue order: by name, as readers look a record up."""
        return sorted(records, key=lambda record: record.heading.casefold())

    def fact_fields(self, ctx: SiteContext) -> tuple[FactField, ...]:
        """The schema's fields the facts show: all but those shown elsewhere or hidden (read once per build)."""
        skipped = COMMON_SHOWN_ELSEWHERE | self.shown_elsewhere | set(HIDDEN_FIELDS.get(self.kind, {}))
        return fact_fields(ctx.repo.schemas[self.kind].document, skipped)

    def item(self, ctx: SiteContext, record: RecordT) -> CatalogueItem[DetailsT]:
        return CatalogueItem(
            record.key,
            Link(record_page(self.kind, record.key), record.heading, is_example=record.is_example),
            str(record.get("samenvatting", "")),
            record.get("status") == ARCHIVED,
            record_facet_values(self.facet_list(ctx), record),
            self.details(ctx, record),
        )

    def catalogue_page(self, ctx: SiteContext, records: list[RecordT]) -> Page:
        """Databank layout: search and facets in a left column (one "Filters" disclosure on phones), results beside them."""
        kind = self.record_kind
        with_options = (
            (facet, facet_options(facet, ctx.labels[facet.codelist] if facet.codelist else None, records))
            for facet in self.facet_list(ctx)
        )
        facets = [(facet, options) for facet, options in with_options if options]  # a filter nobody can use is noise
        page = CataloguePage(
            self.index_path,
            kind.name,
            kind.title.lower(),
            kind.plural.lower(),
            str(ctx.repo.schemas[self.kind].document.get("description", "")),
            facets,
            [self.item(ctx, record) for record in records],
        )
        return Page(
            self.index_path, html_page(kind.plural, render(self.catalogue_template, page=page), hide=["navigation", "toc"])
        )

    def record_page(self, ctx: SiteContext, record: RecordT, fact_fields: tuple[FactField, ...]) -> Page:
        path = record_page(self.kind, record.key)
        data = record.data
        common = RecordPage(
            path=path,
            key=record.key,
            index_path=self.index_path,
            filters=[("soort", self.kind), ("id", record.key), *self.search_filters(ctx, record)],
            is_example=record.is_example,
            archived=data.get("status") == ARCHIVED,
            summary=str(data.get("samenvatting", "")),
            description=str(data.get("beschrijving") or ""),
            facts=facts(ctx, fact_fields, data),
            sources=list(data.get("bronnen", [])),
            checked=str(data.get("gecontroleerd_op") or ""),
            form=self.form,
            plural=self.record_kind.plural.lower(),
        )
        body = render(self.page_template, page=self.extend_page(ctx, record, common))
        return Page(path, html_page(record.heading, body))

    def pages(self, ctx: SiteContext) -> Iterable[Page]:
        """The generator: the catalogue page, then one page per record."""
        found = self.records(ctx) if self.records else ctx.repo.valid_records(self.kind)
        records = self.order(found)  # type: ignore[arg-type]
        yield self.catalogue_page(ctx, records)
        fact_fields = self.fact_fields(ctx)
        for record in records:
            yield self.record_page(ctx, record, fact_fields)
