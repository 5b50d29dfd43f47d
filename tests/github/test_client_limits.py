"""The client under GitHub's rate limits, on the stand-in's virtual clock: wait where it pays, stop where it does not."""

from __future__ import annotations

import pytest

from kansrijk.github.client import RateLimitSpent, RepositoryApi, RetryPolicy, connect
from support.github_standin import TEST_TOKEN, GitHubStandIn

REPO = "kansrijke-start/kennisbank"
SHA = "a" * 40


@pytest.fixture
def api(standin: GitHubStandIn) -> RepositoryApi:
    standin.add_repo("kansrijke-start", "kennisbank")
    gh = connect(standin.api, TEST_TOKEN, RetryPolicy(attempts=5), sleep=standin.clock.sleep, clock=standin.clock.now)
    return RepositoryApi(gh, REPO)


def test_a_spent_budget_stops_at_once_instead_of_retrying(api: RepositoryApi, standin: GitHubStandIn) -> None:
    standin.limits.primary = 3
    for _ in range(3):
        api.create_status(SHA, "success", "In orde", "kansrijk/pr-check", None)
    before = standin.clock.now()
    with pytest.raises(RateLimitSpent) as spent:
        api.create_status(SHA, "success", "In orde", "kansrijk/pr-check", None)
    assert len(standin.log) == 4 and standin.log[-1].limited == "primary"  # refused once, not five times
    assert standin.clock.now() == before  # and no waiting: a run must not hold a runner for an hour
    assert spent.value.reset_at > before + 3000
    assert api.session.budget.remaining == 0


def test_a_budget_that_resets_within_a_minute_is_waited_for(api: RepositoryApi, standin: GitHubStandIn) -> None:
    standin.limits.primary = 2
    api.create_status(SHA, "success", "In orde", "kansrijk/pr-check", None)
    api.create_status(SHA, "success", "In orde", "kansrijk/pr-check", None)
    standin.clock.advance(3600 - 30)  # the window resets in 30 seconds
    api.create_status(SHA, "failure", "Niet in orde", "kansrijk/pr-check", None)
    assert [entry.limited for entry in standin.log] == [None, None, "primary", None]
    assert len(standin.state.repo("kansrijke-start", "kennisbank").statuses[SHA]) == 3


def test_a_secondary_limit_is_waited_out_by_its_retry_after(api: RepositoryApi, standin: GitHubStandIn) -> None:
    standin.limits.writes_per_minute = 2
    start = standin.clock.now()
    for _ in range(3):
        api.create_status(SHA, "success", "In orde", "kansrijk/pr-check", None)
    assert [entry.limited for entry in standin.log] == [None, None, "secondary", None]
    assert 0 < standin.clock.now() - start <= 61  # waited as long as GitHub said, on the virtual clock
    assert len(standin.state.repo("kansrijke-start", "kennisbank").statuses[SHA]) == 3


def test_the_second_look_at_a_pull_request_is_a_free_304(api: RepositoryApi, standin: GitHubStandIn) -> None:
    repo = standin.state.repo("kansrijke-start", "kennisbank")
    standin.add_pull(repo, 7, SHA, "zeist-ambtenaar")
    pull, etag = api.pull(7)
    again, same = api.pull(7, etag)
    assert pull is not None and etag and again is None and same == etag
    assert [entry.cost for entry in standin.log] == [1, 0]
