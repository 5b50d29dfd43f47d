"""``kansrijk report-pr``: the trusted job judges a real commit in a real git repository, against the GitHub stand-in.

The stand-in answers over real HTTP through github3.py's Enterprise client. Each test makes a
repository with a ``main`` and a PR branch, tells the stand-in about the PR as GitHub would (head
commit, head repository, the changed files), and runs ``report-pr`` on that commit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kansrijk.cli.main import main
from kansrijk.pullrequests.report import COMMENT_LIMIT, MARKER
from support.forms import APPLICATION_FORM
from support.github_standin import TEST_TOKEN as TOKEN
from support.github_standin import GitHubStandIn
from support.prrepo import (
    APPLICATION,
    BOT,
    BOT_APPLICATION,
    BOT_BRANCH,
    COALITION,
    FULL_NAME,
    RUN_URL,
    SOURCE,
    PrRepo,
    report_pr,
)


@pytest.fixture
def pr(tmp_path: Path, standin: GitHubStandIn) -> PrRepo:
    standin.add_team("kansrijk", "beheerders", ["beheerder-an"])
    return PrRepo(tmp_path, standin)


def test_owner_edit_passes_then_a_failing_push_edits_the_same_comment(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = pr.commit({COALITION: ("fase: actief", "fase: gestopt")})
    pull = pr.open_pull(7, sha, "zeist-ambtenaar")
    pull["labels"] = ["type:interventie", "eigen-label"]  # a stale label of ours, and a maintainer's own

    assert report_pr(standin, pr.root, sha) == 0
    assert "reactie geplaatst" in capsys.readouterr().out
    [comment] = pr.repo.comments_on(7)
    assert comment["body"].startswith(MARKER) and "in orde" in comment["body"]
    assert sorted(pull["labels"]) == ["eigen-label", "gemeente:GM0355", "type:coalitie"]
    status = pr.status(sha)
    assert (status["state"], status["context"], status["target_url"]) == ("success", "kansrijk/pr-check", RUN_URL)
    # the status comes first: it is what branch protection reads, even if the comment then fails
    writes = [r for r in standin.requests if r[0] == "POST"]
    assert writes[0][1].endswith(f"/statuses/{sha}") and writes[1][1].endswith("/issues/7/comments")
    assert "in orde" in (pr.root.parent / "samenvatting.md").read_text()

    sha2 = pr.commit({COALITION: ("fase: gestopt", "fase: onzin")})
    pr.push(pull, sha2)
    assert report_pr(standin, pr.root, sha2) == 1  # published, and "afgekeurd"
    assert "reactie bijgewerkt" in capsys.readouterr().out
    [comment] = pr.repo.comments_on(7)
    assert comment["edits"] == 1 and "niet in orde" in comment["body"]
    assert pr.status(sha2)["state"] == "failure"


def test_a_fork_pr_is_found_by_head_sha_and_head_repository(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = pr.commit({COALITION: ("fase: actief", "fase: gestopt")})
    standin.add_pull(pr.repo, 3, "1" * 40, "iemand")
    pr.open_pull(4, sha, "zeist-ambtenaar", fork="zeist-ambtenaar")
    assert report_pr(standin, pr.root, sha, "zeist-ambtenaar/kennisbank") == 0
    assert len(pr.repo.comments_on(4)) == 1 and not pr.repo.comments_on(3)


@pytest.mark.parametrize(("members", "state"), [(["vreemde"], "success"), (["iemand-anders"], "failure")])
def test_team_membership_comes_from_the_api(
    tmp_path: Path, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str], members: list[str], state: str
) -> None:
    standin.add_team("kansrijk", "beheerders", members)
    pr = PrRepo(tmp_path, standin)
    standin.set_role(pr.repo, "vreemde", "write")  # GitHub honours code owners only with write access
    sha = pr.commit({COALITION: ("fase: actief", "fase: gestopt")})
    pr.open_pull(5, sha, "vreemde")
    report_pr(standin, pr.root, sha)
    assert pr.status(sha)["state"] == state
    assert ("GET", "/api/v3/orgs/kansrijk/teams/beheerders/memberships/vreemde") in standin.requests


def test_someone_who_can_only_read_is_no_code_owner_whatever_their_teams(
    tmp_path: Path, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    """GitHub honours code owners only with write access; a read role settles it without asking for teams."""
    standin.add_team("kansrijk", "beheerders", ["vreemde"])
    pr = PrRepo(tmp_path, standin)
    sha = pr.commit({COALITION: ("fase: actief", "fase: gestopt")})
    pr.open_pull(5, sha, "vreemde")
    assert report_pr(standin, pr.root, sha) == 1
    assert pr.status(sha)["state"] == "failure"
    assert not [path for _method, path in standin.requests if "/teams/" in path]


@pytest.mark.parametrize("hidden", ["invisible", "forbidden"])
def test_a_team_the_token_may_not_see_leaves_the_decision_open(
    tmp_path: Path, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str], hidden: str
) -> None:
    standin.add_team("kansrijk", "beheerders", ["vreemde"], visible=hidden != "invisible")
    if hidden == "forbidden":
        standin.fail(403, times=None, path_contains="/teams/", message="Resource not accessible by integration")
    pr = PrRepo(tmp_path, standin)
    standin.set_role(pr.repo, "vreemde", "write")
    sha = pr.commit({COALITION: ("fase: actief", "fase: gestopt")})
    pr.open_pull(5, sha, "vreemde")
    assert report_pr(standin, pr.root, sha) == 0
    assert pr.status(sha)["state"] == "pending"  # never "success", and never a guessed "failure"
    body = pr.repo.comments_on(5)[0]["body"]
    assert "kon niet worden opgevraagd" in body and "een beheerder beslist" in body


@pytest.mark.parametrize(("role", "state"), [("maintain", "success"), ("admin", "success"), ("write", "failure")])
def test_a_repository_role_of_maintain_or_admin_counts_as_maintainer(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str], role: str, state: str
) -> None:
    sha = pr.commit({".github/workflows/pr-check.yml": ("on: pull_request", "on: [pull_request, push]")})
    pr.open_pull(6, sha, "collega")
    standin.set_role(pr.repo, "collega", role)
    report_pr(standin, pr.root, sha)
    assert pr.status(sha)["state"] == state
    assert ("GET", "/api/v3/repos/kansrijke-start/kennisbank/collaborators/collega/permission") in standin.requests


def test_a_502_then_200_is_retried(pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]) -> None:
    sha = pr.commit({COALITION: ("fase: actief", "fase: gestopt")})
    pr.open_pull(7, sha, "zeist-ambtenaar")
    standin.fail(502, times=1, path_contains="/comments")
    standin.fail(403, times=1, path_contains="/statuses/", headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "0"})
    assert report_pr(standin, pr.root, sha) == 0
    # GitHub counts no comments on the PR yet, so none is searched for: the first post got the 502, the second landed
    comment_calls = [r for r in standin.requests if r == ("POST", "/api/v3/repos/kansrijke-start/kennisbank/issues/7/comments")]
    assert len(comment_calls) == 2
    assert len(pr.repo.comments_on(7)) == 1
    assert pr.status(sha)["state"] == "success"  # the rate-limited status was retried


def test_a_permanent_500_ends_not_judged_with_a_clear_message(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = pr.commit({COALITION: ("fase: actief", "fase: gestopt")})
    pr.open_pull(7, sha, "zeist-ambtenaar")
    standin.fail(500, times=None)
    assert report_pr(standin, pr.root, sha, FULL_NAME, "--retries", "2") == 3  # not the "afgekeurd" code
    out, err = capsys.readouterr()
    assert "GitHub-API onbereikbaar" in err and "2 pogingen" in err and "HTTP 500" in err
    assert "Traceback" not in err
    assert TOKEN not in out + err and TOKEN[:8] not in out + err


def test_a_failing_comment_leaves_the_published_verdict_standing(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = pr.commit({COALITION: ("fase: actief", "fase: gestopt")})
    pr.open_pull(7, sha, "zeist-ambtenaar")
    standin.fail(500, times=None, path_contains="/comments")
    assert report_pr(standin, pr.root, sha, FULL_NAME, "--retries", "2") == 3
    assert [s["state"] for s in pr.repo.statuses[sha]] == ["success"]  # set first, and not replaced by "error"
    assert "HTTP 500" in capsys.readouterr().err


def test_an_internal_failure_gives_an_error_status_in_dutch(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in the check must not look like "afgekeurd": status error, its own exit code, no traceback."""
    import kansrijk.pullrequests.report_pr as report_pr_module

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kapot")

    monkeypatch.setattr(report_pr_module, "check_pull_request", broken)  # a bug cannot be made on purpose
    sha = pr.commit({COALITION: ("fase: actief", "fase: gestopt")})
    pr.open_pull(7, sha, "zeist-ambtenaar")
    assert report_pr(standin, pr.root, sha) == 3
    status = pr.status(sha)
    assert status["state"] == "error" and status["description"].startswith("Niet beoordeeld: interne fout")
    assert len(status["description"]) <= 140
    assert "niet beoordeeld" in pr.repo.comments_on(7)[0]["body"]
    assert "Traceback" not in capsys.readouterr().err


def test_a_head_commit_missing_from_the_data_is_not_judged(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = "9" * 40
    standin.add_pull(pr.repo, 7, sha, "zeist-ambtenaar", files=[COALITION])
    assert report_pr(standin, pr.root, sha) == 3
    assert pr.status(sha)["state"] == "error"
    assert "missen een commit" in capsys.readouterr().err


def test_bot_pr_is_judged_for_the_issue_author_the_api_names(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    """An honest bot PR: issue-to-pr's own (verified) commit of exactly what the form makes (see test_trust_bot.py)."""
    standin.state.login = BOT  # the workflow's token is the automation account's
    pull = pr.bot_pull(12, "zeist-ambtenaar", APPLICATION_FORM, ["type:aanvraag", "status:ingediend"])
    sha = pull["pull"]["head_sha"]
    assert (pull["number"], pull["pull"]["head_ref"]) == (13, BOT_BRANCH)
    assert report_pr(standin, pr.root, sha, FULL_NAME, "--bot-login", BOT) == 0, capsys.readouterr().err
    assert pr.status(sha)["state"] == "success"
    body = pr.repo.comments_on(13)[0]["body"]
    assert "Ingediend via issue #12 namens `@zeist-ambtenaar`" in body
    assert ("GET", "/api/v3/repos/kansrijke-start/kennisbank/issues/12") in standin.requests


@pytest.mark.parametrize(
    ("issue_author", "branch"),
    [("vreemde", BOT_BRANCH), ("zeist-ambtenaar", "issue-99-iets-anders"), ("zeist-ambtenaar", "geen-issue")],
)
def test_bot_pr_the_api_does_not_tie_to_the_owner_fails(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str], issue_author: str, branch: str
) -> None:
    sha = pr.commit(files={BOT_APPLICATION: bot_application("zeist-ambtenaar")})
    standin.add_issue(pr.repo, 12, issue_author, "Impulsaanvraag: Zeist", "formulier", ["type:aanvraag"])
    pr.open_pull(13, sha, BOT, head_ref=branch)
    assert report_pr(standin, pr.root, sha) == 1
    assert pr.status(sha)["state"] == "failure"
    assert "needs-maintainer" in pr.repo.issues[13]["labels"]


def test_missing_token_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GEEN_TOKEN_HIER", raising=False)
    (tmp_path / ".git").mkdir()
    args = ["report-pr", "--repo", "a/b", "--sha", "a" * 40, "--head-repo", "a/b", "--data", str(tmp_path)]
    assert main([*args, "--token-env", "GEEN_TOKEN_HIER"]) == 2
    assert "GEEN_TOKEN_HIER" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("--sha", "HEAD"), "--sha moet een volledige commit-hash"),
        (("--head-repo", "a/b; rm -rf /"), "--head-repo"),
        (("--actor", "<script>"), "--actor"),
        (("--target-url", "javascript:alert(1)"), "--target-url"),
    ],
)
def test_arguments_are_checked_before_anything_happens(
    tmp_path: Path, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str], change: tuple[str, str], message: str
) -> None:
    (tmp_path / ".git").mkdir()
    args = {"--repo": FULL_NAME, "--sha": "a" * 40, "--head-repo": FULL_NAME, "--data": str(tmp_path), "--api-url": standin.api}
    args[change[0]] = change[1]
    flat = [part for pair in args.items() for part in pair]
    assert main(["report-pr", *flat, "--token-env", "KANSRIJK_TEST_TOKEN"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert standin.requests == []


def test_standin_serves_github3_for_branches_contents_and_pulls(standin: GitHubStandIn) -> None:
    """The parts of the stand-in that issue-to-pr uses, exercised through github3.py itself."""
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


def test_standin_keeps_githubs_limits(standin: GitHubStandIn) -> None:
    """What the trusted job relies on: the comment limit, paginated files with the 3,000 cap, hidden teams."""
    import github3

    repo_state = standin.add_repo("kansrijke-start", "kennisbank")
    standin.add_pull(repo_state, 1, "b" * 40, "iemand", files=[f"docs/{i}.md" for i in range(3005)])
    standin.add_team("kansrijk", "geheim", ["iemand"], visible=False)
    gh = github3.GitHubEnterprise(standin.url, token=TOKEN)
    repo = gh.repository("kansrijke-start", "kennisbank")
    pull = repo.pull_request(1)
    assert pull.as_dict()["changed_files"] == 3005
    assert len(list(pull.files())) == 3000
    assert sum(1 for r in standin.requests if r[1].endswith("/pulls/1/files")) == 3000 // 100  # pages of 100, via Link
    issue = repo.issue(1)
    with pytest.raises(github3.exceptions.UnprocessableEntity):
        issue.create_comment("x" * (COMMENT_LIMIT + 10_000))
    assert issue.create_comment("x" * 65_536) is not None
    assert gh.session.get(gh.session.build_url("orgs", "kansrijk", "teams", "geheim")).status_code == 404


def bot_application(actor: str) -> str:
    """A new application as issue-to-pr commits it: one "ingediend" step by the issue's author."""
    text = (SOURCE / APPLICATION).read_text()
    head = text.split("historie:")[0].replace("ronde: impuls-2020", "ronde: voorbeeldronde-2027")
    return head + f"historie:\n  - datum: 2026-10-01\n    status: ingediend\n    door: {actor}\n"
