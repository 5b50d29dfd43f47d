"""``MiniRepo``: a real Kansrijk repository in a temporary folder with schemas, vocabularies and chosen records."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

INTERVENTION = """\
# yaml-language-server: $schema=../schemas/interventie.schema.json
id: {key}
naam: Testinterventie {key}
samenvatting: Een interventie die alleen in de tests bestaat, met genoeg tekst.
beschrijving: Een korte beschrijving.
actielijnen: [{lines}]
doelgroepen: [zwangeren]
uitvoerders: [verloskundige]
settings: [praktijk]
eigenaar: Testorganisatie
erkenning:
  niveau: geen
bronnen:
  - url: https://www.example.org/{key}
    titel: Testbron
gecontroleerd_op: 2025-01-01
status: {status}
"""

COALITION = """\
# yaml-language-server: $schema=../../schemas/coalitie.schema.json
id: {key}
naam: Testcoalitie {key}
voorbeeld: true
gemeenten: [{municipalities}]
partners:
  - naam: Gemeente Test
    type: gemeente
fase: actief
plan_van_aanpak:
  status: geen
interventies:
{interventions}contact:
  email: kansrijkestart@example.org
bijgewerkt_op: 2025-01-01
"""


class MiniRepo:
    """A real Kansrijk repository in a temporary folder: schemas, vocabularies and chosen records."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copytree(REPO_ROOT / "schemas", root / "schemas")
        shutil.copytree(REPO_ROOT / "vocab", root / "vocab")

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def intervention(self, key: str, lines: str = "tijdens", status: str = "actief") -> Path:
        return self.write(f"interventions/{key}.yaml", INTERVENTION.format(key=key, lines=lines, status=status))

    def coalition(self, key: str, municipalities: str = "GM0363", interventions: str = "  tijdens: []\n") -> Path:
        return self.write(
            f"coalitions/{key}/coalitie.yaml",
            COALITION.format(key=key, municipalities=municipalities, interventions=interventions),
        )
