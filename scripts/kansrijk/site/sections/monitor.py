"""The monitor dashboard (``monitor/``): the RIVM monitor indicators, computed from the records.

The denominator is the current CBS register (342 municipalities). A record that names a
municipality that has since merged counts for its successor, so every share uses the same
register and a trend over the years is not distorted by mergers. Coalitions that have
stopped do not count. All figures are computed in one pass over the records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from markupsafe import Markup

from kansrijk.checks.grants import awarded_amount, step_index
from kansrijk.nlformat import number, percent
from kansrijk.records.model import ACTION_LINES, Application, Coalition
from kansrijk.records.register import Municipality
from kansrijk.site.engine.html import html_page
from kansrijk.site.engine.pages import GENERATORS, Page, SiteContext
from kansrijk.site.engine.templating import TemplateContext, render_context
from kansrijk.site.engine.urls import IMPULS_INDEX, MONITOR, intervention_page
from kansrijk.site.parts.charts import Column, Figure, bar_chart, csv_text, line_chart
from kansrijk.site.parts.indexes import phase_by_municipality
from kansrijk.site.parts.maps import GREEN, NONE, ORANGE, TEAL, Category, choropleth, current_codes

NU_NIET_ZWANGER = "nu-niet-zwanger"
CENTERING = ("centeringpregnancy", "centeringparenting")
TOP_INTERVENTIONS = 10  # bars per action line; the table and CSV name them, the CSV lists all
INTERVENTION_SERIES = {"Nu Niet Zwanger": NU_NIET_ZWANGER, "CenteringPregnancy": CENTERING[0]}  # trend lines by "sinds"
FIRST_TREND_YEAR = 2018  # the Actieprogramma started in 2018
MUNICIPALITIES_CSV = "monitor/gemeenten.csv"


@dataclass
class MonitorFacts:
    """Per current municipality: what the records say about it. Built once per site build."""

    register: dict[str, Municipality]
    impuls_year: dict[str, int] = field(default_factory=dict)  # first year an award was made
    coalition_phase: dict[str, str] = field(default_factory=dict)  # "actief" or "in-oprichting"
    coalition_year: dict[str, int] = field(default_factory=dict)
    plan_year: dict[str, int] = field(default_factory=dict)  # adopted plan of approach
    running: dict[str, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))  # code -> (line, intervention)
    running_year: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))  # key -> code -> first year
    records: int = 0
    examples: int = 0
    mapped_codes: set[str] = field(default_factory=set)  # ended codes counted for their successor
    undated_coalitions: int = 0

    @property
    def total(self) -> int:
        return len(self.register)

    def share(self, count: int) -> float:
        return count / self.total if self.total else 0.0

    def with_intervention(self, key: str, line: str | None = None) -> list[str]:
        return sorted(
            code for code, uses in self.running.items() if any(k == key and (line is None or ln == line) for ln, k in uses)
        )


def _year(iso: str) -> int:
    return int(iso[:4])


def monitor_facts(ctx: SiteContext) -> MonitorFacts:
    """The monitor's counts, computed once per build."""
    return ctx.index(_count_monitor_facts)


def _count_monitor_facts(ctx: SiteContext) -> MonitorFacts:
    vocab = ctx.repo.vocab
    facts = MonitorFacts(register=dict(vocab.municipalities))

    def codes_of(codes: Iterable[str]) -> list[str]:
        result = []
        for code in codes:
            mapped = current_codes(vocab, code)
            if mapped and mapped != (code,):
                facts.mapped_codes.add(code)
            result.extend(mapped)
        return result

    for coalition in ctx.repo.valid(Coalition):
        _add_coalition(facts, coalition, codes_of(coalition.municipalities))
    for application in ctx.repo.valid(Application):
        facts.records += 1
        facts.examples += application.is_example
        _add_application(facts, application, codes_of(application.municipalities))
    return facts


def _add_coalition(facts: MonitorFacts, coalition: Coalition, codes: list[str]) -> None:
    facts.records += 1
    facts.examples += coalition.is_example
    data = coalition.data
    if data.get("fase") == "gestopt":
        return
    start = data.get("startdatum")
    if not start:
        facts.undated_coalitions += 1
    plan = data.get("plan_van_aanpak", {})
    running = [(line, entry) for line, _i, entry in coalition.interventions_in_use() if entry.get("status") == "in-uitvoering"]
    uses = {(line, entry["interventie"]) for line, entry in running}
    for code in codes:
        if data.get("fase") == "actief" or facts.coalition_phase.get(code) != "actief":
            facts.coalition_phase[code] = data.get("fase", "actief")
        if start:
            facts.coalition_year[code] = min(facts.coalition_year.get(code, 9999), _year(start))
        if plan.get("status") == "vastgesteld" and plan.get("datum"):
            facts.plan_year[code] = min(facts.plan_year.get(code, 9999), _year(plan["datum"]))
        facts.running[code] |= uses
        for _line, entry in running:
            if entry.get("sinds"):
                years = facts.running_year[entry["interventie"]]
                years[code] = min(years.get(code, 9999), _year(entry["sinds"]))


def _add_application(facts: MonitorFacts, application: Application, codes: list[str]) -> None:
    if awarded_amount(application) is None:
        return
    index = step_index(application, "toegekend")
    year = _year(application.history[index]["datum"])  # type: ignore[index]
    for code in codes:
        facts.impuls_year[code] = min(facts.impuls_year.get(code, 9999), year)


# --- figures ------------------------------------------------------------------------------------


def _csv(name: str) -> str:
    return f"monitor/{name}.csv"


def _share_figure(
    facts: MonitorFacts,
    key: str,
    title: str,
    chart_title: str,
    summary: str,
    first_column: str,
    counts: list[tuple[str, int]],
    note: str = "",
) -> Figure:
    """A chart of shares of all municipalities, with a table of label, number of municipalities and share."""
    rows = [(label, n, facts.share(n)) for label, n in counts]
    return Figure(
        key=key,
        title=title,
        summary=summary,
        svg=bar_chart(f"{key}-grafiek", chart_title, summary, [(label, share) for label, _n, share in rows], percent, 1.0),
        columns=(Column(first_column), Column("Gemeenten", "aantal"), Column("Aandeel", "aandeel")),
        rows=rows,
        csv_path=_csv(key),
        note=note,
    )  # fmt: skip


def headline_figure(facts: MonitorFacts) -> Figure:
    nnz = len(facts.with_intervention(NU_NIET_ZWANGER))
    pregnancy, parenting = (len(facts.with_intervention(key)) for key in CENTERING)
    active = sum(1 for phase in facts.coalition_phase.values() if phase == "actief")
    rows = [
        ("Impuls ontvangen", len(facts.impuls_year)),
        ("Met een coalitie", len(facts.coalition_phase)),
        ("Met een actieve coalitie", active),
        ("Plan van aanpak vastgesteld", len(facts.plan_year)),
        ("Nu Niet Zwanger beschikbaar", nnz),
        ("CenteringPregnancy", pregnancy),
        ("CenteringParenting", parenting),
    ]
    summary = (
        f"Van de {facts.total} gemeenten kreeg {percent(facts.share(rows[0][1]))} een impuls, heeft "
        f"{percent(facts.share(rows[1][1]))} een coalitie en heeft {percent(facts.share(rows[3][1]))} een vastgesteld plan van aanpak."
    )
    return _share_figure(
        facts, "kerncijfers", "Kerncijfers: aandeel van alle gemeenten", "Kerncijfers", summary, "Indicator", rows
    )


def nnz_figure(facts: MonitorFacts) -> tuple[Figure, list[str]]:
    """Where Nu Niet Zwanger is available: the share per province, and the municipalities by name."""
    available = set(facts.with_intervention(NU_NIET_ZWANGER))
    per_province: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for code, municipality in facts.register.items():
        counts = per_province[municipality.provincie]
        counts[1] += 1
        counts[0] += code in available
    rows = [(province, n, total, n / total) for province, (n, total) in sorted(per_province.items())]
    summary = f"Nu Niet Zwanger is beschikbaar in {len(available)} van de {facts.total} gemeenten ({percent(facts.share(len(available)))})."
    figure = Figure(
        key="nu-niet-zwanger",
        title="Nu Niet Zwanger: aandeel gemeenten per provincie",
        summary=summary,
        svg=bar_chart("nnz-grafiek", "Nu Niet Zwanger per provincie", summary, [(r[0], r[3]) for r in rows], percent, 1.0),
        columns=(
            Column("Provincie"),
            Column("Met Nu Niet Zwanger", "aantal"),
            Column("Gemeenten", "aantal"),
            Column("Aandeel", "aandeel"),
        ),
        rows=rows,
        csv_path=_csv("nu-niet-zwanger-provincies"),
    )
    names = sorted((facts.register[code].naam for code in available), key=str.casefold)
    return figure, names


def centering_figure(ctx: SiteContext, facts: MonitorFacts) -> Figure:
    counts = [(_name(ctx, key), len(facts.with_intervention(key))) for key in CENTERING]
    summary = "; ".join(f"{name} in {number(n)} gemeenten ({percent(facts.share(n))})" for name, n in counts) + "."
    return _share_figure(facts, "centering", "Gemeenten die Centering aanbieden", "Centering", summary, "Interventie", counts)


def _name(ctx: SiteContext, key: str) -> str:
    intervention = ctx.interventions.get(key)
    return intervention.name if intervention else key


def action_line_figure(ctx: SiteContext, facts: MonitorFacts) -> Figure:
    counts = [
        (ctx.label("actielijnen", line), sum(1 for uses in facts.running.values() if any(ln == line for ln, _ in uses)))
        for line in ACTION_LINES
    ]
    summary = (
        "Aandeel gemeenten met minstens één interventie in uitvoering: "
        + "; ".join(f"{label.lower()} {percent(facts.share(n))}" for label, n in counts)
        + "."
    )
    title = "Gemeenten met minstens één interventie in uitvoering, per actielijn"
    return _share_figure(facts, "actielijnen", title, "Dekking per actielijn", summary, "Actielijn", counts)


def coverage_figures(ctx: SiteContext, facts: MonitorFacts) -> list[tuple[Figure, Page]]:
    """Per action line: the interventions most used (bars and table) and a CSV with every intervention."""
    counts: dict[str, dict[str, int]] = {line: defaultdict(int) for line in ACTION_LINES}
    for uses in facts.running.values():
        for line, key in uses:
            counts[line][key] += 1
    for intervention in ctx.interventions.values():
        for line in intervention.action_lines:
            if line in counts:
                counts[line].setdefault(intervention.key, 0)
    result = []
    for line in ACTION_LINES:
        ranked = sorted(counts[line].items(), key=lambda item: (-item[1], _name(ctx, item[0]).casefold()))
        top = ranked[:TOP_INTERVENTIONS]
        label = ctx.label("actielijnen", line)
        summary = (
            f"{label}: " + "; ".join(f"{_name(ctx, k)} {percent(facts.share(n))}" for k, n in top[:3]) + "."
            if top
            else f"{label}: nog geen interventies."
        )
        full_csv = Page(
            _csv(f"interventies-{line}"),
            csv_text(("interventie", "naam", "gemeenten", "aandeel"), [(k, _name(ctx, k), n, facts.share(n)) for k, n in ranked]),
        )
        figure = _share_figure(
            facts,
            f"dekking-{line}",
            f"Dekking per interventie: {label.lower()}",
            label,
            summary,
            "Interventie",
            [(_name(ctx, k), n) for k, n in top],
            note=(
                f"De grafiek en de tabel tonen de {TOP_INTERVENTIONS} meest gebruikte interventies; "
                f"alle {len(ranked)} staan in de volledige CSV."
                if len(ranked) > TOP_INTERVENTIONS
                else ""
            ),
        )
        result.append((figure, full_csv))
    return result


def trend_figure(ctx: SiteContext, facts: MonitorFacts) -> Figure:
    years = list(range(FIRST_TREND_YEAR, max(FIRST_TREND_YEAR, ctx.today.year) + 1))
    series_sources = (
        ("Impuls ontvangen", facts.impuls_year),
        ("Coalitie gestart", facts.coalition_year),
        ("Plan van aanpak vastgesteld", facts.plan_year),
        *((label, facts.running_year.get(key, {})) for label, key in INTERVENTION_SERIES.items()),
    )
    series = [
        (label, [facts.share(sum(1 for y in source.values() if y <= year)) for year in years]) for label, source in series_sources
    ]
    rows = [(str(year), *(values[i] for _, values in series)) for i, year in enumerate(years)]
    last = {label: values[-1] for label, values in series}
    summary = (
        f"Aandeel gemeenten per jaar (tot en met het jaar, cumulatief), {years[0]}–{years[-1]}. In {years[-1]}: "
        + "; ".join(
            f"{label if label in INTERVENTION_SERIES else label.lower()} {percent(value)}" for label, value in last.items()
        )
        + "."
    )
    columns = [Column("Jaar"), *(Column(label, "aandeel") for label, _ in series)]
    return Figure(
        key="trend",
        title="Trend per jaar",
        summary=summary,
        svg=line_chart("trend-grafiek", "Trend per jaar", summary, years, series),
        columns=tuple(columns),
        rows=rows,
        csv_path=_csv("trend"),
        note=" ".join(
            filter(
                None,
                (
                    f"{facts.undated_coalitions} coalitie(s) zonder startdatum tellen wel mee in de kerncijfers, niet in de trend."
                    if facts.undated_coalitions
                    else "",
                    "Nu Niet Zwanger en CenteringPregnancy tellen in de trend vanaf het jaar dat de coalitie bij de interventie "
                    "als 'sinds' opgeeft; zonder die datum tellen ze alleen in de kerncijfers.",
                ),
            )
        ),
    )


def municipalities_csv(facts: MonitorFacts) -> Page:
    """Every municipality of the register with its indicators: the open data behind the dashboard."""
    nnz = set(facts.with_intervention(NU_NIET_ZWANGER))
    pregnancy, parenting = (set(facts.with_intervention(key)) for key in CENTERING)
    rows = [
        (
            code,
            m.naam,
            m.provincie,
            facts.impuls_year.get(code, ""),
            facts.coalition_phase.get(code, "geen"),
            facts.plan_year.get(code, ""),
            "ja" if code in nnz else "nee",
            "ja" if code in pregnancy else "nee",
            "ja" if code in parenting else "nee",
        )
        for code, m in sorted(facts.register.items())
    ]
    header = (
        "gemeentecode",
        "gemeente",
        "provincie",
        "impuls_eerste_jaar",
        "coalitie",
        "plan_vastgesteld_jaar",
        "nu_niet_zwanger",
        "centeringpregnancy",
        "centeringparenting",
    )
    return Page(MUNICIPALITIES_CSV, csv_text(header, rows))


# --- maps ---------------------------------------------------------------------------------------

YES_NO = {
    "coalitie": (Category("geen", "geen coalitie", NONE), Category("in-oprichting", "coalitie in oprichting", ORANGE, "streep"), Category("actief", "coalitie actief", TEAL)),
    "plan": (Category("nee", "geen vastgesteld plan van aanpak", NONE), Category("ja", "plan van aanpak vastgesteld", TEAL)),
    "nnz": (Category("nee", "Nu Niet Zwanger niet gemeld", NONE), Category("ja", "Nu Niet Zwanger beschikbaar", TEAL)),
    "centering": (
        Category("geen", "geen Centering gemeld", NONE),
        Category("centeringparenting", "alleen CenteringParenting", ORANGE, "streep"),
        Category("centeringpregnancy", "alleen CenteringPregnancy", GREEN, "stip"),
        Category("beide", "CenteringPregnancy en CenteringParenting", TEAL),
    ),
}  # fmt: skip


def indicator_maps(ctx: SiteContext, facts: MonitorFacts) -> dict[str, Markup]:
    """One map per indicator, each municipality in the class the indicator gives it (same facts as the tables)."""
    _phases, examples = phase_by_municipality(ctx)
    centering: dict[str, str] = {}
    for key in CENTERING:
        for code in facts.with_intervention(key):
            centering[code] = "beide" if code in centering else key
    classes = {
        "coalitie": ("Gemeenten met een coalitie", dict(facts.coalition_phase)),
        "plan": ("Gemeenten met een vastgesteld plan van aanpak", dict.fromkeys(facts.plan_year, "ja")),
        "nnz": ("Gemeenten waar Nu Niet Zwanger beschikbaar is", dict.fromkeys(facts.with_intervention(NU_NIET_ZWANGER), "ja")),
        "centering": ("Gemeenten met CenteringPregnancy of CenteringParenting", centering),
    }
    return {
        key: choropleth(ctx, MONITOR, f"kaart-{key}", title, YES_NO[key], category_of, examples)
        for key, (title, category_of) in classes.items()
    }


# --- the page -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonitorContext(TemplateContext):
    template = "monitor/index.html"

    path: str
    impuls_index: str
    municipalities_csv: str
    today: str
    facts: MonitorFacts
    mapped_codes: list[str]  # ended codes counted for their successor
    headline: Figure
    nnz: Figure
    nnz_names: list[str]
    nnz_page: str | None  # None when the catalogue lacks Nu Niet Zwanger
    nnz_name: str
    centering: Figure
    lines: Figure
    coverage: list[tuple[Figure, Page]]  # per action line: the figure and the CSV of every intervention
    trend: Figure
    maps: dict[str, Markup]


def monitor_pages(ctx: SiteContext) -> Iterable[Page]:
    """The dashboard (``templates/monitor/index.html``), the CSV file of every figure and the per-municipality CSV."""
    facts = monitor_facts(ctx)
    headline = headline_figure(facts)
    nnz, nnz_names = nnz_figure(facts)
    centering = centering_figure(ctx, facts)
    lines = action_line_figure(ctx, facts)
    coverage = coverage_figures(ctx, facts)
    trend = trend_figure(ctx, facts)
    body = render_context(
        MonitorContext(
            path=MONITOR,
            impuls_index=IMPULS_INDEX,
            municipalities_csv=MUNICIPALITIES_CSV,
            today=ctx.today.isoformat(),
            facts=facts,
            mapped_codes=sorted(facts.mapped_codes),
            headline=headline,
            nnz=nnz,
            nnz_names=nnz_names,
            nnz_page=intervention_page(NU_NIET_ZWANGER) if NU_NIET_ZWANGER in ctx.interventions else None,
            nnz_name=_name(ctx, NU_NIET_ZWANGER),
            centering=centering,
            lines=lines,
            coverage=coverage,
            trend=trend,
            maps=indicator_maps(ctx, facts),
        )
    )
    yield Page(MONITOR, html_page("Monitor Kansrijke Start", body))
    for figure in (headline, nnz, centering, lines, trend, *(f for f, _ in coverage)):
        yield figure.csv_page()
    yield from (full for _, full in coverage)
    yield municipalities_csv(facts)


GENERATORS.append(monitor_pages)
