"""The training section (``trainingen/``): a catalogue with facets and one page per training.

Generators compute a context; the markup is in ``templates/training_*.html``. Labels come from the code
lists the schema names (``x-codelijst``), links from ``site/urls.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup

from ..model import Training
from .facets import Facet, facet_options
from .html import external_link, href, html_page
from .pages import GENERATORS, Page, SiteContext
from .templating import render
from .urls import TRAININGS_INDEX, intervention_page, theme_page, training_page

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


def _links(path: str, pairs: list[tuple[str, str]]) -> Markup:
    return Markup(", ").join(Markup('<a href="{}">{}</a>').format(href(path, page), text) for page, text in pairs)


def _training_page(ctx: SiteContext, training: Training) -> Page:
    path = training_page(training.key)
    data = training.data
    lists = ctx.codelists
    interventions = [
        (intervention_page(key), ctx.interventions[key].name) for key in data.get("interventies", []) if key in ctx.interventions
    ]
    rows = [
        ("Aanbieder", data["aanbieder"]),
        ("Voor wie", ", ".join(lists["beroepen"].label(code) for code in data["beroepen"])),
        ("Vorm", lists["trainingsvormen"].label(data["vorm"]) if data.get("vorm") else ""),
        ("Duur", data.get("duur", "")),
        ("Kosten", data.get("kosten", "")),
        ("Accreditatie", data.get("accreditatie", "")),
        ("Thema's", _links(path, [(theme_page(code), lists["themas"].label(code)) for code in data["themas"]])),
        ("Interventies", _links(path, interventions)),
        ("Website", Markup(external_link(data["website"])) if data.get("website") else ""),
    ]
    filters = [("soort", "training"), ("id", training.key)]
    filters += [("vorm", lists["trainingsvormen"].label(data["vorm"]))] if data.get("vorm") else []
    filters += [("beroep", lists["beroepen"].label(code)) for code in data["beroepen"]]
    body = render(
        "training_page.html",
        path=path,
        index_path=TRAININGS_INDEX,
        filters=filters,
        is_example=training.is_example,
        archived=data["status"] == "gearchiveerd",
        summary=data["samenvatting"],
        rows=[(name, value) for name, value in rows if value],
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
        [(facet.name, facet.values(training)) for facet in FACETS],
    )


def training_pages(ctx: SiteContext) -> Iterable[Page]:
    trainings = ctx.trainings
    facets = [(facet, facet_options(facet, ctx.labels[facet.codelist], list(trainings))) for facet in FACETS]
    items = [_listed(ctx, training) for training in trainings]
    body = render("training_catalogue.html", path=TRAININGS_INDEX, facets=facets, items=items)
    yield Page(TRAININGS_INDEX, html_page("Trainingen", body, hide=["navigation", "toc"]))
    for training in trainings:
        yield _training_page(ctx, training)


GENERATORS.append(training_pages)
