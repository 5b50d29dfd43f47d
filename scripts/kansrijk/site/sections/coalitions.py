"""Coalition pages (with the analysetool) and the overview by province (``coalities/``).

Generators compute a context; the markup is in ``templates/coalitie_*.html``. Labels come from the code lists
the coalition schema names (``coalitiefasen``, ``planstatussen``, ``gebruiksstatussen``, ``actielijnen``),
paths from ``site/urls.py``. What does not depend on the page (the menu per action line, the links to it,
the provinces) is computed once per build in ``CoalitionIndex``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from itertools import islice

from markupsafe import Markup

from kansrijk.records.model import ACTION_LINES, Coalition, Intervention
from kansrijk.site.engine.html import href, html_page
from kansrijk.site.engine.pages import COALITION_SECTIONS, GENERATORS, Page, SiteContext
from kansrijk.site.engine.templating import render
from kansrijk.site.engine.urls import (
    COALITIONS_INDEX,
    INTERVENTIONS_INDEX,
    MUNICIPALITIES_INDEX,
    coalition_page,
    form_page,
    intervention_page,
)
from kansrijk.site.parts.maps import GREY, NONE, ORANGE, TEAL, Category, choropleth, current_codes

# The overview map's classes; a municipality in several coalitions shows the most advanced phase (last wins).
PHASE_CATEGORIES = (
    Category("geen", "geen coalitie", NONE),
    Category("gestopt", "coalitie gestopt", GREY, "kruis"),
    Category("in-oprichting", "coalitie in oprichting", ORANGE, "streep"),
    Category("actief", "coalitie actief", TEAL),
)
SUGGESTIONS_SHOWN = 8  # recognised interventions listed per action line; the catalogue link shows the rest
MUNICIPALITIES_LISTED = 6  # municipalities named per coalition in the overview table; the rest are counted
# Every coalition page sits in the same folder, so a relative link from one serves them all.
_ANY_COALITION_PAGE = coalition_page("_")


@dataclass(frozen=True)
class LinkedIntervention:
    """An intervention as coalition pages link it, with its recognition label (for the suggestions)."""

    key: str
    href: str
    name: str
    recognition: str


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


class CoalitionIndex:
    """The menu per action line, its links, the provinces and the phase map: computed once per build."""

    def __init__(self, ctx: SiteContext) -> None:
        self.ctx = ctx
        self._links: dict[str, LinkedIntervention] = {}
        self._hrefs: dict[str, str] = {}

    @cached_property
    def recognised_by_line(self) -> dict[str, list[Intervention]]:
        """Active recognised interventions per action line, strongest recognition first."""
        ranks = {row["code"]: int(row["rang"]) for row in self.ctx.repo.vocab.table("erkenningsniveaus")}
        menu: dict[str, list[Intervention]] = {line: [] for line in ACTION_LINES}
        for intervention in self.ctx.interventions.values():
            if intervention.archived or intervention.recognition.get("niveau", "geen") == "geen":
                continue
            for line in intervention.action_lines:
                menu[line].append(intervention)
        for line in menu:
            menu[line].sort(key=lambda i: (-ranks.get(i.recognition.get("niveau", "geen"), 0), i.name.casefold()))
        return menu

    @cached_property
    def menu_size(self) -> dict[str, int]:
        sizes = dict.fromkeys(ACTION_LINES, 0)
        for intervention in self.ctx.interventions.values():
            if not intervention.archived:
                for line in intervention.action_lines:
                    sizes[line] += 1
        return sizes

    @cached_property
    def suggestions_by_line(self) -> dict[str, list[LinkedIntervention]]:
        """``recognised_by_line`` as the analysis links it."""
        return {line: [self.link(i.key) for i in menu] for line, menu in self.recognised_by_line.items()}

    @cached_property
    def recognised_keys(self) -> dict[str, frozenset[str]]:
        return {line: frozenset(i.key for i in menu) for line, menu in self.recognised_by_line.items()}

    def link_from_coalition_page(self, target: str) -> str:
        """The relative link from any coalition page to ``target`` (they all sit in one folder)."""
        found = self._hrefs.get(target)
        if found is None:
            found = self._hrefs[target] = href(_ANY_COALITION_PAGE, target)
        return found

    def link(self, key: str) -> LinkedIntervention:
        """The intervention ``key`` as any coalition page links it (a key outside the catalogue keeps its key as name)."""
        found = self._links.get(key)
        if found is None:
            intervention = self.ctx.interventions.get(key)
            level = intervention.recognition.get("niveau", "geen") if intervention else "geen"
            found = self._links[key] = LinkedIntervention(
                key,
                self.link_from_coalition_page(intervention_page(key)),
                intervention.name if intervention else key,
                self.ctx.label("erkenningsniveaus", level),
            )
        return found

    @cached_property
    def by_province(self) -> dict[str, list[Coalition]]:
        """Province -> coalitions with at least one municipality there (regional ones may appear twice)."""
        register = self.ctx.repo.vocab.municipalities
        ended = self.ctx.repo.vocab.ended_municipalities
        provinces: dict[str, list[Coalition]] = defaultdict(list)
        for coalition in self.ctx.coalitions.values():
            names = set()
            for code in coalition.municipalities:
                known = register.get(code) or ended.get(code)
                names.add(known.provincie if known else "Onbekende provincie")
            for name in sorted(names):
                provinces[name].append(coalition)
        return dict(sorted(provinces.items()))

    @cached_property
    def phases(self) -> tuple[dict[str, str], frozenset[str]]:
        """See ``phase_by_municipality``."""
        rank = {category.key: number for number, category in enumerate(PHASE_CATEGORIES)}
        phases: dict[str, str] = {}
        real: set[str] = set()
        for coalition in self.ctx.coalitions.values():
            phase = coalition.data.get("fase", "actief")
            for listed in coalition.municipalities:
                for code in current_codes(self.ctx.repo.vocab, listed):
                    if rank.get(phase, 0) >= rank.get(phases.get(code, "geen"), 0):
                        phases[code] = phase
                    if not coalition.is_example:
                        real.add(code)
        return phases, frozenset(phases) - real


def coalition_index(ctx: SiteContext) -> CoalitionIndex:
    return ctx.index(CoalitionIndex)


def phase_by_municipality(ctx: SiteContext) -> tuple[dict[str, str], frozenset[str]]:
    """Current municipality -> phase of its most advanced coalition (ended codes count for their successor),
    and the municipalities whose phase comes only from example records."""
    return coalition_index(ctx).phases


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
    body = render(
        "coalitions/page.html",
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
    body = render(
        "coalitions/index.html",
        path=COALITIONS_INDEX,
        municipalities_index=MUNICIPALITIES_INDEX,
        count=len(ctx.coalitions),
        overview_map=choropleth(
            ctx, COALITIONS_INDEX, "fasen", "Gemeenten naar fase van hun coalitie", PHASE_CATEGORIES, phases, examples
        ),
        provinces=provinces,
    )
    return Page(COALITIONS_INDEX, html_page("Coalities", body))


def coalition_pages(ctx: SiteContext) -> Iterable[Page]:
    yield build_overview_page(ctx)
    for coalition in ctx.coalitions.values():
        yield build_coalition_page(ctx, coalition)


GENERATORS.append(coalition_pages)
