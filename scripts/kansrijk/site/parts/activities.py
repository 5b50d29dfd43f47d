"""How an activity's date and time read in Dutch: the agenda and the theme pages both show it."""

from __future__ import annotations

from kansrijk.nlformat import nl_date
from kansrijk.records.model import Activity


def when(activity: Activity) -> str:
    """``12 maart 2026 tot en met 13 maart 2026, 10:00–12:00 uur``: the parts the record gives."""
    data = activity.data
    text = nl_date(data["datum"])
    if data.get("einddatum") and data["einddatum"] != data["datum"]:
        text += f" tot en met {nl_date(data['einddatum'])}"
    if data.get("begintijd"):
        text += f", {data['begintijd']}"
        if data.get("eindtijd"):
            text += f"–{data['eindtijd']}"
        text += " uur"
    return text
