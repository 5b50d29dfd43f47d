"""The training section (``trainingen/``): a catalogue with facets and one page per training.

Generators compute a context; the markup is in ``templates/training_*.html``. Labels come from the code
lists the schema names (``x-codelijst``), links from ``site/urls.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kansrijk.records.model import Training
from kansrijk.site.engine.html import html_page
from kansrijk.site.engine.pages import GENERATORS, Page, SiteContext
from kansrijk.site.engine.templating import render
from kansrijk.site.engine.urls import TRAININGS_INDEX, training_page
from kansrijk.site.parts.facets import Facet, facet_options, record_facet_values
from kansrijk.site.parts.facts import FactField, fact_fields, facts

FACETS = (
    Facet("beroep", "Voor wie", "beroepen", "beroepen", many=True),
    Facet("vorm", "Vorm", "vorm", "trainingsvormen", many=False),
    Facet("thema", "Thema", "themas", "themas", many=True),
    Facet("status", "Status", "status", "recordstatussen", many=False),
)


@dataclass(frozen=True)
class ListedTraining:
    """What the catalogue shows of one training, with its facet codes for the browser filters."""

    key: str
    page: str
    name: str
    is_example: bool
    summary: str
    provider: str
    form: str
    archived: bool
    facet_values: list[tuple[str, list[str]]]


# Fields the page shows in its own place; every other field is a row of the facts table, in schema order,
# so a new optional field appears on the page without an edit here.
SHOWN_ELSEWHERE = frozenset({"id", "naam", "voorbeeld", "samenvatting", "beschrijving", "bronnen", "gecontroleerd_op", "status"})


def _training_page(ctx: SiteContext, training: Training, fields: tuple[FactField, ...]) -> Page:
    path = training_page(training.key)
    data = training.data
    lists = ctx.codelists
    filters = [("soort", "training"), ("id", training.key)]
    filters += [("vorm", lists["trainingsvormen"].label(data["vorm"]))] if data.get("vorm") else []
    filters += [("beroep", lists["beroepen"].label(code)) for code in data["beroepen"]]
    body = render(
        "trainings/page.html",
        path=path,
        index_path=TRAININGS_INDEX,
        filters=filters,
        is_example=training.is_example,
        archived=data["status"] == "gearchiveerd",
        summary=data["samenvatting"],
        facts=facts(ctx, fields, data),
        description=str(data.get("beschrijving") or ""),
        sources=data["bronnen"],
        checked=str(data["gecontroleerd_op"]),
    )
    return Page(path, html_page(training.name, body))


def _listed(ctx: SiteContext, training: Training) -> ListedTraining:
    data = training.data
    return ListedTraining(
        training.key,
        training_page(training.key),
        training.name,
        training.is_example,
        data["samenvatting"],
        data["aanbieder"],
        ctx.codelists["trainingsvormen"].label(data["vorm"]) if data.get("vorm") else "",
        data["status"] == "gearchiveerd",
        record_facet_values(FACETS, training),
    )


def training_pages(ctx: SiteContext) -> Iterable[Page]:
    trainings = ctx.trainings
    facets = [(facet, facet_options(facet, ctx.labels[facet.codelist], trainings)) for facet in FACETS]
    items = [_listed(ctx, training) for training in trainings]
    body = render("trainings/catalogue.html", path=TRAININGS_INDEX, facets=facets, items=items)
    yield Page(TRAININGS_INDEX, html_page("Trainingen", body, hide=["navigation", "toc"]))
    fields = fact_fields(ctx.repo.schemas["training"].document, SHOWN_ELSEWHERE)
    for training in trainings:
        yield _training_page(ctx, training, fields)


GENERATORS.append(training_pages)
