"""Per-build indexes more than one section reads: the menu per action line and the coalition phase per municipality.

They live here, not in a section, because sections never import each other: the coalition pages, the monitor
and the analysetool all read ``CoalitionIndex``, made once per build through ``ctx.index``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from kansrijk.records.model import ACTION_LINES, Coalition, Intervention
from kansrijk.site.engine.html import href
from kansrijk.site.engine.pages import SiteContext
from kansrijk.site.engine.urls import coalition_page, intervention_page
from kansrijk.site.parts.maps import GREY, NONE, ORANGE, TEAL, Category, current_codes

# The coalition map's classes; a municipality in several coalitions shows the most advanced phase (last wins).
PHASE_CATEGORIES = (
    Category("geen", "geen coalitie", NONE),
    Category("gestopt", "coalitie gestopt", GREY, "kruis"),
    Category("in-oprichting", "coalitie in oprichting", ORANGE, "streep"),
    Category("actief", "coalitie actief", TEAL),
)
# Every coalition page sits in the same folder, so a relative link from one serves them all.
_ANY_COALITION_PAGE = coalition_page("_")


@dataclass(frozen=True)
class LinkedIntervention:
    """An intervention as coalition pages link it, with its recognition label (for the suggestions)."""

    key: str
    href: str
    name: str
    recognition: str


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
