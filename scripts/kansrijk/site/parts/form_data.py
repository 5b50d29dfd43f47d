"""The record data the browser tools read: the forms (``formulier.js``) and the analysetool (``analysetool.js``).

Built once per build as typed values; each type writes its own JSON with the Dutch keys the scripts read
(``payload``), so Python reads the attributes and only the browser sees the keys. Lives in ``parts`` because
two sections use it: the forms and the coalition section's analysetool.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property

from markupsafe import Markup

from kansrijk.records.loader import CONTROL_CHARACTERS
from kansrijk.records.model import ACTION_LINES, Round
from kansrijk.settings import REPOSITORY_URL
from kansrijk.site.engine.pages import SiteContext

GITHUB_URL_LIMIT = 8000  # longer new-file links are cut off by browsers and GitHub: copy or download instead

MunicipalityRow = tuple[str, str, str]  # code, name, province
EndedMunicipalityRow = tuple[str, str, str, str, list[str]]  # code, name, province, end date, successors


@dataclass(frozen=True)
class PickerIntervention:
    """An active intervention as the pickers and the analysetool offer it."""

    key: str
    name: str
    action_lines: list[str]
    recognition: str  # the label of its recognition level
    rank: int  # of the recognition level: strongest first in the analysetool

    @property
    def option(self) -> tuple[str, str]:
        """Value and text of the picker option."""
        return self.key, f"{self.name} ({self.recognition})"

    def payload(self) -> dict[str, object]:
        return {
            "kenmerk": self.key,
            "naam": self.name,
            "actielijnen": self.action_lines,
            "erkenning": self.recognition,
            "rang": self.rank,
        }


@dataclass(frozen=True)
class PickerRound:
    """A round as the application form offers it, with what the form checks against (window, maximum, parts)."""

    key: str
    title: str
    opens: str
    closes: str
    maximum: int | None
    parts: list[str]  # labels of the required parts
    part_codes: list[str]

    def payload(self) -> dict[str, object]:
        return {
            "kenmerk": self.key,
            "titel": self.title,
            "opent": self.opens,
            "sluit": self.closes,
            "max": self.maximum,
            "onderdelen": self.parts,
            "onderdeelKenmerken": self.part_codes,
        }


@dataclass(frozen=True)
class PickerCoalition:
    """A coalition as the forms and the analysetool offer it: its municipalities and the interventions it runs."""

    key: str
    name: str
    municipalities: list[str]
    interventions: dict[str, list[str]]  # action line -> intervention keys not stopped
    is_example: bool

    def payload(self) -> dict[str, object]:
        return {
            "kenmerk": self.key,
            "naam": self.name,
            "gemeenten": self.municipalities,
            "interventies": self.interventions,
            "voorbeeld": self.is_example,
        }


@dataclass(frozen=True)
class SharedData:
    """What every form and the analysetool read: the register, the catalogue, the action lines, today."""

    municipalities: list[MunicipalityRow]
    ended: list[EndedMunicipalityRow]
    interventions: list[PickerIntervention]  # by name, archived ones left out
    action_lines: list[tuple[str, str]]  # code, label
    today: str

    def payload(self) -> dict[str, object]:
        return {
            "gemeenten": self.municipalities,
            "opgeheven": self.ended,
            "interventies": [i.payload() for i in self.interventions],
            "actielijnen": self.action_lines,
            "vandaag": self.today,
            "repository": REPOSITORY_URL,
            "urlLimiet": GITHUB_URL_LIMIT,
            "stuurtekens": CONTROL_CHARACTERS,  # what the loader refuses, so the forms strip it from every answer
        }


class FormData:
    """Build-time data the pickers and checks need, computed once per build."""

    def __init__(self, ctx: SiteContext) -> None:
        self.ctx = ctx

    @cached_property
    def shared(self) -> SharedData:
        vocab = self.ctx.repo.vocab
        ranks = {row["code"]: int(row["rang"]) for row in vocab.table("erkenningsniveaus")}
        interventions = []
        for item in sorted(self.ctx.interventions.values(), key=lambda i: i.name.casefold()):
            if item.archived:
                continue
            level = item.recognition.get("niveau", "geen")
            interventions.append(
                PickerIntervention(
                    item.key, item.name, item.action_lines, self.ctx.label("erkenningsniveaus", level), ranks.get(level, 0)
                )
            )
        return SharedData(
            municipalities=[(m.code, m.naam, m.provincie) for m in vocab.municipalities.values()],
            ended=[(m.code, m.naam, m.provincie, m.einddatum, list(m.opvolgers)) for m in vocab.ended_municipalities.values()],
            interventions=interventions,
            action_lines=[(line, self.ctx.label("actielijnen", line)) for line in ACTION_LINES],
            today=self.ctx.today.isoformat(),
        )

    @cached_property
    def rounds(self) -> list[PickerRound]:
        return [
            PickerRound(
                key=r.key,
                title=r.title,
                opens=r.data.get("opent", ""),
                closes=r.data.get("sluit", ""),
                maximum=r.data.get("max_per_gemeente"),
                parts=[self.ctx.label("verplichte-onderdelen", p) for p in r.data.get("verplichte_onderdelen", [])],
                part_codes=list(r.data.get("verplichte_onderdelen", [])),
            )
            for r in self.ctx.repo.valid(Round)
        ]

    @cached_property
    def coalitions(self) -> list[PickerCoalition]:
        return [
            PickerCoalition(
                key=c.key,
                name=c.name,
                municipalities=c.municipalities,
                interventions={
                    line: [e["interventie"] for e in c.data.get("interventies", {}).get(line, []) if e.get("status") != "gestopt"]
                    for line in ACTION_LINES
                },
                is_example=c.is_example,
            )
            for c in self.ctx.coalitions.values()
        ]


def form_data(ctx: SiteContext) -> FormData:
    return ctx.index(FormData)


def script_json(payload: dict[str, object]) -> Markup:
    """JSON for a ``<script type="application/json">`` block: ``<`` escaped, so no text can close the element."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
