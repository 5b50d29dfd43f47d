"""Record forms and the analysetool: contributing without git, checked in the browser before anything is sent.

Why static pages: a form page is generated at build time from the record's JSON Schema (labels, help, browser
constraints; see ``form_schema.py``), the code lists and the records (pickers, cross-record checks). No server is
needed and nothing leaves the browser until the person chooses to go to GitHub. ``formulier.js`` turns the answers
into the record in the house format of ``kansrijk fmt``; ``analysetool.js`` compares a set of interventions with
the menu. To add a form for a record kind: one ``register(FormKind(...))`` line below.

Existing records are offered for change as one JSON asset each (``formulier/bestaand/<kind>/<key>.json``): the
data, and the original text of every top-level field, so an unchanged field is written back exactly as it was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

from markupsafe import Markup

from kansrijk.records.kinds import KINDS
from kansrijk.records.model import ACTION_LINES, Record, Round
from kansrijk.records.schema_fields import property_names
from kansrijk.settings import REPOSITORY_URL
from kansrijk.site.engine.html import html_page
from kansrijk.site.engine.pages import GENERATORS, Page, SiteContext
from kansrijk.site.engine.templating import render
from kansrijk.site.engine.urls import ANALYSIS, FORMS_INDEX, coalition_page, form_page
from kansrijk.site.parts.form_schema import CodedTitle, FieldRules, FormField, build_fields
from kansrijk.site.sections.coalitions import coalition_index

EXISTING_DIR = "formulier/bestaand"
GITHUB_URL_LIMIT = 8000  # longer new-file links are cut off by browsers and GitHub: copy or download instead


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
        "training",
        "Training",
        "Meld een training of e-learning voor professionals over een thema van Kansrijke Start.",
        FieldRules(pickers={"interventies": "interventies"}, helps={"interventies": _PICK_INTERVENTION}, skip=("voorbeeld",)),
        fixed_on_change=("id",),
    )
)


class FormData:
    """Build-time data the pickers and checks need, computed once per build."""

    def __init__(self, ctx: SiteContext) -> None:
        self.ctx = ctx

    @cached_property
    def shared(self) -> dict[str, object]:
        vocab = self.ctx.repo.vocab
        ranks = {row["code"]: int(row["rang"]) for row in vocab.table("erkenningsniveaus")}
        interventions = []
        for item in sorted(self.ctx.interventions.values(), key=lambda i: i.name.casefold()):
            if item.archived:
                continue
            level = item.recognition.get("niveau", "geen")
            interventions.append(
                {
                    "kenmerk": item.key,
                    "naam": item.name,
                    "actielijnen": item.action_lines,
                    "erkenning": self.ctx.label("erkenningsniveaus", level),
                    "rang": ranks.get(level, 0),
                }
            )
        return {
            "gemeenten": [[m.code, m.naam, m.provincie] for m in vocab.municipalities.values()],
            "opgeheven": [
                [m.code, m.naam, m.provincie, m.einddatum, list(m.opvolgers)] for m in vocab.ended_municipalities.values()
            ],
            "interventies": interventions,
            "actielijnen": [[line, self.ctx.label("actielijnen", line)] for line in ACTION_LINES],
            "vandaag": self.ctx.today.isoformat(),
            "repository": REPOSITORY_URL,
            "urlLimiet": GITHUB_URL_LIMIT,
        }

    @cached_property
    def rounds(self) -> list[dict[str, object]]:
        return [
            {
                "kenmerk": r.key,
                "titel": r.title,
                "opent": r.data.get("opent", ""),
                "sluit": r.data.get("sluit", ""),
                "max": r.data.get("max_per_gemeente"),
                "onderdelen": [self.ctx.label("verplichte-onderdelen", p) for p in r.data.get("verplichte_onderdelen", [])],
                "onderdeelKenmerken": list(r.data.get("verplichte_onderdelen", [])),
            }
            for r in self.ctx.repo.valid(Round)
        ]

    @cached_property
    def coalitions(self) -> list[dict[str, object]]:
        return [
            {
                "kenmerk": c.key,
                "naam": c.name,
                "gemeenten": c.municipalities,
                "interventies": {
                    line: [e["interventie"] for e in c.data.get("interventies", {}).get(line, []) if e.get("status") != "gestopt"]
                    for line in ACTION_LINES
                },
                "voorbeeld": c.is_example,
            }
            for c in self.ctx.coalitions.values()
        ]


def form_data(ctx: SiteContext) -> FormData:
    return ctx.index(FormData)


def _fill_pickers(fields: list[FormField], data: FormData) -> None:
    """Give picker fields their options from the records (interventions per action line, rounds, coalitions)."""
    catalogue = data.shared["interventies"]
    for item in fields:
        if item.widget == "interventie":
            line = item.path.split(".")[1]
            item.options = [
                (i["kenmerk"], f"{i['naam']} ({i['erkenning']})")
                for i in catalogue
                if line in i["actielijnen"]  # type: ignore[index]
            ]
        elif item.widget == "interventies":
            item.options = [(i["kenmerk"], f"{i['naam']} ({i['erkenning']})") for i in catalogue]  # type: ignore[index]
        elif item.widget == "ronde":
            item.options = [(str(r["kenmerk"]), str(r["titel"])) for r in data.rounds]
        elif item.widget == "coalitie":
            item.options = [(str(c["kenmerk"]), str(c["naam"])) for c in data.coalitions]
        _fill_pickers(item.children, data)


def _with_code_lists(rules: FieldRules, ctx: SiteContext) -> FieldRules:
    """Option labels named by code list (``"partnertypen"``) looked up in ``vocab/``, and every code list for the
    fields whose schema property names one."""
    labels = {path: ctx.labels[table] if isinstance(table, str) else table for path, table in rules.labels.items()}
    return replace(rules, labels=labels, code_lists=ctx.labels)


def _json(value: object) -> Markup:
    """JSON for a ``<script type="application/json">`` block: ``<`` escaped, so no text can close the element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def form_fields(ctx: SiteContext, kind: FormKind) -> list[FormField]:
    """The questions of a kind's form: from its schema, with code-list labels and picker options from the records."""
    fields = build_fields(ctx.repo.schemas[kind.kind].document, (), _with_code_lists(kind.rules, ctx))
    _fill_pickers(fields, form_data(ctx))
    return fields


def build_form_page(ctx: SiteContext, kind: FormKind) -> Page:
    data = form_data(ctx)
    document = ctx.repo.schemas[kind.kind].document
    fields = form_fields(ctx, kind)
    settings = {
        **data.shared,
        "soort": kind.kind,
        "bestand": kind.file,
        "modeline": kind.modeline,
        "volgorde": property_names(document, ()),
        "labels": {f.key: f.label for f in fields},
        "alleenNieuw": list(kind.new_only),
        "vastBijWijzigen": list(kind.fixed_on_change),
        "rondes": data.rounds,
        "coalities": data.coalitions,
    }
    body = render(
        "forms/page.html",
        path=kind.page,
        kind=kind,
        fields=fields,
        settings=_json(settings),
        municipalities=data.shared["gemeenten"],
        ended=data.shared["opgeheven"],
        existing_base=f"{EXISTING_DIR}/{kind.kind}",
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
    body = render("forms/index.html", path=FORMS_INDEX, kinds=list(FORM_KINDS.values()), analysis=ANALYSIS)
    return Page(FORMS_INDEX, html_page("Formulieren", body, description="Records invullen en controleren in de browser."))


def analysis_page(ctx: SiteContext) -> Page:
    data = form_data(ctx)
    index = coalition_index(ctx)
    settings = {
        **data.shared,
        "coalities": data.coalitions,
        "erkendPerLijn": {line: [i.key for i in index.recognised_by_line[line]] for line in ACTION_LINES},
        "menu": index.menu_size,
        "formulier": "../formulier/coalitie/",
    }
    lines = [
        (line, ctx.label("actielijnen", line), [i for i in data.shared["interventies"] if line in i["actielijnen"]])  # type: ignore[index, operator, attr-defined]
        for line in ACTION_LINES
    ]
    body = render(
        "forms/analysis.html",
        path=ANALYSIS,
        lines=lines,
        coalitions=data.coalitions,
        settings=_json(settings),
        settings_municipalities=data.shared["gemeenten"],
        form_page=FORM_KINDS["coalitie"].page,
        overview=coalition_page("").removesuffix(".md") + "index.md",
    )
    return Page(ANALYSIS, html_page("Analysetool", body, description="Vergelijk de interventies van een gemeente met het menu."))


def form_pages(ctx: SiteContext) -> Iterable[Page]:
    yield forms_index(ctx)
    yield analysis_page(ctx)
    for kind in FORM_KINDS.values():
        yield build_form_page(ctx, kind)
        for record in ctx.repo.records(kind.kind):
            if record.valid:
                yield existing_record(ctx, record)


GENERATORS.append(form_pages)
