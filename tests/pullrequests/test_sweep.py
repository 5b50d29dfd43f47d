"""Deadline day: a push that GitHub's budget left unjudged is never lost; the sweep judges it, oldest push first.

Real repositories and real ``report-pr`` / ``sweep`` runs against the GitHub stand-in. The PR heads are in the
data repository as the sweep's workflow fetches them (``refs/pull/*/head``).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kansrijk.cli.main import main
from kansrijk.pullrequests.report_pr import QUEUED_DESCRIPTION
from support.github_standin import GitHubStandIn
from support.prrepo import APPLICATION, COALITION, FULL_NAME, RUN_URL, SOURCE, PrRepo, git, report_pr

ZEIST_2027 = "coalitions/voorbeeld-zeist/aanvraag-voorbeeldronde-2027.yaml"


def zeist_application() -> str:
    text = (SOURCE / APPLICATION).read_text()
    head = text.split("historie:")[0].replace("ronde: impuls-2020", "ronde: voorbeeldronde-2027")
    return head + "historie:\n  - datum: 2027-01-31\n    status: ingediend\n    door: zeist-ambtenaar\n"


@pytest.fixture
def pr(tmp_path: Path, standin: GitHubStandIn) -> PrRepo:
    standin.add_team("kansrijk", "beheerders", ["beheerder-an"])
    return PrRepo(tmp_path, standin)


def sweep(standin: GitHubStandIn, data: Path, *extra: str) -> int:
    args = ["sweep", "--repo", FULL_NAME, "--data", str(data), "--base", "main", "--api-url", standin.api]
    return main([*args, "--token-env", "KANSRIJK_TEST_TOKEN", "--bot-login", "kansrijk-bot", "--target-url", RUN_URL, *extra])


def pushed(pr: PrRepo, branch: str, number: int, author: str, received_at: str, **files: str) -> str:
    """A PR branch from main with one commit, and the pr-check run GitHub started when it received the push."""
    git(pr.root, "checkout", "-q", "-B", branch, "main")
    sha = pr.commit(files={path.replace("__", "/"): text for path, text in files.items()} or None)
    pr.repo.runs.append({"head_sha": sha, "event": "pull_request", "created_at": received_at})
    pr.open_pull(number, sha, author, head_ref=branch, head=branch)
    return sha


def test_a_spent_budget_queues_the_push_says_what_is_left_and_exits_4(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = pr.commit({COALITION: ("fase: actief", "fase: gestopt")})
    pr.open_pull(7, sha, "zeist-ambtenaar")
    reset = str(int(time.time()) + 1800)  # half an hour away: no run should wait that long
    standin.fail(403, times=None, path_contains="/comments", headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset})
    assert report_pr(standin, pr.root, sha) == 4
    err = capsys.readouterr().err
    assert "GitHub-limiet bereikt" in err and "nog niet gedaan: reactie, labels" in err
    assert pr.status(sha)["state"] == "success"  # the status went out first and stands
    posts = [path for method, path in standin.requests if method == "POST" and path.endswith("/comments")]
    assert len(posts) == 1  # refused once, not retried against a spent budget


def test_a_push_refused_its_status_gets_in_de_wachtrij_where_that_still_works(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = pr.commit({COALITION: ("fase: actief", "fase: gestopt")})
    pr.open_pull(7, sha, "zeist-ambtenaar")
    reset = str(int(time.time()) + 1800)
    standin.fail(403, times=1, path_contains="/files", headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset})
    assert report_pr(standin, pr.root, sha) == 4
    assert (pr.status(sha)["state"], pr.status(sha)["description"]) == ("pending", QUEUED_DESCRIPTION)
    assert "nog niet gedaan: status, reactie, labels" in capsys.readouterr().err


def test_the_sweep_judges_waiting_pushes_oldest_first_by_their_arrival(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    done = pushed(pr, "klaar", 1, "zeist-ambtenaar", "2027-01-30T09:00:00Z", **{COALITION.replace("/", "__"): "x"})
    pr.repo.statuses[done] = [{"id": 1, "state": "success", "context": "kansrijk/pr-check", "description": "In orde"}]
    late = pushed(
        pr, "laat", 2, "zeist-ambtenaar", "2027-01-31T22:00:00Z", **{ZEIST_2027.replace("/", "__"): zeist_application()}
    )
    early = pushed(pr, "vroeg", 3, "vreemde", "2027-01-31T08:00:00Z", **{"interventions__voorzorg.yaml": "x: 1\n"})
    pr.repo.statuses[early] = [{"id": 2, "state": "pending", "context": "kansrijk/pr-check", "description": QUEUED_DESCRIPTION}]
    git(pr.root, "checkout", "-q", "main")
    standin.requests.clear()
    assert sweep(standin, pr.root) == 0
    out = capsys.readouterr().out
    assert "3 push" not in out and "2 push(es) wachtten; 2 beoordeeld" in out
    judged = [path.rsplit("/", 1)[-1] for method, path in standin.requests if method == "POST" and "/statuses/" in path]
    assert judged == [early, late]  # the oldest arrival first, and the finished head left alone
    # judged after the round closed (now), but as of arrival on the closing day: the submission stands
    assert pr.status(late)["state"] == "success"
    assert "Ontvangen door GitHub op 31 januari 2027 om 23:00" in pr.repo.comments_on(2)[0]["body"]
    assert pr.status(early)["state"] == "failure"  # a stranger's edit: judged, and refused
    assert pr.status(done)["description"] == "In orde"
