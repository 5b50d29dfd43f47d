"""What the site says about an intervention's recognition: its own dates, and what is derived from them.

Used by the intervention pages, the catalogue and the theme pages; the markup is in ``templates/erkenning_macros.html``.
"""

from __future__ import annotations

import datetime

from kansrijk.records.model import Intervention
from kansrijk.site.engine.pages import SiteContext

RECOGNITION_VALID_YEARS = 5


def years_before(today: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` earlier (later when negative); 29 February becomes the 28th."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def recognised_until(intervention: Intervention) -> tuple[datetime.date | None, bool]:
    """The last day of the recognition (inclusive), and whether it is derived (five years on) rather than recorded."""
    recognition = intervention.recognition
    if recognition.get("niveau", "geen") == "geen":
        return None, False
    if recognition.get("geldig_tot"):
        return datetime.date.fromisoformat(str(recognition["geldig_tot"])), False
    if recognition.get("datum"):
        recognised = datetime.date.fromisoformat(str(recognition["datum"]))
        return years_before(recognised, -RECOGNITION_VALID_YEARS), True
    return None, False


def in_reassessment(intervention: Intervention, today: datetime.date) -> bool:
    """Past its last day ('in herbeoordeling'): derived from the dates, never typed, and apart from what a databank says."""
    until, _derived = recognised_until(intervention)
    return until is not None and until < today


def databank_reassessment(intervention: Intervention) -> dict | None:
    """The databank's own statement that it reassesses the recognition (date seen and page), if recorded."""
    recognition = intervention.recognition
    if recognition.get("niveau", "geen") == "geen":
        return None
    return recognition.get("herbeoordeling") or None


def recognition_context(ctx: SiteContext, intervention: Intervention) -> dict[str, object]:
    """What the recognition macros show: the record's own facts, and the derived ones marked as such."""
    recognition = intervention.recognition
    level = recognition.get("niveau", "geen")
    until, until_derived = recognised_until(intervention)
    databank = recognition.get("databank")
    return {
        "level": level,
        "label": ctx.label("erkenningsniveaus", level),
        "databank": ctx.label("databanken", str(databank)) if databank else "",
        "recognised_on": recognition.get("datum"),
        "until": until.isoformat() if until else None,
        "until_derived": until_derived,
        "databank_reassessment": databank_reassessment(intervention),
        "derived_reassessment": in_reassessment(intervention, ctx.today),
        "valid_years": RECOGNITION_VALID_YEARS,
        "note": recognition.get("toelichting"),
    }
