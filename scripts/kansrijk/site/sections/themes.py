"""Theme pages (``themas/``), as on the Pharos platform: every record kind with themes, listed by theme.

The kinds come from the kinds table: each kind whose schema has a ``themas`` property and that has pages of its
own gets a block on every theme page, in table order, headed by its plural title and anchored at its site
section. ``LISTINGS`` says how a kind is listed when it needs more than a list by name (the interventions by
action line, the agenda newest first); a new kind with ``themas`` appears without an edit here. The themes,
their labels and their introductions are the code list ``vocab/themas.csv``; the markup is in
``templates/themes/``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kansrijk.records.kinds import KINDS, RecordKind
from kansrijk.records.model import ACTION_LINES, Activity, Intervention, Record
from kansrijk.records.schema_fields import property_names
from kansrijk.site.engine.html import html_page
from kansrijk.site.engine.pages import GENERATORS, Page, SiteContext
from kansrijk.site.engine.templating import TemplateContext, render_context
from kansrijk.site.engine.urls import THEMES_INDEX, record_page, theme_page
from kansrijk.site.parts.activities import when
from kansrijk.site.parts.recognition import recognition_context

THEMES_FIELD = "themas"


@dataclass(frozen=True)
class ThemeListing:
    """How the theme pages list one kind; a kind without an entry in ``LISTINGS`` gets a plain list by name."""

    by_action_line: bool = False  # grouped under the action lines, with the count in the heading
    newest_first: bool = False  # by date (``datum``), the latest first
    empty: str = "Geen {plural} bij dit thema."
    all_link: bool = False  # a link to the kind's index under the list


LISTINGS: dict[str, ThemeListing] = {
    "interventie": ThemeListing(by_action_line=True, empty="Nog geen {plural} bij dit thema."),
    "activiteit": ThemeListing(newest_first=True),
    "training": ThemeListing(all_link=True),
}


@dataclass(frozen=True)
class ThemeEntry:
    """One record on a theme page."""

    page: str
    name: str
    is_example: bool
    recognition: dict[str, object] | None  # interventions: the recognition badge
    meta: str  # activities: when it takes place


@dataclass(frozen=True)
class ThemeGroup:
    """A list under an optional subheading (an action line)."""

    title: str
    entries: list[ThemeEntry]


@dataclass(frozen=True)
class KindBlock:
    """One kind's section of a theme page."""

    anchor: str
    heading: str
    groups: list[ThemeGroup]  # empty when the theme has no records of the kind
    empty: str
    index_link: str | None
    index_text: str


@dataclass(frozen=True)
class ThemePageContext(TemplateContext):
    template = "themes/page.html"

    path: str
    index_path: str
    intro: str
    blocks: list[KindBlock]


@dataclass(frozen=True)
class ThemeCard:
    """A theme on the index: its page, label, introduction and number of interventions."""

    page: str
    label: str
    intro: str
    count: int


@dataclass(frozen=True)
class ThemesIndexContext(TemplateContext):
    template = "themes/index.html"

    index_path: str
    cards: list[ThemeCard]


def theme_kinds(ctx: SiteContext) -> list[RecordKind]:
    """The kinds with pages whose schema has ``themas``, in kinds-table order."""
    return [
        kind
        for kind in KINDS.values()
        if kind.site_section and THEMES_FIELD in property_names(ctx.repo.schemas[kind.name].document, ())
    ]


def _ordered(ctx: SiteContext, kind: RecordKind, listing: ThemeListing) -> list[Record]:
    records = ctx.repo.valid_records(kind.name)
    if listing.newest_first:
        return list(reversed(sorted(records, key=lambda r: str(r.data.get("datum", "")))))
    return sorted(records, key=lambda r: r.heading.casefold())


def _entry(ctx: SiteContext, record: Record) -> ThemeEntry:
    return ThemeEntry(
        record_page(record.kind, record.key),
        record.heading,
        record.is_example,
        recognition_context(ctx, record) if isinstance(record, Intervention) else None,
        when(record) if isinstance(record, Activity) else "",
    )


def _block(ctx: SiteContext, kind: RecordKind, members: list[Record]) -> KindBlock:
    listing = LISTINGS.get(kind.name, ThemeListing())
    entries = [(record, _entry(ctx, record)) for record in members]
    if listing.by_action_line:
        grouped = [
            ThemeGroup(ctx.label("actielijnen", line), [e for r, e in entries if line in r.data.get("actielijnen", [])])
            for line in ACTION_LINES
        ]
        groups = [group for group in grouped if group.entries]
    else:
        groups = [ThemeGroup("", [e for _r, e in entries])] if entries else []
    return KindBlock(
        anchor=str(kind.site_section),
        heading=f"{kind.plural} ({len(members)})" if listing.by_action_line else kind.plural,
        groups=groups,
        empty=listing.empty.format(plural=kind.plural.lower()),
        index_link=f"{kind.site_section}/index.md" if listing.all_link else None,
        index_text=f"Alle {kind.plural.lower()}",
    )


def theme_pages(ctx: SiteContext) -> Iterable[Page]:
    themes = ctx.codelists["themas"]
    intros = themes.column("inleiding")
    kinds = [(kind, _ordered(ctx, kind, LISTINGS.get(kind.name, ThemeListing()))) for kind in theme_kinds(ctx)]
    cards = []
    for theme, label in themes.labels.items():
        path = theme_page(theme)
        members = {kind.name: [r for r in records if theme in r.data.get(THEMES_FIELD, [])] for kind, records in kinds}
        blocks = [_block(ctx, kind, members[kind.name]) for kind, _records in kinds]
        body = render_context(ThemePageContext(path=path, index_path=THEMES_INDEX, intro=intros[theme], blocks=blocks))
        yield Page(path, html_page(f"Thema: {label}", body))
        cards.append(ThemeCard(path, label, intros[theme], len(members.get("interventie", []))))
    yield Page(THEMES_INDEX, html_page("Thema's", render_context(ThemesIndexContext(index_path=THEMES_INDEX, cards=cards))))


GENERATORS.append(theme_pages)
