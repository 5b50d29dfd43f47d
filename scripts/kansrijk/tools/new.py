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
    """One value a new record needs: its field, its flag, and how to turn text into the value."""

    field: str
    flag: str
    prompt: str
    many: bool = False
    number: bool = False
    slug: bool = False


QUESTIONS: dict[str, tuple[Question, ...]] = {
    "interventie": (
        Question("id", "--id", "Kenmerk (kleine letters, cijfers en koppeltekens, bijvoorbeeld stevig-ouderschap)", slug=True),
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
    "coalitie": (
        Question(
            "id", "--id", "Kenmerk (kleine letters, cijfers en koppeltekens, bijvoorbeeld kansrijke-start-zeist)", slug=True
        ),
        Question("naam", "--naam", "Naam van de coalitie"),
        Question("gemeenten", "--gemeente", "CBS-gemeentecodes (bijvoorbeeld GM0355; gescheiden door komma's)", many=True),
        Question("email", "--email", "Functioneel e-mailadres (geen persoonlijk adres)"),
    ),
    "aanvraag": (
        Question("coalitie", "--coalitie", "Kenmerk van de coalitie (de mapnaam onder coalitions/)", slug=True),
        Question("ronde", "--ronde", "Kenmerk van de ronde (bestandsnaam onder rounds/)", slug=True),
        Question("bedrag_aangevraagd", "--bedrag", "Aangevraagd bedrag in hele euro's", number=True),
        Question("door", "--door", "Jouw GitHub-gebruikersnaam (zonder @)"),
    ),
    "training": (
        Question(
            "id", "--id", "Kenmerk (kleine letters, cijfers en koppeltekens, bijvoorbeeld e-learning-rookvrije-start)", slug=True
        ),
        Question("naam", "--naam", "Naam van de training"),
        Question("aanbieder", "--aanbieder", "Aanbieder (de organisatie die de training geeft)"),
        Question("samenvatting", "--samenvatting", "Korte samenvatting (20 tot 300 tekens)"),
        Question("beroepen", "--beroep", "Voor wie (beroepen, gescheiden door komma's)", many=True),
        Question("themas", "--thema", "Thema's (codes, gescheiden door komma's)", many=True),
        Question("bron_url", "--bron-url", "Webadres van een openbare bron"),
        Question("bron_titel", "--bron-titel", "Titel van die bron"),
    ),
}
# The kinds ``kansrijk new`` can write: those of the kinds table (kinds.py) that have questions here.
KINDS = tuple(kind for kind in RECORD_KINDS if kind in QUESTIONS)


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
    if question.number:
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
    for question in QUESTIONS[kind]:
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
    """The record's data: the given values plus defaults that make a valid start."""
    date = today.isoformat()
    if kind == "interventie":
        return {
            "id": values["id"],
            "naam": values["naam"],
            "samenvatting": values["samenvatting"],
            "beschrijving": values["beschrijving"],
            "actielijnen": values["actielijnen"],
            "doelgroepen": values["doelgroepen"],
            "uitvoerders": values["uitvoerders"],
            "settings": values["settings"],
            "eigenaar": values["eigenaar"],
            "erkenning": {"niveau": "geen"},
            "bronnen": [{"url": values["bron_url"], "titel": values["bron_titel"]}],
            "gecontroleerd_op": date,
            "status": "actief",
        }
    if kind == "coalitie":
        codes = list(values["gemeenten"])  # type: ignore[call-overload]
        return {
            "id": values["id"],
            "naam": values["naam"],
            "gemeenten": codes,
            "partners": [{"naam": f"Gemeente {repo.vocab.municipality_name(code)}", "type": "gemeente"} for code in codes],
            "startdatum": date,
            "fase": "in-oprichting",
            "plan_van_aanpak": {"status": "geen"},
            "interventies": {},
            "contact": {"email": values["email"]},
            "bijgewerkt_op": date,
        }
    if kind == "training":
        return {
            "id": values["id"],
            "naam": values["naam"],
            "aanbieder": values["aanbieder"],
            "samenvatting": values["samenvatting"],
            "beroepen": values["beroepen"],
            "themas": values["themas"],
            "bronnen": [{"url": values["bron_url"], "titel": values["bron_titel"]}],
            "gecontroleerd_op": date,
            "status": "actief",
        }
    coalition = repo.record("coalitie", str(values["coalitie"]))
    codes = list(coalition.data.get("gemeenten", [])) if coalition is not None else []
    amount = values["bedrag_aangevraagd"]
    return {
        "ronde": values["ronde"],
        "coalitie": values["coalitie"],
        "gemeenten": codes,
        "bedrag_aangevraagd": amount,
        "begroting": [{"omschrijving": "Nog uit te splitsen in begrotingsregels", "bedrag": amount}],
        "historie": [{"datum": date, "status": "concept", "door": values["door"]}],
    }


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
