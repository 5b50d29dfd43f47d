"""From form answers to record data: the new coalition or grant application an issue asks for.

:mod:`kansrijk.issueforms` gives the answers per question; this module resolves them
against the base checkout (a coalition or round by its slug or name, municipalities by
CBS code or name, interventions by name, partner types by label) and builds the record
as *data*, which ``scaffold.render`` serialises. Nothing from the issue is ever pasted
into YAML text, so an answer cannot inject keys, tags or documents. Free text is read
with forgiving heuristics (bullets, "voor:/tijdens:/na:" groups, "€ 8.000", "naam (type)"),
and anything they cannot read becomes a finding on its question.

What it trusts: the base checkout's records and vocabularies (``Repository``) and the
issue's author as GitHub reports it. What it does not trust: every answer. Identifiers
must be existing slugs (a ``/`` or ``..`` is refused outright), a coalition name that
Windows cannot use as a folder (``NUL``, ``com1``) is refused, and the keeper proposed
for CODEOWNERS and the actor in the history are always the issue's author, never a
login typed in the form. It also maps validator problems back to the question they
came from (:func:`finding_for`), since it is the one place that knows which field came from
which question.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from kansrijk.github.intake.issueforms import FORM_COALITION, Finding, Form
from kansrijk.github.markdown import code, escape
from kansrijk.github.names import PERSON_LOGIN
from kansrijk.pullrequests.automation import issue_branch
from kansrijk.records.model import ACTION_LINES, Repository
from kansrijk.records.problems import Problem
from kansrijk.records.tree import is_windows_reserved
from kansrijk.tools.new import record_path, render

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CODE = re.compile(r"\bGM\s?(\d{4})\b", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•+]|\d+[.)])\s+")
_ACTION_LINE = re.compile(
    r"^(voor|tijdens|na)(?:\s+de\s+(?:zwangerschap|geboorte))?\s*(?:[:\-–]\s*(.*))?$",
    re.IGNORECASE,
)
_TRAILING_AMOUNT = re.compile(
    r"^(.*?)[\s:=\-–,]*(?:€|eur\b|euro\b)?\s*(\d{1,3}(?:[. ]\d{3})+|\d+)(?:,-|,00)?\s*(?:euro|eur)?\s*$", re.IGNORECASE
)
_PARENTHESISED = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE)


@dataclass
class Submission:
    """What a valid issue becomes: a record at a path, on a branch, with a pull request."""

    kind: str
    path: str
    data: dict[str, object]
    branch: str
    title: str
    summary: str
    notes: list[str] = field(default_factory=list)
    text: str = ""


def slugify(text: str, limit: int = 60) -> str:
    """A slug from a name: 'Kansrijke Start Zeist' -> 'kansrijke-start-zeist'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug


def _lines(text: str) -> list[str]:
    """Non-empty lines without list bullets or bold markers."""
    cleaned = (_BULLET.sub("", line).strip().strip("*_").strip() for line in text.split("\n"))
    return [line for line in cleaned if line]


def _amount(text: str) -> int | None:
    match = _TRAILING_AMOUNT.match(text.strip())
    return int(re.sub(r"[. ]", "", match[2])) if match and not match[1].strip() else None


class Reader:
    """Turns form answers into record values, resolving names against the base checkout; collects findings."""

    def __init__(self, form: Form, values: dict[str, object], repo: Repository) -> None:
        self.form = form
        self.values = values
        self.repo = repo
        self.findings: list[Finding] = []

    def text(self, field_id: str) -> str:
        value = self.values.get(field_id, "")
        return value if isinstance(value, str) else ""

    def problem(self, field_id: str, message: str) -> None:
        self.findings.append(Finding(self.form.label_of(field_id), message))

    def identifier(self, field_id: str, kind: str, name_field: str, advice: str) -> str | None:
        """An existing record's key, given as its slug or its name; never a path."""
        given = self.text(field_id)
        if not given:
            return None
        if any(bad in given for bad in ("/", "\\", "..")):
            self.problem(field_id, f"'{given}' is geen geldig kenmerk: gebruik alleen letters, cijfers en koppeltekens.")
            return None
        keys = self.repo.index[kind]
        candidate = given.strip().lower()
        if _SLUG.fullmatch(candidate) and candidate in keys:
            return candidate
        for record in self.repo.records(kind):
            if str(record.data.get(name_field, "")).strip().lower() == candidate:
                return record.key
        if slugify(given) in keys:
            return slugify(given)
        close = difflib.get_close_matches(slugify(given), list(keys), n=1, cutoff=0.6)
        hint = f" Bedoelt u '{close[0]}'?" if close else ""
        self.problem(field_id, f"'{given}' is niet gevonden.{hint} {advice}")
        return None

    def municipalities(self, field_id: str) -> list[str]:
        """CBS codes from text such as 'GM0355 Zeist, GM0344 Utrecht'; names alone are looked up in the register."""
        by_name = {m.naam.lower(): m.code for m in self.repo.vocab.municipalities.values()}
        codes: list[str] = []
        for part in re.split(r"[,;\n]|\s+en\s+", self.text(field_id)):
            part = _BULLET.sub("", part).strip()
            if not part:
                continue
            match = _CODE.search(part)
            name = re.sub(r"^gemeente\s+", "", part, flags=re.IGNORECASE).strip().lower()
            found = f"GM{match[1]}" if match else by_name.get(name)
            if found is None:
                self.problem(field_id, f"'{part}' is geen bekende gemeente; geef de CBS-code, zoals 'GM0355 Zeist'.")
            elif found not in codes:
                codes.append(found)
        return codes

    def amount(self, field_id: str) -> int | None:
        given = self.text(field_id)
        value = _amount(given) if given else None
        if given and value is None:
            self.problem(field_id, f"'{given}' is geen bedrag; schrijf hele euro's, bijvoorbeeld 20000.")
        return value

    def date(self, field_id: str) -> str | None:
        given = self.text(field_id)
        if not given:
            return None
        try:
            return dt.date.fromisoformat(given).isoformat()
        except ValueError:
            self.problem(field_id, f"'{given}' is geen datum; schrijf JJJJ-MM-DD, bijvoorbeeld 2024-03-01.")
            return None

    def choice(self, field_id: str) -> str | None:
        """A dropdown answer as its code: 'in oprichting' -> 'in-oprichting'."""
        given = self.text(field_id)
        return slugify(given) if given else None

    def login(self, field_id: str) -> str | None:
        given = self.text(field_id).removeprefix("@").strip()
        if given and not PERSON_LOGIN.fullmatch(given):
            self.problem(field_id, f"'{given}' is geen GitHub-naam.")
            return None
        return given or None

    def partner_type(self, text: str) -> str | None:
        labels = self.repo.vocab.labels("partnertypen")
        wanted = text.strip().lower()
        for code_, label in labels.items():
            if wanted in (code_, label.lower()) or slugify(text) == code_:
                return code_
        containing = [c for c, label in labels.items() if wanted and (wanted in label.lower() or label.lower() in wanted)]
        if len(containing) == 1:
            return containing[0]
        names = {**{c: c for c in labels}, **{label.lower(): c for c, label in labels.items()}}
        close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.75)
        return names[close[0]] if close else None

    def partners(self, field_id: str) -> list[dict[str, str]]:
        """'GGD Regio Utrecht (ggd)' or 'GGD Regio Utrecht - ggd', one per line, as ``{naam, type}``."""
        result = []
        for line in _lines(self.text(field_id)):
            match = _PARENTHESISED.match(line)
            name, kind = (match[1], match[2]) if match else _split_last(line)
            partner_type = self.partner_type(kind) if kind else None
            if not name or partner_type is None:
                options = ", ".join(self.repo.vocab.labels("partnertypen"))
                self.problem(
                    field_id,
                    f"bij '{line}' ontbreekt een herkenbaar soort organisatie. Schrijf bijvoorbeeld "
                    f"'GGD Regio Utrecht (ggd)'. Soorten: {options}.",
                )
                continue
            result.append({"naam": name.strip(), "type": partner_type})
        return result

    def by_action_line(self, field_id: str) -> dict[str, list[str]]:
        """Lines grouped under 'voor:', 'tijdens:' and 'na:' (a heading line, or a prefix on the line itself)."""
        groups: dict[str, list[str]] = {}
        current: str | None = None
        for line in _lines(self.text(field_id)):
            match = _ACTION_LINE.match(line)
            if match:
                current = match[1].lower()
                groups.setdefault(current, [])
                if match[2] and match[2].strip():
                    groups[current].append(match[2].strip())
            elif current is None:
                self.problem(
                    field_id, f"begin met 'voor:', 'tijdens:' of 'na:' (de actielijn); '{line}' hoort bij geen actielijn."
                )
            else:
                groups[current].append(line)
        return {line: groups[line] for line in ACTION_LINES if line in groups}

    def interventions_in_use(self, field_id: str) -> dict[str, list[dict[str, str]]]:
        """'tijdens: voorzorg (in uitvoering), centeringpregnancy (gepland)' as the coalition's ``interventies``."""
        result: dict[str, list[dict[str, str]]] = {}
        statuses = ("gepland", "in-uitvoering", "gestopt")
        for action_line, lines in self.by_action_line(field_id).items():
            for item in (part.strip() for line in lines for part in re.split(r"[,;]", line) if part.strip()):
                match = _PARENTHESISED.match(item)
                status = slugify(match[2]) if match else ""
                key = self.intervention(field_id, match[1] if match else item)
                if status not in statuses:
                    self.problem(
                        field_id,
                        f"geef bij '{item}' de status: gepland, in uitvoering of gestopt, bijvoorbeeld 'voorzorg (gepland)'.",
                    )
                elif key is not None:
                    result.setdefault(action_line, []).append({"interventie": key, "status": status})
        return result

    def intervention(self, field_id: str, given: str) -> str | None:
        keys = self.repo.index["interventie"]
        wanted = given.strip().lower()
        if wanted in keys:
            return wanted
        for record in self.repo.records("interventie"):
            if str(record.data.get("naam", "")).lower() == wanted or slugify(given) == record.key:
                return record.key
        close = difflib.get_close_matches(slugify(given), list(keys), n=1, cutoff=0.6)
        hint = f" Bedoelt u '{close[0]}'?" if close else " Gebruik de naam zoals op de site."
        self.problem(field_id, f"interventie '{given}' staat niet in de kennisbank.{hint}")
        return None

    def budget(self, field_id: str) -> list[dict[str, object]]:
        """'Procesbegeleiding: € 8.000', one per line; a 'Totaal' line is skipped (it is not a post)."""
        lines = []
        for line in _lines(self.text(field_id)):
            match = _TRAILING_AMOUNT.match(line)
            description = match[1].strip().rstrip(":=-–,€").strip() if match else ""
            if description.lower().startswith("totaal"):
                continue
            if not match or not description:
                self.problem(field_id, f"'{line}' heeft geen omschrijving met een bedrag; schrijf bijvoorbeeld 'Scholing: 7000'.")
                continue
            lines.append({"omschrijving": description, "bedrag": int(re.sub(r"[. ]", "", match[2]))})
        return lines


def _split_last(line: str) -> tuple[str, str]:
    for separator in (" - ", " – ", ": ", ", "):
        if separator in line:
            name, _, kind = line.rpartition(separator)
            return name, kind
    return line, ""


def _contact(reader: Reader) -> dict[str, str]:
    given = reader.text("contact")
    if re.match(r"https?://\S+$", given):
        return {"website": given}
    if _EMAIL.fullmatch(given):
        return {"email": given}
    if given:
        reader.problem(
            "contact", "geef een functioneel e-mailadres (zoals kansrijkestart@gemeente.nl) of een webadres met https://."
        )
    return {}


def plan_of_approach(reader: Reader) -> dict[str, str]:
    """Status, and for an adopted plan the date it was adopted (the schema requires it) and an optional link."""
    plan: dict[str, str] = {}
    status = reader.choice("plan_van_aanpak")
    if status:
        plan["status"] = status
    adopted_on = reader.date("plan_datum")
    if adopted_on and status != "vastgesteld":
        reader.problem("plan_datum", "vul deze datum alleen in als het plan van aanpak vastgesteld is; laat haar anders leeg.")
    elif adopted_on:
        plan["datum"] = adopted_on
    link = reader.text("plan_link")
    if link and not re.fullmatch(r"https?://\S+", link):
        reader.problem("plan_link", f"'{link}' is geen webadres; begin met https://, bijvoorbeeld https://www.gemeente.nl/plan.")
    elif link:
        plan["link"] = link
    return plan


def coalition_submission(reader: Reader, number: int, today: dt.date, author: str) -> Submission | None:
    """The new coalition; its proposed keeper is the issue's author (a typed login is never proposed or mentioned)."""
    name = reader.text("naam")
    key = slugify(name)
    if name and len(key) < 2:
        reader.problem("naam", "de naam moet letters of cijfers bevatten.")
    elif is_windows_reserved(key):
        reader.problem(
            "naam",
            f"het kenmerk '{key}' dat uit deze naam volgt, is een naam die Windows niet toestaat (zoals CON, NUL, "
            "COM1 of LPT1); de map zou daar niet te openen zijn. Maak de naam langer, bijvoorbeeld met de plaatsnaam.",
        )
    data: dict[str, object] = {"id": key, "naam": name, "gemeenten": reader.municipalities("gemeenten")}
    data["partners"] = reader.partners("partners")
    start = reader.date("startdatum")
    if start:
        data["startdatum"] = start
    data["fase"] = reader.choice("fase")
    data["plan_van_aanpak"] = plan_of_approach(reader)
    data["interventies"] = reader.interventions_in_use("interventies")
    data["contact"] = _contact(reader)
    data["bijgewerkt_op"] = today.isoformat()
    given_keeper = reader.login("github")
    if reader.findings or len(key) < 2:
        return None
    if reader.repo.has("coalitie", key) or (reader.repo.root / "coalitions" / key).exists():
        reader.problem(
            "naam",
            f"er bestaat al een coalitie met het kenmerk '{key}'. Geef een wijziging door met het formulier 'Wijziging doorgeven'.",
        )
        return None
    notes = []
    if given_keeper:
        notes.append(
            f"Voeg @{author}, de indiener van dit issue, toe als eigenaar van {code(f'/coalitions/{key}/')} in "
            "CODEOWNERS (vraag van het formulier)."
        )
    if given_keeper and given_keeper.lower() != author.lower():
        notes.append(
            f"Het formulier noemt een andere GitHub-naam ({code(given_keeper)}); die wordt niet voorgesteld en niet "
            "genoemd, want alleen wie het issue indient, kan zichzelf aanmelden. Wil die persoon de coalitie "
            "bijhouden, dan vraagt die dat zelf aan."
        )
    return Submission(
        "coalitie",
        record_path("coalitie", data),
        data,
        issue_branch(number, key),
        f"Nieuwe coalitie: {name}",
        f"Nieuwe coalitie **{escape(name)}**",
        notes,
    )


def application_submission(reader: Reader, number: int, today: dt.date, author: str) -> Submission | None:
    round_key = reader.identifier(
        "ronde", "ronde", "titel", "Gebruik het kenmerk van de ronde zoals op de site, zoals impuls-2020."
    )
    coalition = reader.identifier(
        "coalitie",
        "coalitie",
        "naam",
        "Staat uw coalitie nog niet op de site? Meld haar eerst aan met het formulier 'Nieuwe coalitie'.",
    )
    data: dict[str, object] = {"ronde": round_key, "coalitie": coalition, "gemeenten": reader.municipalities("gemeenten")}
    data["bedrag_aangevraagd"] = reader.amount("bedrag")
    data["begroting"] = reader.budget("begroting")
    activities = reader.by_action_line("activiteiten")
    if activities:
        data["activiteiten"] = activities
    wanted = [
        reader.intervention("interventies", part) for part in re.split(r"[,;]", reader.text("interventies")) if part.strip()
    ]
    if wanted:
        data["interventies"] = list(dict.fromkeys(k for k in wanted if k))
    partners = _lines(reader.text("partners"))
    if partners:
        data["partners"] = list(dict.fromkeys(partners))
    given_login = reader.login("github")
    status = "ingediend"
    round_record = reader.repo.record("ronde", round_key) if round_key else None
    if round_record is not None and str(round_record.data.get("opent", "")) > today.isoformat():
        status = "concept"  # the round is not open yet: a draft now, submitted later by the applicant
    data["historie"] = [{"datum": today.isoformat(), "status": status, "door": author}]
    if reader.findings or round_key is None or coalition is None:
        return None
    if reader.repo.has("aanvraag", f"{coalition}/{round_key}"):
        reader.problem(
            "ronde", f"coalitie '{coalition}' heeft al een aanvraag voor ronde '{round_key}'. Geef een wijziging door."
        )
        return None
    notes = []
    if given_login and given_login.lower() != author.lower():
        notes.append(
            f"Het formulier noemt GitHub-naam {code(given_login)}, maar het issue is van @{author}; "
            "in de statusgeschiedenis staat daarom @" + author + "."
        )
    if status == "concept":
        notes.append("De ronde is nog niet open; de aanvraag staat daarom als concept. Dien haar in zodra de ronde opent.")
    return Submission(
        "aanvraag",
        record_path("aanvraag", data),
        data,
        issue_branch(number, coalition, round_key),
        f"Impulsaanvraag: {coalition} voor {round_key}",
        f"Impulsaanvraag van **{escape(coalition)}** voor ronde **{escape(round_key)}** (status {status})",
        notes,
    )


def submission_for(
    form: Form, values: dict[str, object], repo: Repository, number: int, today: dt.date, author: str
) -> tuple[Submission | None, list[Finding]]:
    """The record issue ``number`` asks for, serialised, or None; and what to fix in the answers."""
    reader = Reader(form, values, repo)
    if form.name == FORM_COALITION:
        submission = coalition_submission(reader, number, today, author)
    else:
        submission = application_submission(reader, number, today, author)
    if submission is not None:
        submission.text = render(submission.kind, submission.data, repo)
    return submission, reader.findings


def written_today(kind: str, data: dict) -> str | None:
    """The date :func:`submission_for` wrote as ``today`` into a record of ``kind``, read back from its data.

    ``report-pr`` needs it to make the same record again: a coalition's ``bijgewerkt_op``, an
    application's first history step. Anything else (or a missing date) is None.
    """
    if kind == "coalitie":
        value = data.get("bijgewerkt_op")
    elif kind == "aanvraag":
        history = data.get("historie")
        first = history[0] if isinstance(history, list) and history else None
        value = first.get("datum") if isinstance(first, dict) else None
    else:
        return None
    return value if isinstance(value, str) else None


# ---------------------------------------------------------------- validator problems in the form's words

# record field -> the form question it came from, to explain validator problems in the form's words
_FIELD_QUESTIONS = {
    "coalitie": {"id": "naam", "naam": "naam", "gemeenten": "gemeenten", "partners": "partners", "startdatum": "startdatum",
                 "fase": "fase", "plan_van_aanpak": "plan_van_aanpak", "interventies": "interventies", "contact": "contact"},
    # a nested field asked by its own question
    "coalitie/plan_van_aanpak": {"datum": "plan_datum", "link": "plan_link"},
    "aanvraag": {"ronde": "ronde", "coalitie": "coalitie", "gemeenten": "gemeenten", "bedrag_aangevraagd": "bedrag",
                 "begroting": "begroting", "activiteiten": "activiteiten", "interventies": "interventies",
                 "partners": "partners", "historie": "ronde"},
}  # fmt: skip
_LISTED_PER_LINE = {"partners", "begroting"}


def finding_for(problem: Problem, form: Form, kind: str) -> Finding:
    """A validator problem in the form's words: the question, which line, and the validator's Dutch advice."""
    path = problem.field_path
    question_id = _FIELD_QUESTIONS[kind].get(str(path[0])) if path else None
    nested = _FIELD_QUESTIONS.get(f"{kind}/{path[0]}") if path else None
    if nested and len(path) > 1 and str(path[1]) in nested:
        question_id = nested[str(path[1])]
    question = form.label_of(question_id) if question_id else "Algemeen"
    if path and path[0] in _LISTED_PER_LINE and len(path) > 1 and isinstance(path[1], int):
        question += f" (regel {path[1] + 1})"
    if path[:2] == ("plan_van_aanpak", "datum"):
        return Finding(question, "bij een vastgesteld plan hoort de datum van vaststelling; vul die in als JJJJ-MM-DD.")
    return Finding(question, problem.message)
