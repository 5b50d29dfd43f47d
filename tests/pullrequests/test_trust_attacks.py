"""Issue #9's findings 1-3 and 5, tried as an attacker would: none may end in a green status.

Each test is a real repository and a real ``report-pr`` run against the GitHub stand-in. The
artifact that the ``pull_request`` job uploads is not an input any more; a fork that rewrites
``pr-check.yml`` can still write any ``rapport.json`` it likes, so the tests put a forged one in the
PR itself and check that nothing changes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kansrijk.pullrequests.report import COMMENT_LIMIT
from support.github_standin import GitHubStandIn
from support.prrepo import APPLICATION, COALITION, FULL_NAME, RUN_URL, PrRepo, report_pr

FORK = "aanvaller/kennisbank"
FORGED_WORKFLOW = """\
on: pull_request
jobs:
  check:
    runs-on: ubuntu-24.04
    steps:
      - run: echo '{"verdict": "geslaagd", "teams": ["kansrijk/beheerders"], "files": []}' > rapport.json
"""
FORGED_REPORT = {
    "format": "kansrijk-pr-rapport/1",
    "verdict": "geslaagd",
    "teams": ["kansrijk/beheerders"],
    "author": "zeist-ambtenaar",
    "on_behalf_of": "zeist-ambtenaar",
    "issue": 12,
    "codeowners": {"source": ".github/CODEOWNERS", "maintainers": ["@aanvaller"]},
    "files": [  # an entry for a file the PR does not touch, owned by a team that must never be looked up
        {
            "path": "coalitions/voorbeeld-tilburg/coalitie.yaml",
            "change": "M",
            "requirements": [{"reason": "x", "level": "eigenaar", "any_of": ["@kansrijk/lokvogel"], "met": True}],
        }
    ],
}


@pytest.fixture
def pr(tmp_path: Path, standin: GitHubStandIn) -> PrRepo:
    standin.add_team("kansrijk", "beheerders", ["beheerder-an"])
    return PrRepo(tmp_path, standin)


def states(pr: PrRepo) -> list[str]:
    return [s["state"] for statuses in pr.repo.statuses.values() for s in statuses]


def test_fork_rewrites_the_workflow_and_forges_the_artifact_and_is_still_refused(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding 1: a stranger edits someone else's coalition and pr-check.yml, and claims to be a maintainer."""
    sha = pr.commit(
        {COALITION: ("fase: actief", "fase: gestopt")},
        {".github/workflows/pr-check.yml": FORGED_WORKFLOW, "rapport/rapport.json": json.dumps(FORGED_REPORT)},
    )
    pr.open_pull(21, sha, "aanvaller", fork="aanvaller")
    assert report_pr(standin, pr.root, sha, FORK) == 1
    assert states(pr) == ["failure"]
    body = pr.repo.comments_on(21)[0]["body"]
    assert "`@aanvaller` mag dit niet" in body and "pr-check.yml" in body
    assert "needs-maintainer" in pr.repo.issues[21]["labels"]
    assert "voorbeeld-tilburg" not in body and not [r for r in standin.requests if "lokvogel" in r[1]]


def test_an_applicant_cannot_award_their_own_grant(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (pr.root / APPLICATION).read_text()
    steps = text.split("historie:")[1]
    submitted = text.split("historie:")[0] + "historie:" + steps.split("\n  - datum: 2020-05-04")[0] + "\n"
    (pr.root / APPLICATION).write_text(submitted.replace("door: zeist-kansrijkestart", "door: zeist-ambtenaar"))
    subprocess.run(
        ["git", "-c", "user.email=t@example.org", "-c", "user.name=T", "commit", "-qam", "ingediend"], cwd=pr.root, check=True
    )
    subprocess.run(["git", "branch", "-qf", "main", "pr"], cwd=pr.root, check=True)
    awarded = (
        "  - datum: 2020-05-04\n    status: in-behandeling\n    door: zeist-ambtenaar\n"
        "  - datum: 2020-06-15\n    status: toegekend\n    door: zeist-ambtenaar\n    bedrag_toegekend: 20000\n"
    )
    sha = pr.commit(files={APPLICATION: (pr.root / APPLICATION).read_text() + awarded})
    pr.open_pull(22, sha, "zeist-ambtenaar", fork="zeist-ambtenaar")
    assert report_pr(standin, pr.root, sha, "zeist-ambtenaar/kennisbank") == 1
    assert states(pr) == ["failure"]
    body = pr.repo.comments_on(22)[0]["body"]
    assert "'in-behandeling' → 'toegekend' zetten" in body


def test_a_schema_error_cannot_be_removed_from_the_verdict(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = pr.commit({COALITION: ("fase: actief", "fase: zomaar")}, {"rapport.json": json.dumps(FORGED_REPORT)})
    pr.open_pull(23, sha, "zeist-ambtenaar", fork="zeist-ambtenaar")
    assert report_pr(standin, pr.root, sha, "zeist-ambtenaar/kennisbank") == 1
    assert states(pr) == ["failure"]
    assert "fase" in pr.repo.comments_on(23)[0]["body"]


def test_a_push_between_two_api_calls_gets_no_status_at_all(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding 2: the honest commit is listed, then the head moves to one with a forged workflow."""
    honest = pr.commit({COALITION: ("fase: actief", "fase: gestopt")})
    pull = pr.open_pull(24, honest, "zeist-ambtenaar", fork="zeist-ambtenaar")
    forged = pr.commit(files={".github/workflows/pr-check.yml": FORGED_WORKFLOW})
    standin.after("/pulls/24/files", lambda: pr.push(pull, forged))
    assert report_pr(standin, pr.root, honest, "zeist-ambtenaar/kennisbank") == 3
    assert "kreeg tijdens de controle een nieuwe commit" in capsys.readouterr().err
    assert pr.repo.statuses == {}  # neither commit gets a verdict from this run
    assert "Niet beoordeeld" in (pr.root.parent / "samenvatting.md").read_text()


def test_a_pr_over_githubs_file_list_cap_is_stopped_with_a_reason(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding 2: the API lists at most 3,000 files; a larger PR cannot be confirmed file by file."""
    sha = pr.commit(files={f"docs/veel/{i}.md": "x\n" for i in range(3001)})
    pr.open_pull(25, sha, "zeist-ambtenaar")
    assert len(pr.repo.issues[25]["pull"]["files"]) == 3001
    assert report_pr(standin, pr.root, sha) == 3
    status = pr.status(sha)
    assert status["state"] == "error" and "3001" in status["description"]
    assert "Splits de PR" in pr.repo.comments_on(25)[0]["body"]


def test_a_file_list_that_differs_from_the_commit_is_not_judged(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = pr.commit({COALITION: ("fase: actief", "fase: gestopt")})
    pull = pr.open_pull(26, sha, "zeist-ambtenaar")
    pull["pull"]["files"].append((".github/workflows/pr-check.yml", "modified"))
    assert report_pr(standin, pr.root, sha) == 3
    assert pr.status(sha)["state"] == "error"
    assert "verschillen" in capsys.readouterr().err


def test_head_null_is_refused(pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]) -> None:
    """Finding 3: a PR whose fork was deleted has ``head.repo: null``; it is not judged."""
    sha = pr.commit({COALITION: ("fase: actief", "fase: gestopt")})
    standin.add_pull(pr.repo, 27, sha, "zeist-ambtenaar", files=pr.api_files(), fork="zeist-ambtenaar", head_repo_deleted=True)
    assert report_pr(standin, pr.root, sha, "zeist-ambtenaar/kennisbank") == 3
    assert pr.status(sha)["state"] == "error"
    assert "head: null" in capsys.readouterr().err


def test_a_second_pr_from_the_same_head_commit_does_not_take_over(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding 3: an attacker opens a PR from their own fork with the owner's commit; each run judges its own PR."""
    sha = pr.commit({COALITION: ("fase: actief", "fase: gestopt")})
    pr.open_pull(30, sha, "zeist-ambtenaar", fork="zeist-ambtenaar")
    pr.open_pull(31, sha, "aanvaller", fork="aanvaller")  # newer, so listed first
    assert report_pr(standin, pr.root, sha, "zeist-ambtenaar/kennisbank") == 0
    assert pr.repo.comments_on(30) and not pr.repo.comments_on(31)
    assert report_pr(standin, pr.root, sha, FORK) == 1  # the attacker's own run: judged for the attacker
    assert "`@aanvaller` mag dit niet" in pr.repo.comments_on(31)[0]["body"]
    assert pr.status(sha)["state"] == "failure"


def test_two_prs_from_one_head_repository_are_told_apart_by_the_runs_actor(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = pr.commit({COALITION: ("fase: actief", "fase: gestopt")})
    pr.open_pull(32, sha, "zeist-ambtenaar", head_ref="a")
    pr.open_pull(33, sha, "collega", head_ref="b")
    assert report_pr(standin, pr.root, sha) == 3
    assert "meerdere PR's (#32, #33)" in capsys.readouterr().err
    assert report_pr(standin, pr.root, sha, FULL_NAME, "--actor", "zeist-ambtenaar") == 0
    assert pr.repo.comments_on(32) and not pr.repo.comments_on(33)


def test_mentions_in_the_comment_never_notify(pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]) -> None:
    """Finding 3: ``@org/team`` and ``@login`` in the "open" comment are shown, not mentioned."""
    standin.state.teams.clear()
    standin.add_team("kansrijk", "beheerders", [], visible=False)
    sha = pr.commit(
        {COALITION: ("fase: actief", "fase: gestopt")},
        {"interventions/@everyone.yaml": "naam: '@kansrijk/beheerders kijk hier'\n"},
    )
    pr.open_pull(34, sha, "vreemde")
    report_pr(standin, pr.root, sha)
    body = pr.repo.comments_on(34)[0]["body"]
    outside_code = "".join(part for i, part in enumerate(body.split("`")) if i % 2 == 0)
    assert "@" not in outside_code.replace("@\u200b", "")
    assert "`@kansrijk/beheerders`" in body


def test_invalid_municipality_codes_never_become_labels(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding 3: one coalition with 91 invalid codes gave 91 labels."""
    codes = ", ".join(f"GM{9000 + i}" for i in range(91)) + ", GMabcd"
    sha = pr.commit({COALITION: ("gemeenten: [GM0355]", f"gemeenten: [GM0355, {codes}]")})
    pull = pr.open_pull(35, sha, "zeist-ambtenaar")
    assert report_pr(standin, pr.root, sha) == 1
    assert not [label for label in pull["labels"] if label.startswith("gemeente:")]
    assert pr.status(sha)["state"] == "failure"


def test_a_large_honest_pr_is_summarised_under_githubs_limit(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding 5: many stray files made a comment over 65,536 characters, and so no comment and no status."""
    folder = "docs/" + "een-heel-lange-mapnaam-" * 4
    deep = "/".join(["een-map-met-een-lange-naam-" * 3] * 6) + "/bestand.md"  # a path over 400 characters
    assert len(deep) > 400
    files = {f"{folder}/aantekening-{i:03}.md": "x\n" for i in range(600)} | {deep: "x\n"}
    sha = pr.commit({COALITION: ("gemeenten: [GM0355]", "gemeenten: [GM0355, GMabcd]")}, files)
    pr.open_pull(36, sha, "zeist-ambtenaar")
    assert report_pr(standin, pr.root, sha) == 1  # over 500 files, a long path, a malformed code: judged all the same
    assert pr.status(sha)["state"] == "failure"
    body = pr.repo.comments_on(36)[0]["body"]
    assert len(body) < COMMENT_LIMIT
    assert body.splitlines()[1].startswith("❌ **Kansrijk-controle: niet in orde**: 602 bestanden gewijzigd")
    assert "meer problemen" in body and RUN_URL in body
    assert not body.split("\n\n…")[0].rstrip().splitlines()[-1].startswith("####")  # no title left without its lines
    summary = (pr.root.parent / "samenvatting.md").read_text()
    assert len(summary) > COMMENT_LIMIT and "aantekening-599.md" in summary  # the whole list is in the run


def test_pr_files_named_like_the_tool_cannot_shadow_it(
    pr: PrRepo, standin: GitHubStandIn, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The workflow runs ``python -I -m kansrijk`` from outside the PR tree; even from inside, nothing of the PR loads."""
    canary = tmp_path / "gekaapt"
    payload = f"open({str(canary)!r}, 'w').write('ja')\n"
    sha = pr.commit(
        {COALITION: ("fase: actief", "fase: gestopt")},
        {
            "kansrijk/__init__.py": payload,
            "kansrijk/__main__.py": payload,
            "sitecustomize.py": payload,
            "usercustomize.py": payload,
        },
    )
    pr.open_pull(37, sha, "aanvaller", fork="aanvaller")
    subprocess.run(["git", "checkout", "-q", sha], cwd=pr.root, check=True)  # the PR's files on disk, as data
    env = {**os.environ, "PYTHONPATH": str(pr.root), "PYTHONSTARTUP": str(pr.root / "sitecustomize.py")}
    args = ["report-pr", "--repo", FULL_NAME, "--sha", sha, "--head-repo", FORK, "--data", str(pr.root), "--base", "main"]
    args += ["--api-url", standin.api, "--token-env", "KANSRIJK_TEST_TOKEN", "--bot-login", "kansrijk-bot", "--backoff", "0.01"]
    for cwd in (tmp_path, pr.root):
        result = subprocess.run([sys.executable, "-I", "-m", "kansrijk", *args], cwd=cwd, env=env, capture_output=True, text=True)
        assert result.returncode == 1, result.stderr
        assert not canary.exists()
    assert states(pr) == ["failure", "failure"]


def test_done_when_a_fork_rewrites_the_workflow_forges_the_artifact_and_pushes_during_the_run(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's "done when", in one run per push: never a green status on any commit."""
    first = pr.commit(
        {COALITION: ("fase: actief", "fase: gestopt")},
        {".github/workflows/pr-check.yml": FORGED_WORKFLOW, "rapport/rapport.json": json.dumps(FORGED_REPORT)},
    )
    pull = pr.open_pull(40, first, "aanvaller", fork="aanvaller")
    second = pr.commit(files={".github/CODEOWNERS": "* @aanvaller\n", "rapport/pr.json": '{"pr": 40, "check_exit": 0}'})
    standin.after("/pulls/40/files", lambda: pr.push(pull, second))
    assert report_pr(standin, pr.root, first, FORK, "--actor", "aanvaller", "--pr", "40") == 3  # moved: not judged
    assert report_pr(standin, pr.root, second, FORK, "--actor", "aanvaller", "--pr", "40") == 1  # the new head: judged
    assert states(pr) == ["failure"] and pr.status(second)["state"] == "failure"
    assert "success" not in states(pr)
