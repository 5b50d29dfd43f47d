"""Maps (issue #12): the project's own map data, the SVG choropleths and the locator, built and viewed in Chromium.

Small repositories with known answers (``tests/grantrepo.py``) check the classes; the shipped site is built once
and opened in headless Chromium with and without JavaScript, by keyboard, and with axe-core.
"""

from __future__ import annotations

import datetime
import gzip
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kansrijk.records.model import Round
from kansrijk.site.engine.html import href, page_url
from kansrijk.site.engine.pages import SiteContext, generate_pages
from kansrijk.site.engine.urls import municipality_page, slug
from kansrijk.site.parts.maps import ATTRIBUTION, GEOMETRY_FILE, Category, geometry_page
from kansrijk.site.sections.coalitions import PHASE_CATEGORIES, build_overview_page
from kansrijk.site.sections.monitor import YES_NO
from kansrijk.site.sections.rounds import ROUND_CATEGORIES, round_map_page
from kansrijk.tools import mapdata
from support.grantrepo import REPO_ROOT, GrantRepo, awarded_history
from support.site_support import built_site

TODAY = datetime.date(2020, 4, 20)
SOURCE_CANDIDATES = [
    Path(os.environ.get("KANSRIJK_SHARED", "/nonexistent")) / "data" / "gemeenten-2023.topojson",
    REPO_ROOT.parent / "shared" / "data" / "gemeenten-2023.topojson",
    REPO_ROOT.parent.parent / "shared" / "data" / "gemeenten-2023.topojson",  # a git worktree under wt/
]
SOURCE = next((path for path in SOURCE_CANDIDATES if path.is_file()), None)
MAP_BUDGET = 25 * 1024  # gzipped bytes per map, geometry included (issue #12)
SHAPE = re.compile(r'<a href="([^"]+)" aria-label="([^"]+)"><use href="[^"]+#(GM\d{4})"')


def shapes(html: str) -> list[tuple[str, str, str]]:
    return SHAPE.findall(html)


# --- the map data ---------------------------------------------------------------------------------


@pytest.mark.skipif(SOURCE is None, reason="the CBS/Kadaster TopoJSON sits in ../shared beside the project")
def test_committed_map_data_is_what_the_source_gives() -> None:
    """Regenerate with `python -m kansrijk.tools.mapdata --source ../shared/data/gemeenten-2023.topojson`."""
    assert SOURCE is not None
    committed = (REPO_ROOT / mapdata.MAP_FILE).read_text(encoding="utf-8")
    assert mapdata.derive_file(SOURCE, REPO_ROOT) == committed


def test_map_data_covers_the_register_and_names_source_and_licence() -> None:
    data = json.loads((REPO_ROOT / mapdata.MAP_FILE).read_text(encoding="utf-8"))
    with (REPO_ROOT / "vocab" / "gemeenten.csv").open(encoding="utf-8") as handle:
        register = {line.split(",")[0] for line in handle.read().splitlines()[1:]}
    assert set(data["gemeenten"]) == register and len(register) == 342
    assert data["naamsvermelding"] == ATTRIBUTION == "Kaartgegevens: CBS / Kadaster (PDOK), 2023"
    assert "CBS / Kadaster (PDOK)" in data["bron"] and data["licentie"] == "CC BY 4.0"
    for code, entry in data["gemeenten"].items():
        assert entry["d"].startswith("M") and entry["d"].endswith("z"), code
        x, y = entry["punt"]
        assert 0 <= x <= data["breedte"] and 0 <= y <= data["hoogte"], code


def test_simplification_keeps_shared_borders_and_end_points() -> None:
    """Douglas-Peucker per arc: the ends stay, so two neighbours still share their border exactly."""
    wiggle = [(0, 0), (100, 30), (200, -20), (300, 0), (5000, 0)]
    assert mapdata._simplify(wiggle, 450.0) == [(0, 0), (5000, 0)]
    assert mapdata._simplify(wiggle, 10.0) == wiggle


def test_mapdata_command_explains_a_missing_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "geen.topojson"
    assert mapdata.main(["--source", str(missing), "--root", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert str(missing) in error and "niet gevonden" in error and "--source" in error


def test_municipality_slugs_are_unique_and_readable() -> None:
    assert slug("'s-Hertogenbosch") == "s-hertogenbosch"
    assert slug("Súdwest-Fryslân") == "sudwest-fryslan"
    assert slug("Bergen (NH.)") == "bergen-nh"
    with (REPO_ROOT / "vocab" / "gemeenten.csv").open(encoding="utf-8") as handle:
        names = [line.split(",")[1] for line in handle.read().splitlines()[1:]]
    assert len({slug(name) for name in names}) == 342


# --- classes, names and links ---------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> GrantRepo:
    """Zeist active, De Bilt and Houten in oprichting, Utrecht stopped, Appingedam (ended 2021: Eemsdelta) active
    from an example record only; a round closed to Rotterdam, with an award for Zeist and an application by De Bilt."""
    grants = GrantRepo(tmp_path)
    grants.round(subsidiabel={"soort": "alle-behalve", "gemeenten": ["GM0599"]})
    grants.coalition("c-zeist", ["GM0355"])
    grants.coalition("c-regio", ["GM0310", "GM0321"], fase="in-oprichting")
    grants.coalition("c-utrecht", ["GM0344"], fase="gestopt")
    grants.coalition("voorbeeld-appingedam", ["GM0003"], voorbeeld=True)
    grants.application("c-zeist", municipalities=["GM0355"], history=awarded_history(20000))
    grants.application("c-regio", municipalities=["GM0310"])
    return grants


def test_overview_map_names_every_municipality_by_phase_and_links_its_page(repo: GrantRepo) -> None:
    ctx = SiteContext(repo=repo.repository(), today=TODAY)
    assert set(repo.codes()) <= {"gemeente-opgeheven"}  # only the warning that names the successor
    page = build_overview_page(ctx)
    named = {code: (link, name) for link, name, code in shapes(page.content)}
    assert len(named) == 342
    assert named["GM0355"][1] == "Zeist: coalitie actief"
    assert named["GM0310"][1] == "De Bilt: coalitie in oprichting"
    assert named["GM0344"][1] == "Utrecht: coalitie gestopt"
    assert named["GM1979"][1] == "Eemsdelta: coalitie actief (voorbeeld)"  # the ended Appingedam, on its successor
    assert named["GM0363"][1] == "Amsterdam: geen coalitie"
    assert 'class="ks-landkaart__voorbeeld"' in page.content and "alleen uit voorbeeldrecords" in page.content
    pages = {p.path for p in generate_pages(ctx)}
    for code, (link, _name) in named.items():
        assert link == href(page.path, municipality_page(ctx.repo.vocab.municipalities[code].naam))
        assert municipality_page(ctx.repo.vocab.municipalities[code].naam) in pages, code
    assert ATTRIBUTION in page.content


def test_round_map_shows_eligible_applied_and_awarded(repo: GrantRepo) -> None:
    ctx = SiteContext(repo=repo.repository(), today=TODAY)
    round_record = ctx.repo.valid(Round)[0]
    page = round_map_page(ctx, round_record)
    named = {code: name for _link, name, code in shapes(page.content)}
    assert named["GM0355"] == "Zeist: toegekend"
    assert named["GM0310"] == "De Bilt: aangevraagd, (nog) niet toegekend"
    assert named["GM0599"] == "Rotterdam: kon niet aanvragen"
    assert named["GM0363"] == "Amsterdam: kon aanvragen, geen aanvraag"
    assert ATTRIBUTION in page.content


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize(
    "categories",
    [PHASE_CATEGORIES, ROUND_CATEGORIES, *YES_NO.values()],
    ids=["fasen", "ronde", *YES_NO],
)
def test_colour_is_never_the_only_cue(categories: tuple[Category, ...]) -> None:
    """Two classes of one map differ by pattern, or their colours differ by at least 3:1 (WCAG 1.4.11)."""
    for number, first in enumerate(categories):
        for second in categories[number + 1 :]:
            if first.pattern == second.pattern:
                light, dark = sorted((_luminance(first.fill), _luminance(second.fill)), reverse=True)
                assert (light + 0.05) / (dark + 0.05) >= 3, (first.key, second.key)


def test_each_map_fits_25_kb_gzipped_with_its_geometry(repo: GrantRepo) -> None:
    ctx = SiteContext(repo=repo.repository(), today=TODAY)
    geometry = len(gzip.compress(geometry_page(ctx).content.encode("utf-8"), 9))
    pages = {p.path: p.content for p in generate_pages(ctx)}
    maps = re.findall(r'<figure class="ks-landkaart".*?</figure>', pages["monitor/index.md"], re.S)
    maps += re.findall(r'<figure class="ks-landkaart".*?</figure>', pages["coalities/index.md"], re.S)
    assert len(maps) == 5
    for figure in maps:
        assert geometry + len(gzip.compress(figure.encode("utf-8"), 9)) <= MAP_BUDGET


def test_locator_is_tiny_and_names_the_place(repo: GrantRepo) -> None:
    ctx = SiteContext(repo=repo.repository(), today=TODAY)
    pages = {p.path: p.content for p in generate_pages(ctx)}
    zeist = pages[municipality_page(ctx.repo.vocab.municipalities["GM0355"].naam)]
    locator = re.search(r'<figure class="ks-locator">.*?</figure>', zeist, re.S)
    assert locator and len(locator.group(0).encode()) < 800
    assert "Ligging van Zeist in de provincie Utrecht" in locator.group(0) and ATTRIBUTION in locator.group(0)
    assert "Coalitie c-zeist" in zeist
    eemsdelta = pages[municipality_page(ctx.repo.vocab.municipalities["GM1979"].naam)]
    assert "Appingedam" in eemsdelta and "Coalitie voorbeeld-appingedam" in eemsdelta
    assert sum(1 for path in pages if path.startswith("gemeenten/") and path.endswith(".md")) == 343


# --- the built site in Chromium -------------------------------------------------------------------

AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
MAP_PAGES = ("coalities/", "monitor/", "impuls/impuls-2020-kaart/", "gemeenten/zeist/")


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with built_site(tmp_path_factory.mktemp("maps")) as (base, _directory):
        yield base


pytestmark = pytest.mark.xdist_group("maps-site")


@pytest.mark.parametrize("path", MAP_PAGES)
def test_maps_are_drawn_without_javascript_and_carry_the_attribution(browser: object, site_url: str, path: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    sizes = page.eval_on_selector_all(
        "figure.ks-landkaart svg use, figure.ks-locator svg use",
        "uses => uses.map(u => { const b = u.getBBox(); return b.width * b.height; })",
    )
    assert sizes and all(size > 0 for size in sizes), path
    assert ATTRIBUTION in page.inner_text("article")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{path} scrolls sideways"
    context.close()


def test_keyboard_focus_on_a_shape_is_visible_and_follows_its_link(browser: object, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page.goto(site_url + "coalities/")
    page.focus('figure.ks-landkaart a[aria-label^="Zeist:"]')
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus by keyboard, so :focus-visible applies
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert label == "Zeist: coalitie actief (voorbeeld)"
    stroke = page.evaluate("getComputedStyle(document.activeElement.querySelector('use')).stroke")
    width = page.evaluate("getComputedStyle(document.activeElement.querySelector('use')).strokeWidth")
    assert stroke == "rgb(163, 51, 44)" and float(width.rstrip("px")) >= 4
    page.keyboard.press("Enter")
    page.wait_for_url("**/gemeenten/zeist/")
    assert page.inner_text("h1") == "Zeist"
    page.close()


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "telefoon"])
@pytest.mark.parametrize("path", MAP_PAGES)
def test_axe_finds_no_wcag_violations_on_map_pages(browser: object, site_url: str, path: str, width: int) -> None:
    assert AXE.is_file(), "axe-core missing: run `npm ci`"
    page = browser.new_page(viewport={"width": width, "height": 800})  # type: ignore[attr-defined]
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return result.violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`);
        }"""
    )
    assert violations == [], f"{path} at {width}px: {violations}"
    page.close()


def test_geometry_file_is_served_once_for_every_map(browser: object, site_url: str) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + "monitor/")
    page.wait_for_load_state("networkidle")
    geometry = [url for url in requested if url.endswith(page_url(GEOMETRY_FILE).rstrip("/"))]
    assert len(geometry) == 1, requested
    page.close()
