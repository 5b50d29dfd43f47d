"""The municipality index (``gemeenten/``) and a page per municipality, with a locator map and its coalitions.

Each map on the site links every shape to one of these pages. The page says which coalitions the municipality
takes part in and which ended municipalities went into it, so records with an old code still lead here.
Generators compute a typed context; the markup is in ``templates/municipalities/``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from markupsafe import Markup

from kansrijk.records.register import Municipality
from kansrijk.site.engine.html import href, html_page
from kansrijk.site.engine.pages import GENERATORS, Page, SiteContext
from kansrijk.site.engine.templating import TemplateContext, render_context
from kansrijk.site.engine.urls import CONTRIBUTE, MUNICIPALITIES_INDEX, coalition_page, municipality_page
from kansrijk.site.parts.maps import current_codes, geometry_page, locator


@dataclass(frozen=True)
class LinkedCoalition:
    """A coalition as the municipality pages and the index list it, with its link from each."""

    name: str
    is_example: bool
    phase: str
    from_page: str  # every municipality page sits in one folder, so one relative link serves them all
    from_index: str


@dataclass(frozen=True)
class MunicipalityRow:
    """One row of the index: a register municipality and the coalitions that list its own code."""

    municipality: Municipality
    page: str
    coalitions: list[LinkedCoalition]


@dataclass(frozen=True)
class MunicipalityPageContext(TemplateContext):
    template = "municipalities/page.html"

    path: str
    index: str
    contribute: str
    municipality: Municipality
    locator: Markup
    coalitions: list[LinkedCoalition]
    merged: list[str]  # names of the ended municipalities that went into it


@dataclass(frozen=True)
class MunicipalitiesIndexContext(TemplateContext):
    template = "municipalities/index.html"

    path: str
    rows: list[MunicipalityRow]


class MunicipalityIndex:
    """The coalitions per municipality and their links, computed once per build."""

    def __init__(self, ctx: SiteContext) -> None:
        self.ctx = ctx

    @cached_property
    def linked(self) -> dict[str, LinkedCoalition]:
        any_page = municipality_page("elke gemeente")
        return {
            key: LinkedCoalition(
                c.name,
                c.is_example,
                self.ctx.label("coalitiefasen", c.data.get("fase", "")),
                href(any_page, coalition_page(key)),
                href(MUNICIPALITIES_INDEX, coalition_page(key)),
            )
            for key, c in self.ctx.coalitions.items()
        }

    @cached_property
    def by_current_code(self) -> dict[str, list[LinkedCoalition]]:
        """Current CBS code -> the coalitions that list it, or an ended municipality that went into it (each once).

        Computed once per build: asking every coalition for each of the 342 pages made this quadratic."""
        members: dict[str, list[LinkedCoalition]] = {}
        for coalition in self.ctx.coalitions.values():
            codes = {code for listed in coalition.municipalities for code in current_codes(self.ctx.repo.vocab, listed)}
            for code in codes:
                members.setdefault(code, []).append(self.linked[coalition.key])
        return members

    def listing(self, code: str) -> list[LinkedCoalition]:
        """The coalitions that list exactly this code, as the index shows them."""
        return [self.linked[c.key] for c in self.ctx.coalitions_by_municipality.get(code, [])]


def build_municipality_page(ctx: SiteContext, municipality: Municipality, merged: list[str]) -> Page:
    path = municipality_page(municipality.naam)
    body = render_context(
        MunicipalityPageContext(
            path=path,
            index=MUNICIPALITIES_INDEX,
            contribute=CONTRIBUTE,
            municipality=municipality,
            locator=locator(ctx, path, municipality.code),
            coalitions=ctx.index(MunicipalityIndex).by_current_code.get(municipality.code, []),
            merged=merged,
        )
    )
    return Page(path, html_page(municipality.naam, body))


def build_municipality_index(ctx: SiteContext, register: list[Municipality]) -> Page:
    rows = [
        MunicipalityRow(
            municipality,
            municipality_page(municipality.naam),
            ctx.index(MunicipalityIndex).listing(municipality.code),
        )
        for municipality in register
    ]
    body = render_context(MunicipalitiesIndexContext(path=MUNICIPALITIES_INDEX, rows=rows))
    return Page(MUNICIPALITIES_INDEX, html_page("Gemeenten", body))


def municipality_pages(ctx: SiteContext) -> Iterable[Page]:
    vocab = ctx.repo.vocab
    register = sorted(vocab.municipalities.values(), key=lambda m: m.naam.casefold())
    merged_into: dict[str, list[str]] = {}
    for ended in sorted(vocab.ended_municipalities.values(), key=lambda m: m.naam.casefold()):
        for successor in current_codes(vocab, ended.code):
            merged_into.setdefault(successor, []).append(ended.naam)
    yield build_municipality_index(ctx, register)
    yield geometry_page(ctx)
    for municipality in register:
        yield build_municipality_page(ctx, municipality, merged_into.get(municipality.code, []))


GENERATORS.append(municipality_pages)
