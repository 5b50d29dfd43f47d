"""Record forms: contributing without git, checked in the browser before anything is sent.

Why static pages: a form page is generated at build time from the record's JSON Schema (labels, help, browser
constraints; see ``form_schema.py``), the code lists and the records (pickers, cross-record checks). No server is
needed and nothing leaves the browser until the person chooses to go to GitHub. ``formulier.js`` turns the answers
into the record in the house format of ``kansrijk fmt``; the data it reads comes from ``parts/form_data.py``
(shared with the analysetool of the coalition section). To add a form for a record kind: one
``register(FormKind(...))`` line below.

Existing records are offered for change as one JSON asset each (``formulier/bestaand/<kind>/<key>.json``): the
data, and the original text of every top-level field, so an unchanged field is written back exactly as it was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from markupsafe import Markup

from kansrijk.records.kinds import KINDS
from kansrijk.records.model import ACTION_LINES, Record
from kansrijk.records.schema_fields import property_names
from kansrijk.site.engine.html import html_page
from kansrijk.site.engine.pages import GENERATORS, Page, SiteContext
from kansrijk.site.engine.templating import TemplateContext, render_context
from kansrijk.site.engine.urls import ANALYSIS, FORMS_INDEX, form_page
from kansrijk.site.parts.form_data import (
    EndedMunicipalityRow,
    FormData,
    MunicipalityRow,
    PickerCoalition,
    PickerRound,
    SharedData,
    form_data,
    script_json,
)
from kansrijk.site.parts.form_schema import CodedTitle, FieldRules, FormField, build_fields

EXISTING_DIR = "formulier/bestaand"


@dataclass(frozen=True)
class FormKind:
    """A record kind that gets a form; its file path comes from the kinds table (``kinds.py``)."""

    kind: str
    title: str
    intro: str
    rules: FieldRules = field(default_factory=FieldRules)
    new_only: tuple[str, ...] = ()  # top-level fields asked only for a new record; a change keeps them as they are
    fixed_on_change: tuple[str, ...] = ()  # fields that name the file: changing them would make another record

    @property
    def file(self) -> str:
        """The record's path with ``{field}`` placeholders, as the form script fills them in."""
        record_kind = KINDS[self.kind]
        return re.sub(r"{(\w+):\w+}", r"{\1}", f"{record_kind.folder}/{record_kind.file_template}")

    @property
    def page(self) -> str:
        return form_page(self.kind)

    @property
    def file_hint(self) -> str:
        """The file path as a person reads it: ``coalitions/<id>/coalitie.yaml``."""
        return self.file.replace("{", "<").replace("}", ">")

    @property
    def modeline(self) -> str:
        depth = self.file.count("/")
        return f"# yaml-language-server: $schema={'../' * depth}schemas/{self.kind}.schema.json"


FORM_KINDS: dict[str, FormKind] = {}


def register(kind: FormKind) -> None:
    FORM_KINDS[kind.kind] = kind


_PER_LINE: dict[str, str | CodedTitle] = {
    f"interventies.{line}": CodedTitle("actielijnen", "Interventies {label}") for line in ACTION_LINES
}

_PICK_INTERVENTION = "Kies uit de catalogus; tussen haakjes staat de erkenning."

register(
    FormKind(
        "coalitie",
        "Coalitie",
        "Meld een lokale of regionale coalitie Kansrijke Start aan, of stel een wijziging voor.",
        FieldRules(
            pickers={"gemeenten": "gemeenten", "interventies.*.*.interventie": "interventie"},
            titles=_PER_LINE,
            helps={
                "interventies.*.*.interventie": _PICK_INTERVENTION,
                "contact": "Een functioneel mailadres (zoals kansrijkestart@gemeente.nl) of een webpagina. Alles in het "
                "record komt openbaar op de site; vul daarom nooit het adres of de naam van een persoon in.",
            },
            skip=("voorbeeld",),
        ),
        fixed_on_change=("id",),
    )
)
register(
    FormKind(
        "aanvraag",
        "Impulsaanvraag",
        "Vraag als coalitie een Impuls aan in een open ronde, of stel een wijziging voor in een aanvraag.",
        FieldRules(
            pickers={"gemeenten": "gemeenten", "ronde": "ronde", "coalitie": "coalitie", "interventies": "interventies"},
            options={"historie.*.status": ("concept", "ingediend")},
            titles={"historie": "Eerste stap", "historie.*.status": "Status van de aanvraag"},
            only={"historie.*": ("datum", "status", "door")},
            helps={
                "interventies": _PICK_INTERVENTION,
                "coalitie": "Kies uw coalitie. Staat die er nog niet bij? Meld haar dan eerst aan met het coalitieformulier.",
                "ronde": "Kies de ronde; de ronde die nu open is, staat al klaar.",
                "historie": "Een aanvraag begint als concept of ingediend. Latere stappen zet een beheerder.",
            },
            single=("historie",),
            skip=("voorbeeld",),
        ),
        new_only=("historie",),
        fixed_on_change=("ronde", "coalitie"),
    )
)
register(
    FormKind(
        "activiteit",
        "Activiteit in de agenda",
        "Zet een webinar, training of bijeenkomst over Kansrijke Start in de agenda.",
        FieldRules(skip=("voorbeeld",)),
        fixed_on_change=("id",),
    )
)

register(
    FormKind(
        "interventie",
        "Interventie",
        "Stel een interventie voor de catalogus voor, of een wijziging in een interventie die er al staat. Noem bij elk "
        "feit een openbare bron.",
        FieldRules(skip=("voorbeeld",)),
        fixed_on_change=("id",),
    )
)

register(
    FormKind(
        "training",
        "Training",
        "Meld een training of e-learning voor professionals over een thema van Kansrijke Start.",
        FieldRules(pickers={"interventies": "interventies"}, helps={"interventies": _PICK_INTERVENTION}, skip=("voorbeeld",)),
        fixed_on_change=("id",),
    )
)


def _fill_pickers(fields: list[FormField], data: FormData) -> None:
    """Give picker fields their options from the records (interventions per action line, rounds, coalitions)."""
    catalogue = data.shared.interventions
    for item in fields:
        if item.widget == "interventie":
            line = item.path.split(".")[1]
            item.options = [i.option for i in catalogue if line in i.action_lines]
        elif item.widget == "interventies":
            item.options = [i.option for i in catalogue]
        elif item.widget == "ronde":
            item.options = [(r.key, r.title) for r in data.rounds]
        elif item.widget == "coalitie":
            item.options = [(c.key, c.name) for c in data.coalitions]
        _fill_pickers(item.children, data)


def _with_code_lists(rules: FieldRules, ctx: SiteContext) -> FieldRules:
    """Option labels named by code list (``"partnertypen"``) looked up in ``vocab/``, and every code list for the
    fields whose schema property names one."""
    labels = {path: ctx.labels[table] if isinstance(table, str) else table for path, table in rules.labels.items()}
    return replace(rules, labels=labels, code_lists=ctx.labels)


def form_fields(ctx: SiteContext, kind: FormKind) -> list[FormField]:
    """The questions of a kind's form: from its schema, with code-list labels and picker options from the records."""
    fields = build_fields(ctx.repo.schemas[kind.kind].document, (), _with_code_lists(kind.rules, ctx))
    _fill_pickers(fields, form_data(ctx))
    return fields


@dataclass(frozen=True)
class FormSettings:
    """What ``formulier.js`` reads on a form page: the shared data, the kind's file and field order, the pickers."""

    shared: SharedData
    kind: FormKind
    order: list[str]  # top-level fields in schema order: the order the record is written in
    labels: dict[str, str]  # top-level field -> question
    rounds: list[PickerRound]
    coalitions: list[PickerCoalition]

    def payload(self) -> dict[str, object]:
        return {
            **self.shared.payload(),
            "soort": self.kind.kind,
            "bestand": self.kind.file,
            "modeline": self.kind.modeline,
            "volgorde": self.order,
            "labels": self.labels,
            "alleenNieuw": list(self.kind.new_only),
            "vastBijWijzigen": list(self.kind.fixed_on_change),
            "rondes": [r.payload() for r in self.rounds],
            "coalities": [c.payload() for c in self.coalitions],
        }


@dataclass(frozen=True)
class FormPageContext(TemplateContext):
    template = "forms/page.html"

    path: str
    kind: FormKind
    fields: list[FormField]
    settings: Markup  # ``FormSettings`` as script JSON
    municipalities: list[MunicipalityRow]
    ended: list[EndedMunicipalityRow]
    existing_base: str


@dataclass(frozen=True)
class FormsIndexContext(TemplateContext):
    template = "forms/index.html"

    path: str
    kinds: list[FormKind]
    analysis: str


def build_form_page(ctx: SiteContext, kind: FormKind) -> Page:
    data = form_data(ctx)
    fields = form_fields(ctx, kind)
    settings = FormSettings(
        data.shared,
        kind,
        property_names(ctx.repo.schemas[kind.kind].document, ()),
        {f.key: f.label for f in fields},
        data.rounds,
        data.coalitions,
    )
    body = render_context(
        FormPageContext(
            path=kind.page,
            kind=kind,
            fields=fields,
            settings=script_json(settings.payload()),
            municipalities=data.shared.municipalities,
            ended=data.shared.ended,
            existing_base=f"{EXISTING_DIR}/{kind.kind}",
        )
    )
    return Page(kind.page, html_page(f"Formulier: {kind.title}", body, description=kind.intro))


def _top_level_blocks(text: str) -> dict[str, str]:
    """The original lines of every top-level field (comment lines above a field travel with it)."""
    blocks: dict[str, list[str]] = {}
    pending: list[str] = []
    current: list[str] | None = None
    for line in text.splitlines(keepends=True)[1:]:  # the first line is the modeline
        if line[:1] not in (" ", "#", "\n", "") and ":" in line:
            current = blocks.setdefault(line.split(":", 1)[0], [])
            current.extend(pending)
            pending = []
            current.append(line)
        elif line.startswith("#"):
            pending.append(line)
        elif current is not None:
            current.append(line)
    return {key: "".join(lines) for key, lines in blocks.items()}


def existing_record(ctx: SiteContext, record: Record) -> Page:
    text = (ctx.repo.root / record.path).read_text(encoding="utf-8")
    payload = {
        "pad": record.path,
        "modeline": text.splitlines()[0] if text.startswith("#") else "",
        "gegevens": record.data,
        "blokken": _top_level_blocks(text) if text.startswith("#") else {},
    }
    return Page(f"{EXISTING_DIR}/{record.kind}/{record.key}.json", json.dumps(payload, ensure_ascii=False))


def forms_index(ctx: SiteContext) -> Page:
    body = render_context(FormsIndexContext(path=FORMS_INDEX, kinds=list(FORM_KINDS.values()), analysis=ANALYSIS))
    return Page(FORMS_INDEX, html_page("Formulieren", body, description="Records invullen en controleren in de browser."))


def form_pages(ctx: SiteContext) -> Iterable[Page]:
    yield forms_index(ctx)
    for kind in FORM_KINDS.values():
        yield build_form_page(ctx, kind)
        for record in ctx.repo.records(kind.kind):
            if record.valid:
                yield existing_record(ctx, record)


GENERATORS.append(form_pages)
