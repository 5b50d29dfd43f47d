"""``issue-to-pr``: turn an issue filed through one of the issue forms into a record on a branch and a pull request.

A policy officer fills in a form in Dutch and never sees YAML. This module reads
the issue body the way GitHub writes it for issue forms (``### <label>`` then the
value, ``_No response_`` for an empty field, ``- [x]`` for ticked boxes), using
the form definitions in ``.github/ISSUE_TEMPLATE/`` of the checkout as the
single source of field ids and labels. The values become record *data*, which
``scaffold.render`` serialises; nothing from the issue is ever pasted into YAML
text, so a body cannot inject keys, tags or documents.

Validation runs against the local checkout of the base branch (the workflow
checks out the default branch, never PR code): the record areas are copied to a
temporary folder, the new file is added there and ``validate`` checks it with
every schema and cross-record rule. The copy keeps the checkout clean, and
records are small, so copying stays cheap next to the API round trips.

The issue body is untrusted: its size and every field's size are capped,
invisible control characters are refused, identifiers must be existing slugs (a
``/`` or ``..`` is refused outright), and every value quoted back in a comment
or PR body is Markdown-escaped (no HTML, links or @-mentions).

Every answer goes back on the issue and is bounded: a refusal lists its points up to
:data:`MAX_REPLY_CHARS` and counts the rest. Text that is not valid Unicode (a lone
surrogate) is refused by question. A coalition name that Windows cannot use as a
folder (``NUL``, ``com1``) is refused. The keeper the bot proposes for CODEOWNERS is
always the issue's author, never a login typed in the form: the bot never mentions
a name the filer chose.

The "wijziging" form is free text ("what is there now, what should it be"), so
there is nothing structured to apply safely: the tool answers that a maintainer
takes it over and opens nothing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .kinds import RECORD_FOLDERS, SUPPORT_FOLDERS
from .model import ACTION_LINES, Repository, is_windows_reserved
from .problems import Problem
from .prreport import code, escape
from .scaffold import record_path, render
from .validate import validate

MARKER = "<!-- kansrijk-issue-to-pr -->"
TEMPLATE_DIR = ".github/ISSUE_TEMPLATE"
MAX_BODY_CHARS = 65_536  # GitHub's own limit for an issue body
MAX_INPUT_CHARS = 300
MAX_TEXTAREA_CHARS = 5_000
MAX_LINES = 60
MAX_REPLY_CHARS = 10_000  # every comment and PR body the bot writes stays under this
MAX_FINDING_CHARS = 600
NO_RESPONSE = "_No response_"
COPIED_DIRS = (*SUPPORT_FOLDERS, *RECORD_FOLDERS)
FORM_COALITION = "nieuwe-coalitie"
FORM_CHANGE = "wijziging"

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")
_CODE = re.compile(r"\bGM\s?(\d{4})\b", re.IGNORECASE)
_HEADING = re.compile(r"^### (.+?)[ \t]*$", re.MULTILINE)
_CHECKBOX = re.compile(r"^- \[([ xX])\] (.*)$")
_BULLET = re.compile(r"^\s*(?:[-*•+]|\d+[.)])\s+")
_ACTION_LINE = re.compile(
    r"^(voor|tijdens|na)(?:\s+de\s+(?:zwangerschap|geboorte))?\s*(?:[:\-–]\s*(.*))?$",
    re.IGNORECASE,
)
_TRAILING_AMOUNT = re.compile(
    r"^(.*?)[\s:=\-–,]*(?:€|eur\b|euro\b)?\s*(\d{1,3}(?:[. ]\d{3})+|\d+)(?:,-|,00)?\s*(?:euro|eur)?\s*$", re.IGNORECASE
)
_PARENTHESISED = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE)


class FormError(Exception):
    """The issue cannot be read as a form at all (wrong kind of issue, or a body that is not a form)."""


@dataclass(frozen=True)
class FormField:
    id: str
    label: str
    type: str
    required: bool
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Form:
    """One issue form: its file stem, the labels it puts on an issue and its fields in order."""

    name: str
    labels: frozenset[str]
    fields: tuple[FormField, ...]

    def label_of(self, field_id: str) -> str:
        return next((f.label for f in self.fields if f.id == field_id), field_id)


@dataclass(frozen=True)
class Finding:
    """Something to fix, said in the words of the form: which question, and what to do."""

    question: str
    message: str


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


@dataclass
class Outcome:
    """What the run did, for the command's last line and the exit code."""

    action: str  # "pr-geopend", "pr-bijgewerkt", "pr-ongewijzigd", "afgewezen", "overgedragen"
    message: str
    pull_number: int | None = None
    findings: list[Finding] = field(default_factory=list)


# ---------------------------------------------------------------- forms and the issue body


def load_forms(root: Path) -> list[Form]:
    """The issue forms of the checkout; their ids and labels define what an issue body holds."""
    forms = []
    for path in sorted((root / TEMPLATE_DIR).glob("*.yml")):
        if path.name == "config.yml":
            continue
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        fields = []
        for item in document.get("body", []):
            if item.get("type") == "markdown":
                continue
            attributes = item.get("attributes", {})
            options = tuple(o["label"] if isinstance(o, dict) else str(o) for o in attributes.get("options", []))
            required = bool(item.get("validations", {}).get("required")) or any(
                isinstance(o, dict) and o.get("required") for o in attributes.get("options", [])
            )
            fields.append(FormField(item["id"], attributes["label"], item["type"], required, options))
        forms.append(Form(path.stem, frozenset(document.get("labels", [])), tuple(fields)))
    return forms


def pick_form(forms: list[Form], issue_labels: set[str], body: str) -> Form:
    """The form an issue came from: by its labels first, else by the questions its body answers."""
    by_labels = [f for f in forms if f.labels and f.labels <= issue_labels]
    if len(by_labels) == 1:
        return by_labels[0]
    headings = {h.strip() for h in _HEADING.findall(body.replace("\r\n", "\n"))}
    by_headings = [f for f in forms if {x.label for x in f.fields if x.required} <= headings]
    if len(by_headings) == 1:
        return by_headings[0]
    raise FormError(
        "dit issue is niet met een van de formulieren (nieuwe coalitie, impulsaanvraag, wijziging) gemaakt; "
        "een beheerder handelt het af"
    )


def parse_body(form: Form, body: str) -> tuple[dict[str, object], list[Finding]]:
    """Field id -> answer (text, or a list of (ticked, option) for checkboxes), and what is wrong with the body."""
    if len(body) > MAX_BODY_CHARS:
        return {}, [Finding("Formulier", f"het formulier is langer dan {MAX_BODY_CHARS} tekens; maak de antwoorden korter.")]
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    labels = {f.label: f for f in form.fields}
    sections: dict[str, list[str]] = {}
    findings: list[Finding] = []
    current: str | None = None
    repeated: dict[str, int] = {}
    for line in body.split("\n"):
        heading = _HEADING.match(line)
        if heading and heading[1].strip() in labels:
            current = labels[heading[1].strip()].id
            if current in sections:
                repeated[heading[1].strip()] = repeated.get(heading[1].strip(), 1) + 1
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
    for label, count in repeated.items():
        times = "twee" if count == 2 else str(count)
        findings.append(Finding(label, f"deze vraag staat {times} keer in het issue; houd één kop '###' over."))
    values: dict[str, object] = {}
    for form_field in form.fields:
        text = "\n".join(sections.get(form_field.id, [])).strip()
        text = "" if text == NO_RESPONSE else text
        limit = MAX_TEXTAREA_CHARS if form_field.type == "textarea" else MAX_INPUT_CHARS
        if _SURROGATE.search(text):
            findings.append(
                Finding(
                    form_field.label,
                    "het antwoord bevat een teken dat geen geldige tekst is (een losse UTF-16-helft); "
                    "typ het antwoord opnieuw of plak het als platte tekst.",
                )
            )
            text = _SURROGATE.sub("", text)
        if _INVISIBLE.search(text):
            findings.append(Finding(form_field.label, "het antwoord bevat onzichtbare stuurtekens; typ het opnieuw."))
            text = _INVISIBLE.sub("", text)
        if len(text) > limit:
            findings.append(Finding(form_field.label, f"het antwoord is te lang ({len(text)} tekens); maximaal {limit}."))
            text = text[:limit]
        if form_field.type == "checkboxes":
            ticked = [(m[1] != " ", m[2].strip()) for m in map(_CHECKBOX.match, text.split("\n")) if m]
            values[form_field.id] = ticked
            if form_field.required and not (ticked and all(t for t, _ in ticked)):
                findings.append(Finding(form_field.label, "zet een vinkje bij de bevestiging."))
            continue
        if form_field.type == "textarea" and text.count("\n") >= MAX_LINES:
            findings.append(Finding(form_field.label, f"het antwoord heeft meer dan {MAX_LINES} regels; vat het samen."))
        if form_field.type == "input" and "\n" in text:
            findings.append(Finding(form_field.label, "het antwoord moet op één regel passen."))
        if form_field.required and not text:
            findings.append(Finding(form_field.label, "deze vraag is verplicht; vul haar in."))
        if form_field.type == "dropdown" and text:
            chosen = next((o for o in form_field.options if o.lower() == text.lower()), None)
            if chosen is None:
                findings.append(Finding(form_field.label, f"kies een van: {', '.join(form_field.options)}."))
            text = chosen or ""
        values[form_field.id] = text
    return values, findings


# ---------------------------------------------------------------- from answers to record data


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
        if given and not _LOGIN.fullmatch(given):
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
        f"issue-{number}-{key}",
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
        f"issue-{number}-{coalition}-{round_key}"[:100],
        f"Impulsaanvraag: {coalition} voor {round_key}",
        f"Impulsaanvraag van **{escape(coalition)}** voor ronde **{escape(round_key)}** (status {status})",
        notes,
    )


# ---------------------------------------------------------------- validation against the base checkout

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


def check_against_base(root: Path, submission: Submission) -> list[Problem]:
    """Every problem ``validate`` finds in the new record, in a copy of the base checkout's record areas."""
    with tempfile.TemporaryDirectory(prefix="kansrijk-issue-") as scratch:
        copy = Path(scratch)
        for name in COPIED_DIRS:
            if (root / name).is_dir():
                shutil.copytree(root / name, copy / name, symlinks=True)
        target = copy / submission.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(submission.text, encoding="utf-8")
        return validate(Repository(copy), [submission.path]).problems


def explain(problem: Problem, form: Form, kind: str) -> Finding:
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


# ---------------------------------------------------------------- Markdown for comments and the PR


def bounded_lines(lines: list[str], budget: int, rest: str) -> list[str]:
    """As many of ``lines`` as fit in ``budget`` characters; the others are counted in ``rest`` (``{count}``)."""
    kept: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        if used + len(line) + 1 > budget:
            return [*kept, rest.format(count=len(lines) - index)]
        kept.append(line)
        used += len(line) + 1
    return kept


def _finding_line(finding: Finding) -> str:
    message = finding.message if len(finding.message) <= MAX_FINDING_CHARS else finding.message[:MAX_FINDING_CHARS] + "…"
    return f"- **{escape(finding.question[:MAX_INPUT_CHARS])}**: {escape(message)}"


def refusal_comment(findings: list[Finding]) -> str:
    """The points to fix, each once; at most :data:`MAX_REPLY_CHARS` characters, the rest counted."""
    head = [
        MARKER,
        "Dank u wel voor het formulier. Er is nog **geen** pull request gemaakt, want een paar antwoorden moeten anders:",
        "",
    ]
    tail = [
        "",
        "Pas het issue aan (bovenaan: ··· → *Edit*) en sla het op; daarna wordt het opnieuw gecontroleerd. "
        "Lukt het niet? Laat dan een reactie achter, dan helpt een beheerder u.",
    ]
    points = list(dict.fromkeys(_finding_line(f) for f in findings))
    budget = MAX_REPLY_CHARS - sum(len(line) + 1 for line in [*head, *tail]) - 100
    points = bounded_lines(points, budget, "- … en nog {count} andere punten; los eerst de punten hierboven op.")
    return "\n".join([*head, *points, *tail])


def form_error_comment(error: FormError) -> str:
    """The answer to an issue that is not a form (or that no form matches): a maintainer takes it over."""
    return "\n".join([MARKER, f"Dank u wel voor uw issue. Er is **geen** pull request gemaakt: {escape(str(error))}."])


def handover_comment(values: dict[str, object]) -> str:
    page = values.get("pagina") if isinstance(values.get("pagina"), str) else ""
    about = f" over {code(str(page))}" if page else ""
    return "\n".join(
        [
            MARKER,
            f"Dank u wel voor uw wijziging{about}. Een wijziging is vrije tekst en wordt daarom niet automatisch "
            "verwerkt: een beheerder neemt haar over, zet haar in een pull request en laat het u hier weten.",
        ]
    )


def done_comment(pull_url: str, number: int, action: str) -> str:
    verb = {"pr-geopend": "staan klaar in", "pr-bijgewerkt": "zijn bijgewerkt in", "pr-ongewijzigd": "staan in"}[action]
    return "\n".join(
        [
            MARKER,
            f"Dank u wel! Uw gegevens {verb} pull request #{number}: {pull_url}",
            "",
            "Een beheerder controleert ze en voegt ze samen; dan sluit dit issue vanzelf. Wilt u nog iets aanpassen? "
            "Pas dit issue aan; de pull request wordt dan bijgewerkt.",
        ]
    )


def pull_body(submission: Submission, number: int, author: str, warnings: list[Finding]) -> str:
    lines = [
        f"{submission.summary}, aangemeld door @{author} via het formulier in #{number}. Met dank aan @{author}!",
        "",
        f"Closes #{number}",
        "",
        f"Bestand: {code(submission.path)}. Gemaakt door `kansrijk issue-to-pr` uit de antwoorden in het issue; "
        "controleer de gegevens voordat u samenvoegt.",
    ]
    if submission.notes or warnings:
        lines += ["", "Voor de beheerder:"]
        points = [f"- {note}" for note in submission.notes] + [_finding_line(w) for w in warnings]
        budget = MAX_REPLY_CHARS - sum(len(line) + 1 for line in lines) - 100
        lines += bounded_lines(points, budget, "- … en nog {count} andere opmerkingen; zie de controle van deze PR.")
    lines += ["", MARKER]
    return "\n".join(lines)


# ---------------------------------------------------------------- GitHub


def find_open_pull(gh_repo, number: int):
    """This issue's open PR (branch ``issue-<N>-...``), or None; so a second run never opens another."""
    prefix = f"issue-{number}-"
    for pull in gh_repo.pull_requests(state="open"):
        head_repo = getattr(pull.head, "repository", None)
        if pull.head.ref.startswith(prefix) and head_repo is not None and head_repo.full_name == gh_repo.full_name:
            return pull
    return None


def _absent_is_none(lookup, *args: object, **kwargs: object):
    """github3.py raises on 404 for some lookups and returns None for others; here absence is always None."""
    import github3

    try:
        return lookup(*args, **kwargs)
    except github3.exceptions.NotFoundError:
        return None


def commit_record(gh_repo, submission: Submission, base: str, message: str, co_author: str) -> str:
    """Create the branch from the base head if needed, and put the file on it; returns what changed."""
    if _absent_is_none(gh_repo.ref, f"heads/{submission.branch}") is None:
        head = _absent_is_none(gh_repo.branch, base)
        if head is None:
            raise LookupError(f"basistak '{base}' bestaat niet")
        gh_repo.create_ref(f"refs/heads/{submission.branch}", head.commit.sha)
    content = submission.text.encode("utf-8")
    message = f"{message}\n\n{co_author}"
    existing = _absent_is_none(gh_repo.file_contents, submission.path, ref=submission.branch)
    if existing is None:
        gh_repo.create_file(submission.path, message, content, branch=submission.branch)
        return "aangemaakt"
    if existing.decoded == content:
        return "ongewijzigd"
    existing.update(message, content, branch=submission.branch)
    return "bijgewerkt"


def process(gh, full_name: str, number: int, root: Path, base: str | None, bot_login: str, today: dt.date) -> Outcome:
    """Read issue ``number`` and answer it: a refusal with reasons, a hand-over, or a branch with a PR."""
    from .github import upsert_comment

    owner, name = full_name.split("/", 1)
    gh_repo = _absent_is_none(gh.repository, owner, name)
    if gh_repo is None:
        raise LookupError(f"repository {full_name} niet gevonden (of het token mag haar niet zien)")
    issue = _absent_is_none(gh_repo.issue, number)
    if issue is None or issue.pull_request_urls:
        raise LookupError(f"#{number} is geen issue in {full_name}")
    if issue.state != "open":
        raise LookupError(f"issue #{number} is gesloten; er wordt niets gedaan")
    author = issue.user.login
    try:
        form = pick_form(load_forms(root), {label.name for label in issue.original_labels}, issue.body or "")
    except FormError as exc:
        upsert_comment(issue, form_error_comment(exc), bot_login, MARKER)
        raise
    values, findings = parse_body(form, issue.body or "")
    if form.name == FORM_CHANGE:
        upsert_comment(issue, handover_comment(values), bot_login, MARKER)
        return Outcome("overgedragen", f"issue #{number} is een wijziging; een beheerder neemt haar over")
    repo = Repository(root)
    submission = None
    if not findings:
        reader = Reader(form, values, repo)
        if form.name == FORM_COALITION:
            submission = coalition_submission(reader, number, today, author)
        else:
            submission = application_submission(reader, number, today, author)
        findings = reader.findings
    warnings: list[Finding] = []
    if submission is not None:
        submission.text = render(submission.kind, submission.data, repo)
        problems = check_against_base(root, submission)
        findings = [explain(p, form, submission.kind) for p in problems if p.is_error]
        warnings = [explain(p, form, submission.kind) for p in problems if not p.is_error]
    if findings or submission is None:
        upsert_comment(issue, refusal_comment(findings), bot_login, MARKER)
        return Outcome("afgewezen", f"issue #{number}: {len(findings)} punt(en) te verbeteren; niets geopend", findings=findings)
    base = base or gh_repo.default_branch
    existing = find_open_pull(gh_repo, number)
    if existing is not None and existing.head.ref != submission.branch:
        message = (
            f"er staat al pull request #{existing.number} open voor dit issue (tak {existing.head.ref}); "
            "sluit die eerst als de nieuwe gegevens een andere tak nodig hebben"
        )
        upsert_comment(issue, "\n".join([MARKER, f"Dank u wel. Er is niets veranderd: {escape(message)}."]), bot_login, MARKER)
        return Outcome("afgewezen", message, existing.number)
    user = issue.user
    co_author = f"Co-authored-by: {author} <{user.id}+{author}@users.noreply.github.com>"
    change = commit_record(gh_repo, submission, base, f"{submission.title} (#{number})", co_author)
    if existing is None:
        pull = gh_repo.create_pull(
            submission.title[:250], base, submission.branch, pull_body(submission, number, author, warnings)
        )
        action = "pr-geopend"
    else:
        pull = existing
        action = "pr-ongewijzigd" if change == "ongewijzigd" else "pr-bijgewerkt"
    upsert_comment(issue, done_comment(pull.html_url, pull.number, action), bot_login, MARKER)
    return Outcome(action, f"issue #{number}: pull request #{pull.number} ({submission.path}, bestand {change})", pull.number)
