"""The automation account's PRs, tried as an attacker would: the filer's rights are lent only to the bot's own work.

``report-pr`` judges a PR that the automation account opened on ``issue-<N>-…`` for whoever filed issue N,
but only when (a) every commit is the account's own and signed by GitHub, (b) the issue is an open form
issue, (c) nobody but its author edited the form, and (d) the PR is exactly the one file the intake makes
of it (``pullrequests/bot_pr.py``). Each test is a real git repository under the GitHub stand-in: the
honest PR is made by ``issue-to-pr`` itself through the contents API (real, verified commits of the token's
user), and every attack is a real commit, pushed with git or written with the bot's own token.
"""

from __future__ import annotations

import pytest

from kansrijk.github.client import RetryPolicy, connect, graphql_url, put_file
from kansrijk.github.markdown import escape
from support.forms import APPLICATION_FORM, COALITION_FORM, form_body
from support.github_standin import TEST_TOKEN, Authorship, GitHubStandIn
from support.prrepo import (
    BOT,
    BOT_APPLICATION,
    BOT_BRANCH,
    FULL_NAME,
    NAME,
    OWNER,
    RECEIVED_AT,
    PrRepo,
    issue_to_pr,
    report_pr,
)

FILER = "zeist-ambtenaar"
APPLICATION_LABELS = ["type:aanvraag", "status:ingediend"]
NOT_LENT = "Niet namens de indiener beoordeeld"
LENT = f"Ingediend via issue #12 namens `@{FILER}`"
OTHER_COALITION = "coalitions/voorbeeld-tilburg/coalitie.yaml"
NEW_COALITION = "coalitions/kansrijke-start-utrecht/coalitie.yaml"
FORGED_WORKFLOW = "on: pull_request\njobs: {}\n"


@pytest.fixture
def pr(tmp_path, standin: GitHubStandIn) -> PrRepo:
    standin.add_team("kansrijk", "beheerders", ["beheerder-an"])
    standin.state.login = BOT  # the workflows' token is the automation account's, for issue-to-pr and report-pr alike
    return PrRepo(tmp_path, standin)


def judge(pr: PrRepo, standin: GitHubStandIn, pull: dict) -> tuple[int, str, str]:
    """``report-pr`` on the PR's head: exit code, commit status and the PR comment."""
    sha = pull["pull"]["head_sha"]
    code = report_pr(standin, pr.root, sha, FULL_NAME, "--bot-login", BOT)
    return code, pr.status(sha)["state"], pr.repo.comments_on(pull["number"])[0]["body"]


def not_lent(body: str, reason: str) -> bool:
    """The comment says the PR was judged as the bot's own, with ``reason`` (escaped for Markdown, as posted)."""
    return NOT_LENT in body and escape(reason) in body and LENT not in body


def bot_writes(standin: GitHubStandIn, path: str, content: bytes) -> None:
    """The automation account's own token writes ``path`` on the bot's branch: a verified commit of the account."""
    gh = connect(standin.api, TEST_TOKEN, RetryPolicy(attempts=2, base_delay=0.01))
    put_file(gh.repository(OWNER, NAME), BOT_BRANCH, "main", path, content, "nog een bestand")


@pytest.mark.parametrize(
    ("filer", "answers", "labels", "path", "state"),
    [
        (FILER, APPLICATION_FORM, APPLICATION_LABELS, BOT_APPLICATION, "success"),
        # lent too, but a new coalition's folder is the maintainers' (CODEOWNERS), so it needs one of them
        ("utrecht-ambtenaar", COALITION_FORM, ["type:coalitie", "nieuw"], NEW_COALITION, "failure"),
    ],
)
def test_the_honest_bot_pr_is_judged_for_the_filer(
    pr: PrRepo, standin: GitHubStandIn, filer: str, answers: dict[str, str], labels: list[str], path: str, state: str
) -> None:
    pull = pr.bot_pull(12, filer, answers, labels, "--sender", filer)
    sha = pull["pull"]["head_sha"]
    assert pr.repo.commits[sha] == Authorship(BOT, BOT, verified=True)  # the contents API's commit, as GitHub signs it
    assert [entry[:2] for entry in pull["pull"]["files"]] == [(path, "added")]
    code, status, body = judge(pr, standin, pull)
    assert status == state and code == (0 if state == "success" else 1)
    assert f"Ingediend via issue #12 namens `@{filer}`" in body and NOT_LENT not in body
    asked = [path for method, path in standin.requests if method == "POST" or path.endswith("/commits")]
    assert "/api/graphql" in asked and f"/api/v3/repos/{FULL_NAME}/pulls/{pull['number']}/commits" in asked


@pytest.mark.parametrize(
    ("by", "committer", "verified", "shown"),
    [
        ("collega", None, False, "auteur collega, committer collega, niet door GitHub ondertekend"),
        # the bot's e-mail address, forged
        (BOT, None, False, f"auteur {BOT}, committer {BOT}, niet door GitHub ondertekend"),
        ("collega", None, True, "auteur collega, committer collega, door GitHub ondertekend"),  # their own signed commit
        # their own commit through GitHub's API: GitHub commits it as web-flow and signs it, but the author is theirs
        ("collega", "web-flow", True, "auteur collega, committer web-flow, door GitHub ondertekend"),
    ],
)
def test_a_push_to_the_bots_branch_by_anyone_else_lends_nothing(
    pr: PrRepo, standin: GitHubStandIn, by: str, committer: str | None, verified: bool, shown: str
) -> None:
    """Condition (a): someone with push access adds a commit that edits another municipality's coalition."""
    pull = pr.bot_pull(12, FILER, APPLICATION_FORM, APPLICATION_LABELS)
    edit = {OTHER_COALITION: ("fase: actief", "fase: gestopt")}
    sha = pr.commit_on(BOT_BRANCH, by, edit, verified=verified, committer=committer)
    assert pull["pull"]["head_sha"] == sha  # the PR follows its branch
    code, state, body = judge(pr, standin, pull)
    assert (code, state) == (1, "failure")
    assert not_lent(body, f"commit {sha[:12]} is niet alleen van {BOT} ({shown})")
    assert "needs-maintainer" in pr.repo.issues[pull["number"]]["labels"]


def test_a_branch_naming_a_maintainers_ordinary_issue_lends_nothing(pr: PrRepo, standin: GitHubStandIn) -> None:
    """Condition (b): no form labels, so not even the account's own signed commit borrows the maintainer's rights."""
    standin.set_role(pr.repo, "beheerder-an", "maintain")
    standin.add_issue(pr.repo, 50, "beheerder-an", "Vraag over de kaart", "Klopt de kaart van Zeist nog?", ["vraag"])
    branch = "issue-50-kaart"
    edits = {
        ".github/workflows/pr-check.yml": ("on: pull_request\n", FORGED_WORKFLOW),
        OTHER_COALITION: ("fase: actief", "fase: gestopt"),
    }
    sha = pr.commit_on(branch, BOT, edits, {".github/CODEOWNERS": "* @collega\n"}, verified=True)
    pull = standin.add_pull(pr.repo, 51, sha, BOT, head_ref=branch, files=pr.api_files(branch))
    code, state, body = judge(pr, standin, pull)
    assert (code, state) == (1, "failure")
    assert not_lent(body, "issue #50 heeft niet de labels van een formulier waarvan issue-to-pr een PR maakt")
    assert "beheerder-an heeft de rol" not in body and "`@github-actions[bot]` mag dit niet" in body
    for path in (".github/workflows/pr-check.yml", ".github/CODEOWNERS", OTHER_COALITION):
        assert f"#### `{path}`" in body
    assert "needs-maintainer" in pull["labels"]


@pytest.mark.parametrize(
    ("editors", "reason"),
    [
        (["beheerder-an"], "is aangepast door beheerder-an; alleen de indiener (zeist-ambtenaar) mag"),
        ([None], "is aangepast door een verwijderd account"),
        ([FILER] * 101, "is 101 keer aangepast; meer dan 100 bewerkingen zijn niet na te gaan"),
    ],
)
def test_a_form_edited_by_anyone_but_its_author_lends_nothing(
    pr: PrRepo, standin: GitHubStandIn, editors: list[str | None], reason: str
) -> None:
    """Condition (c): whoever may edit issues can change the form; then the filer's rights are not lent."""
    pull = pr.bot_pull(12, FILER, APPLICATION_FORM, APPLICATION_LABELS)
    body = pr.repo.issues[12]["body"]
    for index, editor in enumerate(editors):
        standin.edit_issue_body(pr.repo, 12, body + ("\n" if index % 2 == 0 else ""), editor)  # each save changes it
    code, state, comment = judge(pr, standin, pull)
    assert state == "failure" and code == 1
    assert not_lent(comment, f"de tekst van issue #12 {reason}")


def test_an_edit_through_the_api_is_the_token_users(pr: PrRepo, standin: GitHubStandIn) -> None:
    """The stand-in's ``PATCH issues/N`` records the edit as the token's user's, as GitHub's edit history does."""
    pull = pr.bot_pull(12, FILER, APPLICATION_FORM, APPLICATION_LABELS)
    gh = connect(standin.api, TEST_TOKEN, RetryPolicy(attempts=2, base_delay=0.01))
    gh.repository(OWNER, NAME).issue(12).edit(body=pr.repo.issues[12]["body"] + "\nPS")
    assert pr.repo.issues[12]["edits"] == [BOT]
    assert not_lent(judge(pr, standin, pull)[2], f"is aangepast door {BOT}")


def test_a_graphql_error_lends_nothing_and_says_why(pr: PrRepo, standin: GitHubStandIn) -> None:
    pull = pr.bot_pull(12, FILER, APPLICATION_FORM, APPLICATION_LABELS)
    refused = {"data": None, "errors": [{"type": "FORBIDDEN", "message": "Resource not accessible by integration"}]}
    standin.fail(200, times=None, path_contains="/api/graphql", body=refused)
    _, state, body = judge(pr, standin, pull)
    assert state == "failure"
    assert not_lent(body, "GitHub kon niet zeggen wie de tekst van issue #12 aanpaste (Resource not accessible by integration)")


def test_a_file_one_byte_off_the_intake_lends_nothing(pr: PrRepo, standin: GitHubStandIn) -> None:
    """Condition (d): even the account's own signed commit must hold exactly what the intake makes of the form."""
    pull = pr.bot_pull(12, FILER, APPLICATION_FORM, APPLICATION_LABELS)
    honest = pr.repo.contents[(BOT_BRANCH, BOT_APPLICATION)]
    changed = honest.replace(b"Twee praktijken", b"Twee praktijkem")
    assert len(changed) == len(honest) and sum(a != b for a, b in zip(honest, changed, strict=True)) == 1
    bot_writes(standin, BOT_APPLICATION, changed)
    assert pr.repo.commits[pull["pull"]["head_sha"]] == Authorship(BOT, BOT, verified=True)
    code, state, body = judge(pr, standin, pull)
    assert (code, state) == (1, "failure")
    assert not_lent(body, f"{BOT_APPLICATION} is niet precies wat issue-to-pr nu van het formulier in issue #12 maakt")


def test_a_second_file_lends_nothing(pr: PrRepo, standin: GitHubStandIn) -> None:
    """Condition (d): the intake makes one file; a second one, here another coalition, is not the filer's to approve."""
    pull = pr.bot_pull(12, FILER, APPLICATION_FORM, APPLICATION_LABELS)
    other = (pr.root / OTHER_COALITION).read_bytes().replace(b"fase: actief", b"fase: gestopt")
    bot_writes(standin, OTHER_COALITION, other)
    assert len(pull["pull"]["files"]) == 2
    code, state, body = judge(pr, standin, pull)
    assert (code, state) == (1, "failure")
    assert not_lent(body, "de PR wijzigt 2 bestanden")


def test_a_record_dated_before_its_issue_lends_nothing(pr: PrRepo, standin: GitHubStandIn) -> None:
    """Condition (d): the date the intake wrote must lie between the issue's creation and today (±1 day)."""
    pull = pr.bot_pull(12, FILER, APPLICATION_FORM, APPLICATION_LABELS)
    pr.repo.issues[12]["created_at"] = "2099-01-01T00:00:00Z"
    assert not_lent(judge(pr, standin, pull)[2], f"de datum {RECEIVED_AT[:10]} in {BOT_APPLICATION} ligt niet tussen")


def test_more_commits_than_github_lists_lend_nothing(pr: PrRepo, standin: GitHubStandIn) -> None:
    pull = pr.bot_pull(12, FILER, APPLICATION_FORM, APPLICATION_LABELS)
    pull["pull"]["commits"] = [f"{i:040x}" for i in range(250)] + [pull["pull"]["head_sha"]]
    assert not_lent(judge(pr, standin, pull)[2], "de PR heeft 251 commits; GitHub toont er hoogstens 250")


def test_an_edit_by_someone_else_changes_nothing_on_github(
    pr: PrRepo, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    """issue-to-pr on ``issues: edited`` whose sender is not the issue's author: no branch update, no comment."""
    pull = pr.bot_pull(12, FILER, APPLICATION_FORM, APPLICATION_LABELS, "--sender", FILER)
    capsys.readouterr()
    before = (dict(pr.repo.refs), pull["pull"]["head_sha"], [dict(c) for c in pr.repo.comments_on(12)])
    edited = form_body({**APPLICATION_FORM, "Partners die zich verbinden": "Gemeente Zeist\nJGZ Zeist\nGGD regio Utrecht"})
    standin.edit_issue_body(pr.repo, 12, edited, "beheerder-an")
    seen = len(standin.requests)
    assert issue_to_pr(standin, pr.root, 12, "--sender", "beheerder-an") == 0
    out = capsys.readouterr().out
    assert out.startswith("genegeerd: issue #12 is aangepast door beheerder-an, niet door de indiener zeist-ambtenaar")
    assert [r for r in standin.requests[seen:] if r[0] != "GET"] == []
    assert before == (dict(pr.repo.refs), pull["pull"]["head_sha"], [dict(c) for c in pr.repo.comments_on(12)])
    # the filer's own edit is taken in, whatever the case of the login GitHub sends
    standin.edit_issue_body(pr.repo, 12, edited, FILER)
    assert issue_to_pr(standin, pr.root, 12, "--today", RECEIVED_AT[:10], "--sender", FILER.upper()) == 0
    assert "bijgewerkt" in capsys.readouterr().out and pull["pull"]["head_sha"] != before[1]


def test_graphql_lives_next_to_the_rest_api() -> None:
    """github.com answers GraphQL at api.github.com/graphql, GitHub Enterprise at <host>/api/graphql."""
    policy = RetryPolicy(attempts=1)
    assert graphql_url(connect(None, "t", policy)) == "https://api.github.com/graphql"
    assert graphql_url(connect("https://ghe.example/api/v3", "t", policy)) == "https://ghe.example/api/graphql"
    assert graphql_url(connect("https://ghe.example", "t", policy)) == "https://ghe.example/api/graphql"
