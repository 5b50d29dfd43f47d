"""A small repository of rounds, coalitions and applications, built in a temp dir for the grant tests.

Shared by the grant rule tests and the monitor/round page tests: it copies the real
schemas and vocabularies and writes YAML records, so every test runs the real loader,
schemas and rules.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from kansrijk.checks.validate import ValidationReport, validate
from kansrijk.records.model import Repository

REPO_ROOT = Path(__file__).resolve().parents[2]


class _PlainDumper(yaml.SafeDumper):
    """Writes shared values out in full: the strict loader refuses anchors and aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


ROUND_DEFAULTS = {
    "titel": "Testronde Impuls",
    "regeling": "Impuls Kansrijke Start",
    "opent": "2020-02-01",
    "sluit": "2020-04-30",
    "budget": 100000,
    "max_per_gemeente": 20000,
    "subsidiabel": {"soort": "alle"},
    "uitbetaling": {"wijze": "decentralisatie-uitkering", "circulaire": "septembercirculaire 2020"},
    "verantwoording_uiterlijk": "2022-12-31",
    "bron": "https://www.example.org/regeling",
}


def step(status: str, datum: str, **extra: object) -> dict:
    """One history step; the actor follows the role a maintainer or applicant plays."""
    door = "test-beheer" if status in {"in-behandeling", "toegekend", "afgewezen"} else "test-gemeente"
    return {"datum": datum, "status": status, "door": door, **extra}


def report(spent: int, **extra: object) -> dict:
    return {
        "coalitie_gevormd": True,
        "plan_van_aanpak": "vastgesteld",
        "interventies_gestart": [],
        "bedrag_besteed": spent,
        **extra,
    }


def awarded_history(amount: int, *, reported: int | None = None, report_date: str = "2021-06-01") -> list[dict]:
    """The usual path to an award (and a report when ``reported`` is given)."""
    history = [
        step("ingediend", "2020-03-01"),
        step("in-behandeling", "2020-03-15"),
        step("toegekend", "2020-05-01", bedrag_toegekend=amount),
    ]
    if reported is not None:
        history.append(step("verantwoord", report_date, verantwoording=report(reported)))
    return history


class GrantRepo:
    """Writes records into ``root`` and validates them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        for folder in ("schemas", "vocab"):
            shutil.copytree(REPO_ROOT / folder, root / folder)

    def write(self, rel: str, schema: str, data: dict) -> str:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        depth = "../" * (rel.count("/"))
        body = yaml.dump(data, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True)
        path.write_text(f"# yaml-language-server: $schema={depth}schemas/{schema}\n{body}", encoding="utf-8")
        return rel

    def round(self, key: str = "ronde-a", **fields: object) -> str:
        data = {"id": key, **ROUND_DEFAULTS, **fields}
        return self.write(f"rounds/{key}.yaml", "ronde.schema.json", {k: v for k, v in data.items() if v is not None})

    def coalition(self, key: str, municipalities: list[str], **fields: object) -> str:
        data = {
            "id": key,
            "naam": f"Coalitie {key}",
            "gemeenten": municipalities,
            "partners": [{"naam": "Gemeente", "type": "gemeente"}],
            "startdatum": "2019-06-01",
            "fase": "actief",
            "plan_van_aanpak": {"status": "geen"},
            "interventies": {},
            "contact": {"website": "https://www.example.org"},
            "bijgewerkt_op": "2024-01-01",
            **fields,
        }
        return self.write(f"coalitions/{key}/coalitie.yaml", "coalitie.schema.json", data)

    def application(
        self,
        coalition: str,
        round_key: str = "ronde-a",
        municipalities: list[str] | None = None,
        requested: int = 20000,
        history: list[dict] | None = None,
        **fields: object,
    ) -> str:
        """Write an application (and its coalition when missing); budget lines add up unless given."""
        municipalities = municipalities or ["GM0355"]
        if not (self.root / "coalitions" / coalition / "coalitie.yaml").exists():
            self.coalition(coalition, municipalities)
        data = {
            "ronde": round_key,
            "coalitie": coalition,
            "gemeenten": municipalities,
            "bedrag_aangevraagd": requested,
            "begroting": [{"omschrijving": "Procesbegeleiding", "bedrag": requested}],
            "historie": history or [step("ingediend", "2020-03-01")],
            **fields,
        }
        return self.write(f"coalitions/{coalition}/aanvraag-{round_key}.yaml", "aanvraag.schema.json", data)

    def repository(self) -> Repository:
        return Repository(self.root)

    def validate(self, *paths: str) -> ValidationReport:
        return validate(self.repository(), list(paths) or None)

    def codes(self, *paths: str) -> list[str]:
        """Problem codes of a run, sorted, for compact assertions."""
        return sorted(p.code for p in self.validate(*paths).problems)
