"""``kansrijk new``: a skeleton record that validates, explained field by field in Dutch.

A contributor gets the schema modeline first (so their editor validates as they
type), then every field of the record type in schema order, each preceded by its
Dutch title and description from the schema. Fields without a value yet are
written as comments, ready to fill in. Values come from flags or, in a
terminal, from questions; sensible defaults (today's date, status ``concept``,
phase ``in-oprichting``) fill the rest.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from kansrijk.records.kinds import KINDS as RECORD_KINDS
from kansrijk.records.model import Repository
from kansrijk.records.schema_fields import describe_field, property_names, required_names
from kansrijk.tools.fmt import house_yaml, normalise_document

COMMENT_WIDTH = 100
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Question:
    """One value a new record needs: its field, its flag, and how to turn text into the value.

    ``field`` is a field of the schema, or a value the kind's blueprint builds a field from (``bron_url``).
    """

    field: str
    flag: str
    prompt: str
    many: bool = False
    euro: bool = False
    slug: bool = False


def _id(example: str) -> Question:
    return Question("id", "--id", f"Kenmerk (kleine letters, cijfers en koppeltekens, bijvoorbeeld {example})", slug=True)


Fill = Callable[[dict[str, object], Repository, str], dict[str, object]]


@dataclass(frozen=True)
class Blueprint:
    """What ``new`` asks for one kind, and what it fills in itself so that the skeleton validates.

    ``fill(values, repo, today)`` gives the fields no question answers directly (today as ISO date); the asked
    values that are schema fields and the kind's date field (kinds.py) are taken over without it.
    """

    questions: tuple[Question, ...]
    fill: Fill


def _sources(values: dict[str, object], repo: Repository, today: str) -> dict[str, object]:
    return {"bronnen": [{"url": values["bron_url"], "titel": values["bron_titel"]}], "status": "actief"}


def _coalition(values: dict[str, object], repo: Repository, today: str) -> dict[str, object]:
    codes = list(values["gemeenten"])  # type: ignore[call-overload]
    return {
        "partners": [{"naam": f"Gemeente {repo.vocab.municipality_name(code)}", "type": "gemeente"} for code in codes],
        "startdatum": today,
        "fase": "in-oprichting",
        "plan_van_aanpak": {"status": "geen"},
        "interventies": {},
        "contact": {"email": values["email"]},
    }


def _application(values: dict[str, object], repo: Repository, today: str) -> dict[str, object]:
    coalition = repo.record("coalitie", str(values["coalitie"]))
    return {
        "gemeenten": list(coalition.data.get("gemeenten", [])) if coalition is not None else [],
        "begroting": [{"omschrijving": "Nog uit te splitsen in begrotingsregels", "bedrag": values["bedrag_aangevraagd"]}],
        "historie": [{"datum": today, "status": "concept", "door": values["door"]}],
    }


def _round(values: dict[str, object], repo: Repository, today: str) -> dict[str, object]:
    # Every date today (the order rules hold) and the widest eligibility: the comments name the choices to edit.
    return {
        "opent": today,
        "sluit": today,
        "verantwoording_uiterlijk": today,
        "subsidiabel": {"soort": "alle"},
        "uitbetaling": {"wijze": "specifieke-uitkering"},
    }


def _activity(values: dict[str, object], repo: Repository, today: str) -> dict[str, object]:
    return {"soort": "webinar", "datum": today, "locatie": "Online"}


BLUEPRINTS: dict[str, Blueprint] = {
    "interventie": Blueprint(
        (
            _id("stevig-ouderschap"),
            Question("naam", "--naam", "Officiële naam van de interventie"),
            Question("samenvatting", "--samenvatting", "Korte samenvatting (20 tot 300 tekens)"),
            Question("beschrijving", "--beschrijving", "Beschrijving in eigen woorden"),
            Question("actielijnen", "--actielijn", "Actielijnen (voor, tijdens, na; gescheiden door komma's)", many=True),
            Question("doelgroepen", "--doelgroep", "Doelgroepen (codes, gescheiden door komma's)", many=True),
            Question("uitvoerders", "--uitvoerder", "Uitvoerders (beroepen, gescheiden door komma's)", many=True),
            Question("settings", "--setting", "Setting (codes, gescheiden door komma's)", many=True),
            Question("eigenaar", "--eigenaar", "Eigenaar of licentiehouder"),
            Question("bron_url", "--bron-url", "Webadres van een openbare bron"),
            Question("bron_titel", "--bron-titel", "Titel van die bron"),
        ),
        lambda values, repo, today: {"erkenning": {"niveau": "geen"}} | _sources(values, repo, today),
    ),
    "coalitie": Blueprint(
        (
            _id("kansrijke-start-zeist"),
            Question("naam", "--naam", "Naam van de coalitie"),
            Question("gemeenten", "--gemeente", "CBS-gemeentecodes (bijvoorbeeld GM0355; gescheiden door komma's)", many=True),
            Question("email", "--email", "Functioneel e-mailadres (geen persoonlijk adres)"),
        ),
        _coalition,
    ),
    "aanvraag": Blueprint(
        (
            Question("coalitie", "--coalitie", "Kenmerk van de coalitie (de mapnaam onder coalitions/)", slug=True),
            Question("ronde", "--ronde", "Kenmerk van de ronde (bestandsnaam onder rounds/)", slug=True),
            Question("bedrag_aangevraagd", "--bedrag", "Aangevraagd bedrag in hele euro's", euro=True),
            Question("door", "--door", "Jouw GitHub-gebruikersnaam (zonder @)"),
        ),
        _application,
    ),
    "ronde": Blueprint(
        (
            _id("impuls-2027"),
            Question("titel", "--naam", "Titel van de ronde, zoals de site die toont"),
            Question(
                "regeling", "--bron-titel", "Naam van de regeling (de titel van de bron), bijvoorbeeld Impuls Kansrijke Start"
            ),
            Question("bron", "--bron-url", "Webadres van de regeling of de bekendmaking"),
            Question("budget", "--bedrag", "Totaal budget in hele euro's", euro=True),
        ),
        _round,
    ),
    "activiteit": Blueprint(
        (
            _id("webinar-prenataal-huisbezoek"),
            Question("titel", "--naam", "Titel van de activiteit"),
            Question("organisator", "--aanbieder", "Organisator (de organisatie die de activiteit organiseert)"),
            Question("samenvatting", "--samenvatting", "Korte samenvatting (10 tot 300 tekens)"),
        ),
        _activity,
    ),
    "training": Blueprint(
        (
            _id("e-learning-rookvrije-start"),
            Question("naam", "--naam", "Naam van de training"),
            Question("aanbieder", "--aanbieder", "Aanbieder (de organisatie die de training geeft)"),
            Question("samenvatting", "--samenvatting", "Korte samenvatting (20 tot 300 tekens)"),
            Question("beroepen", "--beroep", "Voor wie (beroepen, gescheiden door komma's)", many=True),
            Question("themas", "--thema", "Thema's (codes, gescheiden door komma's)", many=True),
            Question("bron_url", "--bron-url", "Webadres van een openbare bron"),
            Question("bron_titel", "--bron-titel", "Titel van die bron"),
        ),
        _sources,
    ),
}


def blueprint(kind: str) -> Blueprint:
    """The blueprint of ``kind``; raises ValueError with a Dutch message for a kind ``new`` does not know."""
    try:
        return BLUEPRINTS[kind]
    except KeyError:
        raise ValueError(f"kansrijk new kent de recordsoort '{kind}' niet; kies uit: {', '.join(BLUEPRINTS)}") from None


def record_path(kind: str, values: dict[str, object]) -> str:
    """Where a new record of ``kind`` goes, relative to the repository root (from the kinds table)."""
    record_kind = RECORD_KINDS[kind]
    return record_kind.path_of("/".join(str(values[name]) for name in record_kind.id_fields))


def parse_answer(question: Question, text: str) -> object:
    """Text from a flag or a prompt as the field's value; raises ValueError with a Dutch message."""
    text = text.strip()
    if question.many:
        items = [item.strip() for item in text.replace(";", ",").split(",") if item.strip()]
        if not items:
            raise ValueError("geef minstens één waarde")
        return list(dict.fromkeys(items))
    if question.euro:
        cleaned = text.replace(".", "").replace("€", "").replace(" ", "")
        if not cleaned.isdigit():
            raise ValueError("geef een bedrag in hele euro's, zonder punt of euroteken, bijvoorbeeld 25000")
        return int(cleaned)
    if not text:
        raise ValueError("dit veld mag niet leeg zijn")
    if question.slug and not _SLUG.fullmatch(text):
        raise ValueError(
            f"'{text}' is geen geldig kenmerk: gebruik kleine letters, cijfers en koppeltekens, zoals stevig-ouderschap"
        )
    return text


def gather(kind: str, given: dict[str, str | list[str] | None], ask: Callable[[Question], str] | None) -> dict[str, object]:
    """Values for every question: from ``given`` (flags) or from ``ask``; raises LookupError naming missing flags."""
    values: dict[str, object] = {}
    missing: list[str] = []
    for question in blueprint(kind).questions:
        raw = given.get(question.field)
        if isinstance(raw, list):
            raw = ",".join(raw)
        if raw is None and ask is not None:
            while True:
                try:
                    values[question.field] = parse_answer(question, ask(question))
                    break
                except ValueError as exc:
                    print(f"  {exc}")
            continue
        if raw is None:
            missing.append(question.flag)
            continue
        try:
            values[question.field] = parse_answer(question, raw)
        except ValueError as exc:
            raise ValueError(f"{question.flag}: {exc}") from None
    if missing:
        raise LookupError(", ".join(missing))
    return values


def build_record(kind: str, values: dict[str, object], repo: Repository, today: dt.date) -> dict[str, object]:
    """The record's data in schema order: the asked values that are fields, the kind's date field set to today,
    and what the blueprint fills in. Raises ValueError (Dutch) for an unknown kind or a required field left empty."""
    plan = blueprint(kind)
    document = repo.schemas[kind].document
    fields = property_names(document, ())
    data = {name: value for name, value in values.items() if name in fields}
    date_field = RECORD_KINDS[kind].date_field
    if date_field is not None:
        data[date_field] = today.isoformat()
    data |= plan.fill(values, repo, today.isoformat())
    missing = [name for name in required_names(document) if name not in data]
    if missing:
        raise ValueError(
            f"kansrijk new vult voor een nieuw(e) {kind} de verplichte velden {', '.join(missing)} niet in; "
            f"kopieer een bestaand record in {RECORD_KINDS[kind].folder}/ en meld dit aan de beheerders"
        )
    return {name: data[name] for name in fields if name in data}


def _field_comment(document: dict, name: str) -> list[str]:
    node, _ = describe_field(document, (name,))
    text = node.get("title", name)
    if node.get("description"):
        text += f": {node['description']}"
    choices = node.get("enum")
    if choices is None and node.get("type") == "array":
        choices = describe_field(document, (name, "*"))[0].get("enum")
    if choices:
        text += f"{'' if text.endswith('.') else '.'} Kies uit: {', '.join(map(str, choices))}."
    return textwrap.wrap(text, COMMENT_WIDTH, break_on_hyphens=False)


def _commented(value: object) -> object:
    """Plain dicts and lists as ruamel's round-trip types, so the house style applies to them too."""
    if isinstance(value, dict):
        return CommentedMap((key, _commented(item)) for key, item in value.items())
    if isinstance(value, list):
        return CommentedSeq(_commented(item) for item in value)
    return value


def render(kind: str, data: dict[str, object], repo: Repository) -> str:
    """The record as YAML: modeline, then each schema field with its Dutch comment; empty fields commented out."""
    schema = repo.schemas[kind]
    document = schema.document
    modeline = f"yaml-language-server: $schema={'../' * RECORD_KINDS[kind].depth}schemas/{schema.file_name}"
    mapping = CommentedMap()
    pending: list[str] = [modeline]
    required = set(required_names(document))
    for name in property_names(document, ()):
        comment = _field_comment(document, name)
        if name in data:
            mapping[name] = _commented(data[name])
            mapping.yaml_set_comment_before_after_key(name, before="\n".join([*pending, *comment]))
            pending = []
        elif name not in required and name != "voorbeeld":
            pending.extend([*comment, f"{name}:"])
    normalise_document(mapping, document)
    buffer = io.StringIO()
    house_yaml().dump(mapping, buffer)
    text = buffer.getvalue()
    if pending:
        text += "".join(f"# {line}\n" for line in pending)
    return text


def write_new(path: Path, text: str) -> None:
    """Create ``path`` with ``text``; never replaces an existing file, even one created a moment ago."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="") as handle:
        handle.write(text)
