"""A complete synthetic repository for benchmarks and load tests.

The corpus mirrors the real proportions: a menu of interventions, many
coalitions over real CBS municipality codes (mostly local, some regional), and
grant rounds with applications in every status. It is built in "generations":
each generation's coalitions cover every municipality exactly once and apply to
that generation's rounds, so the one-application-per-municipality-per-round rule
holds by construction and the corpus validates without errors.
"""

from __future__ import annotations

import random
import shutil
from datetime import date, timedelta
from pathlib import Path

from kansrijk.checks.grants import TRANSITIONS, Role
from kansrijk.records.kinds import KINDS
from kansrijk.records.model import ACTION_LINES
from kansrijk.records.register import Vocabularies

# Kinds this module writes synthetic records for; every other kind of the kinds table is copied from the source
# repository as it is (they reference no generated records), so a new kind is never silently left out.
GENERATED_KINDS = ("interventie", "ronde", "coalitie", "aanvraag", "training")
COPIED_KIND_FOLDERS = tuple(kind.folder for kind in KINDS.values() if kind.name not in GENERATED_KINDS)
COPIED_FROM_ROOT = (
    "schemas",
    "vocab",
    "docs",
    "mkdocs.yml",
    ".github",
    *COPIED_KIND_FOLDERS,
    "package.json",
    "package-lock.json",
)
TRAINING_SHARE = 0.005
ROUNDS_PER_GENERATION = 2
MAX_PER_MUNICIPALITY = 20_000
INTERVENTION_SHARE = 0.03

# Latest status of an application, and the path through the transition table that reaches it.
_STATUS_PATHS: dict[str, list[str]] = {
    "concept": ["concept"],
    "ingediend": ["concept", "ingediend"],
    "in-behandeling": ["ingediend", "in-behandeling"],
    "toegekend": ["ingediend", "in-behandeling", "toegekend"],
    "afgewezen": ["ingediend", "in-behandeling", "afgewezen"],
    "ingetrokken": ["ingediend", "ingetrokken"],
    "verantwoord": ["concept", "ingediend", "in-behandeling", "toegekend", "verantwoord"],
}
_STATUS_WEIGHTS = {
    "concept": 1,
    "ingediend": 1,
    "in-behandeling": 1,
    "toegekend": 4,
    "afgewezen": 1,
    "ingetrokken": 1,
    "verantwoord": 4,
}
_PARTNER_TYPES = (
    "jgz",
    "verloskunde",
    "huisartsen",
    "kraamzorg",
    "wijkteam-sociaal-domein",
    "ggd",
    "zorgverzekeraar",
    "jeugdhulp",
)
_LEVELS = ("geen", "goed-beschreven", "goed-onderbouwd", "effectief-eerste-aanwijzingen", "effectief-goede-aanwijzingen")
_WORDS = ("zwangerschap", "ouderschap", "gezin", "baby", "start", "steun", "huisbezoek", "groep", "coaching", "netwerk")


def _walk(statuses: list[str]) -> None:
    """Fail loudly if a scripted path is not allowed by the transition table."""
    previous: str | None = None
    for status in statuses:
        if (previous, status) not in TRANSITIONS:
            raise ValueError(f"demo path {statuses} breaks the transition table at {previous} -> {status}")
        previous = status


for _path in _STATUS_PATHS.values():
    _walk(_path)


def write_demo_corpus(out: Path, records: int, seed: int, source_root: Path) -> dict[str, int]:
    """Write a corpus of about ``records`` records to ``out``; return counts per kind."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    for name in COPIED_FROM_ROOT:
        source = source_root / name
        if source.is_dir():
            shutil.copytree(source, out / name, dirs_exist_ok=True)
        elif source.is_file():
            shutil.copy2(source, out / name)
    vocab = Vocabularies(source_root / "vocab")
    codes = sorted(vocab.municipalities)

    n_interventions = max(10, round(records * INTERVENTION_SHARE))
    menu: dict[str, list[str]] = {line: [] for line in ACTION_LINES}
    for i in range(n_interventions):
        key, lines = _write_intervention(out, i, rng)
        for line in lines:
            menu[line].append(key)
    n_trainings = max(2, round(records * TRAINING_SHARE))
    all_interventions = [key for keys in menu.values() for key in keys]
    for i in range(n_trainings):
        _write_training(out, i, rng, all_interventions)
    counts = {"interventies": n_interventions, "trainingen": n_trainings, "rondes": 0, "coalities": 0, "aanvragen": 0}
    remaining = records - n_interventions - n_trainings
    generation = 0
    while remaining > 0:
        round_ids = []
        for r in range(ROUNDS_PER_GENERATION):
            if remaining <= 0:
                break
            round_ids.append(_write_round(out, generation, r, len(codes)))
            remaining -= 1
            counts["rondes"] += 1
        shuffled = codes[:]
        rng.shuffle(shuffled)
        position = 0
        while position < len(shuffled) and remaining > 0:
            size = 1 if rng.random() < 0.8 else rng.randint(2, 4)
            members = shuffled[position : position + size]
            position += size
            key = f"demo-g{generation}-{members[0].lower()}"
            _write_coalition(out, key, members, menu, rng)
            remaining -= 1
            counts["coalities"] += 1
            for round_index, round_id in enumerate(round_ids):
                if remaining <= 0 or rng.random() < 0.1:
                    continue
                _write_application(out, key, round_id, generation, round_index, members, rng)
                remaining -= 1
                counts["aanvragen"] += 1
        generation += 1
    return counts


def _round_window(generation: int, index: int) -> tuple[date, date]:
    opens = date(2019, 1, 15) + timedelta(days=120 * (generation * ROUNDS_PER_GENERATION + index))
    return opens, opens + timedelta(days=60)


def _write_intervention(out: Path, index: int, rng: random.Random) -> tuple[str, list[str]]:
    key = f"demo-interventie-{index:04d}"
    lines = sorted(rng.sample(ACTION_LINES, rng.randint(1, 2)), key=ACTION_LINES.index)
    level = rng.choice(_LEVELS)
    words = " ".join(rng.sample(_WORDS, 3))
    recognition = (
        "  niveau: geen\n"
        if level == "geen"
        else (f"  niveau: {level}\n  databank: loket-gezond-leven\n  datum: {2012 + index % 13}-0{1 + index % 9}-15\n")
    )
    status = "gearchiveerd" if index % 17 == 16 else "actief"
    _write(
        out / "interventions" / f"{key}.yaml",
        f"""# yaml-language-server: $schema=../schemas/interventie.schema.json
id: {key}
naam: Demo-interventie {index} ({words})
voorbeeld: true
samenvatting: Verzonnen interventie voor belastingtests; gaat over {words} en bestaat niet echt.
beschrijving: |
  Deze interventie is **verzonnen** voor een testcorpus. Ze helpt bij {words}.

  Een tweede alinea met wat meer tekst, zodat de pagina's een realistische lengte krijgen.
actielijnen: [{", ".join(lines)}]
doelgroepen: [{rng.choice(["zwangeren", "kwetsbare-zwangeren", "ouders-baby", "kinderwens"])}]
uitvoerders: [{rng.choice(["verloskundige", "jeugdverpleegkundige", "huisarts", "kraamverzorgende"])}]
settings: [{rng.choice(["thuis", "praktijk", "groep", "online"])}]
duur: {rng.randint(2, 12)} bijeenkomsten van een uur
eigenaar: Demo-organisatie {index % 40}
erkenning:
{recognition}bronnen:
  - url: https://www.example.org/demo/{key}
    titel: Verzonnen bron voor {key}
gecontroleerd_op: {2021 + index % 5}-06-01
status: {status}
""",
    )
    return key, lines


def _write_training(out: Path, index: int, rng: random.Random, interventions: list[str]) -> None:
    key = f"demo-training-{index:04d}"
    words = " ".join(rng.sample(_WORDS, 3))
    _write(
        out / KINDS["training"].folder / f"{key}.yaml",
        f"""# yaml-language-server: $schema=../schemas/training.schema.json
id: {key}
naam: Demo-training {index} ({words})
voorbeeld: true
aanbieder: Demo-opleider {index % 7}
samenvatting: Verzonnen training voor belastingtests; gaat over {words} en bestaat niet echt.
beroepen: [{rng.choice(["verloskundige", "jeugdverpleegkundige", "huisarts", "kraamverzorgende"])}]
vorm: {rng.choice(["klassikaal", "online", "e-learning", "blended"])}
themas: [{rng.choice(["preconceptiezorg", "vroegsignalering", "rookvrije-start", "opvoedondersteuning"])}]
interventies: [{rng.choice(interventions)}]
bronnen:
  - url: https://www.example.org/demo/{key}
    titel: Verzonnen bron voor {key}
gecontroleerd_op: {2021 + index % 5}-06-01
status: actief
""",
    )


def _write_round(out: Path, generation: int, index: int, municipalities: int) -> str:
    key = f"demo-ronde-{generation:03d}-{index}"
    opens, closes = _round_window(generation, index)
    _write(
        out / "rounds" / f"{key}.yaml",
        f"""# yaml-language-server: $schema=../schemas/ronde.schema.json
id: {key}
titel: Demoronde {generation}.{index}
regeling: Verzonnen regeling voor belastingtests
voorbeeld: true
opent: {opens.isoformat()}
sluit: {closes.isoformat()}
budget: {MAX_PER_MUNICIPALITY * municipalities}
max_per_gemeente: {MAX_PER_MUNICIPALITY}
subsidiabel:
  soort: alle
verplichte_onderdelen: [begroting]
uitbetaling:
  wijze: decentralisatie-uitkering
  circulaire: demo-circulaire {opens.year}
verantwoording_uiterlijk: {(closes + timedelta(days=730)).isoformat()}
bron: https://www.example.org/demo/{key}
""",
    )
    return key


def _write_coalition(out: Path, key: str, members: list[str], menu: dict[str, list[str]], rng: random.Random) -> None:
    partners = "".join(f"  - naam: Demo-partner {t}\n    type: {t}\n" for t in rng.sample(_PARTNER_TYPES, 3))
    uses = ""
    for line in ACTION_LINES:
        chosen = rng.sample(menu[line], min(len(menu[line]), rng.randint(0, 2)))
        if chosen:
            uses += f"  {line}:\n" + "".join(
                f"    - interventie: {c}\n      status: {rng.choice(['gepland', 'gestopt'])}\n" for c in chosen
            )
    plan = rng.choice(["geen", "in-voorbereiding", "vastgesteld"])
    plan_block = f"  status: {plan}\n" + ("  datum: 2021-05-01\n" if plan == "vastgesteld" else "")
    _write(
        out / "coalitions" / key / "coalitie.yaml",
        f"""# yaml-language-server: $schema=../../schemas/coalitie.schema.json
id: {key}
naam: Democoalitie {key}
voorbeeld: true
gemeenten: [{", ".join(members)}]
partners:
  - naam: Demogemeente
    type: gemeente
{partners}startdatum: 2020-0{rng.randint(1, 9)}-01
fase: {rng.choice(["in-oprichting", "actief", "actief", "gestopt"])}
plan_van_aanpak:
{plan_block}interventies:
{uses or "  voor: []" + chr(10)}contact:
  email: kansrijkestart@example.org
bijgewerkt_op: 2025-01-01
""",
    )


def _write_application(
    out: Path, key: str, round_id: str, generation: int, round_index: int, members: list[str], rng: random.Random
) -> None:
    opens, _closes = _round_window(generation, round_index)
    status = rng.choices(list(_STATUS_WEIGHTS), weights=list(_STATUS_WEIGHTS.values()))[0]
    requested = rng.randint(5, MAX_PER_MUNICIPALITY // 1000) * 1000 * len(members)
    awarded = requested - rng.choice([0, 0, 1000])
    history = ""
    day = opens + timedelta(days=5)
    previous: str | None = None
    for step in _STATUS_PATHS[status]:
        role = TRANSITIONS[(previous, step)]
        actor = "demo-beheerder" if role is Role.MAINTAINER else "demo-aanvrager"
        history += f"  - datum: {day.isoformat()}\n    status: {step}\n    door: {actor}\n"
        if step == "toegekend":
            history += f"    bedrag_toegekend: {awarded}\n"
        elif step == "afgewezen":
            history += "    reden: Het plan past niet bij de doelen van de regeling.\n"
        elif step == "verantwoord":
            spent = awarded - rng.choice([0, 500])
            history += (
                f"    verantwoording:\n      coalitie_gevormd: true\n      plan_van_aanpak: vastgesteld\n"
                f"      interventies_gestart: []\n      bedrag_besteed: {spent}\n"
            )
            if spent < awarded:
                history += "      toelichting_onderbesteding: Eén training ging niet door.\n"
        previous = step
        day += timedelta(days=10 if step != "toegekend" else 365)
    half = requested // 2
    _write(
        out / "coalitions" / key / f"aanvraag-{round_id}.yaml",
        f"""# yaml-language-server: $schema=../../schemas/aanvraag.schema.json
ronde: {round_id}
coalitie: {key}
voorbeeld: true
gemeenten: [{", ".join(members)}]
bedrag_aangevraagd: {requested}
begroting:
  - omschrijving: Procesbegeleiding
    bedrag: {half}
  - omschrijving: Trainingen
    bedrag: {requested - half}
historie:
{history}""",
    )


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
