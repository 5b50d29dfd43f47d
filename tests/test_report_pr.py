"""``kansrijk report-pr`` against the GitHub stand-in over real HTTP, through github3.py's Enterprise client."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from github_standin import TEST_TOKEN as TOKEN
from github_standin import GitHubStandIn
from kansrijk.cli import main
from kansrijk.prreport import MARKER

SOURCE = Path(__file__).resolve().parents[1]
CODEOWNERS = "* @kansrijk/beheerders\n/coalitions/voorbeeld-zeist/ @zeist-ambtenaar @kansrijk/beheerders\n"
COALITION = "coalitions/voorbeeld-zeist/coalitie.yaml"
SETTINGS = "automatisering:\n  - github-actions[bot]\n"
BOT = "github-actions[bot]"
BOT_APPLICATION = "coalitions/voorbeeld-zeist/aanvraag-voorbeeldronde-2027.yaml"
BOT_BRANCH = "issue-12-voorbeeld-zeist-voorbeeldronde-2027"


def git(repo: Path, *args: str) -> str:
    identity = ["-c", "user.email=test@example.org", "-c", "user.name=Test"]
    return subprocess.run(["git", *identity, *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


def make_report(
    tmp: Path,
    author: str,
    teams: str | None,
    edits: dict[str, tuple[str, str]],
    new_files: dict[str, str] | None = None,
    extra: tuple[str, ...] = (),
) -> tuple[Path, str]:
    """A real check-pr JSON report for a real commit; returns the report file and the head sha."""
    repo = tmp / "repo"
    if not repo.exists():
        repo.mkdir()
        for folder in ("schemas", "vocab", "interventions", "coalitions", "rounds"):
            shutil.copytree(SOURCE / folder, repo / folder)
        (repo / ".github").mkdir()
        (repo / ".github/CODEOWNERS").write_text(CODEOWNERS)
        (repo / ".github/kansrijk.yml").write_text(SETTINGS)
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "basis")
        git(repo, "checkout", "-q", "-b", "pr")
    for path, (old, new) in edits.items():
        text = (repo / path).read_text()
        assert old in text
        (repo / path).write_text(text.replace(old, new))
    for path, text in (new_files or {}).items():
        (repo / path).write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "wijziging")
    out = tmp / f"rapport-{git(repo, 'rev-parse', 'HEAD')[:8]}.json"
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
        "--format",
        "json",
        "--out",
        str(out),
    ]
    if teams is not None:
        args += ["--teams", teams]
    main([*args, *extra])
    return out, git(repo, "rev-parse", "HEAD")


def report_pr(gh: GitHubStandIn, report: Path, *extra: str) -> int:
    return main(
        [
            "report-pr",
            "--report",
            str(report),
            "--repo",
            "kansrijke-start/kennisbank",
            "--api-url",
            gh.api,
            "--token-env",
            "KANSRIJK_TEST_TOKEN",
            "--bot-login",
            "kansrijk-bot",
            "--backoff",
            "0.01",
            *extra,
        ]
    )


def test_comment_is_created_then_edited_labels_and_status_set(
    tmp_path: Path, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    report, sha = make_report(tmp_path, "zeist-ambtenaar", "", {COALITION: ("fase: actief", "fase: gestopt")})
    repo = standin.add_repo("kansrijke-start", "kennisbank")
    pull = standin.add_pull(repo, 7, sha, "zeist-ambtenaar")
    pull["labels"] = ["type:interventie", "eigen-label"]  # a stale label of ours, and a maintainer's own

    assert report_pr(standin, report, "--pr", "7") == 0
    assert "reactie geplaatst" in capsys.readouterr().out
    [comment] = repo.comments_on(7)
    assert comment["body"].startswith(MARKER) and "in orde" in comment["body"]
    assert sorted(pull["labels"]) == ["eigen-label", "gemeente:GM0355", "type:coalitie"]
    assert repo.statuses[sha][0]["state"] == "success"
    assert repo.statuses[sha][0]["context"] == "kansrijk/pr-check"

    # a new push: the stranger's second report replaces the first comment instead of adding one
    report2, sha2 = make_report(tmp_path, "zeist-ambtenaar", "", {COALITION: ("fase: gestopt", "fase: onzin")})
    pull["pull"]["head_sha"] = sha2
    assert report_pr(standin, report2, "--pr", "7") == 0
    assert "reactie bijgewerkt" in capsys.readouterr().out
    [comment] = repo.comments_on(7)
    assert comment["edits"] == 1 and "niet in orde" in comment["body"]
    assert repo.statuses[sha2][0]["state"] == "failure"


def test_pr_found_by_head_sha_for_a_fork(tmp_path: Path, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]) -> None:
    report, sha = make_report(tmp_path, "zeist-ambtenaar", "", {COALITION: ("fase: actief", "fase: gestopt")})
    repo = standin.add_repo("kansrijke-start", "kennisbank")
    standin.add_pull(repo, 3, "1" * 40, "iemand")
    standin.add_pull(repo, 4, sha, "zeist-ambtenaar", fork="zeist-ambtenaar")
    assert report_pr(standin, report, "--sha", sha) == 0
    assert len(repo.comments_on(4)) == 1 and not repo.comments_on(3)


@pytest.mark.parametrize(("members", "state"), [(["vreemde"], "success"), (["iemand-anders"], "failure")])
def test_team_membership_is_resolved_through_the_api(
    tmp_path: Path, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str], members: list[str], state: str
) -> None:
    report, sha = make_report(tmp_path, "vreemde", None, {COALITION: ("fase: actief", "fase: gestopt")})
    assert json.loads(report.read_text())["unresolved_teams"] == ["kansrijk/beheerders"]
    repo = standin.add_repo("kansrijke-start", "kennisbank")
    standin.add_pull(repo, 5, sha, "vreemde")
    standin.add_team("kansrijk", "beheerders", members)
    assert report_pr(standin, report, "--pr", "5") == 0
    assert repo.statuses[sha][0]["state"] == state
    assert ("GET", "/api/v3/orgs/kansrijk/teams/beheerders/memberships/vreemde") in standin.requests


def test_a_502_then_200_is_retried(tmp_path: Path, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]) -> None:
    report, sha = make_report(tmp_path, "zeist-ambtenaar", "", {COALITION: ("fase: actief", "fase: gestopt")})
    repo = standin.add_repo("kansrijke-start", "kennisbank")
    standin.add_pull(repo, 7, sha, "zeist-ambtenaar")
    standin.fail(502, times=1, path_contains="/comments")
    standin.fail(403, times=1, path_contains="/statuses/", headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "0"})
    assert report_pr(standin, report, "--pr", "7") == 0
    comment_calls = [r for r in standin.requests if r == ("GET", "/api/v3/repos/kansrijke-start/kennisbank/issues/7/comments")]
    assert len(comment_calls) == 2  # the 502, then the answer
    assert len(repo.comments_on(7)) == 1
    assert repo.statuses[sha][0]["state"] == "success"  # the rate-limited status was retried


def test_a_permanent_500_ends_with_a_clear_message(
    tmp_path: Path, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    report, sha = make_report(tmp_path, "zeist-ambtenaar", "", {COALITION: ("fase: actief", "fase: gestopt")})
    repo = standin.add_repo("kansrijke-start", "kennisbank")
    standin.add_pull(repo, 7, sha, "zeist-ambtenaar")
    standin.fail(500, times=None)
    assert report_pr(standin, report, "--pr", "7", "--retries", "3") == 1
    out, err = capsys.readouterr()
    assert "GitHub-API onbereikbaar" in err and "3 pogingen" in err and "HTTP 500" in err
    assert "Traceback" not in err
    assert TOKEN not in out + err and TOKEN[:8] not in out + err
    assert len(standin.requests) == 3


def test_forged_report_is_checked_against_the_pr_files_and_trusted_codeowners(
    tmp_path: Path, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    report, sha = make_report(tmp_path, "zeist-ambtenaar", "", {COALITION: ("fase: actief", "fase: gestopt")})
    data = json.loads(report.read_text())
    data["files"][0]["requirements"][0]["any_of"] = ["@zeist-ambtenaar"]
    report.write_text(json.dumps(data))
    trusted = tmp_path / "CODEOWNERS"
    trusted.write_text(CODEOWNERS)
    repo = standin.add_repo("kansrijke-start", "kennisbank")
    standin.add_pull(repo, 9, sha, "zeist-ambtenaar", files=[COALITION, ".github/workflows/pr-check.yml"])
    assert report_pr(standin, report, "--pr", "9", "--codeowners", str(trusted)) == 0
    assert repo.statuses[sha][0]["state"] == "failure"
    assert "needs-maintainer" in repo.issues[9]["labels"]
    body = repo.comments_on(9)[0]["body"]
    assert "ontbreekt in het rapport" in body and "pr-check.yml" in body


def test_report_for_another_commit_is_refused(tmp_path: Path, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]) -> None:
    report, _ = make_report(tmp_path, "zeist-ambtenaar", "", {COALITION: ("fase: actief", "fase: gestopt")})
    repo = standin.add_repo("kansrijke-start", "kennisbank")
    standin.add_pull(repo, 7, "2" * 40, "zeist-ambtenaar")
    assert report_pr(standin, report, "--pr", "7") == 1
    assert "hoort bij commit" in capsys.readouterr().err
    assert not repo.comments_on(7) and not repo.statuses


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(format="iets-anders"), "formaat"),
        (lambda d: d.update(author="<script>"), "author: ongeldige waarde"),
        (lambda d: d["files"][0].update(path="x" * 500), "files[0].path: ongeldige waarde"),
        (lambda d: d.update(notes=["x" * 5000]), "tekst langer"),
        (lambda d: d.update(files=[d["files"][0]] * 501), "meer dan 500"),
        (lambda d: d["files"][0].update(kind="exec"), "onbekende recordsoort"),
        (lambda d: d["files"][0]["requirements"][0]["any_of"].append("$(rm -rf /)"), "geen geldige eigenaar"),
        (lambda d: d.update(extra=1), "onbekende velden"),
        (
            lambda d: d["files"][0].update(problems=[{"line": True, "column": 1, "severity": "fout", "message": "x"}]),
            "geheel getal",
        ),
    ],
)
def test_untrusted_report_shape_is_validated_strictly(
    tmp_path: Path, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str], mutate, message: str
) -> None:
    report, _ = make_report(tmp_path, "zeist-ambtenaar", "", {COALITION: ("fase: actief", "fase: gestopt")})
    data = json.loads(report.read_text())
    mutate(data)
    report.write_text(json.dumps(data))
    assert report_pr(standin, report, "--pr", "7") == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert standin.requests == []


def test_markdown_from_pr_content_is_escaped(tmp_path: Path, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]) -> None:
    report, sha = make_report(tmp_path, "zeist-ambtenaar", "", {COALITION: ("fase: actief", "fase: gestopt")})
    data = json.loads(report.read_text())
    data["files"][0]["problems"] = [
        {
            "line": 3,
            "column": 1,
            "severity": "fout",
            "field": "naam",
            "code": "x",
            "message": "<img src=x> @everyone [klik](https://evil)",
        }
    ]
    report.write_text(json.dumps(data))
    repo = standin.add_repo("kansrijke-start", "kennisbank")
    standin.add_pull(repo, 7, sha, "zeist-ambtenaar")
    assert report_pr(standin, report, "--pr", "7") == 0
    body = repo.comments_on(7)[0]["body"]
    assert "<img" not in body and "@everyone" not in body and "](https://evil)" not in body
    assert "&lt;img src=x&gt;" in body


def test_missing_token_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GEEN_TOKEN_HIER", raising=False)
    code = main(
        ["report-pr", "--report", str(tmp_path / "x.json"), "--repo", "a/b", "--pr", "1", "--token-env", "GEEN_TOKEN_HIER"]
    )
    assert code == 2
    assert "GEEN_TOKEN_HIER" in capsys.readouterr().err


def test_team_lookup_without_rights_leaves_the_status_pending(
    tmp_path: Path, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    report, sha = make_report(tmp_path, "vreemde", None, {COALITION: ("fase: actief", "fase: gestopt")})
    repo = standin.add_repo("kansrijke-start", "kennisbank")
    standin.add_pull(repo, 5, sha, "vreemde")
    standin.fail(403, times=None, path_contains="/memberships/", message="Resource not accessible by integration")
    assert report_pr(standin, report, "--pr", "5") == 0
    assert repo.statuses[sha][0]["state"] == "pending"
    assert "kon niet worden opgevraagd" in repo.comments_on(5)[0]["body"]


def test_standin_serves_github3_for_branches_contents_and_pulls(standin: GitHubStandIn) -> None:
    """The parts of the stand-in that issue-to-pr will use, exercised through github3.py itself."""
    import github3

    standin.add_repo("kansrijke-start", "kennisbank", head_sha="a" * 40)
    gh = github3.GitHubEnterprise(standin.url, token=TOKEN)
    repo = gh.repository("kansrijke-start", "kennisbank")
    assert repo.branch("main").commit.sha == "a" * 40
    assert repo.ref("heads/main").object.sha == "a" * 40
    repo.create_ref("refs/heads/nieuw", "a" * 40)
    created = repo.create_file("coalitions/x/coalitie.yaml", "nieuw record", b"id: x\n", branch="nieuw")
    assert created["content"].path == "coalitions/x/coalitie.yaml"
    assert repo.file_contents("coalitions/x/coalitie.yaml", ref="nieuw").decoded == b"id: x\n"
    pull = repo.create_pull("Nieuwe coalitie", "main", "nieuw", "Zie issue #1")
    assert pull.number == 1 and pull.head.sha == standin.state.repo("kansrijke-start", "kennisbank").refs["heads/nieuw"]
    issue = repo.create_issue("Vraag", "tekst")
    assert issue.number == 2
    assert standin.state.repo("kansrijke-start", "kennisbank").issues[2]["title"] == "Vraag"


# ---------------------------------------------------------------- issue-to-pr's bot PRs, judged on behalf of the issue's author


def bot_application(actor: str) -> str:
    """A new application as issue-to-pr commits it: one "ingediend" step by the issue's author."""
    text = (SOURCE / "coalitions/voorbeeld-zeist/aanvraag-impuls-2020.yaml").read_text()
    head = text.split("historie:")[0].replace("ronde: impuls-2020", "ronde: voorbeeldronde-2027")
    return head + f"historie:\n  - datum: 2026-10-01\n    status: ingediend\n    door: {actor}\n"


def bot_report(tmp: Path, on_behalf_of: str, issue: int = 12) -> tuple[Path, str]:
    extra = ("--on-behalf-of", on_behalf_of, "--issue", str(issue))
    return make_report(tmp, BOT, "", {}, {BOT_APPLICATION: bot_application(on_behalf_of)}, extra)


def trusted_settings(tmp: Path) -> Path:
    path = tmp / "kansrijk.yml"
    path.write_text(SETTINGS)
    return path


def test_bot_pr_on_behalf_of_the_owner_is_confirmed_through_the_api(
    tmp_path: Path, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    report, sha = bot_report(tmp_path, "zeist-ambtenaar")
    repo = standin.add_repo("kansrijke-start", "kennisbank")
    standin.add_issue(repo, 12, "zeist-ambtenaar", "Impulsaanvraag: Zeist", "formulier", ["type:aanvraag"])
    standin.add_pull(repo, 13, sha, BOT, head_ref=BOT_BRANCH, files=[BOT_APPLICATION])
    trusted = tmp_path / "CODEOWNERS"
    trusted.write_text(CODEOWNERS)
    code = report_pr(standin, report, "--pr", "13", "--codeowners", str(trusted), "--settings", str(trusted_settings(tmp_path)))
    assert code == 0, capsys.readouterr().err
    assert repo.statuses[sha][0]["state"] == "success"
    body = repo.comments_on(13)[0]["body"]
    assert "Ingediend via issue #12 namens @zeist-ambtenaar" in body
    assert "@zeist-ambtenaar mag dit" in body
    assert ("GET", "/api/v3/repos/kansrijke-start/kennisbank/issues/12") in standin.requests


def test_bot_pr_on_behalf_of_a_stranger_fails_naming_the_owners(
    tmp_path: Path, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    report, sha = bot_report(tmp_path, "vreemde")
    repo = standin.add_repo("kansrijke-start", "kennisbank")
    standin.add_issue(repo, 12, "vreemde", "Impulsaanvraag: Zeist", "formulier", ["type:aanvraag"])
    standin.add_pull(repo, 13, sha, BOT, head_ref=BOT_BRANCH, files=[BOT_APPLICATION])
    assert report_pr(standin, report, "--pr", "13", "--settings", str(trusted_settings(tmp_path))) == 0
    assert repo.statuses[sha][0]["state"] == "failure"
    body = repo.comments_on(13)[0]["body"]
    assert "@vreemde mag dit niet; goedkeuring nodig van @\u200bzeist-ambtenaar" in body
    assert "needs-maintainer" in repo.issues[13]["labels"]


@pytest.mark.parametrize(
    ("issue_author", "pull_author", "branch", "settings", "message"),
    [
        ("iemand-anders", BOT, BOT_BRANCH, True, "ingediend door 'iemand-anders', niet door 'zeist-ambtenaar'"),
        ("zeist-ambtenaar", BOT, "issue-99-iets-anders", True, "hoort niet bij issue #12"),
        ("zeist-ambtenaar", BOT, BOT_BRANCH, False, "geen vertrouwde"),
    ],
)
def test_on_behalf_of_claims_the_api_does_not_confirm_are_refused(
    tmp_path: Path,
    standin: GitHubStandIn,
    capsys: pytest.CaptureFixture[str],
    issue_author: str,
    pull_author: str,
    branch: str,
    settings: bool,
    message: str,
) -> None:
    report, sha = bot_report(tmp_path, "zeist-ambtenaar")
    repo = standin.add_repo("kansrijke-start", "kennisbank")
    standin.add_issue(repo, 12, issue_author, "Impulsaanvraag: Zeist", "formulier", ["type:aanvraag"])
    standin.add_pull(repo, 13, sha, pull_author, head_ref=branch, files=[BOT_APPLICATION])
    extra = ("--settings", str(trusted_settings(tmp_path))) if settings else ()
    assert report_pr(standin, report, "--pr", "13", *extra) == 1
    assert message in capsys.readouterr().err
    assert not repo.comments_on(13) and not repo.statuses


def test_a_person_cannot_forge_a_report_on_behalf_of_the_owner(
    tmp_path: Path, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    report, sha = make_report(tmp_path, "vreemde", "", {COALITION: ("fase: actief", "fase: gestopt")})
    data = json.loads(report.read_text())
    data.update(on_behalf_of="zeist-ambtenaar", issue=12)  # a stranger edits the artifact of their own PR's check
    report.write_text(json.dumps(data))
    repo = standin.add_repo("kansrijke-start", "kennisbank")
    standin.add_issue(repo, 12, "zeist-ambtenaar", "Impulsaanvraag: Zeist", "formulier", ["type:aanvraag"])
    standin.add_pull(repo, 14, sha, "vreemde", head_ref="issue-12-nep", files=[COALITION])
    assert report_pr(standin, report, "--pr", "14", "--settings", str(trusted_settings(tmp_path))) == 1
    assert "geen automatiseringsaccount" in capsys.readouterr().err
    assert not repo.comments_on(14) and not repo.statuses
