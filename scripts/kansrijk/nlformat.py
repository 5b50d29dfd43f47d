"""Dutch formatting, in one home: euros, percentages, numbers and dates as Dutch readers write them.

These were spread over ``grants.euro``, ``site/charts.percent``/``number``, ``site/rounds._share`` and
``site/html.nl_date``; every module now imports them from here.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def number(value: float) -> str:
    """12345 -> '12.345' (dots between thousands, no decimals)."""
    return f"{value:,.0f}".replace(",", ".")


def euro(amount: int) -> str:
    """Whole euros the Dutch way: € 1.250.000."""
    return "€ " + f"{amount:,}".replace(",", ".")


def percent(value: float) -> str:
    """0.4567 -> '45,7%' (Dutch decimal comma)."""
    return f"{value * 100:.1f}".replace(".", ",") + "%"


def percent_short(value: float) -> str:
    """A share as a percentage without needless decimals (axis labels): 0.0125 -> '1,25%', 0.05 -> '5%'."""
    return f"{value * 100:.2f}".rstrip("0").rstrip(".").replace(".", ",") + "%"


def share(part: int, whole: int) -> str:
    """``part`` of ``whole`` as a percentage; '0%' when there is no whole."""
    return "0%" if whole <= 0 else percent(part / whole)


def nl_date(iso: str | None) -> str:
    """``2024-03-01`` -> ``1 maart 2024``; empty for no date."""
    if not iso:
        return ""
    year, month, day = str(iso).split("-")
    return f"{int(day)} {MONTHS[int(month) - 1]} {year}"


def nl_moment(moment: dt.datetime) -> str:
    """A moment as Dutch readers give it, in Dutch time: ``7 december 2026 om 11:00``."""
    local = (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(ZoneInfo("Europe/Amsterdam"))
    return f"{nl_date(local.date().isoformat())} om {local:%H:%M}"
