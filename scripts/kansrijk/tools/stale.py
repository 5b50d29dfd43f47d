"""``kansrijk stale``: records whose facts were last checked too long ago, grouped by who owns them.

Which kinds have such a date, which field holds it and how a sentence names it
(``gecontroleerd_op``: facts last checked; ``bijgewerkt_op``: data last updated)
comes from the kinds table (:mod:`kansrijk.records.kinds`). Ownership comes from CODEOWNERS with
GitHub's matching rules (:mod:`kansrijk.pullrequests.codeowners`); records are grouped by the
owners of the rule that matches them, so one reminder reaches the people who
can act on all of them. Example records (``voorbeeld: true``) are left out.

The scheduled workflow turns each group into one reminder issue (:mod:`kansrijk.github.reminders`),
found again by a hidden marker, so a later run edits that issue instead of opening another.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kansrijk.github.markdown import code, escape
from kansrijk.pullrequests.codeowners import read_codeowners
from kansrijk.records.kinds import KINDS
from kansrijk.records.model import Repository

DATE_FIELDS = {kind.name: kind.date_field for kind in KINDS.values() if kind.date_field}
NO_OWNER = "(geen eigenaar in CODEOWNERS)"
REMINDER_LABEL = "verouderde-gegevens"
MARKER = "<!-- kansrijk-stale: {key} -->"
_DURATION = re.compile(r"(\d+)\s*([mjyd])\Z")


@dataclass(frozen=True)
class StaleRecord:
    path: str
    kind: str
    key: str
    name: str
    field: str
    date: str
    months: int


@dataclass
class OwnerGroup:
    """The stale records that one set of owners (one CODEOWNERS rule) is responsible for."""

    owners: tuple[str, ...]
    records: list[StaleRecord] = field(default_factory=list)

    @property
    def key(self) -> str:
        return " ".join(owner.lower() for owner in self.owners) or "geen-eigenaar"

    @property
    def title(self) -> str:
        who = ", ".join(self.owners) if self.owners else NO_OWNER
        return f"Herinnering: {len(self.records)} record(s) met verouderde gegevens ({who})"


def parse_duration(text: str) -> tuple[int, int]:
    """``24m`` (months), ``2j``/``2y`` (years) or ``90d`` (days) as ``(months, days)``; ValueError with a Dutch message."""
    match = _DURATION.fullmatch(text.strip().lower())
    if not match:
        raise ValueError(f"'{text}' is geen geldige termijn; gebruik bijvoorbeeld 24m (maanden), 2j (jaren) of 90d (dagen)")
    amount, unit = int(match[1]), match[2]
    if unit == "d":
        return 0, amount
    return (amount * 12 if unit in "jy" else amount), 0


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (clamped to the month's last day)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cutoff_date(today: dt.date, months: int, days: int) -> dt.date:
    return months_before(today, months) - dt.timedelta(days=days)


def _months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)


def _working_tree_file(root: Path) -> Callable[[str], bytes | None]:
    """How ``stale`` fetches CODEOWNERS: from the checkout it runs in."""
    return lambda location: (root / location).read_bytes() if (root / location).is_file() else None


def find_stale(repo: Repository, cutoff: dt.date, today: dt.date) -> list[OwnerGroup]:
    """Stale records grouped by owners; groups and records in a stable order."""
    owners = read_codeowners(_working_tree_file(repo.root))
    groups: dict[tuple[str, ...], OwnerGroup] = {}
    for kind, date_field in DATE_FIELDS.items():
        for record in repo.valid_records(kind):
            if record.is_example:
                continue
            when = dt.date.fromisoformat(str(record.data[date_field]))
            if when >= cutoff:
                continue
            handles = tuple(owner.handle for owner in owners.owners_of(record.path))
            group = groups.setdefault(handles, OwnerGroup(handles))
            group.records.append(
                StaleRecord(
                    record.path, kind, record.key, record.heading, date_field, when.isoformat(), _months_between(when, today)
                )
            )
    for group in groups.values():
        group.records.sort(key=lambda r: (r.date, r.path))
    return sorted(groups.values(), key=lambda g: g.key)


def render_text(groups: list[OwnerGroup], cutoff: dt.date) -> str:
    total = sum(len(g.records) for g in groups)
    if not total:
        return f"Geen verouderde records: alles is op of na {cutoff.isoformat()} gecontroleerd of bijgewerkt.\n"
    lines = [f"{total} record(s) met gegevens van vóór {cutoff.isoformat()}:"]
    for group in groups:
        lines.append("")
        lines.append(f"{', '.join(group.owners) or NO_OWNER} ({len(group.records)})")
        for r in group.records:
            lines.append(f"  {r.path}: {r.name}, {KINDS[r.kind].date_label} {r.date} ({r.months} maanden geleden)")
    return "\n".join(lines) + "\n"


def render_json(groups: list[OwnerGroup], cutoff: dt.date) -> str:
    payload = {
        "cutoff": cutoff.isoformat(),
        "groups": [{"owners": list(g.owners), "key": g.key, "records": [r.__dict__ for r in g.records]} for g in groups],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _date_fields_named() -> str:
    """'`gecontroleerd_op` bij een interventie of een training, `bijgewerkt_op` bij een coalitie'."""
    kinds_by_field: dict[str, list[str]] = {}
    for kind, date_field in DATE_FIELDS.items():
        kinds_by_field.setdefault(date_field, []).append(f"een {KINDS[kind].title.lower()}")
    return ", ".join(f"`{name}` bij {' of '.join(kinds)}" for name, kinds in kinds_by_field.items())


def reminder_body(group: OwnerGroup, cutoff: dt.date, site_url: str | None = None) -> str:
    """The Dutch reminder issue text for one group; the hidden marker finds the issue again next time.

    The owners come from CODEOWNERS and are mentioned on purpose; what a record holds (its name, its path) is quoted
    inert, as report-pr quotes it: no mention, link, image or heading, and no pipe that ends the table cell."""
    mention = " ".join(group.owners) if group.owners else "Beheerders"
    lines = [
        MARKER.format(key=group.key),
        f"{mention}: de gegevens hieronder zijn voor het laatst gecontroleerd of bijgewerkt vóór {cutoff.isoformat()}.",
        f"Wil je ze nakijken? Pas de feiten aan waar nodig en zet de datum ({_date_fields_named()}) op de dag van "
        "controle. Dit bericht wordt elke maand bijgewerkt.",
        "",
        "| Record | Naam | Datum | Maanden geleden |",
        "|---|---|---|---|",
    ]
    for r in group.records:
        lines.append(f"| {code(r.path)} | {escape(r.name)} | {r.date} | {r.months} |")
    return "\n".join(lines) + "\n"
