"""Trainings, the kind that proves the kinds table: records, rules, facets, pages, search, export and a new field."""

from __future__ import annotations

import csv
import datetime
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from kansrijk.checks.validate import validate
from kansrijk.cli.main import main
from kansrijk.opendata.export import build_package
from kansrijk.records.kinds import RECORD_FOLDERS, SUPPORT_FOLDERS
from kansrijk.records.model import Repository, Training
from kansrijk.site.engine.build import build_pages
from kansrijk.site.parts.facets import Facet
from support.site_support import CHROMIUM, CHROMIUM_ARGS, REPO, copy_repository, mkdocs_build, serve, shipped_facets

FACETS = shipped_facets("training")

TODAY = datetime.date(2026, 12, 1)
SHIPPED = sorted(path.stem for path in (REPO / "trainings").glob("*.yaml"))


def _copy(target: Path) -> Path:
    for folder in (*SUPPORT_FOLDERS, *RECORD_FOLDERS):
        shutil.copytree(REPO / folder, target / folder)
    return target


def test_at_least_three_real_trainings_with_public_sources() -> None:
    repo = Repository(REPO)
    trainings = repo.valid(Training)
    real = [t for t in trainings if not t.is_example]
    assert len(real) >= 3
    for training in real:
        assert all(source["url"].startswith("https://") for source in training.data["bronnen"])
        assert training.data["interventies"], f"{training.path}: names no intervention"
    assert not [p for p in validate(repo).problems if p.file.startswith("trainings/")]


def test_a_training_naming_an_unknown_intervention_is_an_error_on_that_field(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "trainings" / "basisopleiding-stevig-ouderschap.yaml"
    path.write_text(path.read_text("utf-8").replace("interventies: [stevig-ouderschap]", "interventies: [stevig-ouderschp]"))
    report = validate(Repository(root), ["trainings/basisopleiding-stevig-ouderschap.yaml"])
    [problem] = report.errors
    assert (problem.code, problem.field_name) == ("interventie-onbekend", "interventies[0]")
    assert "Bedoel je 'stevig-ouderschap'?" in problem.message
    assert problem.line == path.read_text("utf-8").splitlines().index("interventies: [stevig-ouderschp]") + 1


def test_a_single_valued_facet_is_one_value_never_characters() -> None:
    repo = Repository(REPO)
    training = repo.record("training", "workshop-prenataal-huisbezoek-jgz")
    vorm = next(facet for facet in FACETS if facet.field == "vorm")
    assert not vorm.many
    assert vorm.values(training) == ["online"]  # type: ignore[arg-type]
    wrongly_many = Facet("vorm", "Vorm", "vorm", "trainingsvormen", many=True)
    with pytest.raises(TypeError, match="not a list"):
        wrongly_many.values(training)  # type: ignore[arg-type]
    wrongly_single = Facet("beroep", "Voor wie", "beroepen", "beroepen", many=False)
    with pytest.raises(TypeError, match="many=True"):
        wrongly_single.values(training)  # type: ignore[arg-type]


def test_catalogue_facets_carry_codes_and_pages_carry_search_filters() -> None:
    pages = {page.path: page.content for page in build_pages(REPO, TODAY)}
    catalogue = pages["trainingen/index.md"]
    assert catalogue.count('class="ks-resultaat"') == len(SHIPPED)
    assert 'data-vorm="online"' in catalogue and 'data-vorm="o n l i n e"' not in catalogue
    assert 'id="f-vorm-e-learning"' in catalogue and "E-learning <span" in catalogue
    page = pages["trainingen/e-learnings-rookvrije-start.md"]
    assert '<span data-pagefind-filter="soort:training"></span>' in page
    assert '<a href="../../interventies/rookvrije-start/">Rookvrije Start (Taskforce, campagne en e-learning)</a>' in page
    assert "Laatst gecontroleerd: 1 december 2026" in page
    theme = pages["themas/rookvrije-start.md"]
    assert '<a href="../../trainingen/e-learnings-rookvrije-start/">E-learnings van de Taskforce Rookvrije Start</a>' in theme


def test_kansrijk_new_training_writes_a_valid_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _copy(tmp_path)
    args = ["--root", str(root), "new", "training", "--id", "proef-training", "--naam", "Proeftraining"]
    args += ["--aanbieder", "Pharos", "--samenvatting", "Een training om het skelet van een nieuw record te proberen."]
    args += ["--beroep", "verloskundige", "--beroep", "huisarts", "--thema", "preconceptiezorg"]
    args += ["--bron-url", "https://www.pharos.nl/", "--bron-titel", "Pharos"]
    assert main(args) == 0, capsys.readouterr()
    assert "nieuw record: trainings/proef-training.yaml" in capsys.readouterr().out
    text = (root / "trainings" / "proef-training.yaml").read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/training.schema.json\n")
    assert "beroepen: [verloskundige, huisarts]" in text
    assert main(["--root", str(root), "validate", str(root / "trainings" / "proef-training.yaml")]) == 0


def test_an_optional_field_needs_only_the_schema_to_reach_page_and_export(tmp_path: Path) -> None:
    """The promise of the kinds table: a new optional training field shows on the page and in the CSV without code."""
    root = _copy(tmp_path)
    schema_path = root / "schemas" / "training.schema.json"
    schema = json.loads(schema_path.read_text("utf-8"))
    properties = list(schema["properties"].items())
    position = [name for name, _ in properties].index("kosten") + 1
    properties.insert(position, ("taal", {"title": "Taal", "type": "string", "minLength": 2, "maxLength": 50}))
    schema["properties"] = dict(properties)
    schema_path.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")
    record = root / "trainings" / "workshop-prenataal-huisbezoek-jgz.yaml"
    record.write_text(record.read_text("utf-8").replace("themas:", "taal: Nederlands\nthemas:"), encoding="utf-8")

    repo = Repository(root)
    assert not validate(repo).errors
    package = build_package(repo)
    rows = list(csv.DictReader(io.StringIO(package.files["trainingen.csv"])))
    assert {row["id"]: row["taal"] for row in rows}["workshop-prenataal-huisbezoek-jgz"] == "Nederlands"
    fields = next(r for r in package.descriptor["resources"] if r["name"] == "trainingen")["schema"]["fields"]
    taal = {"name": "taal", "title": "Taal", "type": "string", "constraints": {"maxLength": 51, "minLength": 2}}
    assert taal in fields  # the schema's 50, and one for the spreadsheet apostrophe a text cell may carry
    page = next(p for p in build_pages(root, TODAY) if p.path == "trainingen/workshop-prenataal-huisbezoek-jgz.md")
    assert '<tr><th scope="row">Taal</th><td>Nederlands</td></tr>' in page.content


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("trainingen")
    root = copy_repository(work / "repo")
    result = mkdocs_build(root, work / "www" / "kansrijk")
    assert result.returncode == 0, result.stderr
    with serve(work / "www") as base:
        yield f"{base}/kansrijk/"


@pytest.mark.browser
@pytest.mark.xdist_group("browser_site")
def test_the_training_catalogue_filters_in_chromium(site_url: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(site_url + "trainingen/")
        assert page.locator("#ks-aantal").inner_text() == str(len(SHIPPED))
        page.locator("label[for='f-vorm-e-learning']").click()
        page.wait_for_function("document.getElementById('ks-aantal').textContent === '1'")
        visible = page.locator("#ks-resultaten li.ks-resultaat:not([hidden])")
        assert visible.count() == 1 and "Rookvrije Start" in visible.inner_text()
        assert page.locator("#ks-aantal-tekst").inner_text() == f"van {len(SHIPPED)} trainingen"
        assert "vorm=e-learning" in page.url
        page.locator("#ks-resultaten li.ks-resultaat:not([hidden]) a").first.click()
        page.wait_for_url("**/trainingen/e-learnings-rookvrije-start/")
        assert page.locator("h1").inner_text() == "E-learnings van de Taskforce Rookvrije Start"
        assert errors == []
        browser.close()
