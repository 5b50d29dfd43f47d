"""How many API requests one judged push costs: on a deadline day every one counts against an hourly budget.

The trusted job gets the PR number and the default branch from the ``workflow_run`` event, as the workflow
passes them. Targets (issue #19): at most 6 requests for an ordinary PR's push, at most 2 for a superseded head.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support.github_standin import GitHubStandIn
from support.prrepo import COALITION, FULL_NAME, PrRepo, report_pr

EVENT = ("--default-branch", "main")


@pytest.fixture
def pr(tmp_path: Path, standin: GitHubStandIn) -> PrRepo:
    standin.add_team("kansrijk", "beheerders", ["beheerder-an"])
    return PrRepo(tmp_path, standin)


def judged(standin: GitHubStandIn, pr: PrRepo, sha: str, number: int) -> list[tuple[str, str]]:
    """The requests of one report-pr run, as the workflow starts it."""
    standin.requests.clear()
    standin.reset_log()
    report_pr(standin, pr.root, sha, FULL_NAME, *EVENT, "--pr", str(number))
    return list(standin.requests)


def test_an_owners_pushes_cost_at_most_six_requests_each(pr: PrRepo, standin: GitHubStandIn) -> None:
    sha = pr.commit({COALITION: ("fase: actief", "fase: gestopt")})
    pull = pr.open_pull(7, sha, "zeist-ambtenaar")
    first = judged(standin, pr, sha, 7)
    assert len(first) <= 6, first
    assert standin.spent() == len(first) - 1  # the second look at the PR is a conditional request: a free 304
    assert [entry.status for entry in standin.log if entry.path.endswith("/pulls/7")] == [200, 304]
    assert pr.status(sha)["state"] == "success" and len(pr.repo.comments_on(7)) == 1
    assert not [path for _method, path in first if "/permission" in path or "/teams/" in path]  # the owner is named
    assert [method for method, path in first if path.endswith("/labels")] == ["PUT"]  # labels set in one call

    second_sha = pr.commit({COALITION: ("naam: Voorbeeldcoalitie", "naam: Bijgewerkte voorbeeldcoalitie")})
    pr.push(pull, second_sha)
    second = judged(standin, pr, second_sha, 7)
    assert len(second) <= 6, "\n".join(map(str, second))
    assert len(pr.repo.comments_on(7)) == 1  # the one comment, found once (and edited only when its text changes)
    assert not [path for method, path in second if method == "POST" and path.endswith("/comments")]
    assert not [path for method, path in second if path.endswith("/labels")]  # the PR's labels did not change


def test_a_strangers_push_asks_for_the_role_once_and_no_teams(pr: PrRepo, standin: GitHubStandIn) -> None:
    sha = pr.commit({COALITION: ("fase: actief", "fase: gestopt")})
    pr.open_pull(8, sha, "vreemde")
    requests = judged(standin, pr, sha, 8)
    assert pr.status(sha)["state"] == "failure"
    assert [path for _m, path in requests if path.endswith("/permission")] == [
        f"/api/v3/repos/{FULL_NAME}/collaborators/vreemde/permission"
    ]
    assert len(requests) <= 7, requests


def test_a_superseded_head_costs_one_request_and_sets_nothing(pr: PrRepo, standin: GitHubStandIn) -> None:
    old = pr.commit({COALITION: ("fase: actief", "fase: gestopt")})
    pull = pr.open_pull(9, old, "zeist-ambtenaar")
    pr.push(pull, pr.commit({COALITION: ("fase: gestopt", "fase: actief")}))
    requests = judged(standin, pr, old, 9)
    assert len(requests) <= 2 and all(method == "GET" for method, _path in requests), requests
    assert old not in pr.repo.statuses and not pr.repo.comments_on(9)


def test_without_the_events_facts_the_pr_is_found_in_two_requests_however_many_are_open(
    pr: PrRepo, standin: GitHubStandIn
) -> None:
    for number in range(100, 140):
        standin.add_pull(pr.repo, number, f"{number:040d}", "iemand")
    sha = pr.commit({COALITION: ("fase: actief", "fase: gestopt")})
    pr.open_pull(7, sha, "zeist-ambtenaar")
    standin.requests.clear()
    assert report_pr(standin, pr.root, sha) == 0
    finding = [path for method, path in standin.requests if method == "GET" and "/pulls" in path and "/files" not in path]
    assert finding[:2] == [f"/api/v3/repos/{FULL_NAME}/commits/{sha}/pulls", f"/api/v3/repos/{FULL_NAME}/pulls/7"]
