"""Whose rights count for a pull request an automation account opened: the filer's, and only when nothing else is in it.

``issue-to-pr`` turns an issue form into a record and opens a pull request for it as an automation
account (``.github/kansrijk.yml``, read at the base). Judging that PR for whoever filed the issue is
right only when the PR is exactly what the intake makes of that person's own form: anything more
would borrow their rights (or, through an ordinary issue, a maintainer's) for someone else's change.
So the filer's rights are lent only when all of these hold, each asked of GitHub or read from the
base and the judged commit, never taken from the PR's own words:

a. every commit of the PR is the account's own and signed by GitHub: GitHub names the account as
   author, the account or GitHub itself (``web-flow``, how GitHub commits what it makes through its
   API) as committer, and verified the signature (a pusher can forge a name and an e-mail address,
   not GitHub's signature; and GitHub signs an API commit only when nobody set its author);
b. the branch ``issue-<N>-...`` lives in this repository and names an open issue (not a PR) that
   carries the labels of a form that opens a PR (the ``wijziging`` form does not);
c. nobody but the issue's author edited its text (GraphQL ``userContentEdits``; REST does not say);
d. the PR changes exactly one file: the one the intake makes of the issue now, against the base,
   byte for byte, with the date the intake wrote into it lying between the issue's creation and
   today.

They are checked in the order b, a, c, d (the issue first: without a form issue nothing else matters),
and the first that fails is the reason. Otherwise the PR is judged for the account itself, which owns
nothing, so every change needs a maintainer; :attr:`Lending.refused_because` says in Dutch which
condition failed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from kansrijk.github.client import (
    PULL_COMMITS_CAP,
    GraphQLError,
    absent_is_none,
    commit_count,
    issue_edits,
    list_pull_commits,
)
from kansrijk.github.intake.answers import written_today
from kansrijk.github.intake.issue_to_pr import issue_intake
from kansrijk.github.intake.issueforms import FORM_CHANGE, FormError, load_forms
from kansrijk.pullrequests.automation import issue_of_branch
from kansrijk.pullrequests.check_pr import OnBehalfOf
from kansrijk.pullrequests.git import Git, GitError
from kansrijk.records.loader import LoadError, load_bytes
from kansrijk.records.model import classify

# GitHub dates an issue in UTC; the runner that wrote the record may have been a day ahead or behind.
DATE_MARGIN = dt.timedelta(days=1)

# The login GitHub gives as committer of the commits it makes itself (web edits, API commits) and signs.
GITHUB_COMMITTER = "web-flow"


@dataclass(frozen=True)
class Lending:
    """Whose rights count: the filer's (``on_behalf_of``), or not, and then ``refused_because`` (Dutch) says why.

    Both None for a PR no automation account opened: it is simply judged for its author.
    """

    on_behalf_of: OnBehalfOf | None = None
    refused_because: str | None = None

    @property
    def note(self) -> str | None:
        """The line for the report when the rights were not lent, so the maintainer sees which condition failed."""
        if self.refused_because is None:
            return None
        return (
            f"Niet namens de indiener beoordeeld: {self.refused_because}. Deze PR is daarom beoordeeld als werk van "
            "het automatiseringsaccount zelf, dat nergens eigenaar van is; een beheerder beslist."
        )


class _Refused(Exception):
    """One condition failed; the message is the Dutch reason."""


def lend_rights(
    gh, repo, pull, automation: frozenset[str], git: Git, base: str, head: str, today: dt.date | None = None
) -> Lending:
    """Lend the filer's rights to an automation account's PR only when all four conditions hold (see the module).

    ``base`` and ``head`` are the commits in ``git`` that are judged. ``today`` is the latest day the intake may
    have written into the record: the day GitHub received the push where that is known, else today (UTC).
    """
    if pull.user.login.lower() not in automation:
        return Lending()
    try:
        return Lending(BotPullRequest(gh, repo, pull, git, base, head).filer(today or dt.datetime.now(dt.UTC).date()))
    except _Refused as refused:
        return Lending(None, str(refused))
    except GitError as exc:
        return Lending(None, f"git kon de commits van de PR niet lezen ({exc})")


class BotPullRequest:
    """One automation PR and the facts the four conditions are checked against."""

    def __init__(self, gh, repo, pull, git: Git, base: str, head: str) -> None:
        self.gh = gh
        self.repo = repo
        self.pull = pull
        self.git = git
        self.base = base
        self.head = head
        self.account = pull.user.login

    def filer(self, today: dt.date) -> OnBehalfOf:
        """Whoever filed the issue the branch names, once every condition holds; else :class:`_Refused`."""
        head_repo = getattr(self.pull.head, "repository", None)
        if head_repo is None or head_repo.full_name.lower() != self.repo.full_name.lower():
            raise _Refused("de tak van de PR staat niet in deze repository, terwijl issue-to-pr zijn takken hier maakt")
        branch = self.pull.head.ref
        number = issue_of_branch(branch)
        if number is None:
            raise _Refused(f"de tak {branch} heeft niet de vorm issue-<nummer>-… die issue-to-pr maakt")
        issue = absent_is_none(self.repo.issue, number)
        if issue is None or issue.pull_request_urls:
            raise _Refused(f"#{number}, genoemd in de tak, is geen issue")
        if issue.state != "open":
            raise _Refused(f"issue #{number} is gesloten")
        labels = {label.name for label in issue.original_labels}
        with self.git.tree(self.base) as base_tree:
            self.check_form_labels(base_tree, number, labels)
            self.check_commits()
            self.check_edits(number, issue.user.login)
            self.check_content(base_tree, issue, labels, today)
        return OnBehalfOf(issue.user.login, number)

    @staticmethod
    def check_form_labels(base_tree: Path, number: int, labels: set[str]) -> None:
        """(b) The issue carries every label of a form that opens a PR, as the base's issue forms set them."""
        forms = [form for form in load_forms(base_tree) if form.labels and form.name != FORM_CHANGE]
        if not any(form.labels <= labels for form in forms):
            wanted = " of ".join(", ".join(sorted(form.labels)) for form in forms) or "geen formulier gevonden"
            raise _Refused(f"issue #{number} heeft niet de labels van een formulier waarvan issue-to-pr een PR maakt ({wanted})")

    def check_commits(self) -> None:
        """(a) Every commit, GitHub's list and the judged history alike, is the account's own and signed by GitHub."""
        count = commit_count(self.pull)
        if count is None or count > PULL_COMMITS_CAP:
            raise _Refused(
                f"de PR heeft {count if count is not None else 'onbekend veel'} commits; GitHub toont er hoogstens "
                f"{PULL_COMMITS_CAP}, dus niet van elke commit is na te gaan wie hem maakte"
            )
        listed = list_pull_commits(self.pull)
        if len(listed) != count:
            raise _Refused(f"GitHub telt {count} commits in de PR, maar de lijst gaf er {len(listed)}")
        account = self.account.lower()
        for commit in listed:
            committer = (commit.committer or "").lower()
            own = (commit.author or "").lower() == account and committer in (account, GITHUB_COMMITTER)
            if not (own and commit.verified):
                signed = "door GitHub ondertekend" if commit.verified else "niet door GitHub ondertekend"
                raise _Refused(
                    f"commit {commit.sha[:12]} is niet alleen van {self.account} (auteur {commit.author or 'onbekend'}, "
                    f"committer {commit.committer or 'onbekend'}, {signed}); iemand anders heeft op de tak gepusht"
                )
        judged = self.git.run("rev-list", self.head, f"^{self.base}").stdout.decode().split()
        missing = [sha for sha in judged if sha not in {commit.sha for commit in listed}]
        if missing:
            raise _Refused(f"commit {missing[0][:12]} van de beoordeelde tak staat niet in GitHubs lijst van de PR")

    def check_edits(self, number: int, filer: str) -> None:
        """(c) Only the filer wrote and edited the issue's text, as GitHub's GraphQL API reports."""
        try:
            edits = issue_edits(self.gh, self.repo.full_name, number)
        except GraphQLError as exc:
            raise _Refused(f"GitHub kon niet zeggen wie de tekst van issue #{number} aanpaste ({exc})") from None
        if edits.author is None or edits.author.lower() != filer.lower():
            raise _Refused(
                f"GitHub noemt {edits.author or 'geen bestaand account'} als schrijver van issue #{number}, niet {filer}"
            )
        if edits.total > len(edits.editors):
            raise _Refused(
                f"de tekst van issue #{number} is {edits.total} keer aangepast; meer dan {len(edits.editors)} "
                "bewerkingen zijn niet na te gaan"
            )
        others = sorted(
            {editor or "een verwijderd account" for editor in edits.editors if (editor or "").lower() != filer.lower()}
        )
        if others:
            raise _Refused(
                f"de tekst van issue #{number} is aangepast door {', '.join(others)}; alleen de indiener ({filer}) mag "
                "het formulier aanpassen"
            )

    def check_content(self, base_tree: Path, issue, labels: set[str], today: dt.date) -> None:
        """(d) The PR holds exactly the one file the intake makes of the issue now, against the base, byte for byte."""
        number = issue.number
        changes = self.git.changes(self.git.merge_base(self.base, self.head), self.head)
        if len(changes) != 1:
            shown = ", ".join(change.path for change in changes[:3]) + (" …" if len(changes) > 3 else "")
            raise _Refused(f"de PR wijzigt {len(changes)} bestanden ({shown}); issue-to-pr maakt er precies één")
        [change] = changes
        raw = self.git.read(self.head, change.path) if change.status == "A" else None
        if raw is None:
            raise _Refused(f"de PR maakt {change.path} niet nieuw aan, terwijl issue-to-pr alleen een nieuw bestand maakt")
        written = self.written_date(change.path, raw)
        created = issue.created_at.date()
        if not created - DATE_MARGIN <= written <= today + DATE_MARGIN:
            raise _Refused(
                f"de datum {written} in {change.path} ligt niet tussen het aanmaken van issue #{number} ({created}) en "
                f"vandaag ({today})"
            )
        try:
            intake = issue_intake(base_tree, labels, issue.body or "", number, issue.user.login, written)
        except FormError as exc:
            raise _Refused(f"issue #{number} is nu geen formulier ({exc})") from None
        submission = intake.submission
        if submission is None:
            raise _Refused(
                f"het formulier in issue #{number} levert nu geen record op ({len(intake.findings)} punt(en) te verbeteren)"
            )
        if change.path != submission.path:
            raise _Refused(f"de PR maakt {change.path}, maar het formulier in issue #{number} levert {submission.path} op")
        if self.pull.head.ref != submission.branch:
            raise _Refused(f"de tak {self.pull.head.ref} is niet de tak {submission.branch} die issue-to-pr hiervoor maakt")
        if raw != submission.text.encode("utf-8"):
            raise _Refused(f"{change.path} is niet precies wat issue-to-pr nu van het formulier in issue #{number} maakt")

    @staticmethod
    def written_date(path: str, raw: bytes) -> dt.date:
        """The date the intake wrote into the record as its "today", which it needs to make the same record again."""
        ref = classify(path)
        try:
            data = load_bytes(raw, path).data
        except LoadError:
            raise _Refused(f"{path} is geen leesbaar record") from None
        written = written_today(ref.kind, data) if ref is not None and isinstance(data, dict) else None
        try:
            return dt.date.fromisoformat(written or "")
        except ValueError:
            raise _Refused(f"{path} mist de datum die issue-to-pr erin zet") from None
