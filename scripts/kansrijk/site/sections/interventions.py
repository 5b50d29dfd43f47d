"""Intervention pages and the faceted catalogue (``interventies/``).

The catalogue is a static list: every item carries its facet values as data attributes, so
``catalogus.js`` filters and counts in the browser without a server; full-text narrowing uses
the Pagefind index (``id`` filter counts give the matching records in one request).
Generators compute a context; the markup is in ``templates/interventie_*.html``, ``_catalogus.html``
(shared with the trainings) and ``erkenning_macros.html``. Labels come from the code lists.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from kansrijk.records.model import ACTION_LINES, Intervention
from kansrijk.site.engine.html import html_page
from kansrijk.site.engine.pages import GENERATORS, Page, SiteContext
from kansrijk.site.engine.search import keyword_groups, search_words
from kansrijk.site.engine.templating import render
from kansrijk.site.engine.urls import INTERVENTIONS_INDEX, coalition_page, intervention_page
from kansrijk.site.parts.facets import Facet, facet_options, record_facet_values
from kansrijk.site.parts.facts import FactField, fact_fields, facts
from kansrijk.site.parts.recognition import recognition_context, years_before

FACTS_STALE_YEARS = 2
RELATED_COUNT = 5

FACETS = (
    Facet("actielijn", "Actielijn", "actielijnen", "actielijnen", many=True),
    Facet("doelgroep", "Doelgroep", "doelgroepen", "doelgroepen", many=True),
    Facet("uitvoerder", "Uitvoerder", "uitvoerders", "beroepen", many=True),
    Facet("setting", "Setting", "settings", "settings", many=True),
    Facet("erkenning", "Erkenningsniveau", "erkenning.niveau", "erkenningsniveaus", many=False),
    Facet("status", "Status", "status", "recordstatussen", many=False),
)

# Fields the page shows in its own place; every other field is a row of the facts, in schema order,
# so a new optional field appears on the page without an edit here.
SHOWN_ELSEWHERE = frozenset(
    {"id", "naam", "voorbeeld", "samenvatting", "beschrijving", "erkenning", "bronnen", "gecontroleerd_op"}
)
# The page text the search words are matched in.
SEARCHED_FIELDS = ("naam", "samenvatting", "beschrijving", "doelgroep_toelichting")


def facts_stale(intervention: Intervention, today: datetime.date) -> bool:
    checked = intervention.get("gecontroleerd_op")
    return bool(checked) and datetime.date.fromisoformat(str(checked)) < years_before(today, FACTS_STALE_YEARS)


@dataclass(frozen=True)
class Listed:
    """One record as a page lists it: a link target with its name and example mark."""

    page: str
    name: str
    is_example: bool = False


@dataclass(frozen=True)
class ListedIntervention:
    """What the catalogue shows of one intervention, with its facet codes for the browser filters."""

    key: str
    page: str
    name: str
    is_example: bool
    summary: str
    recognition: dict[str, object]
    archived: bool
    action_lines: list[str]
    facet_values: list[tuple[str, list[str]]]


class InterventionIndex:
    """Related interventions and the facts' fields, computed once per build."""

    def __init__(self, ctx: SiteContext) -> None:
        self.ctx = ctx

    @cached_property
    def fact_fields(self) -> tuple[FactField, ...]:
        return fact_fields(self.ctx.repo.schemas["interventie"].document, SHOWN_ELSEWHERE)

    @cached_property
    def related(self) -> dict[str, list[Intervention]]:
        """Neighbours in the same (first) action line: linear in the number of interventions."""
        buckets: dict[str, list[Intervention]] = {line: [] for line in ACTION_LINES}
        for intervention in self.ctx.interventions.values():
            if intervention.action_lines:
                buckets[intervention.action_lines[0]].append(intervention)
        related: dict[str, list[Intervention]] = {}
        for bucket in buckets.values():
            size = len(bucket)
            for position, intervention in enumerate(bucket):
                count = min(RELATED_COUNT, size - 1)
                offsets = [(position + step) % size for step in range(1, count + 1)]
                related[intervention.key] = [bucket[o] for o in offsets]
        return related


def search_filters(ctx: SiteContext, intervention: Intervention) -> list[tuple[str, str]]:
    """The page's Pagefind filters: "id" for the catalogue's counts (catalogus.js); the search page shows soort,
    actielijn, erkenning and doelgroep."""
    filters = [("soort", "interventie"), ("id", intervention.key)]
    filters += [("actielijn", ctx.label("actielijnen", line)) for line in intervention.action_lines]
    filters.append(("erkenning", ctx.label("erkenningsniveaus", intervention.recognition.get("niveau", "geen"))))
    filters += [("doelgroep", ctx.label("doelgroepen", code)) for code in intervention.data.get("doelgroepen", [])]
    return filters


def build_intervention_page(ctx: SiteContext, intervention: Intervention) -> Page:
    path = intervention_page(intervention.key)
    data = intervention.data
    index = ctx.index(InterventionIndex)
    searched_text = " ".join(str(data.get(name, "")) for name in SEARCHED_FIELDS)
    body = render(
        "interventions/page.html",
        path=path,
        index_path=INTERVENTIONS_INDEX,
        filters=search_filters(ctx, intervention),
        is_example=intervention.is_example,
        archived=intervention.archived,
        summary=data.get("samenvatting", ""),
        recognition=recognition_context(ctx, intervention),
        description=str(data.get("beschrijving", "")),
        facts=facts(ctx, index.fact_fields, data),
        users=[
            Listed(coalition_page(c.key), c.name, c.is_example) for c in ctx.coalitions_by_intervention.get(intervention.key, [])
        ],
        sources=data.get("bronnen", []),
        checked=data.get("gecontroleerd_op"),
        stale=facts_stale(intervention, ctx.today),
        related=[Listed(intervention_page(r.key), r.name) for r in index.related.get(intervention.key, [])],
        keywords=keyword_groups(*search_words(ctx.repo.vocab.vocab_dir).for_record(intervention.key, data, searched_text)),
    )
    return Page(path, html_page(intervention.name, body))


def _listed(ctx: SiteContext, intervention: Intervention) -> ListedIntervention:
    return ListedIntervention(
        intervention.key,
        intervention_page(intervention.key),
        intervention.name,
        intervention.is_example,
        str(intervention.get("samenvatting", "")),
        recognition_context(ctx, intervention),
        intervention.archived,
        [ctx.label("actielijnen", line) for line in intervention.action_lines],
        record_facet_values(FACETS, intervention),
    )


def catalogue_page(ctx: SiteContext) -> Page:
    """Databank layout: search and facets in a left column (one "Filters" disclosure on phones), results beside them."""
    interventions = sorted(ctx.interventions.values(), key=lambda i: i.name.casefold())
    facets = [(facet, facet_options(facet, ctx.labels[facet.codelist], interventions)) for facet in FACETS]
    items = [_listed(ctx, intervention) for intervention in interventions]
    body = render("interventions/catalogue.html", path=INTERVENTIONS_INDEX, facets=facets, items=items)
    return Page(INTERVENTIONS_INDEX, html_page("Interventies", body, hide=["navigation", "toc"]))


def intervention_pages(ctx: SiteContext) -> Iterable[Page]:
    yield catalogue_page(ctx)
    for intervention in ctx.interventions.values():
        yield build_intervention_page(ctx, intervention)


GENERATORS.append(intervention_pages)
