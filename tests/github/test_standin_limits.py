"""The stand-in keeps GitHub's documented rate limits, on its virtual clock, over real HTTP.

Why: the trusted jobs must be tested and benchmarked against the limits GitHub really has (a ``GITHUB_TOKEN`` has
1,000 requests an hour, content creation 80 a minute and 500 an hour, a 304 is free); these tests hold the stand-in
to what GitHub's documentation says, so a test that passes against it means something.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import github3
import pytest
import requests

from support.github_standin import START, TEST_TOKEN, GitHubStandIn, Repo, VirtualClock

SHA = "c" * 40
START_EPOCH = dt.datetime(2027, 1, 29, tzinfo=dt.UTC).timestamp()
COMMENTS = "/repos/kansrijke-start/kennisbank/issues/1/comments"
STATUS = f"/repos/kansrijke-start/kennisbank/statuses/{SHA}"


@pytest.fixture
def repo(standin: GitHubStandIn) -> Repo:
    repo = standin.add_repo("kansrijke-start", "kennisbank")
    standin.add_issue(repo, 1, "zeist-ambtenaar", "Nieuwe coalitie", "tekst")
    return repo


@pytest.fixture
def api(standin: GitHubStandIn) -> Iterator[requests.Session]:
    """A keep-alive session with the token, as github3.py's; ``api.get("/user")`` asks the stand-in."""

    class Session(requests.Session):
        def request(self, method: str, url: str, *args: object, **kwargs: object) -> requests.Response:  # type: ignore[override]
            return super().request(method, standin.api + url, *args, **kwargs)

    with Session() as session:
        session.headers["Authorization"] = f"token {TEST_TOKEN}"
        yield session


def spend(api: requests.Session, times: int) -> None:
    """Use ``times`` requests of the budget."""
    for _ in range(times):
        assert api.get("/user").status_code == 200


def budget(response: requests.Response) -> tuple[int, int, int, int, str]:
    """The primary budget an answer reports: limit, remaining, used, reset, resource."""
    headers = response.headers
    return (
        int(headers["x-ratelimit-limit"]),
        int(headers["x-ratelimit-remaining"]),
        int(headers["x-ratelimit-used"]),
        int(headers["x-ratelimit-reset"]),
        headers["x-ratelimit-resource"],
    )


def test_every_answer_carries_the_budget_counting_down(standin: GitHubStandIn, repo: Repo, api: requests.Session) -> None:
    """limit, remaining, used, reset (an hour after the window's first request, epoch seconds) and the resource."""
    reset = int(START_EPOCH) + 3600
    assert budget(api.get("/user")) == (5000, 4999, 1, reset, "core")
    standin.clock.advance(10)
    assert budget(api.get("/repos/kansrijke-start/kennisbank/issues/99")) == (5000, 4998, 2, reset, "core")  # 404s count
    assert budget(api.post(COMMENTS, json={"body": "hallo"})) == (5000, 4997, 3, reset, "core")
    # a bad token is not the token's request: it counts against the shared budget of 60 for the unauthenticated
    refused = requests.get(standin.api + "/user", headers={"Authorization": "token fout"})
    assert (refused.status_code, budget(refused)) == (401, (60, 59, 1, reset + 10, "core"))
    assert budget(api.get("/user"))[1] == 4996
    assert [(e.status, e.cost) for e in standin.log] == [(200, 1), (404, 1), (201, 1), (401, 1), (200, 1)]
    assert standin.spent() == 5


def test_a_spent_budget_refuses_and_changes_nothing(standin: GitHubStandIn, repo: Repo, api: requests.Session) -> None:
    """A GITHUB_TOKEN's 1,000 an hour: the 1,001st request is 403 with remaining 0, is not executed and costs nothing."""
    standin.limits.primary = 1000
    spend(api, 1000)
    refused = api.post(STATUS, json={"state": "success", "context": "kansrijk/pr-check"})
    assert refused.status_code == 403
    assert budget(refused)[:3] == (1000, 0, 1000)
    assert refused.json()["message"].startswith("API rate limit exceeded for installation")
    assert "rate-limits" in refused.json()["documentation_url"]
    assert "retry-after" not in refused.headers  # the wait is x-ratelimit-reset
    assert repo.statuses == {}
    assert (standin.log[-1].limited, standin.log[-1].cost) == ("primary", 0)
    assert standin.spent() == 1000
    assert api.get("/user").status_code == 403  # reads too: one budget


def test_the_window_resets_an_hour_after_its_first_request(standin: GitHubStandIn, repo: Repo, api: requests.Session) -> None:
    standin.limits.primary = 1000
    first = api.get("/user")
    reset = budget(first)[3]
    standin.clock.advance(1800)
    spend(api, 999)
    standin.at(reset - 1)
    assert api.get("/user").status_code == 403
    standin.at(reset)
    again = api.post(STATUS, json={"state": "success", "context": "kansrijk/pr-check"})
    assert again.status_code == 201
    assert budget(again) == (1000, 999, 1, reset + 3600, "core")  # a new window, from this request on
    assert [s["state"] for s in repo.statuses[SHA]] == ["success"]


def test_github_may_answer_a_spent_budget_with_429(standin: GitHubStandIn, repo: Repo, api: requests.Session) -> None:
    standin.limits.primary, standin.limits.primary_status = 3, 429
    spend(api, 3)
    refused = api.post(COMMENTS, json={"body": "hallo"})
    assert (refused.status_code, refused.headers["x-ratelimit-remaining"]) == (429, "0")
    assert repo.comments == {}


def test_the_81st_write_in_a_minute_waits(standin: GitHubStandIn, repo: Repo, api: requests.Session) -> None:
    """Secondary limit: 80 content-generating requests a minute; the 81st is 403 with retry-after, reads go on."""
    for number in range(80):
        assert api.post(COMMENTS, json={"body": f"{number}"}).status_code == 201
        standin.clock.advance(0.25)  # 80 writes in 20 seconds
    standin.clock.advance(10)
    refused = api.post(COMMENTS, json={"body": "te veel"})
    assert refused.status_code == 403
    assert refused.headers["retry-after"] == "30"  # the first write leaves the minute 60 s after it came
    assert "exceeded a secondary rate limit" in refused.json()["message"]
    assert int(refused.headers["x-ratelimit-remaining"]) > 0  # not the primary limit
    assert len(repo.comments) == 80
    assert (standin.log[-1].limited, standin.log[-1].cost) == ("secondary", 1)  # it reached GitHub: it costs one
    assert api.get(COMMENTS, params={"per_page": 100}).status_code == 200
    standin.clock.advance(29)
    first = f"/repos/kansrijke-start/kennisbank/issues/comments/{min(repo.comments)}"
    assert api.patch(first, json={"body": "x"}).status_code == 403  # an edit is a write too, and a second early
    assert repo.comments[min(repo.comments)]["body"] == "0"
    standin.clock.advance(1)
    assert api.post(COMMENTS, json={"body": "weer"}).status_code == 201
    assert len(repo.comments) == 81


def test_no_more_than_500_writes_an_hour(standin: GitHubStandIn, repo: Repo, api: requests.Session) -> None:
    for number in range(500):
        assert api.post(STATUS, json={"state": "pending", "context": f"c{number}"}).status_code == 201
        standin.clock.advance(1)  # 60 a minute: under the minute's limit
    refused = api.delete("/repos/kansrijke-start/kennisbank/issues/1/labels/x")  # a DELETE counts as well
    assert (refused.status_code, refused.headers["retry-after"]) == (403, str(3600 - 500))
    assert len(repo.statuses[SHA]) == 500
    standin.clock.advance(3600 - 500)
    assert api.post(STATUS, json={"state": "success", "context": "laatste"}).status_code == 201


def test_a_304_costs_nothing_until_the_answer_changes(standin: GitHubStandIn, repo: Repo, api: requests.Session) -> None:
    """Conditional requests: If-None-Match with the current ETag gets 304, no body, and the budget stays."""
    first = api.get(COMMENTS)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('W/"')
    spent = standin.spent()
    for tag in (etag, etag.removeprefix("W/"), f'"ander", {etag}'):  # weak comparison, and a list of tags
        same = api.get(COMMENTS, headers={"If-None-Match": tag})
        assert (same.status_code, same.content, same.headers["ETag"]) == (304, b"", etag)
        assert budget(same)[1:3] == (4999, 1)  # the rate-limit headers are still sent
    assert standin.spent() == spent
    assert [e.cost for e in standin.log[-3:]] == [0, 0, 0]
    standin.clock.advance(90)
    assert api.post(COMMENTS, json={"body": "nieuw"}).status_code == 201
    changed = api.get(COMMENTS, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert [c["created_at"] for c in changed.json()] == ["2027-01-29T00:01:30Z"]  # dated by the virtual clock
    assert standin.spent() == spent + 2


def test_github3_conditional_refresh_is_free(standin: GitHubStandIn, repo: Repo) -> None:
    """github3.py's own conditional requests (``refresh(conditional=True)``) meet the stand-in's ETags."""
    gh = github3.GitHubEnterprise(standin.url, token=TEST_TOKEN)
    issue = gh.issue("kansrijke-start", "kennisbank", 1)
    issue.refresh(conditional=True)
    assert [(e.status, e.cost) for e in standin.log] == [(200, 1), (304, 0)]
    assert gh.rate_limit()["resources"]["core"]["remaining"] == 4999


def test_rate_limit_is_free_and_answers_when_the_budget_is_spent(
    standin: GitHubStandIn, repo: Repo, api: requests.Session
) -> None:
    standin.limits.primary = 2
    spend(api, 2)
    for _ in range(3):
        answer = api.get("/rate_limit")
        assert answer.status_code == 200
        core = answer.json()["resources"]["core"]
        assert (core["limit"], core["remaining"], core["used"]) == (2, 0, 2)
        assert answer.json()["rate"] == core
    assert standin.spent() == 2


def test_graphql_has_a_budget_of_its_own(standin: GitHubStandIn, repo: Repo, api: requests.Session) -> None:
    """As GitHub documents: its own points, resource ``graphql``, and a spent budget is 200 with an error."""
    standin.limits.graphql, standin.limits.writes_per_minute = 2, 0  # a query POSTed creates no content
    query = {"query": "{ viewer { login } }"}
    graphql = standin.url + "/api/graphql"
    assert budget(api.get("/user"))[:3] == (5000, 4999, 1)
    for used in (1, 2):
        answer = requests.post(graphql, json=query, headers=api.headers)
        assert budget(answer)[:3] + budget(answer)[4:] == (2, 2 - used, used, "graphql")
    refused = requests.post(graphql, json=query, headers=api.headers)
    assert (refused.status_code, refused.headers["x-ratelimit-remaining"]) == (200, "0")
    assert refused.json()["errors"][0]["type"] == "RATE_LIMITED"
    assert budget(api.get("/user"))[:3] == (5000, 4998, 2)  # REST's budget is untouched
    assert api.post(COMMENTS, json={"body": "hallo"}).status_code == 403  # while a REST write is content
    assert (standin.spent("graphql"), standin.spent("core")) == (2, 3)  # the refused write reached GitHub


def test_faults_cost_one_and_their_headers_win(standin: GitHubStandIn, repo: Repo, api: requests.Session) -> None:
    """GitHub counts the 5xx it answers; a fault's own rate-limit header replaces the computed one, not joins it."""
    standin.fail(502, times=1)
    standin.fail(403, times=1, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "0"})
    assert api.get("/user").status_code == 502
    faked = api.get("/user")
    assert (faked.status_code, faked.headers["x-ratelimit-remaining"], faked.headers["x-ratelimit-reset"]) == (403, "0", "0")
    assert faked.headers["x-ratelimit-used"] == "2"
    assert standin.spent() == 2


def test_reset_log_starts_counting_afresh(standin: GitHubStandIn, repo: Repo, api: requests.Session) -> None:
    spend(api, 3)
    standin.reset_log()
    assert (standin.log, standin.spent()) == ([], 0)
    assert budget(api.get("/user"))[1] == 4996  # the budget itself goes on
    assert len(standin.requests) == 4


def test_the_virtual_clock() -> None:
    clock = VirtualClock()
    assert clock.iso() == START
    clock.sleep(61.5)
    clock.advance(0.5)
    assert clock.iso() == "2027-01-29T00:01:02Z"
    assert clock.now() == START_EPOCH + 62
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(-1)
    with pytest.raises(ValueError, match="zone"):
        VirtualClock("2027-01-29T00:00:00")
    with GitHubStandIn(token="t", clock=VirtualClock("2030-06-01T12:00:00+02:00")) as gh:
        assert gh.clock.iso() == "2030-06-01T10:00:00Z"
        gh.at("2030-06-01T11:00:00Z")
        assert gh.clock.iso() == "2030-06-01T11:00:00Z"
        with pytest.raises(ValueError, match="backwards"):
            gh.at("2030-01-01T00:00:00Z")
