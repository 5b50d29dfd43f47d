"""Finding 6: two PRs that are each valid can leave main invalid; the merge queue's commit is checked as a whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from kansrijk.cli.main import main
from support.github_standin import GitHubStandIn
from support.prrepo import APPLICATION, FULL_NAME, RUN_URL, SOURCE, PrRepo, git

ZEIST_2027 = "coalitions/voorbeeld-zeist/aanvraag-voorbeeldronde-2027.yaml"
TILBURG = "coalitions/voorbeeld-tilburg/coalitie.yaml"
TILBURG_2027 = "coalitions/voorbeeld-tilburg/aanvraag-voorbeeldronde-2027.yaml"


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


def test_two_valid_prs_claiming_one_municipality_fail_in_the_merge_queue(
    tmp_path: Path, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    pr = PrRepo(tmp_path, standin)
    first = pr.commit(files={ZEIST_2027: zeist_application()})  # Zeist applies in the 2027 round
    git(pr.root, "checkout", "-q", "-b", "tweede", "main")
    second = pr.commit(  # Tilburg takes Zeist into its coalition and its 2027 application
        {
            TILBURG: ("gemeenten: [GM0855]", "gemeenten: [GM0855, GM0355]"),
            TILBURG_2027: ("gemeenten: [GM0855]", "gemeenten: [GM0855, GM0355]"),
        }
    )
    assert merge_group(standin, pr.root, first) == 0
    assert merge_group(standin, pr.root, second) == 0
    assert pr.status(first)["state"] == pr.status(second)["state"] == "success"

    git(pr.root, "checkout", "-q", "-b", "gh-readonly-queue/main/pr-2", "pr")
    git(pr.root, "merge", "-q", "--no-edit", "tweede")
    queued = git(pr.root, "rev-parse", "HEAD")
    assert merge_group(standin, pr.root, queued) == 1
    status = pr.status(queued)
    assert (status["state"], status["context"]) == ("failure", "kansrijk/pr-check")
    assert status["description"].startswith("Na samenvoegen ongeldig")
    out = capsys.readouterr().out
    assert "GM0355 Zeist doet in ronde 'voorbeeldronde-2027' al mee" in out and TILBURG_2027 in out


def test_a_queue_commit_missing_from_the_data_is_not_judged(
    tmp_path: Path, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    pr = PrRepo(tmp_path, standin)
    assert merge_group(standin, pr.root, "8" * 40) == 3
    assert "missen de commit" in capsys.readouterr().err
    assert pr.status("8" * 40)["state"] == "error"  # the queue stops at once instead of waiting
