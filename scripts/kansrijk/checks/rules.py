"""Cross-record rules: what no single schema can say.

Each rule takes the repository and the records under check (the targets) and
yields problems. Rules only see schema-valid records, so they can trust types.
References are resolved against the whole repository, also when only a few
files are checked.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator

from kansrijk.records.kinds import KINDS
from kansrijk.records.model import ACTION_LINES, Application, Coalition, Intervention, Record, Repository, Round, Training
from kansrijk.records.problems import FieldPath, Problem, Severity

Rule = Callable[[Repository, list[Record]], Iterable[Problem]]


def ids_match_file_names(repo: Repository, targets: list[Record]) -> Iterator[Problem]:
    for record in targets:
        if isinstance(record, Application):
            for field_name, wanted, where in (
                ("coalitie", record.coalition_key, "de mapnaam"),
                ("ronde", record.round_key, "de bestandsnaam (aanvraag-<ronde>.yaml)"),
            ):
                if record.data.get(field_name) != wanted:
                    yield repo.problem(
                        record,
                        (field_name,),
                        f"'{record.data.get(field_name)}' moet gelijk zijn aan {where}: '{wanted}'. Pas het veld of de naam aan.",
                        "id-bestandsnaam",
                    )
            continue
        if record.data.get("id") != record.key:
            yield repo.problem(
                record,
                ("id",),
                f"het kenmerk '{record.data.get('id')}' moet gelijk zijn aan de "
                f"{'mapnaam' if isinstance(record, Coalition) else 'bestandsnaam'} '{record.key}'. "
                "Pas het kenmerk of de naam aan.",
                "id-bestandsnaam",
            )


def ids_unique(repo: Repository, targets: list[Record]) -> Iterator[Problem]:
    """Keys must differ by more than letter case: Windows and macOS would merge them."""
    target_paths = {r.path for r in targets}
    for kind, refs in repo.index.items():
        seen: dict[str, str] = {}
        for key, ref in sorted(refs.items()):
            folded = key.casefold()
            if folded in seen and ref.path in target_paths:
                record = repo.load(ref)
                if record is not None:
                    yield repo.problem(
                        record,
                        (KINDS[kind].id_field,),
                        f"kenmerk '{key}' bestaat al als "
                        f"'{seen[folded]}' (alleen hoofdletters verschillen); kies een ander kenmerk.",
                        "id-dubbel",
                    )
            seen.setdefault(folded, key)


def _municipality_fields(record: Record) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(record, Coalition | Application):
        for index, code in enumerate(record.municipalities):
            yield ("gemeenten", index), code
    elif isinstance(record, Round):
        for index, code in enumerate(record.data.get("subsidiabel", {}).get("gemeenten", [])):
            yield ("subsidiabel", "gemeenten", index), code


def municipalities_exist(repo: Repository, targets: list[Record]) -> Iterator[Problem]:
    current = repo.vocab.municipalities
    ended = repo.vocab.ended_municipalities
    for record in targets:
        for path, code in _municipality_fields(record):
            if code in current:
                continue
            if code in ended:
                gone = ended[code]
                successors = ", ".join(f"{c} {repo.vocab.municipality_name(c)}" for c in gone.opvolgers)
                yield repo.problem(
                    record,
                    path,
                    f"{code} {gone.naam} bestaat sinds {gone.einddatum} niet meer; de gemeente is "
                    f"opgegaan in {successors}. Gebruik voor nieuwe gegevens de nieuwe code.",
                    "gemeente-opgeheven",
                    Severity.WARNING,
                )
            else:
                yield repo.problem(
                    record,
                    path,
                    f"{code} staat niet in het CBS-gemeenteregister; zoek de code van de gemeente op in vocab/gemeenten.csv "
                    "of op de gemeentepagina's van de site.",
                    "gemeente-onbekend",
                )


# The date at which a record's municipality codes apply, per kind: the field (or history entry) to check.
REGISTER_DATE_FIELDS: dict[str, FieldPath] = {
    "coalitie": ("bijgewerkt_op",),
    "aanvraag": ("historie", 0, "datum"),  # the day the application was made
    "ronde": ("opent",),
}


def register_covers_record_dates(repo: Repository, targets: list[Record]) -> Iterator[Problem]:
    """Warn when a record names municipalities at a date after the last CBS edition the register covers.

    Only later dates warn: that is when the register may be out of date, and the maintainers can act by adding the
    new edition. Older records are history; the codes that have ended since are already flagged with their successor.
    """
    validity = repo.vocab.register_validity
    for record in targets:
        path = REGISTER_DATE_FIELDS.get(record.kind)
        if path is None or next(_municipality_fields(record), None) is None:
            continue
        value: object = record.data
        for step in path:
            try:
                value = value[step]  # type: ignore[index]
            except (KeyError, IndexError, TypeError):
                value = None
                break
        if isinstance(value, str) and value > validity.last:
            yield repo.problem(
                record,
                path,
                f"{value} valt na de periode waarvoor het gemeenteregister in vocab/ geldt "
                f"({validity.first} tot en met {validity.last}, CBS-indelingen {validity.editions[0]}–{validity.editions[-1]}). "
                f"Controleer de gemeentecodes van dit record tegen de CBS-indeling van {value[:4]}, "
                "en vraag de beheerders het register bij te werken als die anders is.",
                "register-buiten-periode",
                Severity.WARNING,
            )


def _intervention_fields(record: Record) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(record, Coalition):
        for line, index, entry in record.interventions_in_use():
            yield ("interventies", line, index, "interventie"), entry["interventie"]
    elif isinstance(record, Application):
        for index, key in enumerate(record.data.get("interventies", [])):
            yield ("interventies", index), key
        for step_index, step in enumerate(record.history):
            started = step.get("verantwoording", {}).get("interventies_gestart", [])
            for index, key in enumerate(started):
                yield ("historie", step_index, "verantwoording", "interventies_gestart", index), key
    elif isinstance(record, Training):
        for index, key in enumerate(record.data.get("interventies", [])):
            yield ("interventies", index), key


def interventions_exist(repo: Repository, targets: list[Record]) -> Iterator[Problem]:
    known = repo.index["interventie"]
    for record in targets:
        for path, key in _intervention_fields(record):
            if key not in known:
                close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
                hint = f" Bedoel je '{close[0]}'?" if close else " Voeg de interventie eerst toe in interventions/."
                yield repo.problem(record, path, f"interventie '{key}' bestaat niet.{hint}", "interventie-onbekend")


def applications_resolve(repo: Repository, targets: list[Record]) -> Iterator[Problem]:
    for record in targets:
        if not isinstance(record, Application):
            continue
        coalition = repo.record("coalitie", record.coalition_key)
        if coalition is None:
            yield repo.problem(
                record,
                ("coalitie",),
                f"coalitie '{record.coalition_key}' heeft geen coalitie.yaml; voeg die toe in dezelfde map.",
                "coalitie-onbekend",
            )
        elif coalition.valid:
            outside = [c for c in record.municipalities if c not in coalition.municipalities]  # type: ignore[attr-defined]
            for code in outside:
                index = record.municipalities.index(code)
                yield repo.problem(
                    record,
                    ("gemeenten", index),
                    f"{code} {repo.vocab.municipality_name(code)} hoort niet bij "
                    f"coalitie '{coalition.key}'; voeg de gemeente toe aan coalitie.yaml of haal haar hier weg.",
                    "gemeente-buiten-coalitie",
                    Severity.WARNING,
                )
        if not repo.has("ronde", record.round_key):
            close = difflib.get_close_matches(record.round_key, list(repo.index["ronde"]), n=1, cutoff=0.6)
            hint = f" Bedoel je '{close[0]}'?" if close else ""
            yield repo.problem(record, ("ronde",), f"ronde '{record.round_key}' bestaat niet in rounds/.{hint}", "ronde-onbekend")


def archived_interventions_in_use(repo: Repository, targets: list[Record]) -> Iterator[Problem]:
    """An archived intervention still 'in uitvoering' somewhere is a warning on that coalition."""
    target_paths = {r.path for r in targets}
    archived_targets = {r.key for r in targets if isinstance(r, Intervention) and r.archived}
    coalitions = repo.valid(Coalition) if archived_targets else [r for r in targets if isinstance(r, Coalition)]
    for coalition in coalitions:
        for line, index, entry in coalition.interventions_in_use():
            if entry["status"] != "in-uitvoering":
                continue
            key = entry["interventie"]
            if coalition.path not in target_paths and key not in archived_targets:
                continue
            intervention = repo.record("interventie", key)
            if isinstance(intervention, Intervention) and intervention.valid and intervention.archived:
                yield repo.problem(
                    coalition,
                    ("interventies", line, index, "status"),
                    f"interventie '{key}' is gearchiveerd maar staat hier nog 'in-uitvoering'; "
                    "zet de status op 'gestopt' of kies een andere interventie.",
                    "interventie-gearchiveerd",
                    Severity.WARNING,
                )


def coalition_intervention_fit(repo: Repository, targets: list[Record]) -> Iterator[Problem]:
    """Warn when a coalition lists an intervention twice, or under a line it does not serve."""
    for coalition in targets:
        if not isinstance(coalition, Coalition):
            continue
        seen: set[tuple[str, str]] = set()
        for line, index, entry in coalition.interventions_in_use():
            key = entry["interventie"]
            path = ("interventies", line, index, "interventie")
            if (line, key) in seen:
                yield repo.problem(
                    coalition,
                    path,
                    f"'{key}' staat twee keer onder '{line}'; houd één regel over.",
                    "interventie-dubbel",
                    Severity.WARNING,
                )
            seen.add((line, key))
            intervention = repo.record("interventie", key)
            if isinstance(intervention, Intervention) and intervention.valid and line not in intervention.action_lines:
                lines = ", ".join(intervention.action_lines)
                yield repo.problem(
                    coalition,
                    path,
                    f"'{key}' hoort bij actielijn {lines}, niet bij '{line}'; zet de interventie onder de juiste actielijn.",
                    "actielijn-past-niet",
                    Severity.WARNING,
                )


# Initials followed by a surname (j.jansen@, a.b.de-vries@): the shape of a personal mailbox.
_PERSONAL_MAILBOX = re.compile(r"(?:[a-z]{1,2}\.)+[a-z][a-z-]{2,}")


def contact_is_functional(repo: Repository, targets: list[Record]) -> Iterator[Problem]:
    """The site never publishes personal data: warn when a contact address looks like a person's."""
    for coalition in targets:
        if not isinstance(coalition, Coalition):
            continue
        email = coalition.data.get("contact", {}).get("email")
        if email and _PERSONAL_MAILBOX.fullmatch(email.split("@", 1)[0].lower()):
            yield repo.problem(
                coalition,
                ("contact", "email"),
                f"'{email}' lijkt het adres van een persoon; de site publiceert geen persoonsgegevens. "
                "Gebruik een functioneel adres, zoals kansrijkestart@gemeente.nl.",
                "contact-persoonlijk",
                Severity.WARNING,
            )


RULES: list[Rule] = [
    ids_match_file_names,
    ids_unique,
    municipalities_exist,
    register_covers_record_dates,
    interventions_exist,
    applications_resolve,
    archived_interventions_in_use,
    coalition_intervention_fit,
    contact_is_functional,
]

__all__ = ["ACTION_LINES", "RULES", "Rule"]
