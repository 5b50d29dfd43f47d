"""The Impulsregeling on the site: an index of rounds, a page per round, and each coalition's applications.

Everything is computed from the records in one pass per build (``grant_facts``), so a
corpus of thousands of applications builds in linear time. Round pages show the budget,
the applications by status and the time left, counted against ``ctx.today``.

A round page is a record page and must stay small (issue #3: at most 40 KB of HTML) however
many applications a round gets, so it shows only the most recent ones. The full table goes to
separate listing pages (``impuls/<ronde>-aanvragen[-k].md``, a fixed number of rows each, not in
the navigation) and to the CSV download; every application is on exactly one listing page.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..grants import STATUS_LABELS, STATUSES, TRANSITIONS, awarded_amount, euro
from ..model import ACTION_LINE_LABELS, ACTION_LINES, Application, Coalition, Round
from .charts import Column, Figure, bar_chart, csv_text, number, stacked_bar
from .coalitions import PLAN_LABELS
from .html import esc, example_badge, external_link, href, html_page, markdown_html, nl_date
from .maps import GREY, NONE, ORANGE, TEAL, Category, choropleth, current_codes
from .pages import COALITION_SECTIONS, GENERATORS, Page, SiteContext
from .templating import render
from .urls import (
    IMPULS_INDEX,
    MONITOR,
    coalition_page,
    intervention_page,
    round_applications_csv,
    round_chart_csv,
    round_listing,
    round_map,
    round_page,
)

ELIGIBILITY_LABELS = {"alle": "Alle gemeenten", "lijst": "Alleen de genoemde gemeenten", "alle-behalve": "Alle gemeenten behalve"}
PAYMENT_LABELS = {
    "decentralisatie-uitkering": "Decentralisatie-uitkering",
    "specifieke-uitkering": "Specifieke uitkering",
    "subsidie": "Subsidie",
}
PART_LABELS = {
    "begroting": "Begroting",
    "activiteiten": "Activiteiten per actielijn",
    "interventies": "Interventies",
    "partners": "Partners",
}


# The round page shows this many of the latest applications; the rest are on the listing pages.
RECENT_APPLICATIONS = 10
# Rows per listing page: big enough to page through a large round quickly, small enough to load on a phone.
LISTING_PAGE_SIZE = 100
APPLICATION_COLUMNS = ("Gemeente(n)", "Provincie", "Aangevraagd", "Toegekend", "Status")


def last_step_date(application: Application) -> str:
    history = application.history
    return str(history[-1].get("datum", "")) if history else ""


def application_anchor(application: Application) -> str:
    """The id of an application's block on its coalition page."""
    return f"aanvraag-{application.round_key}"


@dataclass
class GrantFacts:
    """Rounds in date order and applications grouped by round and by coalition, built once per site build."""

    rounds: list[Round]
    by_round: dict[str, list[Application]]
    by_coalition: dict[str, list[Application]]

    def awarded(self, round_key: str) -> int:
        return sum(awarded_amount(a) or 0 for a in self.by_round.get(round_key, []))


def grant_facts(ctx: SiteContext) -> GrantFacts:
    """The rounds and applications by round and by coalition, computed once per build."""
    return ctx.index(_collect_grant_facts)


def _collect_grant_facts(ctx: SiteContext) -> GrantFacts:
    rounds = sorted(ctx.repo.rounds, key=lambda r: (r.data["opent"], r.key))
    order = {r.key: i for i, r in enumerate(rounds)}
    by_round: dict[str, list[Application]] = defaultdict(list)
    by_coalition: dict[str, list[Application]] = defaultdict(list)
    for application in ctx.repo.applications:
        by_round[application.round_key].append(application)
        by_coalition[application.coalition_key].append(application)
    for applications in by_coalition.values():
        applications.sort(key=lambda a: order.get(a.round_key, len(order)))
    return GrantFacts(rounds, dict(by_round), dict(by_coalition))


def days(count: int) -> str:
    return "1 dag" if count == 1 else f"{count} dagen"


def window_text(round_record: Round, today: datetime.date) -> tuple[str, str]:
    """(short state, sentence) of a round's submission window on ``today``."""
    opens = datetime.date.fromisoformat(round_record.data["opent"])
    closes = datetime.date.fromisoformat(round_record.data["sluit"])
    if today < opens:
        return "Binnenkort", f"Opent op {nl_date(opens.isoformat())}, over {days((opens - today).days)}."
    if today <= closes:
        left = (closes - today).days
        when = "vandaag" if left == 0 else f"over {days(left)}"
        return "Open", f"Open: aanvragen kan nog tot en met {nl_date(closes.isoformat())} (sluit {when})."
    return "Gesloten", f"Gesloten sinds {nl_date(closes.isoformat())}; er kan niet meer worden aangevraagd."


def report_deadline_text(round_record: Round, today: datetime.date) -> str:
    deadline = datetime.date.fromisoformat(round_record.data["verantwoording_uiterlijk"])
    if today <= deadline:
        return f"Uiterlijk {nl_date(deadline.isoformat())} (nog {days((deadline - today).days)})."
    return f"Uiterlijk {nl_date(deadline.isoformat())} (verstreken)."


def _municipality_names(ctx: SiteContext, application: Application) -> str:
    return ", ".join(ctx.repo.vocab.municipality_name(code) for code in application.municipalities)


def _provinces(ctx: SiteContext, application: Application) -> str:
    register, ended = ctx.repo.vocab.municipalities, ctx.repo.vocab.ended_municipalities
    names = []
    for code in application.municipalities:
        known = register.get(code) or ended.get(code)
        if known and known.provincie not in names:
            names.append(known.provincie)
    return ", ".join(names)


def _eligibility(ctx: SiteContext, round_record: Round) -> str:
    rule = round_record.data["subsidiabel"]
    label = ELIGIBILITY_LABELS.get(rule["soort"], rule["soort"])
    codes = rule.get("gemeenten", [])
    if rule["soort"] == "alle" or not codes:
        return esc(label)
    names = ", ".join(ctx.repo.vocab.municipality_name(code) for code in codes)
    return f"{esc(label)} ({len(codes)}): {esc(names)}"


ROUND_CATEGORIES = (
    Category("subsidiabel", "kon aanvragen, geen aanvraag", NONE),
    Category("niet-subsidiabel", "kon niet aanvragen", GREY, "kruis"),
    Category("aangevraagd", "aangevraagd, (nog) niet toegekend", ORANGE, "streep"),
    Category("toegekend", "toegekend", TEAL),
)


def _round_classes(ctx: SiteContext, round_record: Round) -> tuple[dict[str, str], frozenset[str]]:
    """Every current municipality: eligible or not, applied, awarded (ended codes count for their successor);
    and those whose class comes only from example applications."""
    vocab = ctx.repo.vocab
    rule = round_record.data["subsidiabel"]
    listed = {current for code in rule.get("gemeenten", []) for current in current_codes(vocab, code)}
    if rule["soort"] == "lijst":
        category_of = {code: "subsidiabel" if code in listed else "niet-subsidiabel" for code in vocab.municipalities}
    else:
        category_of = {code: "niet-subsidiabel" if code in listed else "subsidiabel" for code in vocab.municipalities}
    examples: set[str] = set()
    real: set[str] = set()
    for application in grant_facts(ctx).by_round.get(round_record.key, []):
        state = "toegekend" if awarded_amount(application) is not None else "aangevraagd"
        for code in (c for listed_code in application.municipalities for c in current_codes(vocab, listed_code)):
            if category_of.get(code) != "toegekend":
                category_of[code] = state
            (examples if application.is_example else real).add(code)
    return category_of, frozenset(examples - real)


def round_map_page(ctx: SiteContext, round_record: Round) -> Page:
    """The round's map on a page of its own: 342 linked shapes would triple a round page (issue #3: <= 40 KB)."""
    path = round_map(round_record.key)
    category_of, examples = _round_classes(ctx, round_record)
    title = f"Kaart: {round_record.title}"
    figure = choropleth(
        ctx, path, "kaart-ronde", "Subsidiabel, aangevraagd en toegekend", ROUND_CATEGORIES, category_of, examples
    )
    register = ctx.repo.vocab.municipalities
    groups = [
        (category, sorted((register[c].naam for c, k in category_of.items() if k == category.key), key=str.casefold))
        for category in ROUND_CATEGORIES
    ]
    body = render(
        "kaart_ronde.html",
        path=path,
        round_page=round_page(round_record.key),
        round_title=round_record.title,
        is_example=round_record.is_example,
        figure=figure,
        groups=groups,
    )
    return Page(path, html_page(title, body))


def round_figures(ctx: SiteContext, round_record: Round) -> list[Figure]:
    """The budget bar and the applications by status, with their tables and CSV files."""
    facts = grant_facts(ctx)
    key = round_record.key
    applications = facts.by_round.get(key, [])
    budget = round_record.data["budget"]
    awarded = facts.awarded(key)
    remaining = max(0, budget - awarded)
    budget_summary = (
        f"Van het budget van {euro(budget)} is {euro(awarded)} toegekend ({_share(awarded, budget)}); "
        f"er resteert {euro(remaining)}."
    )
    budget_figure = Figure(
        key="budget",
        title="Budget: toegekend en resterend",
        summary=budget_summary,
        svg=stacked_bar(
            f"budget-{key}",
            "Budget: toegekend en resterend",
            budget_summary,
            [("Toegekend", awarded), ("Resterend", remaining)],
            lambda v: euro(int(v)),
        ),
        columns=(Column("Onderdeel"), Column("Bedrag", "euro")),
        rows=[("Toegekend", awarded), ("Resterend", remaining), ("Budget", budget)],
        csv_path=round_chart_csv(key, "budget"),
    )
    counts: Counter[str] = Counter(a.status or "" for a in applications)
    requested: Counter[str] = Counter()
    granted: Counter[str] = Counter()
    for application in applications:
        requested[application.status or ""] += application.data["bedrag_aangevraagd"]
        granted[application.status or ""] += awarded_amount(application) or 0
    status_rows = [(STATUS_LABELS[s], counts[s], requested[s], granted[s]) for s in STATUSES]
    busiest = max(STATUSES, key=lambda s: counts[s]) if applications else None
    status_summary = f"{len(applications)} aanvragen in deze ronde" + (
        f"; de meeste hebben de status '{STATUS_LABELS[busiest]}' ({counts[busiest]})." if busiest else "."
    )
    status_figure = Figure(
        key="status",
        title="Aanvragen per status",
        summary=status_summary,
        svg=bar_chart(
            f"status-{key}",
            "Aanvragen per status",
            status_summary,
            [(STATUS_LABELS[s], counts[s]) for s in STATUSES],
            number,
            max([1, *counts.values()]),
        ),
        columns=(Column("Status"), Column("Aanvragen", "aantal"), Column("Aangevraagd", "euro"), Column("Toegekend", "euro")),
        rows=status_rows,
        csv_path=round_chart_csv(key, "status"),
    )
    return [budget_figure, status_figure]


def _share(part: int, whole: int) -> str:
    return "0%" if whole <= 0 else f"{part / whole * 100:.1f}".replace(".", ",") + "%"


def _sorted_for_listing(ctx: SiteContext, applications: list[Application]) -> list[Application]:
    return sorted(applications, key=lambda a: (_municipality_names(ctx, a).casefold(), a.key))


def _application_row(ctx: SiteContext, path: str, application: Application, with_date: bool = False) -> str:
    awarded = awarded_amount(application)
    status = application.status or ""
    coalition_link = href(path, coalition_page(application.coalition_key)) + f"#{application_anchor(application)}"
    date_cell = f"<td>{esc(nl_date(last_step_date(application)))}</td>" if with_date else ""
    return (
        f'<tr><th scope="row"><a href="{coalition_link}">{esc(_municipality_names(ctx, application))}</a>'
        f"{example_badge(application.is_example)}</th>"
        f"<td>{esc(_provinces(ctx, application))}</td><td>{esc(euro(application.data['bedrag_aangevraagd']))}</td>"
        f"<td>{esc(euro(awarded)) if awarded is not None else '—'}</td><td>{esc(STATUS_LABELS.get(status, status))}</td>"
        f"{date_cell}</tr>"
    )


def _applications_table(caption: str, rows: list[str], with_date: bool = False) -> str:
    columns = [*APPLICATION_COLUMNS, *(["Laatste stap"] if with_date else [])]
    header = "".join(f'<th scope="col">{esc(c)}</th>' for c in columns)
    return f"""<table class="ks-tabel">
<caption class="ks-sr">{esc(caption)}</caption>
<thead><tr>{header}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>"""


def applications_csv(ctx: SiteContext, round_record: Round) -> Page:
    """Every application of the round as CSV (with codes for reuse), in the order of the listing pages."""
    csv_rows = []
    for application in _sorted_for_listing(ctx, grant_facts(ctx).by_round.get(round_record.key, [])):
        awarded = awarded_amount(application)
        csv_rows.append(
            (
                application.coalition_key,
                ";".join(application.municipalities),
                _municipality_names(ctx, application),
                _provinces(ctx, application),
                application.data["bedrag_aangevraagd"],
                "" if awarded is None else awarded,
                application.status or "",
                "ja" if application.is_example else "nee",
            )
        )
    header = ("coalitie", "gemeentecodes", "gemeenten", "provincies", "aangevraagd", "toegekend", "status", "voorbeeld")
    return Page(round_applications_csv(round_record.key), csv_text(header, csv_rows))


def recent_applications(ctx: SiteContext, round_record: Round, path: str) -> str:
    """The latest applications (by their last step) on the round page, with links to the full listing and the CSV."""
    applications = grant_facts(ctx).by_round.get(round_record.key, [])
    if not applications:
        return "<p>Er zijn nog geen aanvragen in deze ronde.</p>"
    recent = sorted(applications, key=lambda a: (last_step_date(a), a.key), reverse=True)[:RECENT_APPLICATIONS]
    total = len(applications)
    intro = (
        f"<p>De {len(recent)} aanvragen waarin het laatst iets gebeurde, van {number(total)} in totaal.</p>"
        if total > len(recent)
        else f"<p>{'De aanvraag' if total == 1 else f'Alle {number(total)} aanvragen'}, de laatst bijgewerkte eerst.</p>"
    )
    table = _applications_table(
        f"Laatst bijgewerkte aanvragen in {round_record.title}",
        [_application_row(ctx, path, a, with_date=True) for a in recent],
        with_date=True,
    )
    pages = -(-total // LISTING_PAGE_SIZE)
    return f"""{intro}
{table}
<p><a href="{href(path, round_listing(round_record.key))}">Alle {number(total)} aanvragen op volgorde van gemeente</a>
({"1 pagina" if pages == 1 else f"{number(pages)} pagina's"}) ·
<a href="{href(path, round_applications_csv(round_record.key))}" download>Download alle aanvragen als CSV</a></p>"""


def _pager(round_key: str, path: str, current: int, pages: int) -> str:
    """Links to every listing page; the current one is marked for screen readers."""
    if pages <= 1:
        return ""
    links = []
    if current > 1:
        links.append(f'<a href="{href(path, round_listing(round_key, current - 1))}" rel="prev">Vorige</a>')
    for number_ in range(1, pages + 1):
        if number_ == current:
            links.append(f'<span aria-current="page"><strong>{number_}</strong></span>')
        else:
            links.append(f'<a href="{href(path, round_listing(round_key, number_))}">{number_}</a>')
    if current < pages:
        links.append(f'<a href="{href(path, round_listing(round_key, current + 1))}" rel="next">Volgende</a>')
    return f'<nav class="ks-paginering" aria-label="Pagina\'s met aanvragen">{" ".join(links)}</nav>'


def listing_pages(ctx: SiteContext, round_record: Round) -> list[Page]:
    """The round's applications on pages of ``LISTING_PAGE_SIZE``, ordered by municipality; index pages, not in the nav."""
    key = round_record.key
    applications = _sorted_for_listing(ctx, grant_facts(ctx).by_round.get(key, []))
    pages = max(1, -(-len(applications) // LISTING_PAGE_SIZE))
    result = []
    for number_ in range(1, pages + 1):
        path = round_listing(key, number_)
        chunk = applications[(number_ - 1) * LISTING_PAGE_SIZE : number_ * LISTING_PAGE_SIZE]
        first = (number_ - 1) * LISTING_PAGE_SIZE + 1
        title = f"Aanvragen in {round_record.title}" + (f" (pagina {number_} van {pages})" if pages > 1 else "")
        if chunk:
            where = f"Aanvraag {number(first)} tot en met {number(first + len(chunk) - 1)} van {number(len(applications))}"
            table = _applications_table(f"{where}, op volgorde van gemeente", [_application_row(ctx, path, a) for a in chunk])
            summary = f"<p>{esc(where)}, op alfabetische volgorde van de gemeente.</p>"
        else:
            table, summary = "", "<p>Er zijn nog geen aanvragen in deze ronde.</p>"
        pager = _pager(key, path, number_, pages)
        body = f"""{summary}
{pager}
<div data-pagefind-ignore>
{table}
</div>
{pager}
<p><a href="{href(path, round_applications_csv(key))}" download>Download alle aanvragen als CSV</a></p>
<p class="ks-terug"><a href="{href(path, round_page(key))}">Terug naar {esc(round_record.title)}</a></p>"""
        result.append(Page(path, html_page(title, body)))
    return result


def build_round_page(ctx: SiteContext, round_record: Round) -> list[Page]:
    """The round's page and its CSV files."""
    path = round_page(round_record.key)
    data = round_record.data
    state, window = window_text(round_record, ctx.today)
    payment = PAYMENT_LABELS.get(data["uitbetaling"]["wijze"], data["uitbetaling"]["wijze"])
    if data["uitbetaling"].get("circulaire"):
        payment += f" ({data['uitbetaling']['circulaire']})"
    parts = ", ".join(PART_LABELS.get(p, p) for p in data.get("verplichte_onderdelen", [])) or "Geen"
    maximum = data.get("max_per_gemeente")
    maximum_text = (
        f"{euro(maximum)} per gemeente; een regionale aanvraag mag dit bedrag maal het aantal gemeenten vragen."
        if maximum is not None
        else "Geen maximum per gemeente."
    )
    example_note = (
        '<p class="ks-voorbeeld-melding"><strong>Voorbeeld.</strong> Deze ronde is een voorbeeldrecord; '
        "niet alle gegevens zijn echt. De toelichting zegt welke feiten uit de bron komen.</p>"
        if round_record.is_example
        else ""
    )
    figures = round_figures(ctx, round_record)
    body = f"""<p class="ks-kop">{example_badge(round_record.is_example)}<span class="ks-badge">{esc(state)}</span></p>
{example_note}
<p><strong>{esc(window)}</strong></p>
<table class="ks-kenmerken">
<caption class="ks-sr">Gegevens van de ronde</caption>
<tr><th scope="row">Regeling</th><td>{esc(data["regeling"])}</td></tr>
<tr><th scope="row">Aanvragen</th><td>Van {esc(nl_date(data["opent"]))} tot en met {esc(nl_date(data["sluit"]))}</td></tr>
<tr><th scope="row">Budget</th><td>{esc(euro(data["budget"]))}</td></tr>
<tr><th scope="row">Maximum</th><td>{esc(maximum_text)}</td></tr>
<tr><th scope="row">Wie mag aanvragen</th><td>{_eligibility(ctx, round_record)}</td></tr>
<tr><th scope="row">Verplichte onderdelen</th><td>{esc(parts)}</td></tr>
<tr><th scope="row">Uitbetaling</th><td>{esc(payment)}</td></tr>
<tr><th scope="row">Verantwoording</th><td>{esc(report_deadline_text(round_record, ctx.today))}</td></tr>
<tr><th scope="row">Bron</th><td>{external_link(data["bron"], "de regeling")}</td></tr>
</table>
{markdown_html(str(data["toelichting"])) if data.get("toelichting") else ""}
<h2 id="budget">Budget</h2>
{figures[0].html(path)}
<h2 id="status">Aanvragen per status</h2>
{figures[1].html(path)}
<h2 id="kaart">Kaart</h2>
<p><a href="{href(path, round_map(round_record.key))}">Kaart van alle gemeenten in deze ronde</a>: wie kon aanvragen,
wie vroeg aan en wie kreeg toegekend.</p>
<h2 id="aanvragen">Aanvragen</h2>
<div data-pagefind-ignore>
{recent_applications(ctx, round_record, path)}
</div>
<p class="ks-terug"><a href="{href(path, IMPULS_INDEX)}">Terug naar alle rondes</a> ·
<a href="{href(path, MONITOR)}">Naar de monitor</a></p>"""
    page = Page(path, html_page(round_record.title, f'<div data-pagefind-filter="soort:ronde">\n{body}\n</div>'))
    return [
        page,
        round_map_page(ctx, round_record),
        *listing_pages(ctx, round_record),
        applications_csv(ctx, round_record),
        *(figure.csv_page() for figure in figures),
    ]


def rounds_index(ctx: SiteContext) -> Page:
    facts = grant_facts(ctx)
    rows = []
    for round_record in reversed(facts.rounds):
        state, _ = window_text(round_record, ctx.today)
        count = len(facts.by_round.get(round_record.key, []))
        rows.append(
            f'<tr><th scope="row"><a href="{href(IMPULS_INDEX, round_page(round_record.key))}">{esc(round_record.title)}</a>'
            f"{example_badge(round_record.is_example)}</th>"
            f"<td>{esc(nl_date(round_record.data['opent']))} – {esc(nl_date(round_record.data['sluit']))}</td>"
            f"<td>{esc(state)}</td><td>{esc(euro(round_record.data['budget']))}</td>"
            f"<td>{esc(euro(facts.awarded(round_record.key)))}</td><td>{number(count)}</td></tr>"
        )
    table = (
        f"""<table class="ks-tabel">
<caption class="ks-sr">Rondes van de regelingen</caption>
<thead><tr><th scope="col">Ronde</th><th scope="col">Periode</th><th scope="col">Stand</th><th scope="col">Budget</th>
<th scope="col">Toegekend</th><th scope="col">Aanvragen</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>"""
        if rows
        else "<p>Er zijn nog geen rondes.</p>"
    )
    body = f"""<p>Met de <strong>Impuls Kansrijke Start</strong> kregen gemeenten geld om een lokale coalitie te vormen of te
versterken. In 2019 ging 9 miljoen euro naar de gemeenten van Gezond in de Stad (GIDS). In 2020 volgde een
tranche van 3 miljoen euro voor de andere gemeenten, en in 2022 kregen alle gemeenten die nog niet meededen
alsnog een impuls. Het geld ging als decentralisatie-uitkering via de gemeentefondscirculaires. Sinds 2023
valt Kansrijke Start onder de Brede SPUK, waarvoor gemeenten zelf een aanvraag doen.</p>
<p>Hier staat elke ronde met haar budget, wie mocht aanvragen en de aanvragen met hun status. Een aanvraag
doorloopt de stappen concept, ingediend, in behandeling en toegekend of afgewezen; een toegekende aanvraag
wordt later verantwoord. Hoe ver het programma is, staat in de <a href="{href(IMPULS_INDEX, MONITOR)}">monitor</a>.</p>
<p class="ks-meta">Bronnen: <a href="https://www.kansrijkestartnl.nl/lokale-coalities/impuls-kansrijke-start" rel="noopener">Impuls Kansrijke Start</a> en
<a href="https://www.kansrijkestartnl.nl/actueel/nieuws/2020/04/30/impuls-3e-tranche-128-nieuwe-aanmeldingen" rel="noopener">derde tranche</a>
(kansrijkestartnl.nl).</p>
<h2 id="rondes">Rondes</h2>
{table}
<h2 id="stappen">De stappen van een aanvraag</h2>
{_steps_table()}"""
    return Page(IMPULS_INDEX, html_page("Impulsregeling", body))


def _steps_table() -> str:
    """The transition table as contributors read it: from which status, to which, and who takes the step."""
    rows = "".join(
        f'<tr><th scope="row">{esc(STATUS_LABELS[frm]) if frm else "(nieuw)"}</th><td>{esc(STATUS_LABELS[to])}</td>'
        f"<td>{esc(role.value)}</td></tr>"
        for (frm, to), role in TRANSITIONS.items()
    )
    return f"""<table class="ks-tabel">
<caption class="ks-sr">Toegestane stappen en wie ze zet</caption>
<thead><tr><th scope="col">Van</th><th scope="col">Naar</th><th scope="col">Wie zet de stap</th></tr></thead>
<tbody>{rows}</tbody>
</table>"""


# --- the "Subsidies" section of a coalition page ----------------------------------------------


def _step_details(ctx: SiteContext, path: str, step: dict) -> str:
    details = []
    if "bedrag_toegekend" in step:
        details.append(f"Toegekend: {esc(euro(step['bedrag_toegekend']))}.")
    if "reden" in step:
        details.append(f"Reden: {esc(step['reden'])}")
    report = step.get("verantwoording")
    if report:
        started = ", ".join(
            f'<a href="{href(path, intervention_page(k))}">{esc(ctx.interventions[k].name if k in ctx.interventions else k)}</a>'
            for k in report.get("interventies_gestart", [])
        )
        details.append(
            "<ul>"
            f"<li>Coalitie gevormd: {'ja' if report['coalitie_gevormd'] else 'nee'}</li>"
            f"<li>Plan van aanpak: {esc(PLAN_LABELS.get(report['plan_van_aanpak'], report['plan_van_aanpak']))}</li>"
            f"<li>Gestarte interventies: {started or 'geen'}</li>"
            f"<li>Besteed: {esc(euro(report['bedrag_besteed']))}</li>"
            + (
                f"<li>Toelichting op onderbesteding: {esc(report['toelichting_onderbesteding'])}</li>"
                if report.get("toelichting_onderbesteding")
                else ""
            )
            + "</ul>"
        )
    if step.get("toelichting"):
        details.append(esc(step["toelichting"]))
    return " ".join(details)


def _history_list(ctx: SiteContext, path: str, application: Application) -> str:
    """The history as an ordered list (oldest first): it wraps on a phone, where a four-column table would not fit."""
    items = []
    previous: str | None = None
    for step in application.history:
        role = TRANSITIONS.get((previous, step["status"]))
        by = f' <span class="ks-meta">door de {esc(role.value)}</span>' if role else ""
        details = _step_details(ctx, path, step)
        items.append(
            f'<li><span class="ks-stap-datum">{esc(nl_date(step["datum"]))}</span>: '
            f"<strong>{esc(STATUS_LABELS.get(step['status'], step['status']))}</strong>{by}"
            f"{'<br>' + details if details else ''}</li>"
        )
        previous = step["status"]
    return f'<p id="{esc(application_anchor(application))}-historie">Geschiedenis van de aanvraag:</p>\n<ol class="ks-historie">{"".join(items)}</ol>'


def _application_block(ctx: SiteContext, path: str, application: Application) -> str:
    data = application.data
    round_record = ctx.repo.record("ronde", application.round_key)
    round_title = round_record.title if isinstance(round_record, Round) else application.round_key
    awarded = awarded_amount(application)
    status = application.status or ""
    budget_rows = "".join(
        f'<tr><th scope="row">{esc(line["omschrijving"])}</th><td>{esc(euro(line["bedrag"]))}</td></tr>'
        for line in data["begroting"]
    )
    activities = "".join(
        f"<li>{esc(ACTION_LINE_LABELS[line])}: {esc('; '.join(data['activiteiten'][line]))}</li>"
        for line in ACTION_LINES
        if data.get("activiteiten", {}).get(line)
    )
    interventions = ", ".join(
        f'<a href="{href(path, intervention_page(k))}">{esc(ctx.interventions[k].name if k in ctx.interventions else k)}</a>'
        for k in data.get("interventies", [])
    )
    extra = ""
    if activities:
        extra += f"<p>Geplande activiteiten:</p><ul>{activities}</ul>"
    if interventions:
        extra += f"<p>Te starten interventies: {interventions}</p>"
    if data.get("partners"):
        extra += f"<p>Partners die zich verbinden: {esc(', '.join(data['partners']))}</p>"
    anchor = application_anchor(application)
    from .forms import change_link  # forms.py imports this module for its labels

    return f"""<h3 id="{esc(anchor)}"><a href="{href(path, round_page(application.round_key))}">{esc(round_title)}</a></h3>
<p>{example_badge(application.is_example)}<span class="ks-badge">{esc(STATUS_LABELS.get(status, status))}</span></p>
<table class="ks-kenmerken">
<caption class="ks-sr">Aanvraag voor {esc(round_title)}</caption>
<tr><th scope="row">Gemeenten</th><td>{esc(_municipality_names(ctx, application))}</td></tr>
<tr><th scope="row">Aangevraagd</th><td>{esc(euro(data["bedrag_aangevraagd"]))}</td></tr>
<tr><th scope="row">Toegekend</th><td>{esc(euro(awarded)) if awarded is not None else "—"}</td></tr>
</table>
<table class="ks-tabel"><caption>Begroting</caption>
<thead><tr><th scope="col">Post</th><th scope="col">Bedrag</th></tr></thead><tbody>{budget_rows}</tbody></table>
{extra}
{_history_list(ctx, path, application)}
<p>{change_link(path, "aanvraag", application.key, f"Wijziging voorstellen in de aanvraag voor {round_title}")}</p>"""


def grants_section(ctx: SiteContext, coalition: Coalition) -> str:
    """The coalition's applications with their full history (``COALITION_SECTIONS["subsidies"]``)."""
    path = coalition_page(coalition.key)
    applications = grant_facts(ctx).by_coalition.get(coalition.key, [])
    if not applications:
        return (
            '<h2 id="subsidies">Subsidies</h2>\n<p>Deze coalitie heeft nog geen aanvraag in de '
            f'<a href="{href(path, IMPULS_INDEX)}">Impulsregeling</a>.</p>'
        )
    blocks = "\n".join(_application_block(ctx, path, a) for a in applications)
    return f'<h2 id="subsidies">Subsidies</h2>\n{blocks}'


def round_pages(ctx: SiteContext) -> Iterable[Page]:
    yield rounds_index(ctx)
    for round_record in grant_facts(ctx).rounds:
        yield from build_round_page(ctx, round_record)


COALITION_SECTIONS["subsidies"] = grants_section
GENERATORS.append(round_pages)
