"""Intervention pages and the faceted catalogue (``interventies/``).

The catalogue is a static list: every item carries its facet values as data attributes, so
``catalogus.js`` filters and counts in the browser without a server; full-text narrowing uses
the Pagefind index (``id`` filter counts give the matching records in one request).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from ..model import ACTION_LINE_LABELS, ACTION_LINES, Intervention
from .html import asset_href, esc, example_badge, external_link, href, html_page, markdown_html, nl_date
from .pages import GENERATORS, Page, SiteContext
from .search import keywords_html, search_words
from .templating import render
from .urls import INTERVENTIONS_INDEX, coalition_page, intervention_page

RECOGNITION_VALID_YEARS = 5
FACTS_STALE_YEARS = 2
RELATED_COUNT = 5
STATUS_LABELS = {"actief": "Actief", "gearchiveerd": "Gearchiveerd"}
THEME_LABELS = {
    "preconceptiezorg": "Preconceptiezorg",
    "vroegsignalering": "Vroegsignalering",
    "rookvrije-start": "Rookvrije start",
    "opvoedondersteuning": "Opvoedondersteuning",
    "samenwerken-in-de-coalitie": "Samenwerken in de coalitie",
}


def years_before(today: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` earlier (later when negative); 29 February becomes the 28th."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def recognised_until(intervention: Intervention) -> tuple[datetime.date | None, bool]:
    """The last day of the recognition (inclusive), and whether it is derived (five years on) rather than recorded."""
    recognition = intervention.recognition
    if recognition.get("niveau", "geen") == "geen":
        return None, False
    if recognition.get("geldig_tot"):
        return datetime.date.fromisoformat(str(recognition["geldig_tot"])), False
    if recognition.get("datum"):
        recognised = datetime.date.fromisoformat(str(recognition["datum"]))
        return years_before(recognised, -RECOGNITION_VALID_YEARS), True
    return None, False


def in_reassessment(intervention: Intervention, today: datetime.date) -> bool:
    """Past its last day ('in herbeoordeling'): derived from the dates, never typed, and apart from what a databank says."""
    until, _derived = recognised_until(intervention)
    return until is not None and until < today


def databank_reassessment(intervention: Intervention) -> dict | None:
    """The databank's own statement that it reassesses the recognition (date seen and page), if recorded."""
    recognition = intervention.recognition
    if recognition.get("niveau", "geen") == "geen":
        return None
    return recognition.get("herbeoordeling") or None


def facts_stale(intervention: Intervention, today: datetime.date) -> bool:
    checked = intervention.get("gecontroleerd_op")
    return bool(checked) and datetime.date.fromisoformat(str(checked)) < years_before(today, FACTS_STALE_YEARS)


@dataclass(frozen=True)
class Facet:
    """One catalogue facet: the record field it reads and the labels of its values."""

    name: str  # URL parameter and data attribute
    legend: str
    labels: dict[str, str]

    def values(self, intervention: Intervention) -> list[str]:
        field = {
            "actielijn": "actielijnen",
            "doelgroep": "doelgroepen",
            "uitvoerder": "uitvoerders",
            "setting": "settings",
        }.get(self.name)
        if field:
            return list(intervention.get(field, []))
        if self.name == "erkenning":
            return [intervention.recognition.get("niveau", "geen")]
        return [str(intervention.get("status", "actief"))]


class InterventionIndex:
    """Facets, related interventions and badges, computed once per build."""

    def __init__(self, ctx: SiteContext) -> None:
        self.ctx = ctx

    @cached_property
    def facets(self) -> list[Facet]:
        ctx = self.ctx
        return [
            Facet("actielijn", "Actielijn", dict(ACTION_LINE_LABELS)),
            Facet("doelgroep", "Doelgroep", ctx.labels["doelgroepen"]),
            Facet("uitvoerder", "Uitvoerder", ctx.labels["beroepen"]),
            Facet("setting", "Setting", ctx.labels["settings"]),
            Facet("erkenning", "Erkenningsniveau", ctx.labels["erkenningsniveaus"]),
            Facet("status", "Status", STATUS_LABELS),
        ]

    @cached_property
    def related(self) -> dict[str, list[Intervention]]:
        """Neighbours in the same (first) action line: linear in the number of interventions."""
        buckets: dict[str, list[Intervention]] = {line: [] for line in ACTION_LINES}
        for intervention in self.ctx.interventions.values():
            if intervention.action_lines:
                buckets[intervention.action_lines[0]].append(intervention)
        related: dict[str, list[Intervention]] = {}
        for bucket in buckets.values():
            size = len(bucket)
            for position, intervention in enumerate(bucket):
                count = min(RELATED_COUNT, size - 1)
                offsets = [(position + step) % size for step in range(1, count + 1)]
                related[intervention.key] = [bucket[o] for o in offsets]
        return related


def intervention_index(ctx: SiteContext) -> InterventionIndex:
    return ctx.index(InterventionIndex)


def recognition_context(ctx: SiteContext, intervention: Intervention) -> dict[str, object]:
    """What the recognition templates show: the record's own facts, and the derived ones marked as such."""
    recognition = intervention.recognition
    level = recognition.get("niveau", "geen")
    until, until_derived = recognised_until(intervention)
    databank = recognition.get("databank")
    return {
        "level": level,
        "label": ctx.label("erkenningsniveaus", level),
        "databank": ctx.label("databanken", str(databank)) if databank else "",
        "recognised_on": recognition.get("datum"),
        "until": until.isoformat() if until else None,
        "until_derived": until_derived,
        "databank_reassessment": databank_reassessment(intervention),
        "derived_reassessment": in_reassessment(intervention, ctx.today),
        "valid_years": RECOGNITION_VALID_YEARS,
    }


def recognition_badge(ctx: SiteContext, intervention: Intervention) -> str:
    """Level, databank, dates and one reassessment badge: the databank's own, or else the derived one."""
    return render("erkenning_badge.html", r=recognition_context(ctx, intervention))


def reassessment_badge(intervention: Intervention, today: datetime.date) -> str:
    """The catalogue's short form of the reassessment badge, in the same two kinds as on the page."""
    return render(
        "erkenning_herbeoordeling.html",
        r={
            "databank_reassessment": databank_reassessment(intervention),
            "derived_reassessment": in_reassessment(intervention, today),
        },
    )


def _labelled(ctx: SiteContext, code_list: str, codes: Iterable[str]) -> str:
    return ", ".join(esc(ctx.label(code_list, code)) for code in codes)


def build_intervention_page(ctx: SiteContext, intervention: Intervention) -> Page:
    path = intervention_page(intervention.key)
    data = intervention.data
    index = intervention_index(ctx)
    today = ctx.today
    lines = [esc(ACTION_LINE_LABELS.get(line, line)) for line in intervention.action_lines]
    rows = [
        ("Actielijnen", ", ".join(lines)),
        ("Doelgroepen", _labelled(ctx, "doelgroepen", data.get("doelgroepen", []))),
        ("Doelgroep, toelichting", esc(data.get("doelgroep_toelichting", ""))),
        ("Uitvoerders", _labelled(ctx, "beroepen", data.get("uitvoerders", []))),
        ("Setting", _labelled(ctx, "settings", data.get("settings", []))),
        ("Duur of intensiteit", esc(data.get("duur", ""))),
        ("Eigenaar of licentiehouder", esc(data.get("eigenaar", ""))),
        ("Kosten", esc(data.get("kosten", ""))),
        ("Website", external_link(data["website"]) if data.get("website") else ""),
        (
            "Thema's",
            ", ".join(
                f'<a href="{href(path, f"themas/{t}.md")}">{esc(THEME_LABELS.get(t, t))}</a>' for t in data.get("themas", [])
            ),
        ),
        ("Status", esc(STATUS_LABELS.get(str(data.get("status")), data.get("status", "")))),
    ]
    # Labels stay out of the search index: an excerpt would run them into their values ("SettingThuis").
    facts = "\n".join(f"<div><dt data-pagefind-ignore>{name}</dt><dd>{value}</dd></div>" for name, value in rows if value)
    sources = "\n".join(f"<li>{external_link(s['url'], s.get('titel'))}</li>" for s in data.get("bronnen", []))
    checked = nl_date(data.get("gecontroleerd_op"))
    stale = (
        ' <span class="ks-badge ks-badge--verouderd">Ouder dan twee jaar: feiten opnieuw nakijken</span>'
        if facts_stale(intervention, today)
        else ""
    )
    users = ctx.coalitions_by_intervention.get(intervention.key, [])
    if users:
        user_items = "\n".join(
            f'<li><a href="{href(path, coalition_page(c.key))}">{esc(c.name)}</a>{example_badge(c.is_example)}</li>'
            for c in users
        )
        used = f"<p>Gebruikt door {len(users)} {'coalitie' if len(users) == 1 else 'coalities'}:</p>\n<ul>\n{user_items}\n</ul>"
    else:
        used = "<p>Nog geen coalitie meldt dat zij deze interventie gebruikt.</p>"
    related = index.related.get(intervention.key, [])
    related_html = (
        "<ul>\n"
        + "\n".join(f'<li><a href="{href(path, intervention_page(r.key))}">{esc(r.name)}</a></li>' for r in related)
        + "\n</ul>"
        if related
        else "<p>Geen andere interventies in deze actielijn.</p>"
    )
    example_note = (
        '<p class="ks-voorbeeld-melding"><strong>Voorbeeld.</strong> Dit is een verzonnen voorbeeldrecord, geen echte interventie.</p>'
        if intervention.is_example
        else ""
    )
    # One element per filter value: an element cannot carry the same attribute twice.
    # "id" is for the catalogue's counts (catalogus.js); the search page shows soort, actielijn, erkenning, doelgroep.
    filter_values = [("soort", "interventie"), ("id", intervention.key)]
    filter_values += [("actielijn", ACTION_LINE_LABELS.get(line, line)) for line in intervention.action_lines]
    filter_values.append(("erkenning", ctx.label("erkenningsniveaus", intervention.recognition.get("niveau", "geen"))))
    filter_values += [("doelgroep", ctx.label("doelgroepen", code)) for code in data.get("doelgroepen", [])]
    searched_text = " ".join(str(data.get(f, "")) for f in ("naam", "samenvatting", "beschrijving", "doelgroep_toelichting"))
    keywords = keywords_html(*search_words(ctx.repo.vocab.vocab_dir).for_record(intervention.key, data, searched_text))
    filters = "".join(f'<span data-pagefind-filter="{esc(name)}:{esc(value)}"></span>' for name, value in filter_values)
    recognition_note = render(
        "erkenning_toelichting.html",
        r=recognition_context(ctx, intervention),
        note=intervention.recognition.get("toelichting"),
    )
    body = f"""<div>{filters}
<p class="ks-kop">{example_badge(intervention.is_example)}{'<span class="ks-badge ks-badge--gearchiveerd">Gearchiveerd</span>' if intervention.archived else ""}</p>
{example_note}
<p class="ks-samenvatting" data-pagefind-meta="samenvatting">{esc(data.get("samenvatting", ""))}</p>
<p class="ks-erkenning"><strong>Erkenning:</strong> {recognition_badge(ctx, intervention)}</p>
{recognition_note}
<h2 id="beschrijving">Beschrijving</h2>
{markdown_html(str(data.get("beschrijving", "")))}
<h2 id="kenmerken">Kenmerken</h2>
<dl class="ks-kenmerkenlijst">
{facts}
</dl>
<h2 id="coalities">Gebruikt door coalities</h2>
{used}
<h2 id="bronnen">Bronnen</h2>
<ul>
{sources}
</ul>
<p>Laatst gecontroleerd: {esc(checked)}{stale}</p>
<h2 id="verwant">Verwante interventies</h2>
<div data-pagefind-ignore>
{related_html}
</div>
<p class="ks-terug"><a href="{href(path, INTERVENTIONS_INDEX)}">Terug naar alle interventies</a></p>
{keywords}
</div>"""
    return Page(path, html_page(intervention.name, body))


def catalogue_item(ctx: SiteContext, index: InterventionIndex, intervention: Intervention) -> str:
    """One result: name, badges, summary and action lines; its facet values as data attributes for the filters."""
    attributes = " ".join(f'data-{facet.name}="{esc(" ".join(facet.values(intervention)))}"' for facet in index.facets)
    level = intervention.recognition.get("niveau", "geen")
    badges = [
        f'<span class="ks-badge ks-badge--{"geen" if level == "geen" else "erkend"}">{esc(ctx.label("erkenningsniveaus", level))}</span>'
    ]
    reassessment = reassessment_badge(intervention, ctx.today)
    if reassessment:
        badges.append(reassessment)
    if intervention.archived:
        badges.append('<span class="ks-badge ks-badge--gearchiveerd">Gearchiveerd</span>')
    lines = "".join(f"<li>{esc(ACTION_LINE_LABELS.get(line, line))}</li>" for line in intervention.action_lines)
    return (
        f'<li class="ks-resultaat" data-id="{esc(intervention.key)}" {attributes}>'
        f'<h3 class="ks-resultaat__naam"><a href="{href(INTERVENTIONS_INDEX, intervention_page(intervention.key))}">{esc(intervention.name)}</a>'
        f"{example_badge(intervention.is_example)}</h3>"
        f'<p class="ks-resultaat__samenvatting">{esc(intervention.get("samenvatting", ""))}</p>'
        f'<div class="ks-resultaat__kenmerken"><p><span class="ks-sr">Erkenning: </span>{"".join(badges)}</p>'
        f'<ul class="ks-actielijnen" aria-label="Actielijnen">{lines}</ul></div></li>'
    )


def facet_fieldset(facet: Facet, counts: dict[str, int]) -> str:
    """A facet's checkboxes, in code-list order, each with its count (updated in the browser)."""
    ordered = [code for code in facet.labels if code in counts]
    ordered += sorted(code for code in counts if code not in facet.labels)
    options = []
    for code in ordered:
        option_id = f"f-{facet.name}-{code}"
        options.append(
            f'<li><input type="checkbox" id="{esc(option_id)}" name="{facet.name}" value="{esc(code)}">'
            f'<label for="{esc(option_id)}">{esc(facet.labels.get(code, code))} '
            f'<span class="ks-aantal">({counts[code]})</span></label></li>'
        )
    return (
        f'<fieldset class="ks-facet" data-facet="{facet.name}"><legend>{esc(facet.legend)}</legend>'
        f"<ul>{''.join(options)}</ul></fieldset>"
    )


def catalogue_page(ctx: SiteContext) -> Page:
    """Databank layout: search and facets in a left column (one "Filters" disclosure on phones), results beside them."""
    index = intervention_index(ctx)
    interventions = sorted(ctx.interventions.values(), key=lambda i: i.name.casefold())
    counts: dict[str, dict[str, int]] = {facet.name: {} for facet in index.facets}
    for intervention in interventions:
        for facet in index.facets:
            for value in facet.values(intervention):
                counts[facet.name][value] = counts[facet.name].get(value, 0) + 1
    fieldsets = "\n".join(facet_fieldset(facet, counts[facet.name]) for facet in index.facets)
    items = "\n".join(catalogue_item(ctx, index, intervention) for intervention in interventions)
    total = len(interventions)
    # The inline script opens the filters on wide screens before the first paint; phones start with them folded.
    body = f"""<p class="ks-inleiding">Interventies en hulpmiddelen voor Kansrijke Start, met hun erkenning en wie ze uitvoert.
De <a href="https://menukaart.kansrijkestartnl.nl/">menukaart van Kansrijke Start</a> noemt er meer; deze lijst vult zich nog aan.
Combineer zoeken en filters; de filters staan in het webadres, zodat u een selectie kunt delen.</p>
<div class="ks-databank">
<form class="ks-catalogus" id="ks-catalogus" role="search" aria-label="Interventies zoeken en filteren" data-pagefind="{asset_href(INTERVENTIONS_INDEX, "pagefind/pagefind.js")}">
<p class="ks-zoekveld"><label for="ks-zoek">Zoek in de interventies</label>
<input type="search" id="ks-zoek" name="q" autocomplete="off" placeholder="Bijvoorbeeld: huisbezoek"></p>
<details class="ks-filters" id="ks-filters">
<summary>Filters <span class="ks-filters__actief" id="ks-actief"></span></summary>
<div class="ks-facetten">
{fieldsets}
</div>
<p class="ks-filters__toon"><button type="button" class="md-button md-button--primary" id="ks-toon">Toon de interventies</button></p>
</details>
<script>if (window.matchMedia("(min-width: 45em)").matches) document.getElementById("ks-filters").open = true;</script>
</form>
<section class="ks-uitkomst" aria-labelledby="ks-teller">
<div class="ks-uitkomst__kop">
<h2 class="ks-teller" id="ks-teller"><span role="status" aria-live="polite"><span id="ks-aantal">{total}</span> <span id="ks-aantal-tekst">interventies</span></span></h2>
<button type="button" class="md-button ks-wis" id="ks-wis">Wis filters</button>
</div>
<p class="ks-leeg" id="ks-leeg" hidden>Geen interventies gevonden. Wis de filters of zoek op een ander woord.</p>
<ul class="ks-resultaten" id="ks-resultaten" data-pagefind-ignore>
{items}
</ul>
</section>
</div>
<script src="{asset_href(INTERVENTIONS_INDEX, "assets/catalogus.js")}" defer></script>"""
    return Page(INTERVENTIONS_INDEX, html_page("Interventies", body, hide=["navigation", "toc"]))


def intervention_pages(ctx: SiteContext) -> Iterable[Page]:
    yield catalogue_page(ctx)
    for intervention in ctx.interventions.values():
        yield build_intervention_page(ctx, intervention)


GENERATORS.append(intervention_pages)
