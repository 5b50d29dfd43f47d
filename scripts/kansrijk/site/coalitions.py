"""Coalition pages (with the analysetool) and the overview by province (``coalities/``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property

from ..model import ACTION_LINE_LABELS, ACTION_LINES, Coalition, Intervention
from .html import esc, example_badge, external_link, href, html_page, markdown_html, nl_date
from .maps import GREY, NONE, ORANGE, TEAL, Category, choropleth, current_codes
from .pages import COALITION_SECTIONS, GENERATORS, Page, SiteContext
from .urls import COALITIONS_INDEX, INTERVENTIONS_INDEX, MUNICIPALITIES_INDEX, coalition_page, intervention_page

PHASE_LABELS = {"in-oprichting": "In oprichting", "actief": "Actief", "gestopt": "Gestopt"}
PLAN_LABELS = {"geen": "Geen plan van aanpak", "in-voorbereiding": "In voorbereiding", "vastgesteld": "Vastgesteld"}
USE_LABELS = {"gepland": "Gepland", "in-uitvoering": "In uitvoering", "gestopt": "Gestopt"}
# The overview map's classes; a municipality in several coalitions shows the most advanced phase (last wins).
PHASE_CATEGORIES = (
    Category("geen", "geen coalitie", NONE),
    Category("gestopt", "coalitie gestopt", GREY, "kruis"),
    Category("in-oprichting", "coalitie in oprichting", ORANGE, "streep"),
    Category("actief", "coalitie actief", TEAL),
)
SUGGESTIONS_SHOWN = 8  # recognised interventions listed per action line; the catalogue link shows the rest


class CoalitionIndex:
    """The menu per action line and province membership, computed once per build."""

    def __init__(self, ctx: SiteContext) -> None:
        self.ctx = ctx

    @cached_property
    def recognised_by_line(self) -> dict[str, list[Intervention]]:
        """Active recognised interventions per action line, strongest recognition first."""
        ranks = {row["code"]: int(row["rang"]) for row in self.ctx.repo.vocab.table("erkenningsniveaus")}
        menu: dict[str, list[Intervention]] = {line: [] for line in ACTION_LINES}
        for intervention in self.ctx.interventions.values():
            if intervention.archived or intervention.recognition.get("niveau", "geen") == "geen":
                continue
            for line in intervention.action_lines:
                menu[line].append(intervention)
        for line in menu:
            menu[line].sort(key=lambda i: (-ranks.get(i.recognition.get("niveau", "geen"), 0), i.name.casefold()))
        return menu

    @cached_property
    def menu_size(self) -> dict[str, int]:
        sizes = dict.fromkeys(ACTION_LINES, 0)
        for intervention in self.ctx.interventions.values():
            if not intervention.archived:
                for line in intervention.action_lines:
                    sizes[line] += 1
        return sizes

    @cached_property
    def by_province(self) -> dict[str, list[Coalition]]:
        """Province -> coalitions with at least one municipality there (regional ones may appear twice)."""
        register = self.ctx.repo.vocab.municipalities
        ended = self.ctx.repo.vocab.ended_municipalities
        provinces: dict[str, list[Coalition]] = defaultdict(list)
        for coalition in self.ctx.coalitions.values():
            names = set()
            for code in coalition.municipalities:
                known = register.get(code) or ended.get(code)
                names.add(known.provincie if known else "Onbekende provincie")
            for name in sorted(names):
                provinces[name].append(coalition)
        return dict(sorted(provinces.items()))


def phase_by_municipality(ctx: SiteContext) -> tuple[dict[str, str], frozenset[str]]:
    """Current municipality -> phase of its most advanced coalition (ended codes count for their successor),
    and the municipalities whose phase comes only from example records."""
    rank = {category.key: number for number, category in enumerate(PHASE_CATEGORIES)}
    phases: dict[str, str] = {}
    real: set[str] = set()
    for coalition in ctx.coalitions.values():
        phase = coalition.data.get("fase", "actief")
        for listed in coalition.municipalities:
            for code in current_codes(ctx.repo.vocab, listed):
                if rank.get(phase, 0) >= rank.get(phases.get(code, "geen"), 0):
                    phases[code] = phase
                if not coalition.is_example:
                    real.add(code)
    return phases, frozenset(phases) - real


def coalition_index(ctx: SiteContext) -> CoalitionIndex:
    return ctx.index(CoalitionIndex)


def _intervention_link(ctx: SiteContext, path: str, key: str) -> str:
    intervention = ctx.interventions.get(key)
    name = intervention.name if intervention else key
    return f'<a href="{href(path, intervention_page(key))}">{esc(name)}</a>'


def analysis_section(ctx: SiteContext, coalition: Coalition, path: str) -> str:
    """The analysetool: coverage per action line against the menu, and what is not used yet."""
    index = coalition_index(ctx)
    used: dict[str, set[str]] = {line: set() for line in ACTION_LINES}
    active: dict[str, int] = dict.fromkeys(ACTION_LINES, 0)
    for line, _i, entry in coalition.interventions_in_use():
        if entry.get("status") != "gestopt":
            used[line].add(entry["interventie"])
            active[line] += 1
    rows = []
    missing = []
    suggestions = []
    for line in ACTION_LINES:
        label = ACTION_LINE_LABELS[line]
        menu = index.menu_size[line]
        rows.append(f'<tr><th scope="row">{esc(label)}</th><td>{active[line]}</td><td>{menu}</td></tr>')
        if not active[line]:
            missing.append(label)
        unused = [i for i in index.recognised_by_line[line] if i.key not in used[line]]
        if unused:
            shown = "".join(
                f"<li>{_intervention_link(ctx, path, i.key)} "
                f'<span class="ks-meta">{esc(ctx.label("erkenningsniveaus", i.recognition.get("niveau", "geen")))}</span></li>'
                for i in unused[:SUGGESTIONS_SHOWN]
            )
            more = ""
            if len(unused) > SUGGESTIONS_SHOWN:
                more = (
                    f"<p>En nog {len(unused) - SUGGESTIONS_SHOWN} andere: "
                    f'<a href="{href(path, INTERVENTIONS_INDEX)}?actielijn={line}">bekijk de actielijn in de catalogus</a>.</p>'
                )
            suggestions.append(f"<h4>{esc(label)}</h4><ul>{shown}</ul>{more}")
    warning = (
        '<div class="admonition warning"><p class="admonition-title">Actielijn zonder interventie</p><p>'
        + esc(", ".join(missing))
        + ": deze coalitie meldt hier nog geen lopende of geplande interventie.</p></div>"
        if missing
        else ""
    )
    return f"""<h2 id="analyse">Analyse: dekking per actielijn</h2>
<p>Het aantal interventies dat de coalitie uitvoert of plant, naast het aantal actieve interventies in het menu.</p>
<table class="ks-tabel">
<caption class="ks-sr">Dekking per actielijn</caption>
<thead><tr><th scope="col">Actielijn</th><th scope="col">Bij deze coalitie</th><th scope="col">In het menu</th></tr></thead>
<tbody>{"".join(rows)}</tbody>
</table>
{warning}
<h3 id="nog-niet-gebruikt">Erkende interventies die de coalitie nog niet gebruikt</h3>
{"".join(suggestions) or "<p>De coalitie gebruikt alle erkende interventies uit het menu.</p>"}"""


def build_coalition_page(ctx: SiteContext, coalition: Coalition) -> Page:
    path = coalition_page(coalition.key)
    data = coalition.data
    vocab = ctx.repo.vocab
    municipalities = "".join(
        f'<li><a href="{href(path, MUNICIPALITIES_INDEX)}#{esc(code.lower())}">{esc(vocab.municipality_name(code))}</a> '
        f'<span class="ks-meta">{esc(code)}</span></li>'
        for code in coalition.municipalities
    )
    partners_by_type: dict[str, list[str]] = defaultdict(list)
    for partner in data.get("partners", []):
        partners_by_type[partner.get("type", "overig")].append(partner.get("naam", ""))
    partner_rows = "".join(
        f'<tr><th scope="row">{esc(ctx.label("partnertypen", kind))}</th><td>{esc(", ".join(names))}</td></tr>'
        for kind, names in sorted(partners_by_type.items(), key=lambda item: ctx.label("partnertypen", item[0]))
    )
    per_line = []
    for line in ACTION_LINES:
        entries = data.get("interventies", {}).get(line, [])
        if entries:
            items = "".join(
                f"<li>{_intervention_link(ctx, path, e['interventie'])} "
                f'<span class="ks-badge ks-badge--{esc(e.get("status", ""))}">{esc(USE_LABELS.get(e.get("status", ""), e.get("status", "")))}</span>'
                f"{' sinds ' + esc(nl_date(e['sinds'])) if e.get('sinds') else ''}"
                f"{' — ' + esc(e['toelichting']) if e.get('toelichting') else ''}</li>"
                for e in entries
            )
            per_line.append(f"<h3>{esc(ACTION_LINE_LABELS[line])}</h3><ul>{items}</ul>")
        else:
            per_line.append(f"<h3>{esc(ACTION_LINE_LABELS[line])}</h3><p>Geen interventies gemeld.</p>")
    plan = data.get("plan_van_aanpak", {})
    plan_text = esc(PLAN_LABELS.get(plan.get("status", "geen"), plan.get("status", "")))
    if plan.get("datum"):
        plan_text += f" ({esc(nl_date(plan['datum']))})"
    if plan.get("link"):
        plan_text += " — " + external_link(plan["link"], "plan van aanpak")
    contact = data.get("contact", {})
    contact_parts = []
    if contact.get("email"):
        contact_parts.append(external_link(f"mailto:{contact['email']}", contact["email"]))
    if contact.get("website"):
        contact_parts.append(external_link(contact["website"]))
    example_note = (
        '<p class="ks-voorbeeld-melding"><strong>Voorbeeld.</strong> Dit is een verzonnen voorbeeldcoalitie om te laten zien hoe een record werkt.</p>'
        if coalition.is_example
        else ""
    )
    started = (
        '<tr><th scope="row">Gestart</th><td>' + esc(nl_date(data["startdatum"])) + "</td></tr>" if data.get("startdatum") else ""
    )
    sections = "\n".join(filter(None, (section(ctx, coalition) for section in COALITION_SECTIONS.values())))
    from .forms import change_link  # forms.py imports this module for its indexes

    body = f"""<div data-pagefind-filter="soort:coalitie">
<p class="ks-kop">{example_badge(coalition.is_example)}<span class="ks-badge">{esc(PHASE_LABELS.get(data.get("fase", ""), data.get("fase", "")))}</span></p>
{example_note}
<table class="ks-kenmerken">
<caption class="ks-sr">Gegevens van de coalitie</caption>
<tr><th scope="row">Fase</th><td>{esc(PHASE_LABELS.get(data.get("fase", ""), ""))}</td></tr>
{started}
<tr><th scope="row">Plan van aanpak</th><td>{plan_text}</td></tr>
<tr><th scope="row">Contact</th><td>{" · ".join(contact_parts)}</td></tr>
<tr><th scope="row">Bijgewerkt</th><td>{esc(nl_date(data.get("bijgewerkt_op")))}</td></tr>
</table>
{markdown_html(str(data["toelichting"])) if data.get("toelichting") else ""}
<p>{change_link(path, "coalitie", coalition.key)}</p>
<h2 id="gemeenten">Gemeenten</h2>
<ul>{municipalities}</ul>
<h2 id="partners">Partners</h2>
<table class="ks-kenmerken"><caption class="ks-sr">Partners per soort</caption>{partner_rows}</table>
<h2 id="interventies">Interventies per actielijn</h2>
{"".join(per_line)}
{analysis_section(ctx, coalition, path)}
{sections}
<p class="ks-terug"><a href="{href(path, COALITIONS_INDEX)}">Terug naar alle coalities</a></p>
</div>"""
    return Page(path, html_page(coalition.name, body))


def overview_page(ctx: SiteContext) -> Page:
    index = coalition_index(ctx)
    vocab = ctx.repo.vocab
    parts = []
    toc = []
    for province, coalitions in index.by_province.items():
        anchor = "provincie-" + province.lower().replace(" ", "-")
        toc.append(f'<li><a href="#{esc(anchor)}">{esc(province)}</a> ({len(coalitions)})</li>')
        rows = "".join(
            f'<tr><td><a href="{href(COALITIONS_INDEX, coalition_page(c.key))}">{esc(c.name)}</a>{example_badge(c.is_example)}</td>'
            f"<td>{esc(', '.join(vocab.municipality_name(code) for code in c.municipalities[:6]))}"
            f"{' en ' + str(len(c.municipalities) - 6) + ' andere' if len(c.municipalities) > 6 else ''}</td>"
            f"<td>{esc(PHASE_LABELS.get(c.data.get('fase', ''), ''))}</td>"
            f"<td>{esc(PLAN_LABELS.get(c.data.get('plan_van_aanpak', {}).get('status', 'geen'), ''))}</td></tr>"
            for c in coalitions
        )
        parts.append(
            f'<h2 id="{esc(anchor)}">{esc(province)}</h2>\n<table class="ks-tabel"><thead><tr><th scope="col">Coalitie</th>'
            f'<th scope="col">Gemeenten</th><th scope="col">Fase</th><th scope="col">Plan van aanpak</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
    phases, examples = phase_by_municipality(ctx)
    overview_map = choropleth(
        ctx, COALITIONS_INDEX, "fasen", "Gemeenten naar fase van hun coalitie", PHASE_CATEGORIES, phases, examples
    )
    body = f"""<p>Lokale en regionale coalities van Kansrijke Start, per provincie. Een regionale coalitie met gemeenten in
meer provincies staat bij elk van die provincies. Zoekt u een gemeente? Kijk in de <a href="{href(COALITIONS_INDEX, MUNICIPALITIES_INDEX)}">gemeentelijst</a>.</p>
<p>{len(ctx.coalitions)} coalities.</p>
<div data-pagefind-ignore>{overview_map}</div>
<nav aria-label="Provincies"><ul class="ks-inline">{"".join(toc)}</ul></nav>
<div data-pagefind-ignore>
{chr(10).join(parts) or "<p>Nog geen coalities.</p>"}
</div>"""
    return Page(COALITIONS_INDEX, html_page("Coalities", body))


def coalition_pages(ctx: SiteContext) -> Iterable[Page]:
    yield overview_page(ctx)
    for coalition in ctx.coalitions.values():
        yield build_coalition_page(ctx, coalition)


GENERATORS.append(coalition_pages)
