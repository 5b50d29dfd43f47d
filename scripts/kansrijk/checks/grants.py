"""Grant rounds and applications: the transition table and the grant rules (issue #4).

``TRANSITIONS`` is the single declarative table of the application life cycle:
which status may follow which, and who may take that step. The validator uses
it for the order of the history; ``check-pr`` uses it for the roles. Who must
approve what beyond this table (municipalities added, content past ``ingediend``)
is declared right beside it, in ``permissions.POLICY``, and derived from it where
it can be (``permissions.LOCKED_STATUSES``). Everything a round decides (window, eligibility, maximum, budget,
required parts, reporting deadline) is data in ``rounds/<id>.yaml``, so a later
scheme such as the Brede SPUK needs no code change.

The rules only parse the other applications of a round when a check needs
them, and skip files that cannot matter after a cheap byte search: checking
three changed files in a large repository stays fast.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum

from kansrijk.nlformat import euro
from kansrijk.records.loader import LoadError, read_record_bytes
from kansrijk.records.model import Application, Record, RecordRef, Repository, Round
from kansrijk.records.problems import Problem, Severity


class Role(StrEnum):
    APPLICANT = "aanvrager"
    MAINTAINER = "beheerder"


# (from status, to status) -> who may take the step. ``None`` is "no history yet".
TRANSITIONS: dict[tuple[str | None, str], Role] = {
    (None, "concept"): Role.APPLICANT,
    (None, "ingediend"): Role.APPLICANT,
    ("concept", "ingediend"): Role.APPLICANT,
    ("ingediend", "in-behandeling"): Role.MAINTAINER,
    ("ingediend", "ingetrokken"): Role.APPLICANT,
    ("in-behandeling", "toegekend"): Role.MAINTAINER,
    ("in-behandeling", "afgewezen"): Role.MAINTAINER,
    ("in-behandeling", "ingetrokken"): Role.APPLICANT,
    ("toegekend", "verantwoord"): Role.APPLICANT,
}

# Every status, in the order the table first reaches it. Labels are in the code list vocab/aanvraagstatussen.csv;
# tests/test_grants.py keeps this table, that list and the schema's status consts the same.
STATUSES = tuple(dict.fromkeys(to for _previous, to in TRANSITIONS))

# An application in one of these statuses no longer claims its municipalities in the round:
# after a withdrawal or a rejection a municipality may still apply with another coalition.
CLOSED_STATUSES = frozenset({"afgewezen", "ingetrokken"})


def role_for(previous: str | None, new: str) -> Role | None:
    """Who may take the step ``previous -> new``; None when the step is not allowed at all."""
    return TRANSITIONS.get((previous, new))


def next_statuses(previous: str | None) -> list[str]:
    """The statuses that may follow ``previous``, in life-cycle order."""
    return [to for (frm, to) in TRANSITIONS if frm == previous]


GrantRule = Callable[[Repository, list[Record]], Iterable[Problem]]


# --- facts about one application -------------------------------------------------------------


def step_index(application: Application, status: str) -> int | None:
    """Index of the first history step with ``status``, if any."""
    for index, step in enumerate(application.history):
        if step.get("status") == status:
            return index
    return None


def awarded_amount(application: Application) -> int | None:
    """The amount awarded, from the 'toegekend' step; None when nothing was awarded."""
    index = step_index(application, "toegekend")
    return None if index is None else int(application.history[index]["bedrag_toegekend"])


# --- which applications to check ------------------------------------------------------------

_round_refs_cache: weakref.WeakKeyDictionary[Repository, dict[str, list[RecordRef]]] = weakref.WeakKeyDictionary()


def applications_by_round(repo: Repository) -> dict[str, list[RecordRef]]:
    """``round key -> application refs``, from the file index alone (nothing parsed)."""
    cached = _round_refs_cache.get(repo)
    if cached is None:
        cached = defaultdict(list)
        for key, ref in repo.index["aanvraag"].items():
            cached[key.split("/", 1)[1]].append(ref)
        _round_refs_cache[repo] = cached
    return cached


def _mentions(repo: Repository, ref: RecordRef, needles: tuple[bytes, ...]) -> bool:
    """Cheap pre-filter: could this file hold one of ``needles``? (Escapes could hide text, so they count too.)"""
    try:
        raw = read_record_bytes(repo.root / ref.path, repo.root, ref.path)
    except LoadError:
        return False
    return b"\\" in raw or any(needle in raw for needle in needles)


def _round_applications(
    repo: Repository, round_key: str, needles: tuple[bytes, ...] = (), checked: int = 0
) -> Iterator[Application]:
    """Valid applications of one round; with ``needles``, only those whose file mentions one.

    When ``checked`` (the applications of this round already under check) is at least half the
    round, the files are loaded anyway and the byte search would only cost time, so it is skipped.
    """
    refs = applications_by_round(repo).get(round_key, [])
    if checked * 2 >= len(refs):
        needles = ()
    for ref in refs:
        if needles and not _mentions(repo, ref, needles):
            continue
        record = repo.load(ref)
        if isinstance(record, Application) and record.valid:
            yield record


def _checked_applications(repo: Repository, targets: list[Record]) -> list[Application]:
    """Target applications, plus every application of a target round: a round change can break them."""
    chosen = {r.path: r for r in targets if isinstance(r, Application)}
    for round_record in targets:
        if isinstance(round_record, Round):
            for application in _round_applications(repo, round_record.key):
                chosen.setdefault(application.path, application)
    return list(chosen.values())


def _round_of(repo: Repository, application: Application) -> Round | None:
    record = repo.record("ronde", application.round_key)
    return record if isinstance(record, Round) and record.valid else None


# --- the rules ------------------------------------------------------------------------------


def history_follows_table(repo: Repository, targets: list[Record]) -> Iterator[Problem]:
    """Every step must be allowed by ``TRANSITIONS`` and dated no earlier than the step before."""
    for application in (r for r in targets if isinstance(r, Application)):
        previous: str | None = None
        previous_date: str | None = None
        for index, step in enumerate(application.history):
            status = step["status"]
            if role_for(previous, status) is None:
                if status == "verantwoord" and "toegekend" not in {s["status"] for s in application.history[:index]}:
                    yield repo.problem(
                        application,
                        ("historie", index, "status"),
                        "een verantwoording kan pas na een toekenning; er staat geen stap 'toegekend' eerder in de historie. "
                        "Haal deze stap weg tot de aanvraag is toegekend.",
                        "verantwoording-zonder-toekenning",
                    )
                else:
                    yield repo.problem(
                        application,
                        ("historie", index, "status"),
                        _transition_message(previous, status),
                        "overgang-niet-toegestaan",
                    )
            if previous_date is not None and step["datum"] < previous_date:
                yield repo.problem(
                    application,
                    ("historie", index, "datum"),
                    f"de datum {step['datum']} ligt vóór de vorige stap ({previous_date}); "
                    "de historie loopt van oud naar nieuw. Controleer de datum.",
                    "datum-volgorde",
                )
            previous, previous_date = status, step["datum"]


def _transition_message(previous: str | None, status: str) -> str:
    allowed = ", ".join(f"'{s}'" for s in next_statuses(previous))
    if previous is None:
        return f"een aanvraag begint met 'concept' of 'ingediend', niet met '{status}'. Voeg eerst de stap {allowed} toe."
    if not allowed:
        return (
            f"na '{previous}' is de aanvraag afgerond; er mag geen stap '{status}' meer volgen. "
            "Dien zo nodig een nieuwe aanvraag in of neem contact op met de beheerders."
        )
    return (
        f"na '{previous}' mag '{status}' niet volgen; toegestaan is {allowed}. "
        "Voeg de ontbrekende stap toe of corrigeer de status."
    )


def submission_in_window(repo: Repository, targets: list[Record]) -> Iterator[Problem]:
    """A submission must be dated within the round's opening and closing dates (both inclusive)."""
    for application in _checked_applications(repo, targets):
        round_record = _round_of(repo, application)
        index = step_index(application, "ingediend")
        if round_record is None or index is None:
            continue
        date = application.history[index]["datum"]
        opens, closes = round_record.data["opent"], round_record.data["sluit"]
        if not opens <= date <= closes:
            yield repo.problem(
                application,
                ("historie", index, "datum"),
                f"ingediend op {date}, maar ronde '{round_record.key}' was open van {opens} tot en met {closes}. "
                "Controleer de datum; buiten die periode kan niet worden ingediend.",
                "indiening-buiten-ronde",
            )


def report_on_time_and_complete(repo: Repository, targets: list[Record]) -> Iterator[Problem]:
    """A late report is a warning; spending less than awarded needs an explanation."""
    for application in _checked_applications(repo, targets):
        index = step_index(application, "verantwoord")
        if index is None:
            continue
        step = application.history[index]
        round_record = _round_of(repo, application)
        if round_record is not None and step["datum"] > round_record.data["verantwoording_uiterlijk"]:
            yield repo.problem(
                application,
                ("historie", index, "datum"),
                f"verantwoord op {step['datum']}, na de uiterste datum {round_record.data['verantwoording_uiterlijk']} "
                f"van ronde '{round_record.key}'. Leg in 'toelichting' uit waarom de verantwoording later is.",
                "verantwoording-te-laat",
                Severity.WARNING,
            )
        awarded = awarded_amount(application)
        spent = step["verantwoording"]["bedrag_besteed"]
        if awarded is not None and spent < awarded and "toelichting_onderbesteding" not in step["verantwoording"]:
            yield repo.problem(
                application,
                ("historie", index, "verantwoording", "bedrag_besteed"),
                f"besteed is {euro(spent)}, minder dan de toegekende {euro(awarded)}; "
                "leg het verschil uit in 'toelichting_onderbesteding'.",
                "onderbesteding-zonder-toelichting",
            )


def amounts_add_up(repo: Repository, targets: list[Record]) -> Iterator[Problem]:
    """Budget lines add up to the request, the request fits the round's maximum, the award fits the request."""
    for application in _checked_applications(repo, targets):
        requested = application.data["bedrag_aangevraagd"]
        lines = sum(line["bedrag"] for line in application.data["begroting"])
        if lines != requested:
            yield repo.problem(
                application,
                ("begroting",),
                f"de begrotingsregels tellen op tot {euro(lines)}, maar het aangevraagde bedrag is {euro(requested)} "
                f"(verschil {euro(abs(lines - requested))}). Pas de regels of 'bedrag_aangevraagd' aan.",
                "begroting-telt-niet-op",
            )
        round_record = _round_of(repo, application)
        maximum = round_record.data.get("max_per_gemeente") if round_record else None
        if round_record is not None and maximum is not None:
            count = len(application.municipalities)
            ceiling = maximum * count
            if requested > ceiling:
                per = f"{euro(maximum)} per gemeente × {count} gemeente{'n' if count != 1 else ''}"
                yield repo.problem(
                    application,
                    ("bedrag_aangevraagd",),
                    f"{euro(requested)} is meer dan het maximum van ronde '{round_record.key}': {per} = {euro(ceiling)}. "
                    f"Vraag ten hoogste {euro(ceiling)} aan.",
                    "bedrag-boven-maximum",
                )
        awarded = awarded_amount(application)
        if awarded is not None and awarded > requested:
            index = step_index(application, "toegekend")
            yield repo.problem(
                application,
                ("historie", index, "bedrag_toegekend"),
                f"toegekend is {euro(awarded)}, meer dan de aangevraagde {euro(requested)}. "
                "Een toekenning is ten hoogste het aangevraagde bedrag; verlaag 'bedrag_toegekend'.",
                "toegekend-boven-aangevraagd",
            )


def _part_phrases(repo: Repository) -> dict[str, str]:
    """``part -> sentence form`` ('ronde X vraagt <zinsvorm>') from the code list; read only when a part is missing."""
    return {row["code"]: row["zinsvorm"] for row in repo.vocab.table("verplichte-onderdelen")}


def required_parts_present(repo: Repository, targets: list[Record]) -> Iterator[Problem]:
    """The round's ``verplichte_onderdelen`` must be filled in; for a concept this is a reminder (warning)."""
    for application in _checked_applications(repo, targets):
        round_record = _round_of(repo, application)
        if round_record is None:
            continue
        severity = Severity.WARNING if application.status == "concept" else Severity.ERROR
        for part in round_record.data.get("verplichte_onderdelen", []):
            value = application.data.get(part)
            filled = any(value.values()) if isinstance(value, dict) else bool(value)
            if not filled:
                when = "voordat je indient" if severity is Severity.WARNING else "in deze aanvraag"
                phrase = _part_phrases(repo).get(part, part)
                yield repo.problem(
                    application,
                    (part,),
                    f"ronde '{round_record.key}' vraagt {phrase}; vul '{part}' aan {when}.",
                    "onderdeel-ontbreekt",
                    severity,
                )


def eligible(round_record: Round, code: str) -> bool:
    """Whether a municipality may apply in a round, after its ``subsidiabel`` setting."""
    rule = round_record.data["subsidiabel"]
    listed = code in rule.get("gemeenten", [])
    return {"alle": True, "lijst": listed, "alle-behalve": not listed}[rule["soort"]]


def municipalities_eligible(repo: Repository, targets: list[Record]) -> Iterator[Problem]:
    for application in _checked_applications(repo, targets):
        round_record = _round_of(repo, application)
        if round_record is None:
            continue
        kind = round_record.data["subsidiabel"]["soort"]
        for index, code in enumerate(application.municipalities):
            if not eligible(round_record, code):
                why = "staat niet op de lijst" if kind == "lijst" else "is uitgesloten"
                yield repo.problem(
                    application,
                    ("gemeenten", index),
                    f"{code} {repo.vocab.municipality_name(code)} {why} van gemeenten die in ronde '{round_record.key}' "
                    "mogen aanvragen (zie 'subsidiabel' in de ronde). Haal de gemeente uit deze aanvraag.",
                    "gemeente-niet-subsidiabel",
                )


def one_application_per_municipality(repo: Repository, targets: list[Record]) -> Iterator[Problem]:
    """A municipality may be in one open application per round, also when that application is regional.

    Per round the other applications are read once: only those that mention one of the checked
    municipalities are parsed, and an index ``municipality -> applications`` answers each check.
    """
    by_round: dict[str, list[Application]] = defaultdict(list)
    for application in _checked_applications(repo, targets):
        if application.status not in CLOSED_STATUSES:
            by_round[application.round_key].append(application)
    for round_key, checked in by_round.items():
        needles = tuple({code.encode() for application in checked for code in application.municipalities})
        claims: dict[str, list[Application]] = defaultdict(list)
        for other in _round_applications(repo, round_key, needles, len(checked)):
            if other.status not in CLOSED_STATUSES:
                for code in other.municipalities:
                    claims[code].append(other)
        for application in checked:
            yield from _double_claims(repo, application, claims)


def _double_claims(repo: Repository, application: Application, claims: dict[str, list[Application]]) -> Iterator[Problem]:
    codes = application.municipalities
    for index, code in enumerate(codes):
        for other in claims.get(code, []):
            if other.path == application.path:
                continue
            yield repo.problem(
                application,
                ("gemeenten", index),
                f"{code} {repo.vocab.municipality_name(code)} doet in ronde '{application.round_key}' al mee "
                f"in de aanvraag van coalitie '{other.coalition_key}' ({other.path}). Een gemeente mag per ronde "
                "in één aanvraag staan; haal haar hier of daar weg, of trek een van beide aanvragen in.",
                "gemeente-al-in-ronde",
            )


def round_budget_kept(repo: Repository, targets: list[Record]) -> Iterator[Problem]:
    """The sum awarded in a round is at most its budget.

    When the round itself is checked the problem is reported once, on its budget;
    otherwise on each checked application whose award takes part in the excess.
    """
    target_rounds = {r.key for r in targets if isinstance(r, Round)}
    awarded_targets: dict[str, list[Application]] = defaultdict(list)
    for record in targets:
        if isinstance(record, Application) and awarded_amount(record) is not None:
            awarded_targets[record.round_key].append(record)
    for round_key in sorted(target_rounds | set(awarded_targets)):
        round_record = repo.record("ronde", round_key)
        if not isinstance(round_record, Round) or not round_record.valid:
            continue
        budget = round_record.data["budget"]
        # A checked round has all its applications loaded already by the other rules.
        checked = (
            len(applications_by_round(repo).get(round_key, [])) if round_key in target_rounds else len(awarded_targets[round_key])
        )
        total = sum(awarded_amount(a) or 0 for a in _round_applications(repo, round_key, (b"bedrag_toegekend",), checked))
        if total <= budget:
            continue
        excess = f"samen {euro(total)} toegekend, {euro(total - budget)} meer dan het budget van {euro(budget)}"
        if round_key in target_rounds:
            yield repo.problem(
                round_record,
                ("budget",),
                f"in ronde '{round_key}' is {excess}. Verlaag toekenningen of verhoog het budget.",
                "ronde-budget-overschreden",
            )
            continue
        for application in awarded_targets[round_key]:
            yield repo.problem(
                application,
                ("historie", step_index(application, "toegekend"), "bedrag_toegekend"),
                f"met deze toekenning is in ronde '{round_key}' {excess}. Verlaag het toegekende bedrag.",
                "ronde-budget-overschreden",
            )


def round_dates_in_order(repo: Repository, targets: list[Record]) -> Iterator[Problem]:
    """A round opens before it closes, and reports are due after it closes."""
    for round_record in (r for r in targets if isinstance(r, Round)):
        data = round_record.data
        if data["sluit"] < data["opent"]:
            yield repo.problem(
                round_record,
                ("sluit",),
                f"de ronde sluit ({data['sluit']}) vóór ze opent ({data['opent']}); draai de datums om.",
                "ronde-datums",
            )
        if data["verantwoording_uiterlijk"] < data["sluit"]:
            yield repo.problem(
                round_record,
                ("verantwoording_uiterlijk",),
                f"de verantwoording moet uiterlijk {data['verantwoording_uiterlijk']}, vóór de sluiting "
                f"({data['sluit']}); kies een datum na de sluiting.",
                "ronde-datums",
            )


GRANT_RULES: list[GrantRule] = [
    history_follows_table,
    submission_in_window,
    report_on_time_and_complete,
    amounts_add_up,
    required_parts_present,
    municipalities_eligible,
    one_application_per_municipality,
    round_budget_kept,
    round_dates_in_order,
]
