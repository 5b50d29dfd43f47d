"""Round pages, the coalition "Subsidies" section and the monitor dashboard (issue #4), from real records.

The figures are checked against a small repository whose answers are known by hand; the
last tests build the shipped site with MkDocs and check the pages in headless Chromium.
"""

from __future__ import annotations

import csv
import datetime
import io
import posixpath
import re
import shutil
from pathlib import Path

import pytest

from kansrijk.records.model import Repository
from kansrijk.site.engine.html import page_url
from kansrijk.site.engine.pages import Page, SiteContext, generate_pages
from kansrijk.site.engine.urls import round_listing, round_page
from kansrijk.site.sections.monitor import current_codes, monitor_facts, monitor_pages
from kansrijk.site.sections.rounds import (
    LISTING_PAGE_SIZE,
    RECENT_APPLICATIONS,
    grant_facts,
    grants_section,
    round_pages,
    window_text,
)
from kansrijk.tools.demo_corpus import write_demo_corpus
from support.grantrepo import REPO_ROOT, GrantRepo, awarded_history, step
from support.site_support import CHROMIUM, CHROMIUM_ARGS, copy_repository, mkdocs_build, serve

TODAY = datetime.date(2020, 4, 20)


def _uses(**lines: list[str]) -> dict:
    return {line: [{"interventie": key, "status": "in-uitvoering"} for key in keys] for line, keys in lines.items()}


@pytest.fixture
def grants(tmp_path: Path) -> GrantRepo:
    """Known answers: Zeist has an award and a plan, the Bilt and Houten a coalition in oprichting with NNZ,
    Utrecht's coalition has stopped, and Appingedam (ended in 2021) counts for Eemsdelta."""
    repo = GrantRepo(tmp_path)
    shutil.copytree(REPO_ROOT / "interventions", tmp_path / "interventions")
    repo.round()
    repo.coalition(
        "c-zeist",
        ["GM0355"],
        startdatum="2019-06-01",
        plan_van_aanpak={"status": "vastgesteld", "datum": "2020-02-01"},
        interventies=_uses(tijdens=["centeringpregnancy"]),
    )
    repo.coalition(
        "c-regio",
        ["GM0310", "GM0321"],
        startdatum="2020-09-01",
        fase="in-oprichting",
        plan_van_aanpak={"status": "in-voorbereiding"},
        interventies={"voor": [{"interventie": "nu-niet-zwanger", "status": "in-uitvoering", "sinds": "2020-10-01"}]},
    )
    repo.coalition("c-utrecht", ["GM0344"], fase="gestopt", interventies=_uses(na=["centeringparenting"]))
    repo.coalition("c-appingedam", ["GM0003"], startdatum="2019-01-01")
    repo.application("c-zeist", municipalities=["GM0355"], history=awarded_history(20000))
    repo.application(
        "c-regio",
        municipalities=["GM0310", "GM0321"],
        requested=40000,
        history=[step("ingediend", "2020-03-01"), step("in-behandeling", "2020-03-10")],
    )
    return repo


@pytest.fixture
def ctx(grants: GrantRepo) -> SiteContext:
    return SiteContext(repo=grants.repository(), today=TODAY)


def _pages(pages: list[Page]) -> dict[str, str]:
    return {page.path: page.content for page in pages}


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


# --- monitor figures -------------------------------------------------------------------------


def test_monitor_counts_against_the_register(ctx: SiteContext) -> None:
    facts = monitor_facts(ctx)
    assert facts.total == 342
    assert facts.impuls_year == {"GM0355": 2020}
    assert facts.coalition_phase == {"GM0355": "actief", "GM0310": "in-oprichting", "GM0321": "in-oprichting", "GM1979": "actief"}
    assert facts.plan_year == {"GM0355": 2020}
    assert facts.with_intervention("nu-niet-zwanger") == ["GM0310", "GM0321"]
    assert facts.with_intervention("centeringpregnancy") == ["GM0355"]
    assert facts.with_intervention("centeringparenting") == [], "a stopped coalition does not count"
    assert facts.mapped_codes == {"GM0003"}


def test_monitor_says_what_it_counts_unlike_rivm(ctx: SiteContext) -> None:
    """Issue #12: RIVM counts midwifery practices that offer Centering; this monitor counts municipalities."""
    page = _pages(list(monitor_pages(ctx)))["monitor/index.md"]
    assert "dezelfde indicatoren" not in page.replace("niet dezelfde indicatoren", "")
    assert "verloskundigenpraktijken" in page and "telt steeds <em>gemeenten</em>" in page
    for key in ("coalitie", "plan", "nnz", "centering"):
        assert f'id="kaart-kaart-{key}"' in page, key
    assert page.count("Kaartgegevens: CBS / Kadaster (PDOK), 2023") == 4


def test_ended_municipality_maps_to_its_successor(ctx: SiteContext) -> None:
    vocab = ctx.repo.vocab
    assert current_codes(vocab, "GM0355") == ("GM0355",)
    assert current_codes(vocab, "GM0003") == ("GM1979",)
    assert current_codes(vocab, "GM9999") == ()


def test_monitor_csv_files_hold_the_figures_of_the_tables(ctx: SiteContext) -> None:
    pages = _pages(list(monitor_pages(ctx)))
    headline = _csv_rows(pages["monitor/kerncijfers.csv"])
    assert headline[0] == ["Indicator", "Gemeenten", "Aandeel"]
    figures = {row[0]: (int(row[1]), float(row[2])) for row in headline[1:]}
    assert figures["Impuls ontvangen"] == (1, round(1 / 342, 4))
    assert figures["Met een coalitie"] == (4, round(4 / 342, 4))
    assert figures["Met een actieve coalitie"] == (2, round(2 / 342, 4))
    assert figures["Plan van aanpak vastgesteld"][0] == 1
    assert figures["Nu Niet Zwanger beschikbaar"][0] == 2
    # The same figures, formatted the Dutch way, in the accessible table of the page.
    page = pages["monitor/index.md"]
    assert '<th scope="row">Met een coalitie</th><td>4</td><td>1,2%</td>' in page
    trend = {row[0]: row[1:] for row in _csv_rows(pages["monitor/trend.csv"])[1:]}
    # Columns: impuls, coalition, plan, Nu Niet Zwanger (by "sinds"), CenteringPregnancy (Zeist's has no "sinds").
    assert trend["2019"] == ["0.0000", f"{2 / 342:.4f}", "0.0000", "0.0000", "0.0000"]  # Zeist and Appingedam in 2019
    assert trend["2020"] == [f"{1 / 342:.4f}", f"{4 / 342:.4f}", f"{1 / 342:.4f}", f"{2 / 342:.4f}", "0.0000"]
    per_municipality = {row[0]: row for row in _csv_rows(pages["monitor/gemeenten.csv"])[1:]}
    assert len(per_municipality) == 342
    assert per_municipality["GM0310"][4:7] == ["in-oprichting", "", "ja"]
    assert per_municipality["GM0355"][3] == "2020"


def test_every_chart_has_a_name_a_table_and_a_csv(ctx: SiteContext) -> None:
    pages = _pages([*monitor_pages(ctx), *round_pages(ctx)])
    for path in ("monitor/index.md", "impuls/ronde-a.md"):
        html = pages[path]
        charts = re.findall(r'<svg class="ks-grafiek" role="img" aria-labelledby="([^ "]+) ([^"]+)"', html)
        assert charts, path
        for title_id, desc_id in charts:
            assert f'<title id="{title_id}">' in html and f'<desc id="{desc_id}">' in html
        assert html.count('<svg class="ks-grafiek"') == len(charts) == html.count('<table class="ks-tabel"><caption>')
        links = re.findall(r'href="([^"]+\.csv)" download', html)
        assert len(links) >= len(charts)
        for link in links:
            assert posixpath.normpath(posixpath.join(page_url(path), link)) in pages, (path, link)


def test_nu_niet_zwanger_lists_where_it_is_available(ctx: SiteContext) -> None:
    page = _pages(list(monitor_pages(ctx)))["monitor/index.md"]
    assert "Gemeenten met Nu Niet Zwanger (2)" in page
    assert "De Bilt, Houten" in page
    provinces = {row[0]: row for row in _csv_rows(_pages(list(monitor_pages(ctx)))["monitor/nu-niet-zwanger-provincies.csv"])}
    assert provinces["Utrecht"][1] == "2"


def test_example_records_are_marked_on_the_monitor(grants: GrantRepo) -> None:
    plain = _pages(list(monitor_pages(SiteContext(repo=grants.repository(), today=TODAY))))["monitor/index.md"]
    assert "Voorbeeldgegevens" not in plain
    grants.coalition("c-voorbeeld", ["GM0363"], voorbeeld=True)
    marked = _pages(list(monitor_pages(SiteContext(repo=grants.repository(), today=TODAY))))["monitor/index.md"]
    assert "Voorbeeldgegevens" in marked and "1 van de 7" in marked


def test_action_line_labels_come_from_the_code_list(grants: GrantRepo) -> None:
    """The monitor names each action line as ``vocab/actielijnen.csv`` does, in the chart, the table and the CSV."""
    codes = grants.root / "vocab" / "actielijnen.csv"
    codes.write_text(codes.read_text(encoding="utf-8").replace("Na de geboorte", "Na de bevalling"), encoding="utf-8")
    pages = _pages(list(monitor_pages(SiteContext(repo=grants.repository(), today=TODAY))))
    page = pages["monitor/index.md"]
    assert "Na de geboorte" not in page
    assert '<th scope="row">Na de bevalling</th>' in page and ">Na de bevalling</text>" in page
    assert "Dekking per interventie: na de bevalling" in page
    assert [row[0] for row in _csv_rows(pages["monitor/actielijnen.csv"])[1:]] == [
        "Voor de zwangerschap",
        "Tijdens de zwangerschap",
        "Na de bevalling",
    ]


def test_record_text_in_a_chart_stays_text(grants: GrantRepo) -> None:
    """An intervention's name is shown in the chart's SVG, its table and the summary: escaped in all three."""
    record = grants.root / "interventions" / "centeringpregnancy.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("naam: CenteringPregnancy (CenteringZwangerschap)", 'naam: "Centering <b>groep</b> & co"'))
    page = _pages(list(monitor_pages(SiteContext(repo=grants.repository(), today=TODAY))))["monitor/index.md"]
    assert "<b>groep</b>" not in page
    figure = page.split('id="figuur-centering"', 1)[1].split("</figure>", 1)[0]
    assert '<text x="242" y="22" text-anchor="end" fill="#1a1a1a">Centering &lt;b&gt;groep&lt;/b&gt; &amp; co</text>' in figure
    assert '<th scope="row">Centering &lt;b&gt;groep&lt;/b&gt; &amp; co</th><td>1</td><td>0,3%</td>' in figure
    assert "<p>Centering &lt;b&gt;groep&lt;/b&gt; &amp; co in 1 gemeenten (0,3%)" in figure


# --- round pages ----------------------------------------------------------------------------


def test_round_page_budget_status_and_table(ctx: SiteContext) -> None:
    pages = _pages(list(round_pages(ctx)))
    page = pages["impuls/ronde-a.md"]
    assert "Van het budget van € 100.000 is € 20.000 toegekend (20,0%); er resteert € 80.000." in page
    budget = _csv_rows(pages["impuls/ronde-a-budget.csv"])
    assert budget[1:] == [["Toegekend", "20000"], ["Resterend", "80000"], ["Budget", "100000"]]
    status = {row[0]: row[1:] for row in _csv_rows(pages["impuls/ronde-a-status.csv"])[1:]}
    assert status["Toegekend"] == ["1", "20000", "20000"]
    assert status["In behandeling"] == ["1", "40000", "0"]
    assert status["Concept"] == ["0", "0", "0"]
    assert re.search(r"Zeist</a></th><td>Utrecht</td><td>€ 20.000</td><td>€ 20.000</td><td>Toegekend</td>", page)
    assert "De Bilt, Houten</a></th><td>Utrecht</td><td>€ 40.000</td><td>—</td><td>In behandeling</td>" in page
    applications = _csv_rows(pages["impuls/ronde-a-aanvragen.csv"])
    assert ["c-regio", "GM0310;GM0321", "De Bilt, Houten", "Utrecht", "40000", "", "in-behandeling", "nee"] in applications
    assert "Open: aanvragen kan nog tot en met 30 april 2020 (sluit over 10 dagen)." in page
    index = pages["impuls/index.md"]
    assert 'href="../ronde-a/"' not in index and 'href="ronde-a/"' in index


@pytest.mark.parametrize(
    ("today", "state", "text"),
    [
        (datetime.date(2020, 1, 31), "Binnenkort", "Opent op 1 februari 2020, over 1 dag."),
        (datetime.date(2020, 2, 1), "Open", "(sluit over 89 dagen)"),
        (datetime.date(2020, 4, 30), "Open", "(sluit vandaag)"),
        (datetime.date(2020, 5, 1), "Gesloten", "Gesloten sinds 30 april 2020"),
    ],
)
def test_time_left_before_the_deadline(ctx: SiteContext, today: datetime.date, state: str, text: str) -> None:
    round_record = grant_facts(ctx).rounds[0]
    got_state, sentence = window_text(round_record, today)
    assert got_state == state
    assert text in sentence


def test_example_round_is_marked(grants: GrantRepo) -> None:
    grants.round(voorbeeld=True)
    page = _pages(list(round_pages(SiteContext(repo=grants.repository(), today=TODAY))))["impuls/ronde-a.md"]
    assert "ks-badge--voorbeeld" in page and "Deze ronde is een voorbeeldrecord" in page


def test_round_page_stays_small_and_listing_pages_hold_every_application_once(tmp_path: Path) -> None:
    """Issue #3: a round page is a record page (<= 40 KB of HTML). In a 5,000-record demo corpus a round has
    about 230 applications; the round page shows only the latest, the listing pages all of them, once."""
    write_demo_corpus(tmp_path / "demo", 5000, 1, REPO_ROOT)
    ctx = SiteContext(repo=Repository(tmp_path / "demo"), today=datetime.date(2026, 11, 23))
    pages = _pages(generate_pages(ctx))
    facts = grant_facts(ctx)
    largest = max(facts.rounds, key=lambda r: len(facts.by_round.get(r.key, [])))
    applications = facts.by_round[largest.key]
    assert len(applications) > 2 * LISTING_PAGE_SIZE  # the listing needs three pages: pagination is exercised

    for round_record in facts.rounds:
        page_of_round = pages[round_page(round_record.key)]
        # the page body; the theme adds about 15 KB of chrome, so 25 KB keeps the built page well under 40 KB
        assert len(page_of_round.encode("utf-8")) <= 25 * 1024, round_record.key
        assert page_of_round.count('<tr><th scope="row"><a href="../../coalities/') <= RECENT_APPLICATIONS

    page_of_round = pages[round_page(largest.key)]
    assert page_of_round.count('<tr><th scope="row"><a href="../../coalities/') == RECENT_APPLICATIONS
    assert f'href="../{largest.key}-aanvragen/"' in page_of_round
    assert f'href="../{largest.key}-aanvragen.csv" download' in page_of_round
    listing = [path for path in pages if re.fullmatch(rf"impuls/{re.escape(largest.key)}-aanvragen(-\d+)?\.md", path)]
    assert sorted(listing) == sorted(round_listing(largest.key, n) for n in range(1, len(listing) + 1))
    assert len(listing) == -(-len(applications) // LISTING_PAGE_SIZE)
    seen: dict[str, int] = {}
    for path in listing:
        html = pages[path]
        rows = re.findall(r'<tr><th scope="row"><a href="\.\./\.\./coalities/([^/]+)/#aanvraag-([^"]+)"', html)
        assert 0 < len(rows) <= LISTING_PAGE_SIZE
        assert {round_key for _, round_key in rows} == {largest.key}
        for coalition, _ in rows:
            seen[coalition] = seen.get(coalition, 0) + 1
        assert "<caption" in html and '<th scope="col">Gemeente(n)</th>' in html
        assert 'aria-label="Pagina\'s met aanvragen"' in html and 'aria-current="page"' in html
        for link in re.findall(r'href="(\.\./[^"#]+/)"', html):  # every pager and back link resolves
            target = posixpath.normpath(posixpath.join(page_url(path), link)) + ".md"
            assert target in pages, (path, link)
    assert seen == {a.coalition_key: 1 for a in applications}
    csv_rows = _csv_rows(pages[f"impuls/{largest.key}-aanvragen.csv"])
    assert len(csv_rows) == len(applications) + 1
    assert "/impuls/*.md" in (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")  # listing pages stay out of the nav


# --- the coalition section --------------------------------------------------------------------


def test_coalition_section_shows_the_full_history(ctx: SiteContext) -> None:
    html = grants_section(ctx, ctx.coalitions["c-zeist"])
    assert '<h2 id="subsidies">' in html and 'id="aanvraag-ronde-a"' in html
    steps = re.findall(
        r'<li><span class="ks-stap-datum">([^<]+)</span>: <strong>([^<]+)</strong> <span class="ks-meta">door de (\w+)', html
    )
    assert steps == [
        ("1 maart 2020", "Ingediend", "aanvrager"),
        ("15 maart 2020", "In behandeling", "beheerder"),
        ("1 mei 2020", "Toegekend", "beheerder"),
    ]
    assert "Toegekend: € 20.000." in html
    assert 'href="../../impuls/ronde-a/"' in html


def test_coalition_without_applications_says_so(ctx: SiteContext) -> None:
    html = grants_section(ctx, ctx.coalitions["c-utrecht"])
    assert "nog geen aanvraag" in html


def test_record_text_cannot_inject_html(grants: GrantRepo) -> None:
    grants.application(
        "c-zeist",
        history=[*awarded_history(20000)[:2], step("afgewezen", "2020-04-01", reden="<script>alert(1)</script> past niet")],
    )
    ctx = SiteContext(repo=grants.repository(), today=TODAY)
    html = grants_section(ctx, ctx.coalitions["c-zeist"])
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_grant_pages_take_their_labels_from_the_code_lists(grants: GrantRepo) -> None:
    """Relabelled codes in vocab/ show up on the round page, the listing and the coalition section: no labels in code."""
    relabel = {
        "aanvraagstatussen": ("in-behandeling,In behandeling", "in-behandeling,Wordt beoordeeld"),
        "planstatussen": ("vastgesteld,Vastgesteld", "vastgesteld,Door de raad vastgesteld"),
        "actielijnen": ("na,Na de geboorte", "na,Na de bevalling"),
        "uitbetalingswijzen": ("subsidie,Subsidie", "subsidie,Subsidie van het Rijk"),
        "verplichte-onderdelen": ("begroting,Begroting,", "begroting,Een begroting per post,"),
    }
    for name, (old, new) in relabel.items():
        path = grants.root / "vocab" / f"{name}.csv"
        text = path.read_text(encoding="utf-8")
        assert old in text, name
        path.write_text(text.replace(old, new), encoding="utf-8")
    grants.round(uitbetaling={"wijze": "subsidie"}, verplichte_onderdelen=["begroting"])
    grants.application("c-zeist", history=awarded_history(20000, reported=20000), activiteiten={"na": ["Moedergroepen"]})
    grants.application("c-regio", history=[step("ingediend", "2020-03-01"), step("in-behandeling", "2020-03-10")])
    ctx = SiteContext(repo=grants.repository(), today=TODAY)
    pages = _pages(list(round_pages(ctx)))
    round_html, listing = pages[round_page("ronde-a")], pages[round_listing("ronde-a")]
    assert "<td>Subsidie van het Rijk</td>" in round_html and "<td>Een begroting per post</td>" in round_html
    assert "<td>Wordt beoordeeld</td>" in round_html and "<td>Wordt beoordeeld</td>" in listing
    assert '<th scope="row">Wordt beoordeeld</th>' in pages["impuls/index.md"], "the steps table"
    section = grants_section(ctx, ctx.coalitions["c-zeist"])
    assert "<strong>Wordt beoordeeld</strong>" in section
    assert "Plan van aanpak: Door de raad vastgesteld" in section
    assert "<li>Na de bevalling: Moedergroepen</li>" in section


# --- the built site, in a browser --------------------------------------------------------------

AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_repository(tmp_path_factory.mktemp("grants-site-repo"))
    site = root / "site"
    result = mkdocs_build(root, site)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


@pytest.mark.xdist_group("grants-site")
def test_built_site_has_round_and_monitor_pages_and_csv(built_site: Path) -> None:
    assert (built_site / "impuls" / "index.html").is_file()
    assert (built_site / "monitor" / "index.html").is_file()
    for round_file in (REPO_ROOT / "rounds").glob("*.yaml"):
        assert (built_site / "impuls" / round_file.stem / "index.html").is_file()
        assert (built_site / "impuls" / f"{round_file.stem}-aanvragen" / "index.html").is_file()
        rows = _csv_rows((built_site / "impuls" / f"{round_file.stem}-budget.csv").read_text(encoding="utf-8"))
        assert rows[0] == ["Onderdeel", "Bedrag"]
    trend = _csv_rows((built_site / "monitor" / "trend.csv").read_text(encoding="utf-8"))
    assert trend[0][0] == "Jaar" and len(trend) > 2
    coalition_with_application = next((REPO_ROOT / "coalitions").glob("*/aanvraag-*.yaml")).parent.name
    html = (built_site / "coalities" / coalition_with_application / "index.html").read_text(encoding="utf-8")
    assert 'id="subsidies"' in html and "Geschiedenis van de aanvraag" in html


@pytest.mark.browser
@pytest.mark.xdist_group("grants-site")
def test_pages_are_accessible_and_fit_a_phone(built_site: Path) -> None:
    from playwright.sync_api import sync_playwright

    assert AXE.is_file(), "axe-core is missing: run npm ci (make test does)"
    coalition = next((REPO_ROOT / "coalitions").glob("*/aanvraag-*.yaml")).parent.name
    round_key = sorted((REPO_ROOT / "rounds").glob("*.yaml"))[0].stem
    paths = ["impuls/", f"impuls/{round_key}/", f"impuls/{round_key}-aanvragen/", "monitor/", f"coalities/{coalition}/"]
    with serve(built_site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for path in paths:
                page = browser.new_page(viewport={"width": 375, "height": 800})
                errors: list[str] = []
                outside: list[str] = []
                page.on(
                    "console", lambda message, errors=errors: errors.append(message.text) if message.type == "error" else None
                )
                page.on(
                    "request",
                    lambda request, outside=outside: outside.append(request.url) if not request.url.startswith(base) else None,
                )
                page.goto(f"{base}/{path}")
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{path} scrolls sideways"
                page.add_script_tag(path=str(AXE))
                result = page.evaluate(
                    "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})"
                )
                violations = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in result["violations"]]
                assert violations == [], (path, violations)
                assert errors == [], (path, errors)
                assert outside == [], (path, outside)
                page.close()
        finally:
            browser.close()
