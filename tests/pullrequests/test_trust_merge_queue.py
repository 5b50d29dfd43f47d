"""The merge queue judges every queued PR again against the queue's base, then validates what will land.

GitHub builds one queue commit per PR on top of the one before, with "Merge pull request #N" in its message.
These tests build such commits in a real repository, list the PRs on the GitHub stand-in and run
``kansrijk report-pr --merge-group`` as the trusted job does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kansrijk.cli.main import main
from support.checkrepo import SUBMITTED
from support.github_standin import GitHubStandIn
from support.prrepo import APPLICATION, FULL_NAME, RECEIVED_AT, RUN_URL, SOURCE, PrRepo, git

ZEIST_2027 = "coalitions/voorbeeld-zeist/aanvraag-voorbeeldronde-2027.yaml"
TILBURG = "coalitions/voorbeeld-tilburg/coalitie.yaml"
TILBURG_2027 = "coalitions/voorbeeld-tilburg/aanvraag-voorbeeldronde-2027.yaml"
OWNERS = (
    "* @kansrijk/beheerders\n/coalitions/voorbeeld-zeist/ @zeist-ambtenaar\n/coalitions/voorbeeld-tilburg/ @tilburg-ambtenaar\n"
)


def zeist_application() -> str:
    text = (SOURCE / APPLICATION).read_text()
    head = text.split("historie:")[0].replace("ronde: impuls-2020", "ronde: voorbeeldronde-2027")
    return head + "historie:\n  - datum: 2026-10-01\n    status: ingediend\n    door: zeist-ambtenaar\n"


def merge_group(standin: GitHubStandIn, data: Path, sha: str) -> int:
    return main(
        [
            "report-pr",
            "--merge-group",
            "--repo",
            FULL_NAME,
            "--sha",
            sha,
            "--data",
            str(data),
            "--base",
            "main",
            "--api-url",
            standin.api,
            "--token-env",
            "KANSRIJK_TEST_TOKEN",
            "--target-url",
            RUN_URL,
            "--backoff",
            "0.01",
        ]
    )


@pytest.fixture
def pr(tmp_path: Path, standin: GitHubStandIn) -> PrRepo:
    standin.add_team("kansrijk", "beheerders", ["beheerder-an"])
    return PrRepo(tmp_path, standin, codeowners=OWNERS)


def branch(pr: PrRepo, name: str, edits: dict | None = None, files: dict | None = None, received_at: str = RECEIVED_AT) -> str:
    """A PR branch from main with one commit, and the pr-check run GitHub started when it received the push."""
    git(pr.root, "checkout", "-q", "-B", name, "main")
    sha = pr.commit(edits, files)
    pr.repo.runs.append({"head_sha": sha, "event": "pull_request", "created_at": received_at})
    return sha


def queue(
    pr: PrRepo, entries: list[tuple[int, str]], message: str = "Merge pull request #{number} from kennisbank/{branch}"
) -> str:
    """The queue commits GitHub makes: each PR merged on top of the one before, starting at main."""
    git(pr.root, "checkout", "-q", "--detach", "main")
    for number, name in entries:
        git(pr.root, "merge", "-q", "--no-ff", "-m", message.format(number=number, branch=name), name)
    return git(pr.root, "rev-parse", "HEAD")


def on_main(pr: PrRepo, edits: dict | None = None, files: dict | None = None) -> None:
    """Something that landed on main after the PRs were approved."""
    git(pr.root, "checkout", "-q", "main")
    pr.commit(edits, files)


def test_two_valid_prs_claiming_one_municipality_fail_in_the_merge_queue(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    first = branch(pr, "zeist", files={ZEIST_2027: zeist_application()})  # Zeist applies in the 2027 round
    pr.open_pull(1, first, "zeist-ambtenaar", head="zeist")
    second = branch(  # Tilburg takes Zeist into its coalition and its 2027 application; a maintainer's PR
        pr,
        "tilburg",
        {
            TILBURG: ("gemeenten: [GM0855]", "gemeenten: [GM0855, GM0355]"),
            TILBURG_2027: ("gemeenten: [GM0855]", "gemeenten: [GM0855, GM0355]"),
        },
    )
    standin.set_role(pr.repo, "beheerder-an", "maintain")
    pr.open_pull(2, second, "beheerder-an", head="tilburg")
    assert merge_group(standin, pr.root, queue(pr, [(1, "zeist")])) == 0  # each alone is in order
    queued = queue(pr, [(1, "zeist"), (2, "tilburg")])
    assert merge_group(standin, pr.root, queued) == 1
    status = pr.status(queued)
    assert (status["state"], status["context"]) == ("failure", "kansrijk/pr-check")
    assert status["description"].startswith("Wachtrij: PR #2 niet in orde")  # judged against the queue's base
    out = capsys.readouterr().out
    assert "GM0355 Zeist doet in ronde 'voorbeeldronde-2027' al mee" in out and TILBURG_2027 in out
    assert "PR #1" in out and "PR #2" in out


def test_an_honest_queue_passes_and_judges_each_pr_for_its_author(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = branch(pr, "zeist", files={ZEIST_2027: zeist_application()})
    pr.open_pull(5, sha, "zeist-ambtenaar", head="zeist")
    queued = queue(pr, [(5, "zeist")])
    assert merge_group(standin, pr.root, queued) == 0
    assert pr.status(queued)["state"] == "success"
    assert pr.status(queued)["description"].startswith("Wachtrij in orde: 1 PR")


def test_the_queue_dates_a_submission_by_when_github_received_the_prs_push(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    """Received on the closing day, queued later: accepted. Received the day after: refused, whatever the file says."""
    on_time = branch(pr, "op-tijd", files={ZEIST_2027: zeist_application()}, received_at="2027-01-31T20:00:00Z")
    pr.open_pull(9, on_time, "zeist-ambtenaar", head="op-tijd")
    assert merge_group(standin, pr.root, queue(pr, [(9, "op-tijd")])) == 0
    text = zeist_application().replace("2026-10-01", "2026-10-02")  # another commit than the first
    late = branch(pr, "te-laat", files={ZEIST_2027: text}, received_at="2027-02-01T08:00:00Z")
    pr.open_pull(10, late, "zeist-ambtenaar", head="te-laat")
    queued = queue(pr, [(10, "te-laat")])
    assert merge_group(standin, pr.root, queued) == 1
    assert "ingediend-buiten-ronde" not in pr.status(queued)["description"]  # the status names the PR; the log says why
    assert "2027-02-01" in capsys.readouterr().out


def test_an_edit_approved_while_submitted_fails_once_main_took_the_application_in_hand(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    on_main(pr, files={APPLICATION: SUBMITTED})  # Zeist's application, submitted
    sha = branch(pr, "bedrag", {APPLICATION: ("gemeenten: [GM0355]", "gemeenten: [GM0355]\n# bijgewerkt")})
    pr.open_pull(6, sha, "zeist-ambtenaar", head="bedrag")
    assert merge_group(standin, pr.root, queue(pr, [(6, "bedrag")])) == 0  # while 'ingediend' the owner may
    step = "  - datum: 2026-11-02\n    status: in-behandeling\n    door: kansrijk-beheer\n"
    on_main(pr, files={APPLICATION: SUBMITTED + step})  # main moves on: in behandeling, content locked
    queued = queue(pr, [(6, "bedrag")])
    assert merge_group(standin, pr.root, queued) == 1
    status = pr.status(queued)
    assert status["state"] == "failure" and "PR #6" in status["description"]


def test_an_owner_removed_from_codeowners_on_main_cannot_land_an_approved_pr(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = branch(pr, "fase", {TILBURG: ("fase: actief", "fase: gestopt")})
    pr.open_pull(7, sha, "tilburg-ambtenaar", head="fase")
    assert merge_group(standin, pr.root, queue(pr, [(7, "fase")])) == 0
    on_main(pr, files={".github/CODEOWNERS": OWNERS.replace(" @tilburg-ambtenaar", " @kansrijk/beheerders")})
    queued = queue(pr, [(7, "fase")])
    assert merge_group(standin, pr.root, queued) == 1
    assert "PR #7" in pr.status(queued)["description"]


def test_a_queue_commit_without_a_pr_fails_with_a_dutch_reason(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    branch(pr, "los", {TILBURG: ("fase: actief", "fase: gestopt")})
    queued = queue(pr, [(0, "los")], message="Samengevoegd zonder nummer")
    assert merge_group(standin, pr.root, queued) == 1
    assert "niet terug te voeren op een PR" in pr.status(queued)["description"]


def test_a_queue_commit_that_is_not_its_prs_change_fails(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = branch(pr, "zeist", files={ZEIST_2027: zeist_application()})
    pr.open_pull(8, sha, "zeist-ambtenaar", head="zeist")
    pr.commit({TILBURG: ("fase: actief", "fase: gestopt")})  # pushed after GitHub listed the PR's files
    queued = queue(pr, [(8, "zeist")])
    assert merge_group(standin, pr.root, queued) == 1
    assert "is niet PR #8" in pr.status(queued)["description"]


def test_a_queue_commit_missing_from_the_data_is_not_judged(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    assert merge_group(standin, pr.root, "8" * 40) == 3
    assert "missen de commit" in capsys.readouterr().err
    assert pr.status("8" * 40)["state"] == "error"  # the queue stops at once instead of waiting
