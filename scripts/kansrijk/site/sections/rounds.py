"""The Impulsregeling on the site: an index of rounds, a page per round, and each coalition's applications.

Everything is computed from the records in one pass per build (``grant_facts``), so a
corpus of thousands of applications builds in linear time. Round pages show the budget,
the applications by status and the time left, counted against ``ctx.today``.

A round page is a record page and must stay small (issue #3: at most 40 KB of HTML) however
many applications a round gets, so it shows only the most recent ones. The full table goes to
separate listing pages (``impuls/<ronde>-aanvragen[-k].md``, a fixed number of rows each, not in
the navigation) and to the CSV download; every application is on exactly one listing page.

The generators here compute a typed context; the markup is in ``templates/rounds/`` (and the shared
``_parts/macros.html``), and every label comes from a code list in ``vocab/``.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup

from kansrijk.checks.grants import STATUSES, TRANSITIONS, awarded_amount
from kansrijk.nlformat import euro, nl_date, number, share
from kansrijk.records.model import Application, Coalition, Round
from kansrijk.site.engine.html import href, html_page
from kansrijk.site.engine.pages import COALITION_SECTIONS, GENERATORS, Page, SiteContext
from kansrijk.site.engine.templating import TemplateContext, render_context
from kansrijk.site.engine.urls import (
    IMPULS_INDEX,
    MONITOR,
    coalition_page,
    form_page,
    intervention_page,
    round_applications_csv,
    round_chart_csv,
    round_listing,
    round_map,
    round_page,
)
from kansrijk.site.parts.charts import Column, Figure, bar_chart, csv_text, stacked_bar
from kansrijk.site.parts.facts import Link
from kansrijk.site.parts.maps import GREY, NONE, ORANGE, TEAL, Category, choropleth, current_codes

# The round page shows this many of the latest applications; the rest are on the listing pages.
RECENT_APPLICATIONS = 10
# Rows per listing page: big enough to page through a large round quickly, small enough to load on a phone.
LISTING_PAGE_SIZE = 100


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
    rounds = sorted(ctx.repo.valid(Round), key=lambda r: (r.data["opent"], r.key))
    order = {r.key: i for i, r in enumerate(rounds)}
    by_round: dict[str, list[Application]] = defaultdict(list)
    by_coalition: dict[str, list[Application]] = defaultdict(list)
    for application in ctx.repo.valid(Application):
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
    label = ctx.label("subsidiabel-soorten", rule["soort"])
    codes = rule.get("gemeenten", [])
    if rule["soort"] == "alle" or not codes:
        return label
    names = ", ".join(ctx.repo.vocab.municipality_name(code) for code in codes)
    return f"{label} ({len(codes)}): {names}"


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


@dataclass(frozen=True)
class RoundMapContext(TemplateContext):
    template = "rounds/map.html"

    path: str
    round_page: str
    round_title: str
    is_example: bool
    figure: Markup
    groups: list[tuple[Category, list[str]]]  # each class with its municipalities by name


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
    body = render_context(
        RoundMapContext(
            path=path,
            round_page=round_page(round_record.key),
            round_title=round_record.title,
            is_example=round_record.is_example,
            figure=figure,
            groups=groups,
        )
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
        f"Van het budget van {euro(budget)} is {euro(awarded)} toegekend ({share(awarded, budget)}); "
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
    # The code list holds the statuses in life-cycle order; a corpus made before the list existed has the table's.
    listed = ctx.codelists.get("aanvraagstatussen")
    statuses = listed.codes if listed else list(STATUSES)
    counts: Counter[str] = Counter(a.status or "" for a in applications)
    requested: Counter[str] = Counter()
    granted: Counter[str] = Counter()
    for application in applications:
        requested[application.status or ""] += application.data["bedrag_aangevraagd"]
        granted[application.status or ""] += awarded_amount(application) or 0
    status_rows = [(_status(ctx, s), counts[s], requested[s], granted[s]) for s in statuses]
    busiest = max(statuses, key=lambda s: counts[s]) if applications else None
    status_summary = f"{len(applications)} aanvragen in deze ronde" + (
        f"; de meeste hebben de status '{_status(ctx, busiest)}' ({counts[busiest]})." if busiest else "."
    )
    status_figure = Figure(
        key="status",
        title="Aanvragen per status",
        summary=status_summary,
        svg=bar_chart(
            f"status-{key}",
            "Aanvragen per status",
            status_summary,
            [(_status(ctx, s), counts[s]) for s in statuses],
            number,
            max([1, *counts.values()]),
        ),
        columns=(Column("Status"), Column("Aanvragen", "aantal"), Column("Aangevraagd", "euro"), Column("Toegekend", "euro")),
        rows=status_rows,
        csv_path=round_chart_csv(key, "status"),
    )
    return [budget_figure, status_figure]


def _status(ctx: SiteContext, code: str) -> str:
    return ctx.label("aanvraagstatussen", code)


def _awarded_text(application: Application) -> str:
    awarded = awarded_amount(application)
    return euro(awarded) if awarded is not None else "—"


class ListingOrder:
    """Each round's applications ordered by municipality, sorted once per build for its listing pages and its CSV."""

    def __init__(self, ctx: SiteContext) -> None:
        self.ctx = ctx
        self._sorted: dict[str, list[Application]] = {}

    def of(self, round_key: str) -> list[Application]:
        if round_key not in self._sorted:
            applications = grant_facts(self.ctx).by_round.get(round_key, [])
            self._sorted[round_key] = sorted(applications, key=lambda a: (_municipality_names(self.ctx, a).casefold(), a.key))
        return self._sorted[round_key]


@dataclass(frozen=True)
class ApplicationRow:
    """One application in a table of a round, as ``ronde_macros.applications_table`` shows it."""

    link: str  # to the application on its coalition page, relative to the page the table is on
    municipalities: str
    is_example: bool
    provinces: str
    requested: str
    awarded: str
    status: str
    last_step: str  # ISO date of the latest step


def _application_row(ctx: SiteContext, path: str, application: Application) -> ApplicationRow:
    return ApplicationRow(
        link=href(path, coalition_page(application.coalition_key)) + f"#{application_anchor(application)}",
        municipalities=_municipality_names(ctx, application),
        is_example=application.is_example,
        provinces=_provinces(ctx, application),
        requested=euro(application.data["bedrag_aangevraagd"]),
        awarded=_awarded_text(application),
        status=_status(ctx, application.status or ""),
        last_step=last_step_date(application),
    )


@dataclass(frozen=True)
class ApplicationsContext(TemplateContext):
    template = "rounds/applications.html"

    path: str
    rows: list[ApplicationRow]
    where: str  # which applications of how many
    pages: list[str]  # every listing page of the round
    current: int  # 1-based
    csv_path: str
    round_path: str
    round_title: str


def applications_csv(ctx: SiteContext, round_record: Round) -> Page:
    """Every application of the round as CSV (with codes for reuse), in the order of the listing pages."""
    csv_rows = []
    for application in ctx.index(ListingOrder).of(round_record.key):
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


def listing_pages(ctx: SiteContext, round_record: Round) -> list[Page]:
    """The round's applications on pages of ``LISTING_PAGE_SIZE``, ordered by municipality; index pages, not in the nav."""
    key = round_record.key
    applications = ctx.index(ListingOrder).of(key)
    count = max(1, -(-len(applications) // LISTING_PAGE_SIZE))
    paths = [round_listing(key, number_) for number_ in range(1, count + 1)]
    result = []
    for number_, path in enumerate(paths, start=1):
        chunk = applications[(number_ - 1) * LISTING_PAGE_SIZE : number_ * LISTING_PAGE_SIZE]
        first = (number_ - 1) * LISTING_PAGE_SIZE + 1
        title = f"Aanvragen in {round_record.title}" + (f" (pagina {number_} van {count})" if count > 1 else "")
        body = render_context(
            ApplicationsContext(
                path=path,
                rows=[_application_row(ctx, path, a) for a in chunk],
                where=f"Aanvraag {number(first)} tot en met {number(first + len(chunk) - 1)} van {number(len(applications))}",
                pages=paths,
                current=number_,
                csv_path=round_applications_csv(key),
                round_path=round_page(key),
                round_title=round_record.title,
            )
        )
        result.append(Page(path, html_page(title, body)))
    return result


def _payment(ctx: SiteContext, round_record: Round) -> str:
    payment = round_record.data["uitbetaling"]
    text = ctx.label("uitbetalingswijzen", payment["wijze"])
    return f"{text} ({payment['circulaire']})" if payment.get("circulaire") else text


@dataclass(frozen=True)
class RoundPageContext(TemplateContext):
    template = "rounds/page.html"

    path: str
    title: str
    is_example: bool
    state: str
    window: str
    scheme: str
    opens: str
    closes: str
    budget: str
    maximum: str
    eligibility: str
    parts: str
    payment: str
    report_deadline: str
    source: str
    explanation: str  # Markdown
    figures: list[Markup]
    map_path: str
    total: int
    total_text: str
    recent: list[ApplicationRow]
    listing_path: str
    listing_pages: int
    listing_pages_text: str
    csv_path: str
    index_path: str
    monitor_path: str


def build_round_page(ctx: SiteContext, round_record: Round) -> list[Page]:
    """The round's page and its CSV files."""
    path = round_page(round_record.key)
    data = round_record.data
    state, window = window_text(round_record, ctx.today)
    maximum = data.get("max_per_gemeente")
    applications = grant_facts(ctx).by_round.get(round_record.key, [])
    recent = sorted(applications, key=lambda a: (last_step_date(a), a.key), reverse=True)[:RECENT_APPLICATIONS]
    listing_count = -(-len(applications) // LISTING_PAGE_SIZE)
    figures = round_figures(ctx, round_record)
    body = render_context(
        RoundPageContext(
            path=path,
            title=round_record.title,
            is_example=round_record.is_example,
            state=state,
            window=window,
            scheme=data["regeling"],
            opens=data["opent"],
            closes=data["sluit"],
            budget=euro(data["budget"]),
            maximum=(
                f"{euro(maximum)} per gemeente; een regionale aanvraag mag dit bedrag maal het aantal gemeenten vragen."
                if maximum is not None
                else "Geen maximum per gemeente."
            ),
            eligibility=_eligibility(ctx, round_record),
            parts=", ".join(ctx.label("verplichte-onderdelen", p) for p in data.get("verplichte_onderdelen", [])) or "Geen",
            payment=_payment(ctx, round_record),
            report_deadline=report_deadline_text(round_record, ctx.today),
            source=data["bron"],
            explanation=str(data.get("toelichting") or ""),
            figures=[Markup(figure.html(path)) for figure in figures],  # charts.Figure escapes its own text
            map_path=round_map(round_record.key),
            total=len(applications),
            total_text=number(len(applications)),
            recent=[_application_row(ctx, path, a) for a in recent],
            listing_path=round_listing(round_record.key),
            listing_pages=listing_count,
            listing_pages_text=number(listing_count),
            csv_path=round_applications_csv(round_record.key),
            index_path=IMPULS_INDEX,
            monitor_path=MONITOR,
        )
    )
    return [
        Page(path, html_page(round_record.title, body)),
        round_map_page(ctx, round_record),
        *listing_pages(ctx, round_record),
        applications_csv(ctx, round_record),
        *(figure.csv_page() for figure in figures),
    ]


@dataclass(frozen=True)
class RoundRow:
    """One round in the index table."""

    page: str
    title: str
    is_example: bool
    opens: str
    closes: str
    state: str
    budget: str
    awarded: str
    applications: str


@dataclass(frozen=True)
class RoundsIndexContext(TemplateContext):
    template = "rounds/index.html"

    path: str
    monitor_path: str
    rounds: list[RoundRow]  # latest first
    steps: list[tuple[str | None, str, str]]  # from status (None for the first step), to status, who


def rounds_index(ctx: SiteContext) -> Page:
    facts = grant_facts(ctx)
    rounds = [
        RoundRow(
            page=round_page(round_record.key),
            title=round_record.title,
            is_example=round_record.is_example,
            opens=round_record.data["opent"],
            closes=round_record.data["sluit"],
            state=window_text(round_record, ctx.today)[0],
            budget=euro(round_record.data["budget"]),
            awarded=euro(facts.awarded(round_record.key)),
            applications=number(len(facts.by_round.get(round_record.key, []))),
        )
        for round_record in reversed(facts.rounds)
    ]
    # The transition table as contributors read it: from which status, to which, and who takes the step.
    steps = [
        (_status(ctx, previous) if previous else None, _status(ctx, status), role.value)
        for (previous, status), role in TRANSITIONS.items()
    ]
    body = render_context(RoundsIndexContext(path=IMPULS_INDEX, monitor_path=MONITOR, rounds=rounds, steps=steps))
    return Page(IMPULS_INDEX, html_page("Impulsregeling", body))


# --- the "Subsidies" section of a coalition page ----------------------------------------------


@dataclass(frozen=True)
class Report:
    """What a 'verantwoord' step reports."""

    coalition_formed: bool
    plan: str
    started: list[Link]
    spent: str
    underspending: str


@dataclass(frozen=True)
class Step:
    """One step of an application's history, as the coalition page shows it."""

    date: str
    status: str
    role: str | None  # who took the step, after the transition table
    awarded: str | None
    reason: str
    report: Report | None
    explanation: str

    @property
    def has_details(self) -> bool:
        return self.awarded is not None or bool(self.reason or self.report or self.explanation)


@dataclass(frozen=True)
class ApplicationBlock:
    """One application on its coalition page: its facts, plans and history."""

    anchor: str
    round_page: str
    round_title: str
    is_example: bool
    status: str
    municipalities: str
    requested: str
    awarded: str
    budget: list[tuple[str, str]]
    activities: list[tuple[str, str]]  # (action line label, activities)
    interventions: list[Link]
    partners: str
    history: list[Step]
    key: str  # for the change link to the application form
    change_text: str


def _intervention_links(ctx: SiteContext, keys: list[str]) -> list[Link]:
    return [Link(intervention_page(k), ctx.interventions[k].name if k in ctx.interventions else k) for k in keys]


def _history(ctx: SiteContext, application: Application) -> list[Step]:
    steps = []
    previous: str | None = None
    for step in application.history:
        role = TRANSITIONS.get((previous, step["status"]))
        report = step.get("verantwoording")
        steps.append(
            Step(
                date=step["datum"],
                status=_status(ctx, step["status"]),
                role=role.value if role else None,
                awarded=euro(step["bedrag_toegekend"]) if "bedrag_toegekend" in step else None,
                reason=step.get("reden", ""),
                report=Report(
                    coalition_formed=bool(report["coalitie_gevormd"]),
                    plan=ctx.label("planstatussen", report["plan_van_aanpak"]),
                    started=_intervention_links(ctx, report.get("interventies_gestart", [])),
                    spent=euro(report["bedrag_besteed"]),
                    underspending=report.get("toelichting_onderbesteding", ""),
                )
                if report
                else None,
                explanation=step.get("toelichting", ""),
            )
        )
        previous = step["status"]
    return steps


def _application_block(ctx: SiteContext, path: str, application: Application) -> ApplicationBlock:
    data = application.data
    round_record = ctx.repo.record("ronde", application.round_key)
    round_title = round_record.title if isinstance(round_record, Round) else application.round_key
    planned = data.get("activiteiten", {})
    return ApplicationBlock(
        anchor=application_anchor(application),
        round_page=round_page(application.round_key),
        round_title=round_title,
        is_example=application.is_example,
        status=_status(ctx, application.status or ""),
        municipalities=_municipality_names(ctx, application),
        requested=euro(data["bedrag_aangevraagd"]),
        awarded=_awarded_text(application),
        budget=[(line["omschrijving"], euro(line["bedrag"])) for line in data["begroting"]],
        activities=[
            (ctx.label("actielijnen", line), "; ".join(planned[line]))
            for line in ctx.codelists["actielijnen"].codes
            if planned.get(line)
        ],
        interventions=_intervention_links(ctx, data.get("interventies", [])),
        partners=", ".join(data.get("partners", [])),
        history=_history(ctx, application),
        key=application.key,
        change_text=f"Wijziging voorstellen in de aanvraag voor {round_title}",
    )


@dataclass(frozen=True)
class SubsidiesContext(TemplateContext):
    template = "rounds/subsidies.html"

    path: str
    index_path: str
    form: str
    applications: list[ApplicationBlock]


def grants_section(ctx: SiteContext, coalition: Coalition) -> Markup:
    """The coalition's applications with their full history (``COALITION_SECTIONS["subsidies"]``)."""
    path = coalition_page(coalition.key)
    applications = grant_facts(ctx).by_coalition.get(coalition.key, [])
    return Markup(
        render_context(
            SubsidiesContext(
                path=path,
                index_path=IMPULS_INDEX,
                form=form_page("aanvraag"),
                applications=[_application_block(ctx, path, a) for a in applications],
            )
        )
    )


def round_pages(ctx: SiteContext) -> Iterable[Page]:
    yield rounds_index(ctx)
    for round_record in grant_facts(ctx).rounds:
        yield from build_round_page(ctx, round_record)


COALITION_SECTIONS["subsidies"] = grants_section
GENERATORS.append(round_pages)
