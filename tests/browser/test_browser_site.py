"""The built site in a real headless Chromium (Debian's), served by http.server under a sub-path:
search, facets and URL state, console errors, phone layout, third-party requests and axe-core (WCAG 2.1 AA)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from support.site_support import REPO, copy_repository, facets_in_use, mkdocs_build, serve

FACETS = facets_in_use("interventie")

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SUB_PATH = "kansrijk"
PAGE_TYPES = {
    "home": "",
    "catalogus": "interventies/",
    "interventie": "interventies/voorzorg/",
    "coalities": "coalities/",
    "coalitie": "coalities/voorbeeld-zeist/",
    "gemeenten": "gemeenten/",
    "themas": "themas/",
    "thema": "themas/rookvrije-start/",
    "agenda": "agenda/",
    "activiteit": "agenda/voorbeeld-netwerkdag-rookvrije-start/",
    "nieuws": "nieuws/",
    "nieuwsbericht": "nieuws/brede-spuk-2023-2026/",
    "zoeken": "zoeken/?q=roken",
    "zo-doe-je-mee": "zo-doe-je-mee/",
    "schema": "schemas/interventie/",
    "recordsoorten": "schemas/soorten/",
    "codelijsten": "schemas/codelijsten/",
    "techniek": "techniek/zoeken/",
    "impuls": "impuls/",
    "monitor": "monitor/",
    "open-data": "open-data/",
    "trainingen": "trainingen/",
    "training": "trainingen/basisopleiding-stevig-ouderschap/",
}
pytestmark = pytest.mark.xdist_group("browser_site")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("browser")
    root = copy_repository(work / "repo")
    www = work / "www"
    result = mkdocs_build(root, www / SUB_PATH)
    assert result.returncode == 0, result.stderr
    with serve(www) as base:
        yield f"{base}/{SUB_PATH}/"


class Watched:
    """A page that records console errors, page errors and requests to any host but the test server."""

    def __init__(self, browser: object, base_url: str, **context_options: object) -> None:
        self.context = browser.new_context(**context_options)  # type: ignore[attr-defined]
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        host = urlsplit(base_url).netloc
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

        def guard(route: object) -> None:
            url = route.request.url  # type: ignore[attr-defined]
            if urlsplit(url).netloc == host or url.startswith(("data:", "blob:")):
                route.continue_()  # type: ignore[attr-defined]
            else:
                self.foreign.append(url)
                route.abort()  # type: ignore[attr-defined]

        self.page.route("**/*", guard)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser: object, base_url: str) -> Iterator[Watched]:
    page = Watched(browser, base_url)
    yield page
    assert page.errors == [], f"console errors: {page.errors}"
    assert page.foreign == [], f"third-party requests: {page.foreign}"
    page.close()


def visible_ids(page: object) -> list[str]:
    return page.eval_on_selector_all("li.ks-resultaat:not([hidden])", "items => items.map(li => li.dataset.id)")  # type: ignore[attr-defined]


def test_search_finds_an_intervention_by_a_dutch_word_form(watched: Watched, base_url: str) -> None:
    # "huisbezoeken" is not in the record's name; Dutch stemming matches "huisbezoek".
    watched.page.goto(base_url + "zoeken/")
    watched.page.fill("#ks-zoeken input", "huisbezoeken")
    watched.page.wait_for_selector("#ks-zoekresultaten h3 a")
    titles = watched.page.eval_on_selector_all("#ks-zoekresultaten h3 a", "links => links.map(a => a.textContent)")
    assert "Prenataal huisbezoek door de JGZ" in titles
    link = watched.page.get_attribute("#ks-zoekresultaten h3 a", "href")
    assert link and link.startswith(f"/{SUB_PATH}/"), link  # results resolve under the sub-path


def test_catalogue_search_uses_stemming_and_combines_with_facets(watched: Watched, base_url: str) -> None:
    watched.page.goto(base_url + "interventies/?q=rokende")
    watched.page.wait_for_function(
        "document.getElementById('ks-aantal').textContent !== String(document.querySelectorAll('li.ks-resultaat').length)"
    )
    smoking = visible_ids(watched.page)
    assert "rookvrije-ouders" in smoking and "voorzorg" not in smoking
    watched.page.check("#f-actielijn-voor")
    narrowed = visible_ids(watched.page)
    assert narrowed and set(narrowed) <= set(smoking)
    assert "actielijn=voor" in watched.page.url and "q=rokende" in watched.page.url


def test_each_facet_narrows_the_list_and_the_url_restores_it(watched: Watched, base_url: str) -> None:
    page = watched.page
    page.goto(base_url + "interventies/")
    total = len(visible_ids(page))
    facets = page.eval_on_selector_all("fieldset[data-facet]", "sets => sets.map(s => s.dataset.facet)")
    assert facets == [facet.name for facet in FACETS]
    for facet in facets:
        page.goto(base_url + "interventies/")
        checkbox = page.locator(f'input[name="{facet}"]').nth(0)
        value = checkbox.get_attribute("value")
        label = page.locator(f'label[for="f-{facet}-{value}"] .ks-aantal').inner_text()
        expected = int(label.strip("()"))
        checkbox.focus()
        page.keyboard.press("Space")  # the facets work with the keyboard
        shown = visible_ids(page)
        assert len(shown) == expected <= total, facet
        values = page.eval_on_selector_all(
            "li.ks-resultaat:not([hidden])", f"items => items.map(li => li.dataset['{facet}'].split(' '))"
        )
        assert all(value in item for item in values), facet
        assert f"{facet}={value}" in page.url
        page.goto(page.url)  # a shared link restores the filter
        assert page.is_checked(f"#f-{facet}-{value}")
        assert visible_ids(page) == shown
        assert page.inner_text("#ks-aantal") == str(expected)


UNBROKEN_WORDS = """selector => Array.from(document.querySelectorAll(selector)).flatMap(label => {
    // Every word of a label must sit on one line: a word whose range has two boxes was broken ("Doelgroepe n").
    const text = label.firstChild;
    if (!text || text.nodeType !== Node.TEXT_NODE) return [];
    return Array.from(text.textContent.matchAll(/\\S+/g)).filter(match => {
        const range = document.createRange();
        range.setStart(text, match.index);
        range.setEnd(text, match.index + match[0].length);
        return range.getClientRects().length > 1;
    }).map(match => match[0]);
})"""


def box(page: object, selector: str) -> dict[str, float]:
    found = page.locator(selector).bounding_box()  # type: ignore[attr-defined]
    assert found, f"{selector} is not rendered"
    return found


def test_catalogue_desktop_shows_facets_beside_the_results(watched: Watched, base_url: str, tmp_path: Path) -> None:
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(base_url + "interventies/")
    facets, results, first = box(page, "#ks-catalogus"), box(page, "#ks-resultaten"), box(page, "li.ks-resultaat >> nth=0")
    assert page.eval_on_selector("#ks-filters", "details => details.open")
    assert results["x"] >= facets["x"] + facets["width"], "the results start right of the facet column"
    assert abs(box(page, "#ks-teller")["y"] - box(page, "#ks-zoek")["y"]) < 60, "count and search share the top line"
    assert first["y"] + first["height"] < 800, "the first result is on the first screen"
    assert page.inner_text("#ks-teller") == f"{len(visible_ids(page))} interventies"
    page.check("#f-actielijn-voor")
    assert page.inner_text("#ks-actief") == "(1 actief)"
    assert page.inner_text("#ks-teller").startswith(f"{len(visible_ids(page))} van ")
    page.click("#ks-wis")
    assert "actielijn" not in page.url and not page.is_checked("#f-actielijn-voor")
    assert page.inner_text("#ks-actief") == ""
    page.screenshot(path=str(tmp_path / "desktop-catalogus.png"))


def test_catalogue_phone_folds_the_filters_above_a_visible_count(browser: object, base_url: str) -> None:
    phone = Watched(browser, base_url, viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True)
    try:
        page = phone.page
        page.goto(base_url + "interventies/?actielijn=na")
        assert not page.eval_on_selector("#ks-filters", "details => details.open"), "filters start folded on a phone"
        assert page.inner_text("#ks-actief") == "(1 actief)"  # the folded summary still says a filter is on
        assert box(page, "li.ks-resultaat:not([hidden]) >> nth=0")["y"] < 740, "a result is on the first screen"
        assert page.is_visible("#ks-wis") and page.is_visible("#ks-teller")
        page.focus("#ks-filters > summary")
        page.keyboard.press("Enter")  # the disclosure works with the keyboard
        assert page.eval_on_selector("#ks-filters", "details => details.open")
        page.check("#f-actielijn-voor")
        page.click("#ks-toon")
        assert not page.eval_on_selector("#ks-filters", "details => details.open")
        assert page.evaluate("document.activeElement.id") == "ks-teller"
        assert "actielijn=voor" in page.url and "actielijn=na" in page.url
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1]
        assert phone.errors == [] and phone.foreign == []
    finally:
        phone.close()


@pytest.mark.parametrize(
    ("path", "labels"),
    [("interventies/voorzorg/", ".ks-kenmerkenlijst dt"), ("coalities/voorbeeld-zeist/", ".ks-kenmerken th")],
)
@pytest.mark.parametrize("width", [360, 1280])
def test_feature_labels_never_break_inside_a_word(browser: object, base_url: str, path: str, labels: str, width: int) -> None:
    viewer = Watched(browser, base_url, viewport={"width": width, "height": 800})
    try:
        viewer.page.goto(base_url + path)
        assert viewer.page.locator(labels).count() >= 3
        assert viewer.page.evaluate(UNBROKEN_WORDS, labels) == []
    finally:
        viewer.close()


def test_phone_layout_has_no_horizontal_scroll(browser: object, base_url: str, tmp_path: Path) -> None:
    phone = Watched(browser, base_url, viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True)
    try:
        for name, path in PAGE_TYPES.items():
            phone.page.goto(base_url + path)
            phone.page.wait_for_load_state("networkidle")
            widths = phone.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert widths[0] <= widths[1], f"{name}: content {widths[0]}px wide on a {widths[1]}px screen"
        for name in ("interventies/voorzorg/", "interventies/"):
            phone.page.goto(base_url + name)
            shot = tmp_path / f"telefoon-{name.replace('/', '-')}.png"
            phone.page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
        assert phone.errors == [] and phone.foreign == []
    finally:
        phone.close()


@pytest.mark.parametrize("width", [1280, 360], ids=["desktop", "telefoon"])
@pytest.mark.parametrize("page_type", sorted(PAGE_TYPES))
def test_axe_finds_no_wcag_violations(watched: Watched, base_url: str, page_type: str, width: int) -> None:
    assert AXE.is_file(), "axe-core missing: run `npm ci` (make test-deps installs it)"
    watched.page.set_viewport_size({"width": width, "height": 800})
    watched.page.goto(base_url + PAGE_TYPES[page_type])
    watched.page.wait_for_load_state("networkidle")
    if page_type == "zoeken":
        watched.page.wait_for_selector("#ks-zoekresultaten li")
    watched.page.add_script_tag(path=str(AXE))
    violations = watched.page.evaluate(
        """async () => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return result.violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`);
        }"""
    )
    assert violations == [], f"{page_type} at {width}px: {violations}"
