"""The training section (``trainingen/``): a catalogue with facets and one page per training (``parts/catalogue.py``).

What is the trainings' own (their filters are declared in the schema with ``x-filter``): the provider and form an item shows, and their search filters. The markup
is in ``templates/trainings/``; labels come from the code lists the schema names (``x-codelijst``).
"""

from __future__ import annotations

from dataclasses import dataclass

from kansrijk.records.model import Training
from kansrijk.site.engine.pages import GENERATORS, SiteContext
from kansrijk.site.engine.urls import form_page
from kansrijk.site.parts.catalogue import CatalogueSection


@dataclass(frozen=True)
class TrainingDetails:
    """What a catalogue item shows of a training besides name and summary."""

    provider: str
    form: str  # the label of its form (online, klassikaal...), "" when unknown


def _details(ctx: SiteContext, training: Training) -> TrainingDetails:
    data = training.data
    return TrainingDetails(data["aanbieder"], ctx.label("trainingsvormen", data["vorm"]) if data.get("vorm") else "")


def _search_filters(ctx: SiteContext, training: Training) -> list[tuple[str, str]]:
    data = training.data
    filters = [("vorm", ctx.label("trainingsvormen", data["vorm"]))] if data.get("vorm") else []
    return filters + [("beroep", ctx.label("beroepen", code)) for code in data["beroepen"]]


SECTION: CatalogueSection[Training, TrainingDetails] = CatalogueSection(
    kind="training",
    records=lambda ctx: ctx.trainings,
    details=_details,
    catalogue_template="trainings/catalogue.html",
    page_template="trainings/page.html",
    form=form_page("training"),
    shown_elsewhere=frozenset({"status"}),  # as the "Gearchiveerd" badge; an active training needs no mark
    search_filters=_search_filters,
)

GENERATORS.append(SECTION.pages)
