"""Issue #9, sections 6 and 7: the permissions table, and checking what a merge will land. Real git repositories."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kansrijk.checks.grants import STATUSES, TRANSITIONS, Role
from kansrijk.cli.main import main
from kansrijk.pullrequests import permissions
from kansrijk.pullrequests.report import RequirementKind
from support.checkrepo import (
    APPLICATION,
    BOT_APPLICATION,
    COALITION,
    RECEIVED_AT,
    SOURCE,
    SUBMITTED,
    bot_application,
    build_repo,
    check,
    commit_all,
    edit,
    file_entry,
    git,
)

AWARDED_TEXT = (SOURCE / APPLICATION).read_text().split("\n  - datum: 2022-06-20")[0] + "\n"
REPORT_STEP = """\
  - datum: 2022-06-20
    status: verantwoord
    door: zeist-ambtenaar
    verantwoording:
      coalitie_gevormd: true
      plan_van_aanpak: vastgesteld
      interventies_gestart: [centeringpregnancy, stevig-ouderschap]
      bedrag_besteed: 18000
"""


def kinds(entry: dict) -> list[str]:
    return [r["kind"] for r in entry["requirements"]]


def policy(entry: dict, kind: str) -> dict:
    return next(r for r in entry["requirements"] if r["kind"] == kind)


# ---------------------------------------------------------------- the table


def test_locked_statuses_follow_from_the_transition_table() -> None:
    assert {"in-behandeling", "toegekend", "afgewezen", "ingetrokken", "verantwoord"} == permissions.LOCKED_STATUSES
    assert set(STATUSES) > permissions.LOCKED_STATUSES
    assert {"concept", "ingediend"}.isdisjoint(permissions.LOCKED_STATUSES)


def test_maintainer_steps_are_the_tables_maintainer_steps() -> None:
    for (previous, status), role in TRANSITIONS.items():
        assert permissions.maintainer_step(previous, status) is (role is Role.MAINTAINER)
    # not in the table: the validator refuses it, and the policy still counts it as a maintainer's step
    assert permissions.maintainer_step("toegekend", "concept")
    assert permissions.maintainer_step(None, None)


def test_every_requirement_has_a_declared_kind(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo, COALITION, "gemeenten: [GM0355]", "gemeenten: [GM0355, GM0344]")
    with (repo / APPLICATION).open("a") as handle:
        handle.write("  - datum: 2020-04-01\n    status: in-behandeling\n    door: zeist-ambtenaar\n")
    (repo / ".github/workflows/ci.yml").write_text("on: push # gewijzigd\n")
    commit_all(repo, "drie soorten")
    _, data, _ = check(repo, capsys, "zeist-ambtenaar")
    found = {r["kind"] for f in data["files"] for r in f["requirements"]}
    assert found == {"pad", "gemeente-toevoegen", "statusstap"}
    assert found <= {RequirementKind.PATH, *permissions.POLICY}


# ---------------------------------------------------------------- squatting: adding a municipality


def test_owner_adding_a_municipality_to_their_coalition_needs_a_maintainer(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(repo, COALITION, "gemeenten: [GM0355]", "gemeenten: [GM0355, GM0344]")
    commit_all(repo, "Utrecht erbij")
    code, data, markdown = check(repo, capsys, "zeist-ambtenaar")
    assert code == 1 and data["verdict"] == "afgekeurd"
    entry = file_entry(data, COALITION)
    assert kinds(entry) == ["pad", "gemeente-toevoegen"]
    requirement = policy(entry, "gemeente-toevoegen")
    assert requirement["level"] == "beheerder" and requirement["met"] is False
    assert "GM0344" in requirement["reason"] and "GM0355" not in requirement["reason"]
    assert requirement["line"] == (repo / COALITION).read_text().splitlines().index("gemeenten: [GM0355, GM0344]") + 1
    assert "needs-maintainer" in data["labels"] and "GM0344" in markdown
    code, data, _ = check(repo, capsys, "beheerder-an", teams="kansrijk/beheerders")
    assert code == 0 and data["verdict"] == "geslaagd"


def test_squatting_through_the_application_needs_a_maintainer(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Zeist's owner puts Utrecht into an application; Utrecht is not in the coalition at the base."""
    (repo / BOT_APPLICATION).write_text(bot_application("zeist-ambtenaar").replace("[GM0355]", "[GM0355, GM0344]"))
    edit(repo, COALITION, "gemeenten: [GM0355]", "gemeenten: [GM0355, GM0344]")  # added in the same PR: still new
    commit_all(repo, "aanvraag met Utrecht")
    code, data, _ = check(repo, capsys, "zeist-ambtenaar")
    assert code == 1
    for path in (BOT_APPLICATION, COALITION):
        requirement = policy(file_entry(data, path), "gemeente-toevoegen")
        assert requirement["met"] is False and "gemeente GM0344 toevoegen" in requirement["reason"]


def test_municipality_already_in_the_coalition_at_the_base_needs_no_maintainer(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / BOT_APPLICATION).write_text(bot_application("zeist-ambtenaar"))
    commit_all(repo, "aanvraag")
    code, data, _ = check(repo, capsys, "zeist-ambtenaar")
    assert code == 0, data
    assert kinds(file_entry(data, BOT_APPLICATION)) == ["pad"]


def test_many_added_municipalities_are_one_requirement_with_a_count(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    codes = [line.split(",")[0] for line in (SOURCE / "vocab/gemeenten.csv").read_text().splitlines()[1:40]]
    codes = [c for c in codes if c.startswith("GM") and c != "GM0355"]
    edit(repo, COALITION, "gemeenten: [GM0355]", f"gemeenten: [GM0355, {', '.join(codes)}]")
    commit_all(repo, "veel gemeenten")
    _, data, _ = check(repo, capsys, "zeist-ambtenaar")
    [requirement] = [r for r in file_entry(data, COALITION)["requirements"] if r["kind"] == "gemeente-toevoegen"]
    assert f"en {len(codes) - 10} meer" in requirement["reason"] and len(requirement["reason"]) < 400


# ---------------------------------------------------------------- past 'ingediend' the content is the maintainers'


@pytest.fixture
def awarded(repo: Path) -> Path:
    """The base holds Zeist's application awarded by a maintainer."""
    git(repo, "checkout", "-q", "main")
    (repo / APPLICATION).write_text(AWARDED_TEXT)
    commit_all(repo, "toegekend")
    git(repo, "checkout", "-q", "-B", "pr")
    return repo


def test_applicant_changing_an_awarded_application_needs_a_maintainer(awarded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(awarded, APPLICATION, "bedrag_aangevraagd: 20000", "bedrag_aangevraagd: 19000")
    edit(awarded, APPLICATION, "bedrag: 8000", "bedrag: 7000")
    commit_all(awarded, "meer geld")
    code, data, _ = check(awarded, capsys, "zeist-ambtenaar")
    assert code == 1
    requirement = policy(file_entry(data, APPLICATION), "inhoud-na-indienen")
    assert requirement["met"] is False and requirement["level"] == "beheerder"
    assert "'toegekend'" in requirement["reason"] and "bedrag_aangevraagd, begroting" in requirement["reason"]
    lines = (awarded / APPLICATION).read_text().splitlines()
    assert requirement["line"] == lines.index("bedrag_aangevraagd: 19000") + 1
    code, data, _ = check(awarded, capsys, "beheerder-an", teams="kansrijk/beheerders")
    assert code == 0, data


def test_applicant_may_still_append_the_report(awarded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (awarded / APPLICATION).open("a") as handle:
        handle.write(REPORT_STEP)
    commit_all(awarded, "verantwoording")
    code, data, _ = check(awarded, capsys, "zeist-ambtenaar")
    assert code == 0, data
    assert kinds(file_entry(data, APPLICATION)) == ["pad"]


def test_report_with_a_changed_activity_still_needs_a_maintainer(awarded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (awarded / APPLICATION).open("a") as handle:
        handle.write(REPORT_STEP)
    edit(awarded, APPLICATION, "interventies: [centeringpregnancy, stevig-ouderschap]", "interventies: [centeringpregnancy]")
    commit_all(awarded, "verantwoording en minder interventies")
    code, data, _ = check(awarded, capsys, "zeist-ambtenaar")
    assert code == 1
    assert "interventies" in policy(file_entry(data, APPLICATION), "inhoud-na-indienen")["reason"]


def test_a_submitted_application_stays_editable_by_its_applicant(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "status: ingediend" in SUBMITTED and "in-behandeling" not in SUBMITTED
    edit(repo, APPLICATION, "Betrekken van ouders en ervaringsdeskundigen", "Ouders en ervaringsdeskundigen betrekken")
    commit_all(repo, "begroting")
    code, data, _ = check(repo, capsys, "zeist-ambtenaar")
    assert code == 0, data


# ---------------------------------------------------------------- section 6: what will land


def claim_zeist_twice(repo: Path) -> None:
    """Branch ``pr-a``: Zeist applies in voorbeeldronde-2027. Branch ``pr-b``: a second coalition with Zeist does too."""
    git(repo, "checkout", "-q", "-b", "pr-a", "main")
    (repo / BOT_APPLICATION).write_text(bot_application("zeist-ambtenaar"))
    commit_all(repo, "Zeist vraagt aan")
    git(repo, "checkout", "-q", "-b", "pr-b", "main")
    twin = repo / "coalitions/zeist-twee"
    twin.mkdir()
    coalition = (repo / COALITION).read_text().replace("id: voorbeeld-zeist", "id: zeist-twee")
    (twin / "coalitie.yaml").write_text(coalition.replace("naam: Voorbeeldcoalitie", "naam: Tweede voorbeeldcoalitie"))
    application = bot_application("beheerder-an").replace("coalitie: voorbeeld-zeist", "coalitie: zeist-twee")
    (twin / "aanvraag-voorbeeldronde-2027.yaml").write_text(application)
    commit_all(repo, "Tweede coalitie met Zeist vraagt aan")


def check_branch(repo: Path, capsys: pytest.CaptureFixture[str], head: str, author: str, teams: str) -> tuple[int, dict]:
    args = [
        "--root",
        str(repo),
        "check-pr",
        "--base",
        "main",
        "--head",
        head,
        "--author",
        author,
        "--teams",
        teams,
        "--received-at",
        RECEIVED_AT,
    ]
    code = main([*args, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def error_codes(data: dict) -> set[str]:
    return {p["code"] for f in data["files"] for p in f["problems"] if p["severity"] == "fout"}


def test_two_prs_valid_alone_are_caught_when_the_second_is_checked_against_the_current_base(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claim_zeist_twice(repo)
    code_a, data_a = check_branch(repo, capsys, "pr-a", "zeist-ambtenaar", "")
    code_b, data_b = check_branch(repo, capsys, "pr-b", "beheerder-an", "kansrijk/beheerders")
    assert (code_a, code_b) == (0, 0), (data_a, data_b)  # each valid on its own
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "PR A", "pr-a")
    # pr-b is not up to date: check-pr checks its merge with the current main, and finds the double claim
    code, data = check_branch(repo, capsys, "pr-b", "beheerder-an", "kansrijk/beheerders")
    assert code == 1 and data["verdict"] == "afgekeurd"
    assert "gemeente-al-in-ronde" in error_codes(data)
    assert any("samenvoegen oplevert" in note for note in data["notes"])
    assert data["merge_base"] != data["base"]


def test_validate_on_the_merged_main_catches_the_double_claim(repo: Path) -> None:
    claim_zeist_twice(repo)
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "PR A", "pr-a")
    git(repo, "merge", "-q", "--no-ff", "-m", "PR B", "pr-b")  # merged without checking: main is now invalid
    result = subprocess.run(
        [sys.executable, "-m", "kansrijk.cli.main", "--root", str(repo), "validate"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SOURCE / "scripts"), "PATH": "/usr/bin:/bin"},
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "al mee in de aanvraag van coalitie" in result.stdout


def test_a_pr_that_conflicts_with_the_current_base_is_refused_by_name(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "checkout", "-q", "main")
    edit(repo, COALITION, "fase: actief", "fase: gestopt")
    commit_all(repo, "op main")
    git(repo, "checkout", "-q", "pr")
    edit(repo, COALITION, "fase: actief", "fase: in-oprichting")
    commit_all(repo, "op de PR")
    code, data = check_branch(repo, capsys, "pr", "zeist-ambtenaar", "")
    assert code == 1
    errors = {p["code"] for p in file_entry(data, COALITION)["problems"] if p["severity"] == "fout"}
    assert errors == {"samenvoegconflict"}  # besides it only warnings (the record is dated after the register)


def test_an_up_to_date_pr_is_checked_as_its_head(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo, COALITION, "fase: actief", "fase: gestopt")
    commit_all(repo, "fase")
    code, data = check_branch(repo, capsys, "pr", "zeist-ambtenaar", "")
    assert code == 0 and data["merge_base"] == data["base"] and data["notes"] == []


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return build_repo(tmp_path / "repo")
