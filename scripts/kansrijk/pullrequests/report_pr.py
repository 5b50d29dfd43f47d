"""The verdict on a pull request, computed where the write token is (``report-pr``).

The trust model (``docs/techniek/beveiliging.md``) in code:

- **What is judged** is one commit, the head SHA that GitHub put in the
  ``workflow_run`` event. Its content is read as data from a git repository the
  workflow fetched (a commit hash fixes the content; nothing is checked out as
  code, imported or installed). The ``pull_request`` job's artifact is not read.
- **With what**: the tool installed from the default branch, run in isolated
  mode from outside the PR tree, and the CODEOWNERS and ``.github/kansrijk.yml``
  of the base commit the workflow passes, which is the default branch's.
- **Which PR**: the open PR into the default branch whose head is that SHA in
  that head repository (the event's facts, not the PR's); a head repository that
  is gone (``head: null``) or two PRs that fit are refused, and with more than
  one candidate the run's actor decides.
- **Pinned**: after listing the PR's files, the PR is read again; if its head
  moved, or GitHub's file count differs from the list (the list stops at 3,000),
  or the list differs from the commit's own changes, nothing is decided.
- **Who may approve** comes from GitHub only: a repository role of admin or
  maintain, a user named in CODEOWNERS, or team membership through the API. A
  team the token may not see leaves the requirement open ("een beheerder beslist").
- **Always answered**: the commit status is set first, then the comment (bounded
  below GitHub's 65,536 characters), then the labels. When the PR cannot be
  judged, the status is ``error`` with a Dutch reason, and the exit code differs
  from "afgekeurd".
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from kansrijk.checks.validate import ValidationReport, validate
from kansrijk.github.client import (
    API_FAILURES,
    MAINTAINER_ROLES,
    PullFile,
    RepositoryApi,
    absent_is_none,
    changed_files_count,
    list_pull_files,
    repository_role,
    team_member,
)
from kansrijk.github.markdown import escape
from kansrijk.pullrequests.automation import SETTINGS_FILE, SettingsError, automation_accounts
from kansrijk.pullrequests.bot_pr import Lending, lend_rights
from kansrijk.pullrequests.check_pr import check_pull_request
from kansrijk.pullrequests.git import Git, GitError
from kansrijk.pullrequests.judge import UNDECODABLE, Judge
from kansrijk.pullrequests.report import COMMENT_LIMIT, MARKER, PrReport, Verdict, render_markdown, status_description
from kansrijk.records.kinds import SUPPORT_FOLDERS
from kansrijk.records.model import Repository

STATUS_CONTEXT = "kansrijk/pr-check"
STATES = {Verdict.PASSED: "success", Verdict.REJECTED: "failure", Verdict.OPEN: "pending"}
GITHUB_FILE_LIST_CAP = 3000
# Roles without write access: their team memberships cannot make them code owners (GitHub's rule).
READ_ONLY_ROLES = frozenset({"read", "triage", "none"})

EXIT_PASSED = 0  # published: in orde, or open for a maintainer
EXIT_REJECTED = 1  # published: afgekeurd
EXIT_NOT_JUDGED = 3  # nothing decided: status "error" where it could be set
EXIT_QUEUED = 4  # GitHub's budget is spent: status "pending" where it could be set, and the sweep judges it later

# The pending status of a push that waits for GitHub's budget; the sweep looks for it (and for no status at all).
QUEUED_DESCRIPTION = "In de wachtrij: GitHub-limiet bereikt; de controle volgt vanzelf"


class NotJudged(Exception):
    """The PR cannot be judged safely; ``reason`` is Dutch, for the status, the comment and the log.

    ``mark`` says whether to put an ``error`` status on the commit: not when the head moved on,
    because the new head gets its own check and the old commit no longer matters.
    """

    def __init__(self, reason: str, mark: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.mark = mark


@dataclass(frozen=True)
class RunFacts:
    """What GitHub's ``workflow_run`` event says about the run that checked the PR (never the PR's own words)."""

    repository: str
    head_sha: str
    head_repository: str
    actor: str | None = None
    number: int | None = None
    received_at: dt.datetime | None = None  # when GitHub created the checked run: trusted time for new history steps
    default_branch: str | None = None  # from the event (repository.default_branch); else one request asks


@dataclass
class Outcome:
    number: int
    verdict: Verdict
    comment: str
    labels: list[str] = field(default_factory=list)


def _head_repository(pull: dict) -> str | None:
    head_repo = pull["head"].get("repo")
    return head_repo["full_name"] if head_repo else None


def find_pull(api: RepositoryApi, facts: RunFacts, default_branch: str) -> tuple[dict, str | None]:
    """The one open PR into the default branch with this head SHA from this head repository, and its ETag.

    With the PR number from the event that is one request; without it, GitHub's list of PRs for the
    commit and then the PR itself: two, however many PRs are open.
    """
    sha = facts.head_sha
    if facts.number is not None:
        found, etag = api.pull(facts.number)
        listed = [found] if found else []
    else:
        listed, etag = api.pulls_of_commit(sha), None
    headless = [p["number"] for p in listed if p["head"]["sha"] == sha and _head_repository(p) is None]
    candidates = [
        p
        for p in listed
        if p["head"]["sha"] == sha
        and (_head_repository(p) or "").lower() == facts.head_repository.lower()
        and p["base"]["ref"] == default_branch
        and p["state"] == "open"
    ]
    if len(candidates) > 1 and facts.actor:
        candidates = [p for p in candidates if p["user"]["login"].lower() == facts.actor.lower()]
    if len(candidates) > 1:
        numbers = ", ".join(f"#{number}" for number in sorted(p["number"] for p in candidates))
        raise NotJudged(
            f"meerdere PR's ({numbers}) hebben head-commit {sha[:12]} uit {facts.head_repository}; een beheerder beslist"
        )
    if not candidates:
        if headless:
            raise NotJudged(
                f"PR #{headless[0]} heeft geen head-repository meer (de fork is weg, head: null); zo'n PR wordt niet beoordeeld"
            )
        raise NotJudged(
            f"geen open PR naar {default_branch} met head-commit {sha[:12]} uit {facts.head_repository}; "
            "is de PR gesloten, of kwam er een nieuwe commit?",
            mark=False,
        )
    if facts.number is not None:
        return candidates[0], etag
    full, etag = api.pull(candidates[0]["number"])  # the list leaves out the counts and the labels
    if full is None:
        raise NotJudged(f"PR #{candidates[0]['number']} is niet meer te vinden", mark=False)
    return full, etag


def pinned_file_list(api: RepositoryApi, pull: dict, etag: str | None, sha: str) -> list[PullFile]:
    """The PR's files, but only when the head is still ``sha`` afterwards and the count is GitHub's own.

    The second look at the PR is a conditional request: when nothing changed, GitHub answers 304 for free.
    """
    number = pull["number"]
    files = api.files(number)
    again, _ = api.pull(number, etag)
    again = again or pull
    if again["head"]["sha"] != sha:
        raise NotJudged(
            f"PR #{number} kreeg tijdens de controle een nieuwe commit ({sha[:12]} → {again['head']['sha'][:12]}); "
            "de controle van de nieuwe commit volgt vanzelf",
            mark=False,
        )
    expected = again.get("changed_files")
    if expected != len(files):
        cap = (
            f" (GitHub toont er hoogstens {GITHUB_FILE_LIST_CAP:,})".replace(",", ".")
            if len(files) >= GITHUB_FILE_LIST_CAP
            else ""
        )
        raise NotJudged(
            f"GitHub telt {expected} gewijzigde bestanden in PR #{number}, maar de lijst gaf er {len(files)}{cap}; "
            "zo is niet vast te stellen wat de PR wijzigt. Splits de PR in kleinere PR's"
        )
    return files


def _paths(entries: list[tuple[str, str | None]]) -> set[str]:
    return {path for pair in entries for path in pair if path}


def compare_with_commit(report: PrReport, api_files: list[PullFile], number: int) -> None:
    """The commit's own changes must be the files GitHub lists: else something else was checked than will merge."""
    if any(p.code == UNDECODABLE for f in report.files for p in f.problems):
        return  # refused already; GitHub shows such a name in its own way, so the lists cannot be compared
    from_commit = {f.path for f in report.files if f.change}
    from_api = _paths([(f.filename, f.previous) for f in api_files])
    if from_commit != from_api:
        differ = sorted(from_commit ^ from_api)
        shown = ", ".join(differ[:3]) + (f" en {len(differ) - 3} meer" if len(differ) > 3 else "")
        raise NotJudged(
            f"de bestanden van PR #{number} volgens GitHub verschillen van die in de commit ({shown}); "
            "start de controle opnieuw, en blijft dit zo, dan beslist een beheerder"
        )


def set_error_status(api: RepositoryApi, sha: str, reason: str, target_url: str | None) -> None:
    """The commit status ``error``: not judged, with the Dutch reason cut to GitHub's 140 characters."""
    description = f"Niet beoordeeld: {reason}"
    if len(description) > 140:
        description = description[:139] + "…"
    api.create_status(sha, "error", description, STATUS_CONTEXT, target_url)


def decide_approvals(gh, repository: str, report: PrReport) -> None:
    """Who may approve, from GitHub only, and only asked when CODEOWNERS' named users do not settle it.

    First every requirement the actor meets by name is met without a request; only what is left
    asks for the actor's repository role (one request), and only what a maintainer role does not
    settle asks for team memberships, and not even that for someone who can only read: GitHub
    honours code owners only when they have write access, and a team's access would show in the role.
    """
    report.evaluate_with(lambda _team: None, maintainer=False)
    if all(r.met is True for r in report.requirements()):
        return  # every requirement names the actor: no request at all
    role = repository_role(gh, repository, report.actor)
    maintainer = role in MAINTAINER_ROLES
    answers: dict[str, bool | None] = {}

    def membership(team: str) -> bool | None:
        if role in READ_ONLY_ROLES:  # GitHub honours code owners only with write access, teams included
            return False
        if team.lower() not in answers:
            answers[team.lower()] = team_member(gh, team, report.actor)
        return answers[team.lower()]

    report.evaluate_with(membership, maintainer)
    if maintainer:
        report.notes.append(f"{report.actor} heeft de rol {role} in deze repository (volgens GitHub) en mag alles goedkeuren.")
    if None in answers.values():
        report.notes.append(
            "Teamlidmaatschap kon niet worden opgevraagd (het token mag de teams niet zien); een beheerder beslist."
        )


class TrustedCheck:
    """One run of ``report-pr``: judge the PR at one SHA and publish status, comment and labels."""

    def __init__(self, gh, facts: RunFacts, data_root: Path, base: str, bot_login: str, target_url: str | None) -> None:
        self.gh = gh
        self.facts = facts
        self.data_root = data_root
        self.base = base
        self.bot_login = bot_login
        self.target_url = target_url
        self.api = RepositoryApi(gh, facts.repository)
        self.pull: dict | None = None
        self.report: PrReport | None = None
        self.verdict_published = False  # once the status carries the verdict, a later failure must not replace it
        self.done: list[str] = []  # what reached GitHub: "status", "reactie", "labels"

    def judge(self) -> Outcome:
        sha = self.facts.head_sha
        default_branch = self.facts.default_branch or self.api.repository()["default_branch"]
        pull, etag = find_pull(self.api, self.facts, default_branch)
        self.pull = pull
        api_files = pinned_file_list(self.api, pull, etag, sha)
        git = Git(self.data_root)
        try:
            base = git.commit(self.base)
            git.commit(sha)
            raw = git.read(base, SETTINGS_FILE)
        except GitError as exc:
            raise NotJudged(f"de opgehaalde gegevens missen een commit ({exc}); start de controle opnieuw") from None
        try:
            automation = automation_accounts(raw.decode("utf-8", "replace") if raw is not None else None)
        except SettingsError as exc:
            raise NotJudged(f"de instellingen van de standaardtak zijn onleesbaar: {exc}") from None
        author = pull["user"]["login"]
        lent = Lending()
        if author.lower() in automation:  # only then the github3 objects the four conditions ask about
            owner, name = self.facts.repository.split("/", 1)
            repo = self.gh.repository(owner, name)
            received = self.facts.received_at.date() if self.facts.received_at else None
            lent = lend_rights(self.gh, repo, repo.pull_request(pull["number"]), automation, git, base, sha, received)
        try:
            report = self.report = check_pull_request(
                self.data_root,
                base,
                sha,
                author,
                None,
                lent.on_behalf_of,
                received_at=self.facts.received_at,
                base_rules=True,
            )
        except GitError as exc:
            raise NotJudged(f"git kon de commit niet lezen ({exc})") from None
        if lent.note:
            report.notes.append(lent.note)
        compare_with_commit(report, api_files, pull["number"])
        decide_approvals(self.gh, self.facts.repository, report)
        return self.publish(report)

    def publish(self, report: PrReport) -> Outcome:
        """Status first (it is what branch protection reads), then the comment, then the labels."""
        assert self.pull is not None
        verdict = report.verdict()
        self.api.create_status(self.facts.head_sha, STATES[verdict], status_description(report), STATUS_CONTEXT, self.target_url)
        self.verdict_published = True
        self.done.append("status")
        number = self.pull["number"]
        body = render_markdown(report, COMMENT_LIMIT, self.target_url)
        comment = self.api.upsert_comment(number, body, self.bot_login, self.pull.get("comments"))
        self.done.append("reactie")
        current = [label["name"] for label in self.pull.get("labels") or []]
        labels = self.api.set_labels(number, current, report.labels())
        self.done.append("labels")
        return Outcome(number, verdict, comment, labels)

    def queue(self) -> list[str]:
        """GitHub's budget ran out: a ``pending`` status where that still works; returns what is left undone.

        The push is never lost: the sweep judges every open PR whose head has no final status.
        """
        if not self.verdict_published:
            with contextlib.suppress(*API_FAILURES):  # spent for this too: no status at all also brings the sweep
                self.api.create_status(self.facts.head_sha, "pending", QUEUED_DESCRIPTION, STATUS_CONTEXT, self.target_url)
        return [step for step in ("status", "reactie", "labels") if step not in self.done]

    def mark_not_judged(self, reason: str) -> None:
        """Best effort: an ``error`` status (and a comment when the PR is known) that says why, in Dutch.

        Not when the status already carries the verdict: then only the comment or the labels failed,
        and the verdict stands.
        """
        if self.verdict_published:
            return
        set_error_status(self.api, self.facts.head_sha, reason, self.target_url)
        if self.pull is not None:
            body = (
                f"{MARKER}\n⚠️ **Kansrijk-controle: niet beoordeeld.** {escape(reason)}.\n\n"
                "Er is niets goedgekeurd of afgekeurd; een beheerder kijkt mee."
            )
            self.api.upsert_comment(self.pull["number"], body, self.bot_login, None)


_QUEUED_PR = re.compile(r"^Merge pull request #([1-9][0-9]{0,8}) |\(#([1-9][0-9]{0,8})\)$")


@dataclass
class QueuedPull:
    """One PR in a merge queue's commit: the queue commit that adds it, and its verdict against the queue's base."""

    commit: str
    number: int | None
    verdict: Verdict
    reason: str  # Dutch, one line
    report: PrReport | None = None


@dataclass
class QueueOutcome:
    verdict: Verdict
    pulls: list[QueuedPull]
    validation: ValidationReport


class MergeQueueCheck:
    """The merge queue's commit is what will land: every PR in it is judged again, then the whole is validated.

    GitHub builds a queue commit per PR on top of the one before (``base → PR 1 → PR 2 → …``, first
    parents). Each commit is traced to its PR by the number GitHub writes in its message, and only
    trusted when its change is exactly that PR's files and blobs as GitHub lists them. Then the one
    judge compares the commit with its first parent, for the PR's author, with CODEOWNERS and the
    rules of the default branch: an edit approved while an application was ``ingediend`` fails once
    main moved it on, and so does an owner whom main removed from CODEOWNERS.
    """

    def __init__(self, gh, repository: str, data_root: Path, sha: str, base: str) -> None:
        self.gh = gh
        self.repository = repository
        self.git = Git(data_root)
        self.sha = sha
        self.base_ref = base
        owner, name = repository.split("/", 1)
        self.repo = gh.repository(owner, name)

    def judge(self) -> QueueOutcome:
        try:
            head = self.git.commit(self.sha)
            main = self.git.commit(self.base_ref)
            base = self.git.merge_base(head, main)
            raw = self.git.read(main, SETTINGS_FILE)
        except GitError as exc:
            raise NotJudged(f"de opgehaalde gegevens missen de commit van de wachtrij ({exc})") from None
        try:
            automation = automation_accounts(raw.decode("utf-8", "replace") if raw is not None else None)
        except SettingsError as exc:
            raise NotJudged(f"de instellingen van de standaardtak zijn onleesbaar: {exc}") from None
        commits = self.git.first_parents(base, head)
        pulls = [self.judge_commit(commit, main, automation) for commit in commits]
        if not pulls:
            pulls = [QueuedPull(head, None, Verdict.REJECTED, "de wachtrij-commit voegt niets toe aan de basis")]
        with self.git.tree(head, SUPPORT_FOLDERS, main) as tree:
            validation = validate(Repository(tree))
        verdicts = {p.verdict for p in pulls}
        if Verdict.REJECTED in verdicts or validation.errors:
            verdict = Verdict.REJECTED
        elif Verdict.OPEN in verdicts:
            verdict = Verdict.OPEN
        else:
            verdict = Verdict.PASSED
        return QueueOutcome(verdict, pulls, validation)

    def judge_commit(self, commit: str, main: str, automation: frozenset[str]) -> QueuedPull:
        subject = self.git.subject(commit)
        match = _QUEUED_PR.search(subject)
        if match is None:
            return QueuedPull(
                commit, None, Verdict.REJECTED,
                f"wachtrij-commit {commit[:12]} is niet terug te voeren op een PR (geen PR-nummer in het bericht)",
            )  # fmt: skip
        number = int(match[1] or match[2])
        pull = absent_is_none(self.repo.pull_request, number)
        if pull is None or pull.state != "open" or pull.base.ref != self.repo.default_branch:
            return QueuedPull(commit, number, Verdict.REJECTED, f"PR #{number} is geen open PR naar {self.repo.default_branch}")
        parent = self.git.parent(commit)
        untraced = self.untraced(pull, parent, commit)
        if untraced:
            return QueuedPull(commit, number, Verdict.REJECTED, f"wachtrij-commit {commit[:12]} is niet PR #{number}: {untraced}")
        received = RepositoryApi(self.gh, self.repository).received_at(pull.head.sha)
        lent = lend_rights(
            self.gh, self.repo, pull, automation, self.git, main, pull.head.sha, received.date() if received else None
        )
        judge = Judge(
            self.git, main, parent, commit, pull.user.login, None, lent.on_behalf_of,
            view=commit, compare_at=parent, received_at=received,
        )  # fmt: skip
        with self.git.tree(commit, SUPPORT_FOLDERS, main) as tree:
            report = judge.run(tree)
        if lent.note:
            report.notes.append(lent.note)
        decide_approvals(self.gh, self.repository, report)
        verdict = report.verdict()
        return QueuedPull(commit, number, verdict, status_description(report), report)

    def untraced(self, pull, parent: str, commit: str) -> str | None:
        """Why the queue commit's change is not exactly the PR's files and blobs, or None when it is."""
        listed = list_pull_files(pull)
        if changed_files_count(pull) != len(listed):
            return "GitHub geeft niet alle bestanden van de PR"
        in_commit = {c.path for c in self.git.changes(parent, commit)}
        in_pull = _paths([(f.filename, f.previous) for f in listed])
        if in_commit != in_pull:
            differ = sorted(in_commit ^ in_pull)
            return f"andere bestanden ({', '.join(differ[:3])}{' …' if len(differ) > 3 else ''})"
        for f in listed:
            if f.status != "removed" and f.blob != self.git.blob(commit, f.filename):
                return f"{f.filename} heeft in de wachtrij een andere inhoud dan in de PR"
        return None


def queue_description(outcome: QueueOutcome) -> str:
    """The status line, at most 140 characters."""
    refused = [p for p in outcome.pulls if p.verdict is Verdict.REJECTED]
    if refused:
        first = refused[0]
        where = f"PR #{first.number}" if first.number else f"commit {first.commit[:12]}"
        text = f"Wachtrij: {where} niet in orde: {first.reason}"
    elif outcome.validation.errors:
        text = f"Na samenvoegen ongeldig: {len(outcome.validation.errors)} fout(en); zie de run"
    elif outcome.verdict is Verdict.OPEN:
        text = "Wachtrij: teamlidmaatschap onbekend, een beheerder beslist"
    else:
        text = f"Wachtrij in orde: {len(outcome.pulls)} PR('s) opnieuw beoordeeld, alle records geldig"
    return text if len(text) <= 140 else text[:139] + "…"


def judge_merge_group(gh, repository: str, data_root: Path, sha: str, base: str, target_url: str | None) -> QueueOutcome:
    """Judge a merge queue's commit and set the same status context; an untraceable commit fails with a reason."""
    check = MergeQueueCheck(gh, repository, data_root, sha, base)
    api = RepositoryApi(gh, repository)
    try:
        outcome = check.judge()
    except NotJudged as exc:
        set_error_status(api, sha, exc.reason, target_url)
        raise NotJudged(exc.reason, mark=False) from None
    api.create_status(sha, STATES[outcome.verdict], queue_description(outcome), STATUS_CONTEXT, target_url)
    return outcome
