"""The record forms and the analysetool in a real headless Chromium, typing and clicking as a person would.

The YAML a form produces is checked with the real ``kansrijk validate`` and ``kansrijk fmt --check`` in a fresh
repository, and compared with the shipped files for "Wijziging voorstellen"."""

from __future__ import annotations

import difflib
import itertools
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from kansrijk.cli.main import main
from kansrijk.records.kinds import classify_path
from kansrijk.records.loader import load_text
from kansrijk.records.schemas import load_record_schemas
from kansrijk.settings import REPOSITORY_URL
from kansrijk.site.sections.forms import FORM_KINDS
from kansrijk.tools.fmt import format_text
from support.site_support import REPO, copy_repository, mkdocs_build, serve

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SUB_PATH = "kansrijk"
SCHEMAS = load_record_schemas(REPO / "schemas")
HOSTILE_NAME = "Coalitie <script>alert(1)</script> \"quotes\" 'enkel': #hash 😀 עברית \u202eomgekeerd"
HOSTILE_NAME_KEPT = HOSTILE_NAME.replace("\u202e", "")  # the form strips what the loader refuses (CONTROL_CHARACTERS)
HOSTILE_TEXT = "Regel één: #1 en <b>vet</b>\n\n<script>alert('x')</script>\n\"aanhalingstekens\" 🍼 \u200fמימין-לשמאל"
pytestmark = pytest.mark.xdist_group("browser_forms")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("forms")
    root = copy_repository(work / "repo")
    result = mkdocs_build(root, work / "www" / SUB_PATH)
    assert result.returncode == 0, result.stderr
    with serve(work / "www") as base:
        yield f"{base}/{SUB_PATH}/"


@pytest.fixture
def page(browser: object, base_url: str) -> Iterator[Page]:
    """A fresh browser context; console errors, dialogs (a script that ran) and third-party requests fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    tab = context.new_page()
    problems: list[str] = []
    host = urlsplit(base_url).netloc
    tab.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: problems.append(str(error)))
    tab.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))

    def guard(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if urlsplit(url).netloc == host or url.startswith(("data:", "blob:")):
            route.continue_()  # type: ignore[attr-defined]
        else:
            problems.append(f"third-party request: {url}")
            route.abort()  # type: ignore[attr-defined]

    tab.route("**/*", guard)
    yield tab
    context.close()
    assert problems == []


def fresh_repository(target: Path, *coalitions: str) -> Path:
    """A repository with the shipped reference data (interventions, rounds) and only the named coalitions."""
    for name in ("schemas", "vocab", "interventions", "rounds"):
        shutil.copytree(REPO / name, target / name)
    for key in coalitions:
        shutil.copytree(REPO / "coalitions" / key, target / "coalitions" / key)
    return target


def check_record(root: Path, rel: str, text: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(root), "validate"]) == 0, capsys.readouterr().out
    assert main(["--root", str(root), "fmt", "--check", str(path)]) == 0, capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == text


def submit(tab: Page) -> tuple[str, str]:
    """Press the button; returns the file path and the YAML shown."""
    tab.get_by_role("button", name="Controleer en maak het bestand").click()
    summary = tab.locator("#ks-foutoverzicht")
    assert summary.is_hidden(), summary.inner_text()
    expect(tab.locator("#ks-resultaat")).to_be_visible()
    return tab.locator("#ks-pad").inner_text(), tab.locator("#ks-yaml").input_value()


def github_link(tab: Page) -> tuple[str, dict[str, list[str]]]:
    href = tab.get_by_role("link", name="Voorstellen op GitHub").get_attribute("href") or ""
    parts = urlsplit(href)
    return f"{parts.scheme}://{parts.netloc}{parts.path}", parse_qs(parts.query)


def fill_coalition_basics(tab: Page, key: str, name: str) -> None:
    tab.get_by_label("Kenmerk").fill(key)
    tab.get_by_label("Naam", exact=False).first.fill(name)
    partners = tab.get_by_role("group", name="Partners")
    partners.get_by_label("Naam organisatie").fill("Gemeente Utrecht")
    partners.get_by_label("Soort partner").select_option("gemeente")
    tab.get_by_label("Fase").select_option("in-oprichting")
    tab.get_by_role("group", name="Plan van aanpak").get_by_label("Status").select_option("in-voorbereiding")
    tab.get_by_label("Webpagina").fill("https://www.example.org/kansrijke-start")
    tab.get_by_label("Bijgewerkt op").fill("2026-11-20")


def test_coalition_form_from_scratch_with_hostile_text(page: Page, base_url: str, tmp_path: Path, capsys) -> None:
    page.goto(base_url + "formulier/coalitie/")
    fill_coalition_basics(page, "kansrijke-start-utrecht", HOSTILE_NAME)
    page.get_by_label("Gemeente 1").fill("Utrecht")
    during = page.get_by_role("group", name="Interventies tijdens de zwangerschap")
    during.get_by_role("button", name="Interventie in gebruik toevoegen").click()
    during.get_by_label("Interventie (verplicht)", exact=True).select_option("voorzorg")
    during.get_by_label("Status").select_option("gepland")
    during.get_by_label("Toelichting").fill("Start: #1 in 2027")
    page.get_by_label("Toelichting").last.fill(HOSTILE_TEXT)
    path, text = submit(page)

    assert path == "coalitions/kansrijke-start-utrecht/coalitie.yaml"
    assert text.startswith("# yaml-language-server: $schema=../../schemas/coalitie.schema.json\n")
    check_record(fresh_repository(tmp_path / "repo"), path, text, capsys)
    data = load_text(text, path).data
    assert data["naam"] == HOSTILE_NAME_KEPT
    assert data["toelichting"] == HOSTILE_TEXT + "\n"
    assert data["gemeenten"] == ["GM0344"]
    assert data["interventies"] == {
        "tijdens": [{"interventie": "voorzorg", "status": "gepland", "toelichting": "Start: #1 in 2027"}]
    }
    base, query = github_link(page)
    assert base == f"{REPOSITORY_URL}/new/main"
    assert query == {"filename": [path], "value": [text]}

    page.reload()  # autosave: the answers come back exactly, and "Formulier wissen" removes them
    expect(page.get_by_label("Naam", exact=False).first).to_have_value(HOSTILE_NAME_KEPT)
    expect(page.get_by_label("Toelichting").last).to_have_value(HOSTILE_TEXT)
    page.get_by_role("button", name="Formulier wissen").click()
    page.wait_for_load_state()
    expect(page.get_by_label("Naam", exact=False).first).to_have_value("")


def test_a_record_too_long_for_a_link_falls_back_to_copy_and_download(page: Page, base_url: str) -> None:
    page.goto(base_url + "formulier/coalitie/")
    fill_coalition_basics(page, "lange-coalitie", "Coalitie met een lange toelichting")
    page.get_by_label("Gemeente 1").fill("Zeist")
    page.get_by_label("Toelichting").last.fill("Een lange alinea over de coalitie. " * 260)
    path, text = submit(page)
    assert len(text) > 8000
    expect(page.get_by_role("link", name="Voorstellen op GitHub")).to_be_hidden()
    expect(page.locator("#ks-github-uitleg")).to_contain_text(
        f"te lang om in een link mee te geven. Kopieer of download het, en maak op GitHub het bestand {path} aan"
    )
    download = page.get_by_role("link", name="Downloaden")
    expect(download).to_have_attribute("download", "coalitie.yaml")
    with page.expect_download() as saved:
        download.click()
    assert Path(saved.value.path()).read_text(encoding="utf-8") == text


def test_without_javascript_the_page_explains_the_yaml_route(browser: object, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    tab = context.new_page()
    for address, words in (
        ("formulier/aanvraag/", "coalitions/<coalitie>/aanvraag-<ronde>.yaml"),
        ("analysetool/", "coalitiepagina"),
    ):
        tab.goto(base_url + address)
        expect(tab.locator("form")).to_be_hidden()
        expect(tab.locator(".admonition")).to_contain_text(words)
    context.close()


def test_application_form_from_scratch(page: Page, base_url: str, tmp_path: Path, capsys) -> None:
    page.goto(base_url + "formulier/aanvraag/")
    expect(page.get_by_label("Ronde")).to_have_value("voorbeeldronde-2027")  # the open round on the build date
    page.get_by_label("Coalitie (verplicht)", exact=True).select_option("voorbeeld-zeist")
    expect(page.get_by_label("Gemeente 1")).to_have_value("Zeist (GM0355)")
    info = page.locator("#ks-ronde-info")
    expect(info).to_contain_text("€ 30.000 per gemeente × 1 gemeente = € 30.000")
    expect(info).to_contain_text("Verplichte onderdelen: Begroting, Activiteiten per actielijn, Interventies, Partners")
    page.get_by_label("Aangevraagd bedrag").fill("25000")
    budget = page.get_by_role("group", name="Begroting (minstens 1)", exact=True)
    budget.get_by_label("Omschrijving").fill("Procesbegeleiding: #coalitie")
    budget.get_by_label("Bedrag in hele euro's").fill("15000")
    budget.get_by_role("button", name="Begrotingsregel toevoegen").click()
    budget.get_by_label("Omschrijving").nth(1).fill("Scholing van 'professionals'")
    budget.get_by_label("Bedrag in hele euro's").nth(1).fill("10000")
    during = page.get_by_role("group", name="Activiteiten tijdens de zwangerschap")
    during.get_by_role("button", name="Regel toevoegen").click()
    during.get_by_label("Activiteiten tijdens de zwangerschap 1").fill("Twee praktijken starten met CenteringPregnancy.")
    page.get_by_role("group", name="Te starten interventies").get_by_label("CenteringPregnancy", exact=False).check()
    partners = page.get_by_role("group", name="Partners die zich verbinden")
    partners.get_by_role("button", name="Regel toevoegen").click()
    partners.get_by_label("Partners die zich verbinden 1").fill("JGZ Zeist")
    step = page.get_by_role("group", name="Eerste stap")
    step.get_by_label("Datum").fill("2026-11-20")
    step.get_by_label("Status van de aanvraag").select_option("ingediend")
    step.get_by_label("Door").fill("zeist-kansrijkestart")
    path, text = submit(page)

    assert path == "coalitions/voorbeeld-zeist/aanvraag-voorbeeldronde-2027.yaml"
    check_record(fresh_repository(tmp_path / "repo", "voorbeeld-zeist"), path, text, capsys)
    data = load_text(text, path).data
    assert data["begroting"][1] == {"omschrijving": "Scholing van 'professionals'", "bedrag": 10000}
    assert data["historie"] == [{"datum": "2026-11-20", "status": "ingediend", "door": "zeist-kansrijkestart"}]
    _base, query = github_link(page)
    assert query["filename"] == [path] and query["value"] == [text]


def test_agenda_form_from_scratch(page: Page, base_url: str, tmp_path: Path, capsys) -> None:
    page.goto(base_url + "formulier/activiteit/")
    page.get_by_label("Kenmerk").fill("webinar-rookvrije-start-2027")
    page.get_by_label("Titel").fill("Webinar: rookvrij opgroeien")
    page.get_by_label("Soort activiteit").select_option("webinar")
    page.get_by_label("Datum (verplicht)", exact=True).fill("2027-02-10")
    page.get_by_label("Begintijd").fill("15:30")
    page.get_by_label("Locatie").fill("Online")
    page.get_by_label("Organisator").fill("Kansrijke Start kennisbank")
    page.get_by_label("Korte samenvatting").fill("Hoe JGZ en kraamzorg het gesprek over rookvrij opgroeien voeren.")
    page.get_by_role("group", name="Thema's").get_by_label("Rookvrije start").check()
    path, text = submit(page)
    assert path == "agenda/webinar-rookvrije-start-2027.yaml"
    assert "begintijd: 15:30\n" in text  # what `kansrijk fmt` writes
    check_record(fresh_repository(tmp_path / "repo"), path, text, capsys)


def summary_links(tab: Page) -> dict[str, str]:
    """Error summary: message -> the id of the field it links to."""
    box = tab.locator("#ks-foutoverzicht")
    expect(box).to_be_visible()
    return {link.inner_text(): (link.get_attribute("href") or "")[1:] for link in box.get_by_role("link").all()}


def test_errors_sit_next_to_the_field_and_in_the_summary(page: Page, base_url: str) -> None:
    page.goto(base_url + "formulier/coalitie/")
    fill_coalition_basics(page, "nieuw", "")
    page.get_by_label("Gemeente 1").fill("Atlantis")
    page.get_by_role("button", name="Controleer en maak het bestand").click()
    links = summary_links(page)
    assert links["Vul ‘Naam’ in."] == "f-naam"
    unknown = "‘Atlantis’ staat niet in het CBS-gemeenteregister. Kies een gemeente uit de lijst."
    field_id = links[unknown]
    field = page.locator(f"#{field_id}")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#{field_id}-fout")).to_have_text(unknown)
    assert f"{field_id}-fout" in (field.get_attribute("aria-describedby") or "")
    expect(page.locator("#ks-resultaat")).to_be_hidden()
    page.locator("#ks-foutoverzicht").get_by_role("link", name="Vul ‘Naam’ in.").click()
    expect(page.locator("#f-naam")).to_be_focused()

    page.get_by_label("Gemeente 1").fill("Appingedam")  # ended: a warning that names the successor, not an error
    page.get_by_label("Naam", exact=False).first.fill("Coalitie Appingedam")
    page.get_by_role("button", name="Controleer en maak het bestand").click()
    expect(page.locator("#ks-resultaat")).to_be_visible()
    expect(page.locator(".ks-waarschuwing")).to_contain_text("opgeheven op 2021-01-01. Opvolger: Eemsdelta (GM1979)")


def test_budget_over_the_maximum_and_not_adding_up(page: Page, base_url: str) -> None:
    page.goto(base_url + "formulier/aanvraag/")
    page.get_by_label("Coalitie (verplicht)", exact=True).select_option("voorbeeld-zeist")
    page.get_by_label("Aangevraagd bedrag").fill("40000")
    budget = page.get_by_role("group", name="Begroting (minstens 1)", exact=True)
    budget.get_by_label("Omschrijving").fill("Alles")
    budget.get_by_label("Bedrag in hele euro's").fill("35000")
    page.get_by_role("button", name="Controleer en maak het bestand").click()
    messages = summary_links(page)
    over = "Het aangevraagde bedrag is hoger dan het maximum van € 30.000 (€ 30.000 per gemeente × 1)."
    assert messages[over] == "f-bedrag-aangevraagd"
    assert "De begrotingsregels tellen op tot € 35.000, niet tot het aangevraagde bedrag van € 40.000." in messages
    assert "Deze ronde vraagt om ‘Partners’. Vul dit onderdeel in." in messages
    expect(page.locator("#f-bedrag-aangevraagd-fout")).to_have_text(over)


# Every shipped record of every kind with a form: the form must give each back unchanged.
SHIPPED = sorted(
    (path, *found)
    for path in REPO.rglob("*.yaml")
    if (found := classify_path(path.relative_to(REPO).as_posix())) is not None and found[0] in FORM_KINDS
)


@pytest.mark.parametrize(("record", "kind", "key"), SHIPPED, ids=[f"{kind}/{key}" for _path, kind, key in SHIPPED])
def test_unchanged_shipped_record_comes_back_byte_for_byte(page: Page, base_url: str, record: Path, kind: str, key: str) -> None:
    page.goto(base_url + f"formulier/{kind}/?wijzig={key}")
    expect(page.locator("#ks-wijzigmodus")).to_be_visible()
    path, text = submit(page)
    assert path == record.relative_to(REPO).as_posix()
    assert text == record.read_text(encoding="utf-8")
    expect(page.locator("#ks-wijzigingen")).to_have_text("U hebt nog niets gewijzigd.")


def test_change_proposal_from_the_coalition_page_differs_in_one_field(page: Page, base_url: str) -> None:
    page.goto(base_url + "coalities/voorbeeld-zeist/")
    page.get_by_role("link", name="Wijziging voorstellen").first.click()
    name = page.get_by_label("Naam", exact=False).first
    expect(name).to_have_value("Voorbeeldcoalitie Kansrijke Start Zeist")
    expect(page.get_by_label("Kenmerk")).to_have_js_property("readOnly", True)
    name.fill("Kansrijke Start Zeist: samen vanaf het begin")
    path, text = submit(page)
    shipped = (REPO / path).read_text(encoding="utf-8")
    changed = [line for line in difflib.unified_diff(shipped.splitlines(), text.splitlines(), lineterm="", n=0)][2:]
    assert changed == [
        "@@ -3 +3 @@",
        "-naam: Voorbeeldcoalitie Kansrijke Start Zeist",
        "+naam: 'Kansrijke Start Zeist: samen vanaf het begin'",
    ]
    expect(page.locator("#ks-wijzigingen")).to_have_text("Gewijzigd: Naam.")
    href = page.get_by_role("link", name="Voorstellen op GitHub").get_attribute("href")
    assert href == f"{REPOSITORY_URL}/edit/main/coalitions/voorbeeld-zeist/coalitie.yaml"


def test_application_change_link_opens_that_application(page: Page, base_url: str) -> None:
    page.goto(base_url + "coalities/voorbeeld-zeist/")
    page.get_by_role("link", name="Wijziging voorstellen in de aanvraag voor").first.click()
    expect(page.locator("#ks-wijzigmodus")).to_contain_text("coalitions/voorbeeld-zeist/aanvraag-impuls-2020.yaml")
    expect(page.get_by_role("group", name="Eerste stap")).to_be_hidden()  # the history stays as it is
    page.get_by_label("Aangevraagd bedrag").fill("20001")
    page.get_by_role("button", name="Controleer en maak het bestand").click()
    assert "De begrotingsregels tellen op tot € 20.000, niet tot het aangevraagde bedrag van € 20.001." in summary_links(page)


TRICKY = [
    "15:30",
    "123",
    "yes",
    "~",
    "null",
    "a: b",
    "a #b",
    "it's",
    "it's: x",
    "<script>x</script>",
    "- x",
    "@x",
    "x: #",
    "2024-01-01",
    "1e3",
    ".5e3",
    "0x1F",
    ".inf",
    "<<",
    "=",
    "x,y",
    "[a]",
    "é עברית \u200f",  # a right-to-left mark stays; an override (U+202E) the loader refuses, so no form writes one
    "😀 hi",
    '"q"',
    "'q'",
    "a\\b",
    'a "b" c',
    "1_000",
    "+1",
    "True",
    "?x",
    "? x",
    ":x",
    "x:",
    "%x",
    "a\u00a0b",
    "---x",
    "x -",
    "!x",
    "&x",
    "*x",
    "|x",
    ">x",
    "`x",
    "x ` y",
    "#x",
]


def test_yaml_writer_agrees_with_kansrijk_fmt(page: Page, base_url: str) -> None:
    page.goto(base_url + "formulier/activiteit/")
    text_block = "Eerste regel: #1\n\n  ingesprongen\n'quote' \"dubbel\"\n"
    for value in TRICKY:  # keys in schema order, as the form reads them
        record = {"titel": value, "locatie": value, "organisator": value, "beschrijving": text_block, "themas": ["1", "b"]}
        text = page.evaluate("data => window.kansrijkYaml(data)", record)
        assert format_text(text, SCHEMAS["activiteit"].document) == text, value
        assert load_text(text, "t.yaml").data == record, value


def test_analysetool_for_a_municipality_without_a_coalition(page: Page, base_url: str, tmp_path: Path, capsys) -> None:
    page.goto(base_url + "analysetool/")
    page.get_by_label("Gemeenten").fill("Utrecht")
    settings = json.loads(page.locator("#ks-analyse-gegevens").text_content() or "{}")
    names = {i["kenmerk"]: f"{i['naam']} ({i['erkenning']})" for i in settings["interventies"]}
    ranks = {i["kenmerk"]: i["rang"] for i in settings["interventies"]}
    for line, keys in settings["erkendPerLijn"].items():
        assert keys, line
        shown = page.locator(f'#ks-analyse-nog ul[data-actielijn="{line}"] li').all_inner_texts()
        assert shown == [names[key] for key in keys]
        assert all(ranks[a] >= ranks[b] for a, b in itertools.pairwise(keys))  # strongest recognition first
    expect(page.locator("#ks-analyse-buren")).to_contain_text("Voorbeeldcoalitie Kansrijke Start Zeist")  # same province
    page.locator('[data-actielijn="tijdens"]').get_by_label("VoorZorg", exact=False).check()
    expect(page.locator('#ks-analyse-nog ul[data-actielijn="tijdens"]')).not_to_contain_text("VoorZorg")
    page.get_by_role("link", name="Maak hier een coalitierecord van").click()
    expect(page.get_by_label("Gemeente 1")).to_have_value("Utrecht (GM0344)")
    fill_coalition_basics(page, "kansrijke-start-utrecht", "Kansrijke Start Utrecht")
    path, text = submit(page)
    check_record(fresh_repository(tmp_path / "repo"), path, text, capsys)
    assert load_text(text, path).data["interventies"] == {"tijdens": [{"interventie": "voorzorg", "status": "in-uitvoering"}]}


def test_analysetool_starting_from_an_existing_coalition(page: Page, base_url: str) -> None:
    page.goto(base_url + "analysetool/")
    page.get_by_label("Begin bij een bestaande coalitie").select_option("voorbeeld-zeist")
    expect(page.get_by_label("Gemeenten")).to_have_value("Zeist (GM0355)")
    during = page.locator('fieldset[data-actielijn="tijdens"] input:checked')
    assert sorted(during.evaluate_all("boxes => boxes.map(b => b.value)")) == [
        "centeringpregnancy",
        "stevig-ouderschap",
        "voorzorg",
    ]
    expect(page.locator("#ks-analyse-samenvatting")).to_contain_text("tijdens de zwangerschap 3 van")
    expect(page.locator("#ks-analyse-buren")).to_have_text("Er is nog geen coalitie in dezelfde provincie.")  # not itself


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize(
    "address", ["formulier/", "formulier/coalitie/", "formulier/aanvraag/", "formulier/activiteit/", "analysetool/"]
)
def test_axe_finds_no_wcag_violations(browser: object, base_url: str, address: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.goto(base_url + address)
    tab.add_script_tag(path=str(AXE))
    violations = tab.evaluate(
        """async () => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return result.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
        }"""
    )
    overflow = tab.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    context.close()
    assert violations == []
    assert not overflow, "the page scrolls sideways"


def test_training_form_from_scratch(page: Page, base_url: str, tmp_path: Path, capsys) -> None:
    """The training form comes from the kinds table and the schema alone (issue #10's new kind in #13's forms)."""
    page.goto(base_url + "formulier/training/")
    page.get_by_label("Kenmerk").fill("e-learning-voorzorg-2027")
    page.get_by_label("Naam", exact=False).first.fill('E-learning: "VoorZorg" voor de praktijk: #1')
    page.get_by_label("Aanbieder").fill("Voorbeeldacademie")
    page.get_by_label("Korte samenvatting").fill("Een voorbeeld van een e-learning over huisbezoeken in de zwangerschap.")
    page.get_by_role("group", name="Voor wie").get_by_label("Jeugdverpleegkundige").check()
    page.get_by_role("group", name="Thema's").get_by_label("Rookvrije start").check()
    page.get_by_role("group", name="Interventies").get_by_label("VoorZorg", exact=False).check()
    sources = page.get_by_role("group", name="Bronnen")
    sources.get_by_label("Webadres", exact=False).first.fill("https://www.example.org/e-learning")
    sources.get_by_label("Titel", exact=False).first.fill("Voorbeeldbron")
    page.get_by_label("Laatst gecontroleerd").fill("2026-12-01")
    page.get_by_label("Status").select_option("actief")
    path, text = submit(page)
    assert path == "trainings/e-learning-voorzorg-2027.yaml"
    assert text.startswith("# yaml-language-server: $schema=../schemas/training.schema.json\n")
    assert "interventies: [voorzorg]\n" in text
    root = fresh_repository(tmp_path / "repo")
    check_record(root, path, text, capsys)
    assert load_text(text, path).data["naam"] == 'E-learning: "VoorZorg" voor de praktijk: #1'


# Differential corpus: the optional group erkenning.herbeoordeling (its two fields are required together), as the
# form and `kansrijk validate` must judge it alike. An empty group once blocked the form on every intervention.
HERBEOORDELING_CASES = {
    "leeg": {},
    "alleen-datum": {"vermeld_op": "2026-11-01"},
    "alleen-webadres": {"bron": "https://www.loketgezondleven.nl/interventies/voorzorg"},
    "allebei": {"vermeld_op": "2026-11-01", "bron": "https://www.loketgezondleven.nl/interventies/voorzorg"},
}


@pytest.mark.parametrize("case", list(HERBEOORDELING_CASES))
def test_form_and_validate_agree_on_an_optional_group(
    page: Page, base_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    answers = HERBEOORDELING_CASES[case]
    page.goto(base_url + "formulier/interventie/?wijzig=voorzorg")
    expect(page.locator("#ks-wijzigmodus")).to_be_visible()
    for field, value in answers.items():
        page.fill(f"#f-erkenning-herbeoordeling-{field.replace('_', '-')}", value)
    page.get_by_role("button", name="Controleer en maak het bestand").click()
    form_accepts = page.locator("#ks-foutoverzicht").is_hidden()

    root = copy_repository(tmp_path / "repo")
    record = root / "interventions" / "voorzorg.yaml"
    text = record.read_text(encoding="utf-8")
    group = "".join(f"    {field}: {value}\n" for field, value in answers.items())
    if group:
        text = text.replace("\nerkenning:\n", "\nerkenning:\n  herbeoordeling:\n" + group, 1)
    record.write_text(text, encoding="utf-8")
    capsys.readouterr()
    validate_accepts = main(["--root", str(root), "validate", str(record)]) == 0
    report = capsys.readouterr().out
    assert form_accepts == validate_accepts, (case, report)
    assert validate_accepts == (len(answers) != 1), report  # the corpus itself: both or neither
