"""Reading an issue-form issue: which form it came from, and its body as answers per question.

GitHub writes an issue form's answers as Markdown: ``### <label>`` then the value,
``_No response_`` for an empty field, ``- [x]`` for a ticked box. This module reads
that body back into answers keyed by field id (text, or ``(ticked, option)`` pairs
for checkboxes), with what is wrong with it said in the form's own words. It knows
nothing about records: :mod:`kansrijk.intake` turns the answers into record data.

What it trusts: the form definitions in ``.github/ISSUE_TEMPLATE/`` of the checkout
(the base branch, never PR code), the single source of field ids, labels, types and
options. What it does not trust: the issue body. Its size and every answer's size are
capped, text that is not valid Unicode (a lone surrogate) and invisible control
characters are refused per question, and a dropdown answer must be one of the form's
options.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

TEMPLATE_DIR = ".github/ISSUE_TEMPLATE"
MAX_BODY_CHARS = 65_536  # GitHub's own limit for an issue body
MAX_INPUT_CHARS = 300
MAX_TEXTAREA_CHARS = 5_000
MAX_LINES = 60
NO_RESPONSE = "_No response_"
FORM_COALITION = "nieuwe-coalitie"
FORM_CHANGE = "wijziging"

_HEADING = re.compile(r"^### (.+?)[ \t]*$", re.MULTILINE)
_CHECKBOX = re.compile(r"^- \[([ xX])\] (.*)$")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


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
    """One issue form: its file stem, the labels it puts on an issue, its fields in order and its title."""

    name: str
    labels: frozenset[str]
    fields: tuple[FormField, ...]
    title: str = ""

    def label_of(self, field_id: str) -> str:
        return next((f.label for f in self.fields if f.id == field_id), field_id)


@dataclass(frozen=True)
class Finding:
    """Something to fix, said in the words of the form: which question, and what to do."""

    question: str
    message: str


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
        title = str(document.get("name", path.stem))
        forms.append(Form(path.stem, frozenset(document.get("labels", [])), tuple(fields), title))
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
    titles = ", ".join(f"'{form.title}'" for form in forms)
    raise FormError(f"dit issue is niet met een van de formulieren ({titles}) gemaakt; een beheerder handelt het af")


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
