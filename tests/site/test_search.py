"""Search (issue #12): the project's own query set through the built Pagefind index in Chromium, the search
page at phone and desktop width, clean excerpts, technical pages out of the index, and the search-word list.

The query set is data (``tests/test_search_queries.csv``): a search term, a page that must be among the first
results, and how far down it may be. Add a row when a professional's word finds nothing useful.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kansrijk.records.model import Intervention, Repository
from kansrijk.site.engine.search import KEYWORD_WEIGHT, NAME_KEYWORD_WEIGHT, SEARCH_WORDS, search_words
from support.site_support import REPO, built_site

QUERIES = Path(__file__).with_name("test_search_queries.csv")
SUB_PATH = "kansrijk"
FACET_LEGENDS = ["Soort", "Actielijn", "Erkenning", "Doelgroep"]
TOP_URLS = """async ([bundle, term, count]) => {
    const pagefind = await import(bundle);
    await pagefind.options({ baseUrl: new URL("../", new URL(bundle, location.href)).pathname });
    const search = await pagefind.search(term);
    const data = await Promise.all(search.results.slice(0, count).map(r => r.data()));
    return data.map(d => d.url);
}"""


def query_rows() -> list[dict[str, str]]:
    with QUERIES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


pytestmark = pytest.mark.xdist_group("search-site")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    with built_site(tmp_path_factory.mktemp("search"), SUB_PATH) as served:
        yield served


@pytest.fixture(scope="module")
def search_tab(browser: object, site: tuple[str, Path]) -> Iterator[object]:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(site[0] + "zoeken/")
    yield page
    page.close()


def top_urls(page: object, base: str, term: str, count: int) -> list[str]:
    urls = page.evaluate(TOP_URLS, [base + "pagefind/pagefind.js", term, count])  # type: ignore[attr-defined]
    return [url.removeprefix(f"/{SUB_PATH}") for url in urls]


@pytest.mark.parametrize("row", query_rows(), ids=lambda row: f"{row['zoekterm']}->{row['verwacht']}")
def test_query_set_finds_the_expected_page_near_the_top(search_tab: object, site: tuple[str, Path], row: dict) -> None:
    top = top_urls(search_tab, site[0], row["zoekterm"], int(row["binnen_top"]))
    assert row["verwacht"] in top, f"{row['zoekterm']!r}: {top} ({row['waarom']})"


@pytest.mark.parametrize("term", ["stress", "schema", "Pagefind", "datapackage", "JSON"])
def test_technical_pages_are_not_in_the_index(search_tab: object, site: tuple[str, Path], term: str) -> None:
    top = top_urls(search_tab, site[0], term, 50)
    assert not [url for url in top if url.startswith(("/schemas/", "/techniek/", "/open-data/", "/zoeken/"))], top


def test_excerpt_text_keeps_labels_out(search_tab: object, site: tuple[str, Path]) -> None:
    """The definition-list labels are not indexed, so an excerpt never reads "UitvoerdersJeugdverpleegkundige"."""
    content = search_tab.evaluate(  # type: ignore[attr-defined]
        """async (bundle) => {
            const pagefind = await import(bundle);
            const search = await pagefind.search("VoorZorg");
            const data = await Promise.all(search.results.map(r => r.data()));
            return data.find(d => d.url.endsWith("/interventies/voorzorg/")).content;
        }""",
        site[0] + "pagefind/pagefind.js",
    )
    assert "Jeugdverpleegkundige" in content
    for label in ("Uitvoerders", "Setting", "Doelgroepen", "Eigenaar of licentiehouder"):
        assert label not in content, label
    assert "tienermoeder" in content  # the hidden search words are indexed


def test_search_page_on_a_phone_shows_results_first(browser: object, site: tuple[str, Path], tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 800}, is_mobile=True)  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(site[0] + "zoeken/?q=tienermoeder")
    page.wait_for_selector("#ks-zoekresultaten li")
    assert not page.eval_on_selector("#ks-zoekfilters", "details => details.open"), "filters start folded on a phone"
    first = page.locator("#ks-zoekresultaten li >> nth=0").bounding_box()
    assert first and first["y"] + 60 < 800, "the first result is on the first screen"
    assert page.inner_text("#ks-zoekresultaten li h3") == "VoorZorg"
    assert "Gevonden via het zoekwoord tienermoeder" in page.inner_text("#ks-zoekresultaten li")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(tmp_path / "zoeken-telefoon.png"))
    assert errors == []
    page.close()


def test_search_page_filters_mean_something_and_live_in_the_url(browser: object, site: tuple[str, Path]) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page.goto(site[0] + "zoeken/?q=zwangerschap")
    page.wait_for_selector("#ks-zoekresultaten li")
    assert page.eval_on_selector("#ks-zoekfilters", "details => details.open")
    legends = page.eval_on_selector_all("#ks-zoekfacetten legend", "items => items.map(l => l.textContent)")
    assert legends == FACET_LEGENDS  # no "Id"
    facets, results = page.locator("#ks-zoekformulier").bounding_box(), page.locator("#ks-zoekresultaten").bounding_box()
    assert facets and results and results["x"] >= facets["x"] + facets["width"], "results beside the filters"
    before = page.inner_text("#ks-zoekstatus")
    page.check('#ks-zoekfacetten input[name="soort"][value="interventie"]')
    page.wait_for_function(f"document.getElementById('ks-zoekstatus').textContent !== {json.dumps(before)}")
    assert "soort=interventie" in page.url and "q=zwangerschap" in page.url
    badges = page.eval_on_selector_all("#ks-zoekresultaten .ks-badge", "items => items.map(b => b.textContent)")
    assert badges and set(badges) == {"Interventie"}
    page.check('#ks-zoekfacetten input[name="actielijn"][value="Voor de zwangerschap"]')
    page.wait_for_function("location.search.includes('actielijn=')")
    page.goto(page.url)  # a shared link restores the search
    page.wait_for_selector("#ks-zoekresultaten li")
    assert page.is_checked('#ks-zoekfacetten input[name="actielijn"][value="Voor de zwangerschap"]')
    assert page.input_value("#ks-zoekterm") == "zwangerschap"
    page.close()


def test_search_page_loads_no_material_search_code(browser: object, site: tuple[str, Path]) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site[0] + "zoeken/?q=roken")
    page.wait_for_selector("#ks-zoekresultaten li")
    assert not [url for url in requested if "workers/search" in url or "search_index" in url or "pagefind-ui" in url]
    assert not (site[1] / "search" / "search_index.json").exists()
    page.close()


# --- the search-word list --------------------------------------------------------------------------


def test_every_search_word_subject_exists() -> None:
    """A subject that names nothing would silently feed no page: every code must be in its code list."""
    repo = Repository(REPO)
    schema = json.loads((REPO / "schemas" / "interventie.schema.json").read_text(encoding="utf-8"))
    known = {
        "interventie": {intervention.key for intervention in repo.valid(Intervention)},
        "thema": set(schema["properties"]["themas"]["items"]["enum"]),
        "doelgroep": set(repo.vocab.labels("doelgroepen")),
        "uitvoerder": set(repo.vocab.labels("beroepen")),
    }
    texts = " ".join(
        str(i.data.get(field, "")) for i in repo.valid(Intervention) for field in ("naam", "samenvatting", "beschrijving")
    )
    words = search_words(REPO / "vocab")
    assert len(words.by_subject) >= 20
    for subject, synonyms in words.by_subject.items():
        kind, _, code = subject.partition(":")
        assert synonyms, subject
        if kind == "woord":
            assert re.search(rf"\b{re.escape(code)}", texts), f"{subject}: no intervention says it"
        else:
            assert code in known[kind], f"{SEARCH_WORDS}: {subject} is not a known {kind}"


def test_search_words_reach_interventions_through_their_codes_and_words() -> None:
    words = search_words(REPO / "vocab")
    in_name, other = words.for_record("voorzorg", {"naam": "VoorZorg", "doelgroepen": ["jonge-moeders"]}, "De JGZ komt")
    assert in_name == [] and "tienermoeder" in other and "jeugdgezondheidszorg" in other
    assert len(other) == len(set(other))
    in_name, other = words.for_record("x", {"naam": "Huisbezoek door de JGZ"}, "Huisbezoek door de JGZ")
    assert "jeugdgezondheidszorg" in in_name and "jeugdgezondheidszorg" not in other
    assert words.for_record("x", {"naam": "Iets"}, "Geen afkorting hier") == ([], [])


def test_the_search_page_knows_the_keyword_weight() -> None:
    page = (REPO / "docs" / "zoeken.md").read_text(encoding="utf-8")
    assert f'data-keyword-weights="{KEYWORD_WEIGHT} {NAME_KEYWORD_WEIGHT}"' in page
