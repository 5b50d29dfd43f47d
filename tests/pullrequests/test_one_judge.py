"""Issue #18's findings, tried as the red team did: real git repositories, real ``check-pr`` and ``report-pr``.

Every scenario ends in a refusal or a requirement for a maintainer, never in a green status. The judge
compares each touched path's state at the base with its state at the head, so how git pairs the files
(a rename, a copy, nothing) cannot change the verdict.
"""

from __future__ import annotations

import http.server
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kansrijk.cli.main import main
from support.checkrepo import BOT_APPLICATION, COALITION, SUBMITTED, build_repo, check, commit_all, file_entry, git
from support.github_standin import GitHubStandIn
from support.prrepo import PrRepo, report_pr

OWN = "coalitions/voorbeeld-zeist"
README = f"{OWN}/README.md"
AWARDED_HISTORY = (
    "historie:\n"
    "  - datum: 2026-10-01\n    status: ingediend\n    door: zeist-ambtenaar\n"
    "  - datum: 2026-10-05\n    status: in-behandeling\n    door: kansrijk-beheer\n"
    "  - datum: 2026-11-02\n    status: toegekend\n    door: kansrijk-beheer\n    bedrag_toegekend: 20000\n"
)


def awarded_application() -> str:
    """A complete application for the open example round whose history already ends in ``toegekend``."""
    head = SUBMITTED.split("historie:")[0].replace("ronde: impuls-2020", "ronde: voorbeeldronde-2027")
    return head + AWARDED_HISTORY


def codes(entry: dict) -> set[str]:
    return {p["code"] for p in entry["problems"]}


def kinds(entry: dict) -> set[str]:
    return {r["kind"] for r in entry["requirements"]}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return build_repo(tmp_path / "repo")


def land_on_main(repo: Path, message: str) -> None:
    """What an earlier PR merged: the ``pr`` branch's commit becomes ``main``."""
    commit_all(repo, message)
    git(repo, "branch", "-qf", "main", "pr")


# ---------------------------------------------------------------- critical: an owner awards their own grant


def test_an_owners_readme_renamed_into_an_awarded_application_is_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / README).write_text(awarded_application())  # "a draft of our application", approved by the owner alone
    land_on_main(repo, "concept in README")
    git(repo, "mv", README, BOT_APPLICATION)
    commit_all(repo, "hernoemd")
    assert "R100" in git(repo, "diff", "--name-status", "-M", "main", "pr")  # git pairs the two as a rename
    code, data, markdown = check(repo, capsys, "zeist-ambtenaar")
    assert code == 1 and data["verdict"] == "afgekeurd"
    entry = file_entry(data, BOT_APPLICATION)
    assert entry["change"] == "A" and entry["moved_from"] == README
    # every step is new at this path: the two maintainer steps need a maintainer, and 'door' must be the author
    steps = [r for r in entry["requirements"] if r["kind"] == "statusstap"]
    assert len(steps) == 2 and all(r["met"] is False for r in steps)
    assert "historie-door" in codes(entry)
    assert "status:toegekend" in data["labels"] and "needs-maintainer" in data["labels"]
    assert "'in-behandeling' → 'toegekend' zetten" in markdown


def test_the_same_award_without_a_rename_gets_the_same_verdict(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / README).write_text("Een concept van onze aanvraag.\n")
    land_on_main(repo, "README")
    (repo / README).unlink()
    (repo / BOT_APPLICATION).write_text(awarded_application())
    commit_all(repo, "nieuw")
    code, data, _ = check(repo, capsys, "zeist-ambtenaar")
    assert code == 1
    assert [r["kind"] for r in file_entry(data, BOT_APPLICATION)["requirements"]].count("statusstap") == 2


def test_an_owner_of_two_folders_cannot_move_one_coalition_into_an_award_for_the_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = build_repo(tmp_path / "repo")
    owners = (repo / ".github/CODEOWNERS").read_text() + "/coalitions/voorbeeld-tilburg/ @zeist-ambtenaar\n"
    (repo / ".github/CODEOWNERS").write_text(owners)
    land_on_main(repo, "twee mappen")
    tilburg = "coalitions/voorbeeld-tilburg/coalitie.yaml"
    tilburg_codes = json.dumps(
        [c for c in (repo / tilburg).read_text().split("gemeenten: ")[1].split("\n")[0].strip("[]").split(", ")]
    )
    application = awarded_application().replace("gemeenten: [GM0355]", f"gemeenten: {tilburg_codes}")
    git(repo, "mv", tilburg, BOT_APPLICATION)
    (repo / BOT_APPLICATION).write_text(application)
    commit_all(repo, "verplaatst")
    code, data, _ = check(repo, capsys, "zeist-ambtenaar")
    assert code == 1
    entry = file_entry(data, BOT_APPLICATION)
    # the municipalities are compared with this application's own coalition (Zeist), not the file's source (Tilburg)
    added = [r for r in entry["requirements"] if r["kind"] == "gemeente-toevoegen"]
    assert added and "voorbeeld-zeist" in added[0]["reason"] and added[0]["met"] is False
    assert file_entry(data, tilburg)["change"] == "D"


# ---------------------------------------------------------------- trusted time


def new_application(repo: Path, round_id: str, date: str) -> None:
    head = SUBMITTED.split("historie:")[0].replace("ronde: impuls-2020", f"ronde: {round_id}")
    path = f"{OWN}/aanvraag-{round_id}.yaml"
    (repo / path).write_text(head + f"historie:\n  - datum: {date}\n    status: ingediend\n    door: zeist-ambtenaar\n")
    commit_all(repo, "aanvraag")


def check_at(repo: Path, capsys: pytest.CaptureFixture[str], received_at: str) -> dict:
    args = ["--root", str(repo), "check-pr", "--base", "main", "--head", "pr", "--author", "zeist-ambtenaar"]
    main([*args, "--teams", "", "--received-at", received_at, "--format", "json"])
    return json.loads(capsys.readouterr().out)


def test_a_submission_for_a_round_that_closed_in_2022_is_refused_whatever_date_it_claims(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new_application(repo, "impuls-2022", "2022-07-01")  # inside the window it claims
    data = check_at(repo, capsys, "2026-12-07T10:00:00Z")
    entry = file_entry(data, f"{OWN}/aanvraag-impuls-2022.yaml")
    assert "ingediend-buiten-ronde" in codes(entry) and data["verdict"] == "afgekeurd"
    message = next(p["message"] for p in entry["problems"] if p["code"] == "ingediend-buiten-ronde")
    assert "2026-12-07" in message and "2022-06-01" in message and "2022-08-31" in message


@pytest.mark.parametrize("date", ["2030-01-01", "2099-12-31", "2026-12-09"])
def test_a_step_more_than_a_day_after_receipt_is_refused(repo: Path, capsys: pytest.CaptureFixture[str], date: str) -> None:
    new_application(repo, "voorbeeldronde-2027", date)
    data = check_at(repo, capsys, "2026-12-07T10:00:00Z")
    assert "historie-datum-toekomst" in codes(file_entry(data, BOT_APPLICATION))


def test_a_step_dated_tomorrow_is_allowed_for_time_zones(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new_application(repo, "voorbeeldronde-2027", "2026-12-08")
    data = check_at(repo, capsys, "2026-12-07T10:00:00Z")
    assert codes(file_entry(data, BOT_APPLICATION)) & {"historie-datum-toekomst", "ingediend-buiten-ronde"} == set()


def test_the_closing_day_is_a_dutch_calendar_day(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """23:30 UTC on 31 January is already 1 February in Amsterdam: the round has closed."""
    new_application(repo, "voorbeeldronde-2027", "2027-01-31")
    assert "ingediend-buiten-ronde" not in codes(file_entry(check_at(repo, capsys, "2027-01-31T22:30:00Z"), BOT_APPLICATION))
    assert "ingediend-buiten-ronde" in codes(file_entry(check_at(repo, capsys, "2027-01-31T23:30:00Z"), BOT_APPLICATION))


def test_a_moment_without_a_zone_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--root", str(repo), "check-pr", "--base", "main", "--head", "pr", "--author", "a"]
    assert main([*args, "--received-at", "2026-12-07T10:00:00"]) == 2
    assert "tijdzone" in capsys.readouterr().err


# ---------------------------------------------------------------- the trusted job: report-pr


@pytest.fixture
def pr(tmp_path: Path, standin: GitHubStandIn) -> PrRepo:
    standin.add_team("kansrijk", "beheerders", ["beheerder-an"])
    return PrRepo(tmp_path, standin)


def test_report_pr_refuses_the_renamed_award_with_a_red_status(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    (pr.root / README).write_text(awarded_application())
    git(pr.root, "add", "-A")
    git(pr.root, "commit", "-qm", "README")
    git(pr.root, "branch", "-qf", "main", "pr")
    git(pr.root, "mv", README, BOT_APPLICATION)
    sha = pr.commit()
    pr.open_pull(31, sha, "zeist-ambtenaar", fork="zeist-ambtenaar")
    assert report_pr(standin, pr.root, sha, "zeist-ambtenaar/kennisbank") == 1
    assert pr.status(sha)["state"] == "failure"
    body = pr.repo.comments_on(31)[0]["body"]
    assert "'ingediend' → 'in-behandeling' zetten" in body and "git ziet dit als hernoemd van" in body


class CountingServer(http.server.ThreadingHTTPServer):
    requests: int = 0


class _Counting(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.requests += 1  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"type": "object"}')

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def attacker_server() -> Iterator[CountingServer]:
    server = CountingServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def test_the_trusted_job_validates_with_the_bases_schemas_and_never_fetches_the_prs_references(
    pr: PrRepo, standin: GitHubStandIn, attacker_server: CountingServer, capsys: pytest.CaptureFixture[str]
) -> None:
    schema_path = pr.root / "schemas/coalitie.schema.json"
    schema = json.loads(schema_path.read_text())
    schema["properties"]["fase"] = {"$ref": f"http://127.0.0.1:{attacker_server.server_address[1]}/fase.json"}
    schema_path.write_text(json.dumps(schema, indent=2) + "\n")
    sha = pr.commit({COALITION: ("fase: actief", "fase: iets-dat-niet-mag")})
    standin.set_role(pr.repo, "beheerder-an", "maintain")
    pr.open_pull(32, sha, "beheerder-an")
    assert report_pr(standin, pr.root, sha) == 1  # the base's schema still says which phases exist
    assert attacker_server.requests == 0
    body = pr.repo.comments_on(32)[0]["body"]
    assert "iets-dat-niet-mag" in body and "schema's en codelijsten van de basis" in body


def test_an_undecodable_file_name_gets_a_named_refusal_not_a_crash(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    name = os.fsencode(str(pr.root / OWN)) + b"/aanvraag-\xff.yaml"
    with open(name, "wb") as handle:
        handle.write(b"x: 1\n")
    sha = pr.commit()
    pr.open_pull(33, sha, "zeist-ambtenaar")
    assert report_pr(standin, pr.root, sha) == 1
    assert pr.status(sha)["state"] == "failure"
    body = pr.repo.comments_on(33)[0]["body"]
    assert "aanvraag-\\\\xff.yaml" in body or "aanvraag-\\xff.yaml" in body
    assert "geen geldige UTF-8" in body


# ---------------------------------------------------------------- the step summary


def test_the_step_summary_of_3000_stray_files_stays_under_githubs_mib(
    repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = repo / OWN / "los"
    folder.mkdir()
    for number in range(3000):
        (folder / f"{'bestand-met-een-heel-lange-naam-' * 7}{number:05d}.txt").write_text("x\n")
    commit_all(repo, "veel losse bestanden")
    summary = tmp_path / "samenvatting.md"
    args = ["--root", str(repo), "check-pr", "--base", "main", "--head", "pr", "--author", "zeist-ambtenaar", "--teams", ""]
    assert main([*args, "--format", "json", "--out", str(tmp_path / "r.json"), "--summary", str(summary)]) == 1
    unbounded = main([*args, "--format", "markdown", "--out", str(tmp_path / "volledig.md")])
    assert unbounded == 1 and (tmp_path / "volledig.md").stat().st_size > 1024 * 1024  # the finding: over 1 MiB
    size = summary.stat().st_size
    assert 900 * 1024 < size <= 1024 * 1024
    assert "meer problemen" in summary.read_text(encoding="utf-8").splitlines()[-1]
