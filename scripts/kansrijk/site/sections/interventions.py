"""Intervention pages and the faceted catalogue (``interventies/``), declared as a catalogue section.

The shared catalogue and record page are in ``parts/catalogue.py``. What is the interventions' own (their
filters are declared in the schema with ``x-filter``): the recognition (``parts/recognition.py``), the search filters the search page shows, the hidden search words, the
coalitions that use an intervention and its related interventions. The markup is in ``templates/interventions/``
and ``_parts/recognition.html``; labels come from the code lists.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from kansrijk.records.model import ACTION_LINES, Intervention
from kansrijk.site.engine.pages import GENERATORS, SiteContext
from kansrijk.site.engine.search import keyword_groups, search_words
from kansrijk.site.engine.urls import coalition_page, form_page, intervention_page
from kansrijk.site.parts.catalogue import CatalogueSection, RecordPage
from kansrijk.site.parts.facts import Link
from kansrijk.site.parts.recognition import recognition_context, years_before

FACTS_STALE_YEARS = 2
RELATED_COUNT = 5

# The page text the search words are matched in.
SEARCHED_FIELDS = ("naam", "samenvatting", "beschrijving", "doelgroep_toelichting")


def facts_stale(intervention: Intervention, today: datetime.date) -> bool:
    checked = intervention.get("gecontroleerd_op")
    return bool(checked) and datetime.date.fromisoformat(str(checked)) < years_before(today, FACTS_STALE_YEARS)


@dataclass(frozen=True)
class InterventionDetails:
    """What a catalogue item shows of an intervention besides name and summary."""

    recognition: dict[str, object]
    action_lines: list[str]  # labels


@dataclass(frozen=True)
class InterventionPage(RecordPage):
    """Context of ``interventions/page.html``: the common record page plus the interventions' own parts."""

    recognition: dict[str, object]
    users: list[Link]  # the coalitions that use it
    stale: bool  # checked more than FACTS_STALE_YEARS ago
    related: list[Link]
    keywords: list[tuple[float, list[str]]]  # hidden, weighted search words


class InterventionIndex:
    """Related interventions, computed once per build."""

    def __init__(self, ctx: SiteContext) -> None:
        self.ctx = ctx

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
    """The search page shows actielijn, erkenning and doelgroep (after soort; "id" is for catalogus.js's counts)."""
    filters = [("actielijn", ctx.label("actielijnen", line)) for line in intervention.action_lines]
    filters.append(("erkenning", ctx.label("erkenningsniveaus", intervention.recognition.get("niveau", "geen"))))
    filters += [("doelgroep", ctx.label("doelgroepen", code)) for code in intervention.data.get("doelgroepen", [])]
    return filters


def _page(ctx: SiteContext, intervention: Intervention, page: RecordPage) -> InterventionPage:
    data = intervention.data
    related = ctx.index(InterventionIndex).related.get(intervention.key, [])
    searched_text = " ".join(str(data.get(name, "")) for name in SEARCHED_FIELDS)
    return InterventionPage(
        **page.shared(),
        recognition=recognition_context(ctx, intervention),
        users=[
            Link(coalition_page(c.key), c.name, is_example=c.is_example)
            for c in ctx.coalitions_by_intervention.get(intervention.key, [])
        ],
        stale=facts_stale(intervention, ctx.today),
        related=[Link(intervention_page(r.key), r.name) for r in related],
        keywords=keyword_groups(*search_words(ctx.repo.vocab.vocab_dir).for_record(intervention.key, data, searched_text)),
    )


def _details(ctx: SiteContext, intervention: Intervention) -> InterventionDetails:
    return InterventionDetails(
        recognition_context(ctx, intervention), [ctx.label("actielijnen", line) for line in intervention.action_lines]
    )


SECTION: CatalogueSection[Intervention, InterventionDetails] = CatalogueSection(
    kind="interventie",
    records=lambda ctx: ctx.interventions.values(),
    details=_details,
    catalogue_template="interventions/catalogue.html",
    page_template="interventions/page.html",
    form=form_page("interventie"),
    shown_elsewhere=frozenset({"erkenning"}),
    search_filters=search_filters,
    extend_page=_page,
)

GENERATORS.append(SECTION.pages)
