"""``kansrijk check-pr`` scenarios in real git repositories made in temporary folders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kansrijk.cli.main import main
from support.checkrepo import (
    APPLICATION,
    BOT,
    BOT_APPLICATION,
    COALITION,
    CODEOWNERS,
    FIRST_STEP_LINE,
    RECEIVED_AT,
    SETTINGS,
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


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A small Kansrijk repository on ``main``, with a ``pr`` branch checked out."""
    return build_repo(tmp_path / "repo")


def test_owner_edits_their_coalition_passes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo, COALITION, "fase: actief", "fase: gestopt")
    commit_all(repo, "fase")
    code, data, markdown = check(repo, capsys, "zeist-ambtenaar")
    assert code == 0
    assert data["verdict"] == "geslaagd"
    entry = file_entry(data, COALITION)
    assert entry["change"] == "M" and [p["code"] for p in entry["problems"]] == ["register-buiten-periode"]  # dated 2026
    assert "type:coalitie" in data["labels"] and "gemeente:GM0355" in data["labels"]
    assert "needs-maintainer" not in data["labels"]
    assert markdown.splitlines()[1].startswith("✅ **Kansrijk-controle: in orde**")
    assert "(gewijzigd)" in markdown
    assert "niet uit deze PR" in markdown


def test_stranger_edits_coalition_fails_naming_the_owners(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo, COALITION, "fase: actief", "fase: gestopt")
    commit_all(repo, "fase")
    code, data, markdown = check(repo, capsys, "vreemde")
    assert code == 1
    assert data["verdict"] == "afgekeurd"
    requirement = file_entry(data, COALITION)["requirements"][0]
    assert requirement["met"] is False
    assert requirement["any_of"] == ["@zeist-ambtenaar", "@kansrijk/beheerders"]
    assert "`@vreemde` mag dit niet" in markdown and "`@zeist-ambtenaar`" in markdown  # mentions are shown, never notified
    assert "needs-maintainer" in data["labels"]


def test_unknown_teams_are_listed_for_the_next_step(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo, COALITION, "fase: actief", "fase: gestopt")
    commit_all(repo, "fase")
    code, data, _ = check(repo, capsys, "vreemde", teams=None)
    assert code == 1
    assert data["verdict"] == "open"
    assert data["unresolved_teams"] == ["kansrijk/beheerders"]
    code, data, _ = check(repo, capsys, "vreemde", teams="kansrijk/beheerders")
    assert code == 0 and data["verdict"] == "geslaagd"


def test_a_pr_cannot_grant_itself_ownership(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".github/CODEOWNERS").write_text("* @vreemde\n")
    edit(repo, COALITION, "fase: actief", "fase: gestopt")
    commit_all(repo, "neem alles over")
    code, data, _ = check(repo, capsys, "vreemde")
    assert code == 1
    assert file_entry(data, COALITION)["requirements"][0]["met"] is False
    codeowners = file_entry(data, ".github/CODEOWNERS")
    assert codeowners["requirements"][0]["level"] == "beheerder"
    assert data["codeowners"]["maintainers"] == ["@kansrijk/beheerders"]


def test_applicant_awards_their_own_grant_fails(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (repo / APPLICATION).open("a") as handle:
        handle.write(
            "  - datum: 2020-04-01\n    status: in-behandeling\n    door: zeist-ambtenaar\n"
            "  - datum: 2020-05-01\n    status: toegekend\n    door: zeist-ambtenaar\n    bedrag_toegekend: 10000\n"
        )
    commit_all(repo, "zelf toekennen")
    code, data, markdown = check(repo, capsys, "zeist-ambtenaar")
    assert code == 1
    entry = file_entry(data, APPLICATION)
    maintainer_steps = [r for r in entry["requirements"] if r["level"] == "beheerder"]
    assert [r["reason"] for r in maintainer_steps] == [
        "status 'ingediend' → 'in-behandeling' zetten",
        "status 'in-behandeling' → 'toegekend' zetten",
    ]
    assert all(r["met"] is False for r in maintainer_steps)
    assert maintainer_steps[1]["line"] == FIRST_STEP_LINE + 6
    assert "status:toegekend" in data["labels"] and "needs-maintainer" in data["labels"]
    assert f"regel {FIRST_STEP_LINE + 6}" in markdown


def test_maintainer_may_award(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (repo / APPLICATION).open("a") as handle:
        handle.write("  - datum: 2020-04-01\n    status: in-behandeling\n    door: beheerder-an\n")
    commit_all(repo, "in behandeling")
    code, data, _ = check(repo, capsys, "beheerder-an", teams="kansrijk/beheerders")
    assert code == 0, data
    assert data["verdict"] == "geslaagd"


def test_applicant_withdraws_but_entry_must_name_the_author(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (repo / APPLICATION).open("a") as handle:
        handle.write("  - datum: 2020-04-01\n    status: ingetrokken\n    door: iemand-anders\n")
    commit_all(repo, "intrekken")
    code, data, _ = check(repo, capsys, "zeist-ambtenaar")
    assert code == 1
    problem = next(p for p in file_entry(data, APPLICATION)["problems"] if p["code"] == "historie-door")
    assert problem["line"] == FIRST_STEP_LINE + 5 and "door: zeist-ambtenaar" in problem["message"]
    assert not [r for r in file_entry(data, APPLICATION)["requirements"] if r["level"] == "beheerder"]


def test_rewritten_history_entry_fails(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo, APPLICATION, "status: ingediend", "status: concept")
    commit_all(repo, "datum verschoven")
    code, data, markdown = check(repo, capsys, "zeist-ambtenaar")
    assert code == 1
    problem = next(p for p in file_entry(data, APPLICATION)["problems"] if p["code"] == "historie-herschreven")
    assert problem["line"] == FIRST_STEP_LINE and problem["field"] == "historie[0]"
    assert f"fout, regel {FIRST_STEP_LINE}" in markdown


def test_deleted_history_entry_fails(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / APPLICATION).write_text(SUBMITTED.split("historie:")[0] + "historie: []\n")
    commit_all(repo, "historie gewist")
    code, data, _ = check(repo, capsys, "zeist-ambtenaar")
    assert code == 1
    assert any(p["code"] == "historie-verwijderd" for p in file_entry(data, APPLICATION)["problems"])


def test_non_maintainer_touching_a_workflow_needs_a_maintainer(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".github/workflows/ci.yml").write_text("on: pull_request_target\n")
    commit_all(repo, "workflow")
    code, data, markdown = check(repo, capsys, "zeist-ambtenaar")
    assert code == 1
    requirement = file_entry(data, ".github/workflows/ci.yml")["requirements"][0]
    assert requirement["level"] == "beheerder" and requirement["met"] is False
    assert "needs-maintainer" in data["labels"]
    assert "beheerder: `@kansrijk/beheerders`" in markdown


def test_renamed_and_deleted_records(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "mv", "coalitions/voorbeeld-zeist", "coalitions/zeist-nieuw")
    git(repo, "rm", "-q", "interventions/voorzorg.yaml")
    commit_all(repo, "hernoemd en verwijderd")
    code, data, markdown = check(repo, capsys, "zeist-ambtenaar")
    assert code == 1
    renamed = file_entry(data, "coalitions/zeist-nieuw/coalitie.yaml")
    # a rename is judged as what it does: the old path deleted, the new path added (git's pairing is only shown)
    assert renamed["change"] == "A" and renamed["moved_from"] == COALITION
    assert file_entry(data, COALITION)["change"] == "D"
    deleted = file_entry(data, "interventions/voorzorg.yaml")
    assert deleted["change"] == "D"
    # the renamed folder no longer matches its id, and voorzorg is still referenced: both are errors
    codes = {p["code"] for f in data["files"] for p in f["problems"]}
    assert codes, data
    # the new folder has no specific owner: only maintainers may add it; the old path was the author's
    assert renamed["requirements"][0]["met"] is False and file_entry(data, COALITION)["requirements"][0]["met"] is True
    assert deleted["requirements"][0]["met"] is False
    assert "git ziet dit als hernoemd van" in markdown and "(verwijderd)" in markdown


def test_working_tree_mode_and_untracked_files(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "coalitions/voorbeeld-zeist/notities.txt").write_text("los bestand\n")
    code, data, _ = check(repo, capsys, "zeist-ambtenaar", head=None)
    assert code == 1
    entry = file_entry(data, "coalitions/voorbeeld-zeist/notities.txt")
    assert entry["change"] == "A" and entry["problems"][0]["code"] == "bestandsnaam"
    assert data["head"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--base", "bestaat-niet", "--author", "a"], "onbekende ref"),
        (["--base", "main", "--head=--output=x", "--author", "a"], "ongeldige ref"),
        (["--base", "main", "--author", "geen geldige naam"], "geen geldige GitHub-gebruikersnaam"),
        (["--base", "main", "--author", "a", "--teams", "zonderorganisatie"], "organisatie/team"),
    ],
)
def test_usage_errors_exit_2_without_traceback(
    repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["--root", str(repo), "check-pr", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_not_a_git_repository_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(SOURCE / "schemas", tmp_path / "schemas")
    shutil.copytree(SOURCE / "vocab", tmp_path / "vocab")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert main(["--root", str(tmp_path), "check-pr", "--base", "main", "--author", "a"]) == 2
    err = capsys.readouterr().err
    assert "geen git-repository" in err and "Traceback" not in err


def test_head_tree_leaves_the_repository_untouched(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo, COALITION, "fase: actief", "fase: gestopt")
    commit_all(repo, "fase")
    before = git(repo, "worktree", "list"), git(repo, "status", "--porcelain")
    check(repo, capsys, "zeist-ambtenaar")
    assert (git(repo, "worktree", "list"), git(repo, "status", "--porcelain")) == before


# ---------------------------------------------------------------- PRs that issue-to-pr opens as a bot, on behalf of the issue's author


def check_on_behalf(
    repo: Path, capsys: pytest.CaptureFixture[str], author: str, on_behalf_of: str, issue: str = "12"
) -> tuple[int, dict, str]:
    args = [
        "--root",
        str(repo),
        "check-pr",
        "--base",
        "main",
        "--head",
        "pr",
        "--author",
        author,
        "--teams",
        "",
        "--received-at",
        RECEIVED_AT,
    ]
    args += ["--on-behalf-of", on_behalf_of, "--issue", issue]
    code = main([*args, "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert main(args) == code
    return code, data, capsys.readouterr().out


def test_bot_pr_on_behalf_of_the_coalition_owner_passes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / BOT_APPLICATION).write_text(bot_application("zeist-ambtenaar"))
    commit_all(repo, "Impulsaanvraag (#12)")
    code, data, markdown = check_on_behalf(repo, capsys, BOT, "zeist-ambtenaar")
    assert code == 0, data
    assert data["verdict"] == "geslaagd"
    assert (data["author"], data["on_behalf_of"], data["issue"]) == (BOT, "zeist-ambtenaar", 12)
    entry = file_entry(data, BOT_APPLICATION)
    assert entry["change"] == "A" and entry["requirements"][0]["met"] is True
    assert "Ingediend via issue #12 namens `@zeist-ambtenaar`" in markdown
    assert "`@zeist-ambtenaar` mag dit" in markdown and f"`@{BOT}` mag dit" not in markdown
    assert [p["code"] for p in entry["problems"]] == ["register-buiten-periode"]  # dated 2026: only a warning
    # without --on-behalf-of the same PR is judged for the bot itself, which owns nothing and is not the actor
    code, data, _ = check(repo, capsys, BOT)
    assert code == 1
    assert file_entry(data, BOT_APPLICATION)["requirements"][0]["met"] is False


def test_bot_pr_on_behalf_of_a_stranger_fails_naming_the_owners(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / BOT_APPLICATION).write_text(bot_application("vreemde"))
    commit_all(repo, "Impulsaanvraag (#13)")
    code, data, markdown = check_on_behalf(repo, capsys, BOT, "vreemde", issue="13")
    assert code == 1 and data["verdict"] == "afgekeurd"
    requirement = file_entry(data, BOT_APPLICATION)["requirements"][0]
    assert requirement["met"] is False
    assert requirement["any_of"] == ["@zeist-ambtenaar", "@kansrijk/beheerders"]
    assert "`@vreemde` mag dit niet; goedkeuring nodig van `@zeist-ambtenaar`" in markdown
    assert "namens `@vreemde`" in markdown


def test_history_actor_must_be_the_on_behalf_of_login(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / BOT_APPLICATION).write_text(bot_application("iemand-anders"))
    commit_all(repo, "Impulsaanvraag (#12)")
    code, data, _ = check_on_behalf(repo, capsys, BOT, "zeist-ambtenaar")
    assert code == 1
    problem = next(p for p in file_entry(data, BOT_APPLICATION)["problems"] if p["code"] == "historie-door")
    assert "door: zeist-ambtenaar" in problem["message"] and "issue #12" in problem["message"]
    assert "'iemand-anders'" in problem["message"]


def test_a_person_cannot_act_on_behalf_of_someone_else(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / BOT_APPLICATION).write_text(bot_application("zeist-ambtenaar"))
    commit_all(repo, "namens een ander")
    args = [
        "--root",
        str(repo),
        "check-pr",
        "--base",
        "main",
        "--head",
        "pr",
        "--author",
        "vreemde",
        "--received-at",
        RECEIVED_AT,
    ]
    assert main([*args, "--on-behalf-of", "zeist-ambtenaar", "--issue", "12"]) == 2
    err = capsys.readouterr().err
    assert "vreemde is geen automatiseringsaccount" in err and "github-actions[bot]" in err and "Traceback" not in err
    assert main([*args, "--on-behalf-of", "zeist-ambtenaar"]) == 2
    assert "horen bij elkaar" in capsys.readouterr().err


def test_a_pr_cannot_declare_its_own_author_an_automation_account(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".github/kansrijk.yml").write_text(SETTINGS + "  - vreemde\n")
    (repo / BOT_APPLICATION).write_text(bot_application("zeist-ambtenaar"))
    commit_all(repo, "ik ben ook een bot")
    args = [
        "--root",
        str(repo),
        "check-pr",
        "--base",
        "main",
        "--head",
        "pr",
        "--author",
        "vreemde",
        "--received-at",
        RECEIVED_AT,
    ]
    assert main([*args, "--on-behalf-of", "zeist-ambtenaar", "--issue", "12"]) == 2
    assert "vreemde is geen automatiseringsaccount" in capsys.readouterr().err


def test_a_codeowners_line_github_skips_is_shown_as_a_note_and_grants_nothing(tmp_path: Path, capsys) -> None:
    """Issue #11: a line with an invalid owner is skipped whole, as GitHub does, and check-pr says so by line."""
    root = build_repo(tmp_path / "repo")
    git(root, "checkout", "-q", "main")
    (root / ".github/CODEOWNERS").write_text(CODEOWNERS + "/coalitions/voorbeeld-tilburg/ @vreemde niet-geldig\n")
    commit_all(root, "codeowners met een ongeldige regel")
    git(root, "checkout", "-q", "-B", "pr")
    edit(root, "coalitions/voorbeeld-tilburg/coalitie.yaml", "bijgewerkt_op:", "# gewijzigd\nbijgewerkt_op:")
    commit_all(root, "tilburg")
    code, data, markdown = check(root, capsys, "vreemde")
    assert any(note.startswith(".github/CODEOWNERS regel 4:") for note in data["notes"]), data["notes"]
    assert "regel 4" in markdown
    entry = file_entry(data, "coalitions/voorbeeld-tilburg/coalitie.yaml")
    assert entry["requirements"][0]["met"] is False  # the skipped line made nobody an owner
    assert code != 0
