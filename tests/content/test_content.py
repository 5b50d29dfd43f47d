"""The shipped records meet the content requirements of issues #2, #4 and #12 (content checked again).

These tests read the real repository (never write to it): they guard the facts and the
coverage of the example records, so that a later edit cannot silently drop a status,
a theme or a source, or present invented figures as real ones.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest

from kansrijk.checks.grants import STATUSES
from kansrijk.checks.validate import validate
from kansrijk.records.model import ACTION_LINES, Application, Coalition, Intervention, Repository, Round

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_DOMAINS = ("example.org", "example.nl", "example.com")
# Where a recognition can be read: the two databanks, NCJ's JGZ library, or a page announcing the recognition.
RECOGNITION_SOURCE_MARKERS = ("loketgezondleven.nl", "nji.nl", "ncj.nl/producten-diensten/interventies", "erkend")
# The databanks whose pages may state that a recognition is being reassessed.
DATABANK_HOSTS = ("www.nji.nl", "nji.nl", "interventies.loketgezondleven.nl")
# Menukaart interventions the fact-check of December 2026 found missing (issue #12).
MENU_ADDITIONS = {"vipp-sd", "kortdurende-video-hometraining", "instapje", "opstapje", "een-kindje-krijgen"}
CHECK_DAY = "2026-12-01"


@pytest.fixture(scope="module")
def repo() -> Repository:
    return Repository(ROOT)


def _schema_enum(schema_name: str, *path: str) -> list[str]:
    """An enum from a record schema, so the tests follow the schema instead of repeating it."""
    node = json.loads((ROOT / "schemas" / schema_name).read_text(encoding="utf-8"))
    for key in path:
        node = node[key]
    return list(node["enum"])


def _host_is_example(url: str) -> bool:
    host = urlparse(url).hostname or ""
    return any(host == domain or host.endswith("." + domain) for domain in EXAMPLE_DOMAINS)


# --- interventions ----------------------------------------------------------------------------


def test_at_least_25_real_interventions(repo: Repository) -> None:
    real = [i for i in repo.valid(Intervention) if not i.is_example]
    assert len(real) >= 25, f"only {len(real)} real interventions"
    assert len(repo.valid(Intervention)) == len(repo.index["interventie"]), "an intervention file fails its schema"


def test_every_intervention_names_public_sources(repo: Repository) -> None:
    for intervention in repo.valid(Intervention):
        urls = [source["url"] for source in intervention.data["bronnen"]]
        assert urls, intervention.key
        for url in urls:
            assert url.startswith(("https://", "http://")), (intervention.key, url)
            assert not _host_is_example(url), (intervention.key, url)


def test_every_theme_has_at_least_two_interventions(repo: Repository) -> None:
    themes = _schema_enum("interventie.schema.json", "properties", "themas", "items")
    for theme in themes:
        members = [i.key for i in repo.valid(Intervention) if theme in i.data.get("themas", [])]
        assert len(members) >= 2, f"theme {theme} has {members}"


def test_every_action_line_is_served(repo: Repository) -> None:
    for line in ACTION_LINES:
        assert sum(line in i.action_lines for i in repo.valid(Intervention)) >= 5, line


def test_recognitions_are_backed_by_a_source(repo: Repository) -> None:
    """A claimed level needs a databank, a source that shows it, and a date or a stated reason why none."""
    recognised = [i for i in repo.valid(Intervention) if i.recognition["niveau"] != "geen"]
    assert len(recognised) >= 5
    for intervention in recognised:
        recognition = intervention.recognition
        assert recognition.get("databank"), intervention.key
        urls = " ".join(source["url"] for source in intervention.data["bronnen"])
        assert any(marker in urls for marker in RECOGNITION_SOURCE_MARKERS), intervention.key
        if "datum" not in recognition:
            assert "niet gevonden" in recognition["toelichting"], intervention.key


def test_known_recognitions_are_recorded_as_sourced(repo: Repository) -> None:
    """The levels and dates from the domain facts, so an edit cannot drift from the sources."""
    expected = {
        "voorzorg": ("effectief-goede-aanwijzingen", "2021-09-30"),
        "stevig-ouderschap": ("effectief-eerste-aanwijzingen", "2017-09-14"),
        "samenstarten": ("goed-onderbouwd", "2018-11-29"),
        "home-start": ("effectief-goede-aanwijzingen", "2019-04-08"),
        "triple-p": ("effectief-eerste-aanwijzingen", "2018-12-14"),
        "moeders-informeren-moeders": ("goed-onderbouwd", None),
        "nu-niet-zwanger": ("goed-onderbouwd", None),
        "centeringpregnancy": ("geen", None),
        "centeringparenting": ("geen", None),
        "vipp-sd": ("effectief-sterke-aanwijzingen", None),
        "kortdurende-video-hometraining": ("goed-onderbouwd", "2017-12-16"),
        "instapje": ("goed-onderbouwd", None),
        "opstapje": ("goed-onderbouwd", None),
        "een-kindje-krijgen": ("goed-onderbouwd", "2019-01-30"),
    }
    for key, (level, date) in expected.items():
        recognition = repo.record("interventie", key).recognition  # type: ignore[union-attr]
        assert (recognition["niveau"], recognition.get("datum")) == (level, date), key


def test_databank_reassessments_cite_the_databank_page(repo: Repository) -> None:
    """A reassessment typed into a record names a databank page that is also among the record's sources."""
    stated = {i.key: i.recognition["herbeoordeling"] for i in repo.valid(Intervention) if "herbeoordeling" in i.recognition}
    assert {"moeders-informeren-moeders", "kortdurende-video-hometraining", "instapje"} <= set(stated)
    for key, reassessment in stated.items():
        intervention = repo.record("interventie", key)
        assert intervention is not None
        assert urlparse(reassessment["bron"]).hostname in DATABANK_HOSTS, key
        assert reassessment["bron"] in {source["url"] for source in intervention.data["bronnen"]}, key
        assert reassessment["vermeld_op"] <= intervention.data["gecontroleerd_op"], key


def test_missing_menu_interventions_are_added_with_sources(repo: Repository) -> None:
    added = {i.key: i for i in repo.valid(Intervention) if i.key in MENU_ADDITIONS}
    assert set(added) == MENU_ADDITIONS
    for intervention in added.values():
        assert not intervention.is_example, intervention.key
        assert len(intervention.data["bronnen"]) >= 2, intervention.key
        assert intervention.data["gecontroleerd_op"] == CHECK_DAY, intervention.key


def test_corrected_facts_stay_corrected(repo: Repository) -> None:
    """The WRONG and UNSUPPORTED rows of the fact-check of December 2026 that were corrected, one check each."""

    def text(key: str) -> str:
        record = repo.record("interventie", key)
        assert record is not None, key
        return json.dumps(record.data, ensure_ascii=False)

    assert "STIVORO" in text("rookvrij-opgroeien")
    assert "ontwikkeld door het Trimbos" not in text("rookvrij-opgroeien")
    assert "vier gemeenten" in text("woke-women-apropos")
    assert "onderzocht in zes gemeenten" not in text("woke-women-apropos")
    v_mis = repo.record("interventie", "v-mis")
    assert v_mis is not None and "Universiteit Maastricht" in v_mis.data["eigenaar"]
    steps = re.findall(r"^(\d+)\. (.+)$", v_mis.data["beschrijving"], re.MULTILINE)
    assert [number for number, _ in steps] == [str(n) for n in range(1, 8)]
    assert "rookvrij opgroeien" in steps[-1][1]  # the step the record used to leave out
    pil_owner = repo.record("interventie", "preconceptie-indicatielijst").data["eigenaar"]  # type: ignore[union-attr]
    assert all(body in pil_owner for body in ("KNOV", "NHG", "NVOG", "AJN", "College Perinatale Zorg", "ZonMw"))
    assert "One Key Question" not in text("hoe-stel-jij-de-vraag")
    assert "100 van de 450" not in text("centeringpregnancy")
    assert "casusregisseur" not in text("knooppunt-kansrijke-start")


def test_every_cost_figure_names_its_year(repo: Repository) -> None:
    for intervention in repo.valid(Intervention):
        costs = intervention.data.get("kosten", "")
        if "euro" in costs:
            assert re.search(r"\b(19|20)\d\d\b", costs), f"{intervention.key}: {costs}"


def test_brede_spuk_round_keeps_its_corrections(repo: Repository) -> None:
    spuk = repo.record("ronde", "brede-spuk-2023")
    assert spuk is not None
    data = spuk.data
    assert data["sluit"] == "2023-03-31"  # DUS-I: first application period 6 February to 31 March 2023
    assert data["budget"] != 300_000_000  # that is all parts together, not Kansrijke Start's
    explanation = data["toelichting"]
    for fact in ("bijlage 3", "bijlage 4", "31 december 2026", "schotten", "10 procent", "43 miljoen"):
        assert fact in explanation, fact
    assert "staat niet in de bronnen" not in explanation


def test_checked_dates_are_never_in_the_future(repo: Repository) -> None:
    for intervention in repo.valid(Intervention):
        assert intervention.data["gecontroleerd_op"] <= CHECK_DAY, intervention.key


def test_unrecognised_interventions_say_what_is_known(repo: Repository) -> None:
    for intervention in repo.valid(Intervention):
        if intervention.recognition["niveau"] == "geen":
            assert len(intervention.recognition.get("toelichting", "")) >= 10, intervention.key


# --- rounds, coalitions and applications --------------------------------------------------------


def test_rounds_with_invented_figures_are_examples(repo: Repository) -> None:
    assert {"impuls-2019", "impuls-2020", "impuls-2022", "brede-spuk-2023"} <= set(repo.index["ronde"])
    for round_record in repo.valid(Round):
        assert round_record.is_example, f"{round_record.key}: every shipped round has invented figures"
        assert "verzonnen" in round_record.data.get("toelichting", ""), round_record.key
        assert not _host_is_example(round_record.data["bron"]), round_record.key


def test_sourced_round_figures(repo: Repository) -> None:
    budgets = {r.key: r.data["budget"] for r in repo.valid(Round)}
    assert budgets["impuls-2019"] == 9_000_000
    assert budgets["impuls-2020"] == 3_000_000
    assert repo.record("ronde", "brede-spuk-2023").data["uitbetaling"]["wijze"] == "specifieke-uitkering"  # type: ignore[union-attr]


def test_coalitions_and_applications_are_examples(repo: Repository) -> None:
    assert 6 <= len(repo.valid(Coalition)) <= 10
    for coalition in repo.valid(Coalition):
        assert coalition.is_example, coalition.key
        assert coalition.key.startswith("voorbeeld-"), coalition.key
        assert coalition.name.startswith("Voorbeeld"), coalition.key
    assert repo.valid(Application)
    for application in repo.valid(Application):
        assert application.is_example, application.key


def test_coalitions_are_local_regional_and_spread_over_provinces(repo: Repository) -> None:
    sizes = {len(c.municipalities) for c in repo.valid(Coalition)}
    assert 1 in sizes and max(sizes) > 1
    current = repo.vocab.municipalities
    provinces = {current[code].provincie for c in repo.valid(Coalition) for code in c.municipalities if code in current}
    assert len(provinces) >= 5, provinces


def test_every_phase_plan_status_and_intervention_status_appears(repo: Repository) -> None:
    schema = "coalitie.schema.json"
    phases = _schema_enum(schema, "properties", "fase")
    plans = _schema_enum(schema, "properties", "plan_van_aanpak", "properties", "status")
    in_use = _schema_enum(schema, "properties", "interventies", "properties", "voor", "items", "properties", "status")
    assert {c.data["fase"] for c in repo.valid(Coalition)} == set(phases)
    assert {c.data["plan_van_aanpak"]["status"] for c in repo.valid(Coalition)} == set(plans)
    assert {entry["status"] for c in repo.valid(Coalition) for _, _, entry in c.interventions_in_use()} == set(in_use)


def test_every_partner_type_appears(repo: Repository) -> None:
    types = {row["code"] for row in repo.vocab.table("partnertypen")}
    used = {partner["type"] for c in repo.valid(Coalition) for partner in c.data["partners"]}
    assert used == types, f"missing: {sorted(types - used)}"


def test_every_application_status_is_shown_as_a_latest_status(repo: Repository) -> None:
    assert {a.status for a in repo.valid(Application)} == set(STATUSES)


def test_one_verantwoording_explains_an_under_spend(repo: Repository) -> None:
    explained = [
        step["verantwoording"]
        for a in repo.valid(Application)
        for step in a.history
        if step["status"] == "verantwoord" and "toelichting_onderbesteding" in step["verantwoording"]
    ]
    assert explained
    assert all(v["bedrag_besteed"] >= 0 for v in explained)


def test_contacts_are_functional_and_invented(repo: Repository) -> None:
    """Example coalitions point at example domains only: no real mailbox and no person."""
    for coalition in repo.valid(Coalition):
        contact = coalition.data["contact"]
        if "email" in contact:
            local, _, domain = contact["email"].partition("@")
            assert local == "kansrijkestart", coalition.key
            assert _host_is_example("https://" + domain), coalition.key
        if "website" in contact:
            assert _host_is_example(contact["website"]), coalition.key
        link = coalition.data["plan_van_aanpak"].get("link")
        if link:
            assert _host_is_example(link), coalition.key


def test_an_ended_municipality_and_an_empty_action_line_are_shown(repo: Repository) -> None:
    ended = repo.vocab.ended_municipalities
    assert any(code in ended for c in repo.valid(Coalition) for code in c.municipalities)
    assert any(
        any(line not in c.data["interventies"] or not c.data["interventies"][line] for line in ACTION_LINES)
        and any(c.data["interventies"].get(line) for line in ACTION_LINES)
        for c in repo.valid(Coalition)
    )


def test_every_optional_field_is_used(repo: Repository) -> None:
    """Each optional top-level field of a coalition, application and round is filled in somewhere."""
    for schema_name, records in (
        ("coalitie.schema.json", repo.valid(Coalition)),
        ("aanvraag.schema.json", repo.valid(Application)),
        ("ronde.schema.json", repo.valid(Round)),
    ):
        schema = json.loads((ROOT / "schemas" / schema_name).read_text(encoding="utf-8"))
        optional = set(schema["properties"]) - set(schema["required"])
        used = {key for record in records for key in record.data}
        assert optional <= used, f"{schema_name}: unused {sorted(optional - used)}"


def test_budget_edges_are_shown(repo: Repository) -> None:
    """At least one application asks exactly the round maximum (times its municipalities)."""
    maxima = {r.key: r.data.get("max_per_gemeente") for r in repo.valid(Round)}
    at_limit = [
        a.key
        for a in repo.valid(Application)
        if maxima.get(a.round_key) and a.data["bedrag_aangevraagd"] == maxima[a.round_key] * len(a.municipalities)
    ]
    assert at_limit


# --- the whole repository ------------------------------------------------------------------------


def test_repository_validates_without_errors(repo: Repository) -> None:
    report = validate(Repository(ROOT))
    assert report.errors == [], [f"{p.file}:{p.line}: {p.message}" for p in report.errors]
    # The warnings the content is meant to show: the ended municipality of the Appingedam example, and records
    # dated 2026, after the last CBS edition the municipality register covers (vocab/datapackage.json).
    assert {p.code for p in report.warnings} <= {"gemeente-opgeheven", "register-buiten-periode"}
    assert report.warnings


def test_validate_command_exits_zero() -> None:
    command = shutil.which("kansrijk")
    assert command, "the kansrijk console command is not installed (pip install -e .)"
    result = subprocess.run([command, "validate"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 fouten" in result.stdout
