"""Coalition pages, the overview by province (``coalities/``) and the analysetool (``analysetool/``).

Generators compute a typed context; the markup is in ``templates/coalitions/``. Labels come from the code lists
the coalition schema names (``coalitiefasen``, ``planstatussen``, ``gebruiksstatussen``, ``actielijnen``),
paths from ``site/engine/urls.py``. What does not depend on the page (the menu per action line, the links to it,
the provinces) is computed once per build in ``parts/indexes.py``. The analysetool is the coalition page's
analysis for a set of municipalities the visitor chooses, in the browser (``analysetool.js``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

from markupsafe import Markup

from kansrijk.records.model import ACTION_LINES, Coalition
from kansrijk.site.engine.html import html_page
from kansrijk.site.engine.pages import COALITION_SECTIONS, GENERATORS, Page, SiteContext
from kansrijk.site.engine.templating import TemplateContext, render_context
from kansrijk.site.engine.urls import (
    ANALYSIS,
    COALITIONS_INDEX,
    INTERVENTIONS_INDEX,
    MUNICIPALITIES_INDEX,
    coalition_page,
    form_page,
)
from kansrijk.site.parts.form_data import MunicipalityRow, PickerCoalition, PickerIntervention, SharedData, form_data, script_json
from kansrijk.site.parts.indexes import PHASE_CATEGORIES, LinkedIntervention, coalition_index
from kansrijk.site.parts.maps import choropleth

SUGGESTIONS_SHOWN = 8  # recognised interventions listed per action line; the catalogue link shows the rest
MUNICIPALITIES_LISTED = 6  # municipalities named per coalition in the overview table; the rest are counted


@dataclass(frozen=True)
class InterventionUse:
    """One entry of a coalition's ``interventies`` per action line, as the page lists it."""

    intervention: LinkedIntervention
    status: str
    status_label: str
    since: str
    note: str


@dataclass(frozen=True)
class LineCoverage:
    """One action line of the analysis: how many interventions the coalition runs, the menu, what it leaves out."""

    code: str
    label: str
    active: int
    menu: int
    unused: list[LinkedIntervention]  # the first ones, strongest recognition first
    more: int  # unused recognised interventions beyond those


@dataclass(frozen=True)
class OverviewRow:
    """A coalition in the overview table: its first municipalities by name, how many more, phase and plan."""

    coalition: Coalition
    page: str
    municipalities: list[str]
    more: int
    phase: str
    plan: str


@dataclass(frozen=True)
class CoalitionPageContext(TemplateContext):
    template = "coalitions/page.html"

    path: str
    coalition: Coalition
    phase: str
    started: str  # ISO date or ""
    plan_status: str
    plan_date: str
    plan_link: str
    contact: dict[str, str]
    updated: str
    explanation: str  # Markdown
    form: str
    municipalities: list[tuple[str, str]]  # code, name
    municipalities_link: str
    partners: list[tuple[str, str]]  # partner type, names
    uses: list[tuple[str, list[InterventionUse]]]  # action line label, its entries
    coverage: list[LineCoverage]
    catalogue_link: str
    sections: list[Markup]  # from ``COALITION_SECTIONS``
    overview: str


@dataclass(frozen=True)
class CoalitionsIndexContext(TemplateContext):
    template = "coalitions/index.html"

    path: str
    municipalities_index: str
    count: int
    overview_map: Markup
    provinces: list[tuple[str, str, list[OverviewRow]]]  # anchor, province, rows


def coverage(ctx: SiteContext, coalition: Coalition) -> list[LineCoverage]:
    """The analysetool: coverage per action line against the menu, and the recognised interventions not used yet
    (the first ``SUGGESTIONS_SHOWN`` and a count of the rest, without walking the whole menu for every page)."""
    index = coalition_index(ctx)
    used: dict[str, set[str]] = {line: set() for line in ACTION_LINES}
    active: dict[str, int] = dict.fromkeys(ACTION_LINES, 0)
    for line, _i, entry in coalition.interventions_in_use():
        if entry.get("status") != "gestopt":
            used[line].add(entry["interventie"])
            active[line] += 1
    lines = []
    for line in ACTION_LINES:
        menu = index.suggestions_by_line[line]
        unused = list(islice((i for i in menu if i.key not in used[line]), SUGGESTIONS_SHOWN))
        unused_count = len(menu) - len(used[line] & index.recognised_keys[line])
        lines.append(
            LineCoverage(
                line, ctx.label("actielijnen", line), active[line], index.menu_size[line], unused, unused_count - len(unused)
            )
        )
    return lines


def build_coalition_page(ctx: SiteContext, coalition: Coalition) -> Page:
    path = coalition_page(coalition.key)
    data = coalition.data
    vocab = ctx.repo.vocab
    index = coalition_index(ctx)
    plan = data.get("plan_van_aanpak", {})
    partners: dict[str, list[str]] = defaultdict(list)
    for partner in data.get("partners", []):
        partners[ctx.label("partnertypen", partner.get("type", "overig"))].append(partner.get("naam", ""))
    uses = [
        (
            ctx.label("actielijnen", line),
            [
                InterventionUse(
                    index.link(entry["interventie"]),
                    entry.get("status", ""),
                    ctx.label("gebruiksstatussen", entry.get("status", "")),
                    entry.get("sinds", ""),
                    entry.get("toelichting", ""),
                )
                for entry in data.get("interventies", {}).get(line, [])
            ],
        )
        for line in ACTION_LINES
    ]
    sections = [Markup(section(ctx, coalition)) for section in COALITION_SECTIONS.values()]
    body = render_context(
        CoalitionPageContext(
            path=path,
            coalition=coalition,
            phase=ctx.label("coalitiefasen", data.get("fase", "")),
            started=data.get("startdatum", ""),
            plan_status=ctx.label("planstatussen", plan.get("status", "geen")),
            plan_date=plan.get("datum", ""),
            plan_link=plan.get("link", ""),
            contact=data.get("contact", {}),
            updated=data.get("bijgewerkt_op", ""),
            explanation=str(data.get("toelichting") or ""),
            form=form_page("coalitie"),
            municipalities=[(code, vocab.municipality_name(code)) for code in coalition.municipalities],
            municipalities_link=index.link_from_coalition_page(MUNICIPALITIES_INDEX),
            partners=[(kind, ", ".join(names)) for kind, names in sorted(partners.items())],
            uses=uses,
            coverage=coverage(ctx, coalition),
            catalogue_link=index.link_from_coalition_page(INTERVENTIONS_INDEX),
            sections=[section for section in sections if section],
            overview=COALITIONS_INDEX,
        )
    )
    return Page(path, html_page(coalition.name, body))


def _overview_row(ctx: SiteContext, coalition: Coalition) -> OverviewRow:
    names = [ctx.repo.vocab.municipality_name(code) for code in coalition.municipalities]
    return OverviewRow(
        coalition,
        coalition_page(coalition.key),
        names[:MUNICIPALITIES_LISTED],
        len(names[MUNICIPALITIES_LISTED:]),
        ctx.label("coalitiefasen", coalition.data.get("fase", "")),
        ctx.label("planstatussen", coalition.data.get("plan_van_aanpak", {}).get("status", "geen")),
    )


def build_overview_page(ctx: SiteContext) -> Page:
    index = coalition_index(ctx)
    rows = {key: _overview_row(ctx, coalition) for key, coalition in ctx.coalitions.items()}
    provinces = [
        ("provincie-" + province.lower().replace(" ", "-"), province, [rows[coalition.key] for coalition in coalitions])
        for province, coalitions in index.by_province.items()
    ]
    phases, examples = index.phases
    body = render_context(
        CoalitionsIndexContext(
            path=COALITIONS_INDEX,
            municipalities_index=MUNICIPALITIES_INDEX,
            count=len(ctx.coalitions),
            overview_map=choropleth(
                ctx, COALITIONS_INDEX, "fasen", "Gemeenten naar fase van hun coalitie", PHASE_CATEGORIES, phases, examples
            ),
            provinces=provinces,
        )
    )
    return Page(COALITIONS_INDEX, html_page("Coalities", body))


@dataclass(frozen=True)
class AnalysisSettings:
    """What ``analysetool.js`` reads: the shared data, the coalitions, the recognised menu per action line."""

    shared: SharedData
    coalitions: list[PickerCoalition]
    recognised_by_line: dict[str, list[str]]  # action line -> intervention keys, strongest recognition first
    menu: dict[str, int]  # action line -> active interventions in the catalogue
    form: str  # the coalition form, relative to the analysetool

    def payload(self) -> dict[str, object]:
        return {
            **self.shared.payload(),
            "coalities": [c.payload() for c in self.coalitions],
            "erkendPerLijn": self.recognised_by_line,
            "menu": self.menu,
            "formulier": self.form,
        }


@dataclass(frozen=True)
class AnalysisContext(TemplateContext):
    template = "coalitions/analysis.html"

    path: str
    lines: list[tuple[str, str, list[PickerIntervention]]]  # action line, label, its interventions
    coalitions: list[PickerCoalition]
    settings: Markup  # ``AnalysisSettings`` as script JSON
    settings_municipalities: list[MunicipalityRow]
    form_page: str
    overview: str


def analysis_page(ctx: SiteContext) -> Page:
    data = form_data(ctx)
    index = coalition_index(ctx)
    settings = AnalysisSettings(
        data.shared,
        data.coalitions,
        {line: [i.key for i in index.recognised_by_line[line]] for line in ACTION_LINES},
        index.menu_size,
        "../formulier/coalitie/",
    )
    lines = [
        (line, ctx.label("actielijnen", line), [i for i in data.shared.interventions if line in i.action_lines])
        for line in ACTION_LINES
    ]
    body = render_context(
        AnalysisContext(
            path=ANALYSIS,
            lines=lines,
            coalitions=data.coalitions,
            settings=script_json(settings.payload()),
            settings_municipalities=data.shared.municipalities,
            form_page=form_page("coalitie"),
            overview=coalition_page("").removesuffix(".md") + "index.md",
        )
    )
    return Page(ANALYSIS, html_page("Analysetool", body, description="Vergelijk de interventies van een gemeente met het menu."))


def coalition_pages(ctx: SiteContext) -> Iterable[Page]:
    yield build_overview_page(ctx)
    for coalition in ctx.coalitions.values():
        yield build_coalition_page(ctx, coalition)
    yield analysis_page(ctx)


GENERATORS.append(coalition_pages)
