"""The grant rules of issue #4: each rule passes on a good record and fails on a bad one, with budget edges."""

from __future__ import annotations

import json
from collections import deque
from pathlib import Path

import pytest

from kansrijk.checks.grants import STATUSES, TRANSITIONS, Role, next_statuses, role_for
from kansrijk.checks.validate import validate
from kansrijk.records.codelists import load_codelists
from kansrijk.records.model import Application, Repository
from kansrijk.records.problems import Severity
from support.grantrepo import REPO_ROOT, GrantRepo, awarded_history, report, step

GRANT_CODES = {
    "overgang-niet-toegestaan",
    "verantwoording-zonder-toekenning",
    "datum-volgorde",
    "indiening-buiten-ronde",
    "verantwoording-te-laat",
    "onderbesteding-zonder-toelichting",
    "begroting-telt-niet-op",
    "bedrag-boven-maximum",
    "toegekend-boven-aangevraagd",
    "onderdeel-ontbreekt",
    "gemeente-niet-subsidiabel",
    "gemeente-al-in-ronde",
    "ronde-budget-overschreden",
    "ronde-datums",
}


@pytest.fixture
def grants(tmp_path: Path) -> GrantRepo:
    repo = GrantRepo(tmp_path)
    repo.round()
    return repo


def line_of(path: Path, needle: str) -> int:
    """1-based line number of the first line containing ``needle``."""
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in text:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


# --- the table ---------------------------------------------------------------------------------


def test_table_covers_every_status_of_the_schema_and_the_code_list() -> None:
    """The transition table, the schema's status consts and vocab/aanvraagstatussen.csv name the same statuses."""
    schema = json.loads((REPO_ROOT / "schemas" / "aanvraag.schema.json").read_text(encoding="utf-8"))
    schema_statuses = [option["properties"]["status"]["const"] for option in schema["properties"]["historie"]["items"]["oneOf"]]
    listed = load_codelists(REPO_ROOT / "vocab")["aanvraagstatussen"].codes
    assert sorted(schema_statuses) == sorted(STATUSES) == sorted(listed)
    assert {to for _, to in TRANSITIONS} == set(STATUSES)
    assert {frm for frm, _ in TRANSITIONS} - {None} <= set(listed)


def test_roles_per_transition() -> None:
    assert role_for("in-behandeling", "toegekend") is Role.MAINTAINER
    assert role_for("ingediend", "in-behandeling") is Role.MAINTAINER
    assert role_for("in-behandeling", "afgewezen") is Role.MAINTAINER
    assert role_for("concept", "ingediend") is Role.APPLICANT
    assert role_for("toegekend", "verantwoord") is Role.APPLICANT
    assert role_for("ingediend", "toegekend") is None
    assert next_statuses("in-behandeling") == ["toegekend", "afgewezen", "ingetrokken"]
    assert next_statuses("afgewezen") == []


def _path_to(status: str) -> list[str]:
    """The shortest allowed list of statuses that ends in ``status`` (breadth-first through the table)."""
    queue: deque[tuple[str | None, list[str]]] = deque([(None, [])])
    while queue:
        current, path = queue.popleft()
        if current == status:
            return path
        queue.extend((to, [*path, to]) for to in next_statuses(current))
    raise AssertionError(status)


def _steps(statuses: list[str]) -> list[dict]:
    extras = {
        "toegekend": {"bedrag_toegekend": 20000},
        "afgewezen": {"reden": "Past niet in de regeling."},
        "verantwoord": {"verantwoording": report(20000)},
    }
    return [step(status, f"2020-03-{10 + i:02d}", **extras.get(status, {})) for i, status in enumerate(statuses)]


@pytest.mark.parametrize("previous", [None, *STATUSES])
@pytest.mark.parametrize("new", STATUSES)
def test_every_pair_of_statuses_follows_the_table(grants: GrantRepo, previous: str | None, new: str) -> None:
    statuses = [*(_path_to(previous) if previous else []), new]
    grants.application("c-zeist", history=_steps(statuses))
    codes = set(grants.codes()) & {"overgang-niet-toegestaan", "verantwoording-zonder-toekenning"}
    assert bool(codes) == ((previous, new) not in TRANSITIONS)


# --- history ----------------------------------------------------------------------------------


def test_skipping_the_review_is_refused_at_the_status_line(grants: GrantRepo) -> None:
    rel = grants.application(
        "c-zeist",
        history=[step("ingediend", "2020-03-01"), step("toegekend", "2020-05-01", bedrag_toegekend=20000)],
    )
    [problem] = grants.validate(rel).problems
    assert problem.code == "overgang-niet-toegestaan"
    assert problem.field_name == "historie[1].status"
    assert problem.line == line_of(grants.root / rel, "status: toegekend")
    assert "'in-behandeling'" in problem.message


def test_report_without_award_has_its_own_message(grants: GrantRepo) -> None:
    grants.application(
        "c-zeist",
        history=[
            step("ingediend", "2020-03-01"),
            step("in-behandeling", "2020-03-02"),
            step("verantwoord", "2021-03-01", verantwoording=report(0)),
        ],
    )
    problems = grants.validate().problems
    assert [p.code for p in problems] == ["verantwoording-zonder-toekenning"]
    assert "pas na een toekenning" in problems[0].message


def test_dates_in_order_same_day_allowed(grants: GrantRepo) -> None:
    grants.application("c-zeist", history=[step("concept", "2020-02-10"), step("ingediend", "2020-02-10")])
    assert grants.codes() == []


def test_dates_out_of_order_fail(grants: GrantRepo) -> None:
    rel = grants.application("c-zeist", history=[step("concept", "2020-03-10"), step("ingediend", "2020-03-09")])
    [problem] = grants.validate(rel).problems
    assert problem.code == "datum-volgorde"
    assert problem.field_name == "historie[1].datum"


# --- submission window ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "ok"), [("2020-02-01", True), ("2020-04-30", True), ("2020-01-31", False), ("2020-05-01", False)]
)
def test_submission_inside_window(grants: GrantRepo, date: str, ok: bool) -> None:
    grants.application("c-zeist", history=[step("ingediend", date)])
    assert grants.codes() == ([] if ok else ["indiening-buiten-ronde"])


def test_moving_the_round_window_flags_its_applications(grants: GrantRepo) -> None:
    grants.application("c-zeist", history=[step("ingediend", "2020-03-01")])
    round_path = grants.round(opent="2020-03-02")
    report_ = grants.validate(round_path)
    assert [(p.file, p.code) for p in report_.problems] == [
        ("coalitions/c-zeist/aanvraag-ronde-a.yaml", "indiening-buiten-ronde")
    ]


# --- reports -------------------------------------------------------------------------------------


def test_report_on_the_deadline_passes(grants: GrantRepo) -> None:
    grants.application("c-zeist", history=awarded_history(20000, reported=20000, report_date="2022-12-31"))
    assert grants.codes() == []


def test_late_report_is_a_warning(grants: GrantRepo) -> None:
    grants.application("c-zeist", history=awarded_history(20000, reported=20000, report_date="2023-01-01"))
    result = grants.validate()
    assert [(p.code, p.severity) for p in result.problems] == [("verantwoording-te-laat", Severity.WARNING)]
    assert result.errors == []


def test_under_spend_needs_an_explanation(grants: GrantRepo) -> None:
    grants.application("c-zeist", history=awarded_history(20000, reported=19999))
    assert grants.codes() == ["onderbesteding-zonder-toelichting"]


def test_explained_under_spend_passes(grants: GrantRepo) -> None:
    history = awarded_history(20000)
    history.append(
        step("verantwoord", "2021-06-01", verantwoording=report(15000, toelichting_onderbesteding="Training vervallen."))
    )
    grants.application("c-zeist", history=history)
    assert grants.codes() == []


# --- amounts -------------------------------------------------------------------------------------


def test_budget_lines_add_up(grants: GrantRepo) -> None:
    grants.application(
        "c-zeist",
        requested=20000,
        begroting=[{"omschrijving": "Procesbegeleiding", "bedrag": 12000}, {"omschrijving": "Training", "bedrag": 8000}],
    )
    assert grants.codes() == []


def test_budget_lines_one_euro_short_fail(grants: GrantRepo) -> None:
    grants.application(
        "c-zeist",
        requested=20000,
        begroting=[{"omschrijving": "Procesbegeleiding", "bedrag": 12000}, {"omschrijving": "Training", "bedrag": 7999}],
    )
    problems = grants.validate().problems
    assert [p.code for p in problems] == ["begroting-telt-niet-op"]
    assert "€ 19.999" in problems[0].message and "€ 20.000" in problems[0].message


@pytest.mark.parametrize(("requested", "ok"), [(60000, True), (60001, False)])
def test_regional_request_up_to_max_times_municipalities(grants: GrantRepo, requested: int, ok: bool) -> None:
    grants.application("c-regio", municipalities=["GM0355", "GM0310", "GM0321"], requested=requested)
    assert grants.codes() == ([] if ok else ["bedrag-boven-maximum"])


@pytest.mark.parametrize(("requested", "ok"), [(20000, True), (20001, False)])
def test_local_request_up_to_max(grants: GrantRepo, requested: int, ok: bool) -> None:
    grants.application("c-zeist", requested=requested)
    assert grants.codes() == ([] if ok else ["bedrag-boven-maximum"])


def test_round_without_max_accepts_any_request(grants: GrantRepo) -> None:
    grants.round(max_per_gemeente=None, budget=10_000_000)
    grants.application("c-zeist", requested=5_000_000)
    assert grants.codes() == []


@pytest.mark.parametrize(("awarded", "ok"), [(20000, True), (15000, True), (20001, False)])
def test_award_at_most_requested(grants: GrantRepo, awarded: int, ok: bool) -> None:
    grants.round(max_per_gemeente=None)
    grants.application("c-zeist", requested=20000, history=awarded_history(awarded))
    assert grants.codes() == ([] if ok else ["toegekend-boven-aangevraagd"])


@pytest.mark.parametrize(("budget", "ok"), [(40000, True), (39999, False)])
def test_round_budget_edge(grants: GrantRepo, budget: int, ok: bool) -> None:
    grants.round(budget=budget)
    first = grants.application("c-zeist", municipalities=["GM0355"], history=awarded_history(20000))
    grants.application("c-bilt", municipalities=["GM0310"], history=awarded_history(20000))
    grants.application("c-houten", municipalities=["GM0321"], history=[step("ingediend", "2020-03-01")])
    # Whole repository: reported once, on the round's budget.
    whole = grants.validate().problems
    assert [(p.file, p.code) for p in whole] == ([] if ok else [("rounds/ronde-a.yaml", "ronde-budget-overschreden")])
    # Only the awarded application under check (as in a pull request): reported on its award.
    partial = grants.validate(first).problems
    assert [(p.file, p.field_name, p.code) for p in partial] == (
        [] if ok else [(first, "historie[2].bedrag_toegekend", "ronde-budget-overschreden")]
    )
    if not ok:
        assert "€ 1 meer dan het budget van € 39.999" in partial[0].message


# --- required parts -------------------------------------------------------------------------------


def test_required_parts_present(grants: GrantRepo) -> None:
    grants.round(verplichte_onderdelen=["begroting", "activiteiten", "partners"])
    grants.application("c-zeist", activiteiten={"voor": [], "na": ["Moedergroepen starten"]}, partners=["JGZ Utrecht"])
    assert grants.codes() == []


def test_required_parts_missing_or_empty_fail(grants: GrantRepo) -> None:
    grants.round(verplichte_onderdelen=["activiteiten", "partners", "interventies"])
    rel = grants.application("c-zeist", activiteiten={"voor": [], "tijdens": []}, partners=[])
    problems = grants.validate(rel).problems
    assert sorted((p.field_name, p.severity) for p in problems) == [
        ("activiteiten", Severity.ERROR),
        ("interventies", Severity.ERROR),
        ("partners", Severity.ERROR),
    ]
    assert all(p.code == "onderdeel-ontbreekt" for p in problems)


def test_a_missing_part_is_named_in_the_sentence_form_of_its_code_list(grants: GrantRepo) -> None:
    phrases = load_codelists(REPO_ROOT / "vocab")["verplichte-onderdelen"].column("zinsvorm")
    grants.round(verplichte_onderdelen=["partners"])
    rel = grants.application("c-zeist", partners=[])
    (problem,) = grants.validate(rel).problems
    assert f"vraagt {phrases['partners']}; vul 'partners' aan" in problem.message
    assert phrases["partners"] == "de partners die zich verbinden"


def test_required_parts_missing_in_a_concept_are_a_reminder(grants: GrantRepo) -> None:
    grants.round(verplichte_onderdelen=["partners"])
    grants.application("c-zeist", history=[step("concept", "2020-01-10")])
    result = grants.validate()
    assert [(p.code, p.severity) for p in result.problems] == [("onderdeel-ontbreekt", Severity.WARNING)]


# --- eligibility ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "municipality", "ok"),
    [
        ({"soort": "alle"}, "GM0355", True),
        ({"soort": "lijst", "gemeenten": ["GM0355", "GM0344"]}, "GM0355", True),
        ({"soort": "lijst", "gemeenten": ["GM0344"]}, "GM0355", False),
        ({"soort": "alle-behalve", "gemeenten": ["GM0344"]}, "GM0355", True),
        ({"soort": "alle-behalve", "gemeenten": ["GM0355"]}, "GM0355", False),
    ],
)
def test_eligibility(grants: GrantRepo, rule: dict, municipality: str, ok: bool) -> None:
    grants.round(subsidiabel=rule)
    grants.application("c-zeist", municipalities=[municipality])
    assert grants.codes() == ([] if ok else ["gemeente-niet-subsidiabel"])


def test_ineligible_member_of_a_regional_application_is_named(grants: GrantRepo) -> None:
    grants.round(subsidiabel={"soort": "alle-behalve", "gemeenten": ["GM0310"]})
    rel = grants.application("c-regio", municipalities=["GM0355", "GM0310"], requested=40000)
    [problem] = grants.validate(rel).problems
    assert problem.field_name == "gemeenten[1]"
    assert "GM0310 De Bilt" in problem.message


# --- one application per municipality per round ---------------------------------------------------


def test_different_municipalities_pass(grants: GrantRepo) -> None:
    grants.application("c-zeist", municipalities=["GM0355"])
    grants.application("c-bilt", municipalities=["GM0310"])
    assert grants.codes() == []


def test_municipality_inside_a_regional_application_counts(grants: GrantRepo) -> None:
    local = grants.application("c-zeist", municipalities=["GM0355"])
    grants.application("c-regio", municipalities=["GM0310", "GM0355"], requested=40000)
    # Only the local file is checked: the regional one is found through the index.
    [problem] = grants.validate(local).problems
    assert problem.code == "gemeente-al-in-ronde"
    assert "coalitie 'c-regio'" in problem.message
    # The whole repository: both applications are flagged, each at the shared municipality.
    whole = grants.validate().problems
    assert sorted((p.file, p.field_name) for p in whole) == [
        ("coalitions/c-regio/aanvraag-ronde-a.yaml", "gemeenten[1]"),
        ("coalitions/c-zeist/aanvraag-ronde-a.yaml", "gemeenten[0]"),
    ]


def test_withdrawn_application_does_not_claim_its_municipality(grants: GrantRepo) -> None:
    grants.application("c-zeist", history=[step("ingediend", "2020-03-01"), step("ingetrokken", "2020-03-05")])
    grants.application("c-regio", municipalities=["GM0310", "GM0355"], requested=40000)
    assert grants.codes() == []


def test_same_municipality_in_another_round_passes(grants: GrantRepo) -> None:
    grants.round("ronde-b", opent="2021-02-01", sluit="2021-04-30")
    grants.application("c-zeist", "ronde-a", history=[step("ingediend", "2020-03-01")])
    grants.application("c-zeist", "ronde-b", history=[step("ingediend", "2021-03-01")])
    assert grants.codes() == []


# --- the round itself ---------------------------------------------------------------------------


def test_round_dates_in_order_pass_and_fail(grants: GrantRepo) -> None:
    assert grants.codes("rounds/ronde-a.yaml") == []
    grants.round(opent="2020-05-01", sluit="2020-04-30", verantwoording_uiterlijk="2020-01-01")
    assert grants.codes("rounds/ronde-a.yaml") == ["ronde-datums", "ronde-datums"]


# --- the shipped records -----------------------------------------------------------------------


def test_shipped_records_break_no_grant_rule() -> None:
    result = validate(Repository(REPO_ROOT))
    assert [p for p in result.problems if p.code in GRANT_CODES] == []
    assert Repository(REPO_ROOT).valid(Application), "the shipped examples should hold at least one application"


def test_every_message_is_dutch_and_says_what_to_do(grants: GrantRepo) -> None:
    grants.round(budget=10, verplichte_onderdelen=["partners"], subsidiabel={"soort": "lijst", "gemeenten": ["GM0344"]})
    grants.application(
        "c-zeist",
        requested=30000,
        begroting=[{"omschrijving": "Procesbegeleiding", "bedrag": 1}],
        history=awarded_history(40000, reported=1, report_date="2024-01-01"),
    )
    grants.application("c-regio", municipalities=["GM0355", "GM0310"], history=[step("concept", "2020-01-01")])
    problems = grants.validate().problems
    assert {p.code for p in problems} >= {
        "begroting-telt-niet-op",
        "bedrag-boven-maximum",
        "toegekend-boven-aangevraagd",
        "ronde-budget-overschreden",
        "onderdeel-ontbreekt",
        "gemeente-niet-subsidiabel",
        "gemeente-al-in-ronde",
        "verantwoording-te-laat",
        "onderbesteding-zonder-toelichting",
    }
    for problem in problems:
        assert problem.line >= 1
        assert any(word in problem.message.lower() for word in ("pas", "haal", "vul", "verlaag", "vraag", "leg"))
