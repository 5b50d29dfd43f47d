"""Reference vocabularies (CSV in ``vocab/``): the municipality register and code lists.

The CSV files are described by ``vocab/datapackage.json`` (Frictionless Table
Schemas); this module only reads them into lookups that rules and views share.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path


@dataclass(frozen=True)
class Municipality:
    code: str
    naam: str
    provincie: str


@dataclass(frozen=True)
class EndedMunicipality:
    code: str
    naam: str
    provincie: str
    einddatum: str
    opvolgers: tuple[str, ...]


@dataclass(frozen=True)
class RegisterValidity:
    """The dates for which the municipality register resolves every code (``kansrijk:geldigheid`` in datapackage.json)."""

    first: str
    last: str
    note: str

    @property
    def editions(self) -> range:
        """The CBS editions (1 January of each year) the register covers."""
        return range(int(self.first[:4]), int(self.last[:4]) + 1)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class Vocabularies:
    """Lazy access to every code list in ``vocab/``."""

    def __init__(self, vocab_dir: Path) -> None:
        self.vocab_dir = vocab_dir

    @cached_property
    def municipalities(self) -> dict[str, Municipality]:
        """The current register: CBS 2023, no changes known on 1 January 2024 and 2025 (see ``register_validity``)."""
        return {r["code"]: Municipality(r["code"], r["naam"], r["provincie"]) for r in _rows(self.vocab_dir / "gemeenten.csv")}

    @cached_property
    def register_validity(self) -> RegisterValidity:
        with (self.vocab_dir / "datapackage.json").open(encoding="utf-8") as handle:
            package = json.load(handle)
        register = next(r for r in package["resources"] if r["name"] == "gemeenten")
        validity = register["kansrijk:geldigheid"]
        return RegisterValidity(validity["van"], validity["tot_en_met"], validity["toelichting"])

    @cached_property
    def ended_municipalities(self) -> dict[str, EndedMunicipality]:
        return {
            r["code"]: EndedMunicipality(r["code"], r["naam"], r["provincie"], r["einddatum"], tuple(r["opvolgers"].split(";")))
            for r in _rows(self.vocab_dir / "gemeenten-opgeheven.csv")
        }

    @cached_property
    def provinces(self) -> list[str]:
        return sorted({m.provincie for m in self.municipalities.values()})

    def labels(self, name: str) -> dict[str, str]:
        """``code -> label`` for a code list such as ``partnertypen`` or ``beroepen``."""
        return {r["code"]: r["label"] for r in self.table(name)}

    def table(self, name: str) -> list[dict[str, str]]:
        return _rows(self.vocab_dir / f"{name}.csv")

    def municipality_name(self, code: str) -> str:
        current = self.municipalities.get(code)
        if current:
            return current.naam
        ended = self.ended_municipalities.get(code)
        return f"{ended.naam} (opgeheven)" if ended else code
