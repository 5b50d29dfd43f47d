"""The training section (``trainingen/``): a catalogue with facets and one page per training.

Generators compute a context; the markup is in ``templates/training_*.html``. Labels come from the code
lists the schema names (``x-codelijst``), links from ``site/urls.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup

from ..codelists import codelist_name
from ..model import Training
from ..schema_fields import describe_field, property_names
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


# Fields the page shows in its own place; every other field is a row of the facts table, in schema order,
# so a new optional field appears on the page without an edit here.
SHOWN_ELSEWHERE = frozenset({"id", "naam", "voorbeeld", "samenvatting", "beschrijving", "bronnen", "gecontroleerd_op", "status"})


def _fact(ctx: SiteContext, path: str, name: str, node: dict, value: object) -> object:
    """One field's value as the page shows it: labels from its code list, links to pages and websites."""
    codes = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    codelist = codelist_name(node)
    if name == "interventies":
        return _links(path, [(intervention_page(k), ctx.interventions[k].name) for k in codes if k in ctx.interventions])
    if name == "themas":
        return _links(path, [(theme_page(code), ctx.codelists["themas"].label(code)) for code in codes])
    if node.get("format") == "uri":
        return Markup(", ").join(Markup(external_link(url)) for url in codes)
    if codelist:
        return ", ".join(ctx.codelists[codelist].label(code) for code in codes)
    return ", ".join(codes)


def _training_page(ctx: SiteContext, training: Training) -> Page:
    path = training_page(training.key)
    data = training.data
    lists = ctx.codelists
    document = ctx.repo.schemas["training"].document
    rows = []
    for name in property_names(document, ()):
        if name in SHOWN_ELSEWHERE or name not in data:
            continue
        node, _ = describe_field(document, (name,))
        value = _fact(ctx, path, name, node, data[name])
        if value:
            rows.append((node.get("title", name), value))
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
        rows=rows,
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
