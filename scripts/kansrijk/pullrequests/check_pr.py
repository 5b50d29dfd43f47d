"""``check-pr``: what a pull request changes, whether it is valid, and who must approve it.

Everything here is local: the real ``git`` command line, the validator of #2/#4,
and CODEOWNERS. No network and no token, so it can run next to untrusted PR code
with a read-only job.

Choices, and why:

- The touched paths come from ``git diff --name-status <merge-base> <head>``,
  which is ``base...head``: only what the PR itself changes, as GitHub's "Files
  changed" tab shows it. ``base..head`` would also list what landed on the base
  branch after the PR branched off, and blame the author for it. Each path is
  then judged from its state at the base and at the head by the one judge
  (``pullrequests.judge``), which report-pr and the merge queue call too.
- What is *validated* is what will land. When the base branch moved on since the
  PR branched off, the merge of base and head (``git merge-tree``) is checked, and
  the history and the policy compare against the current base: two PRs that each
  claim GM0355 in one round are caught in the second, however they were ordered.
  A merge conflict is an error on the conflicting files. With "up to date before
  merging" (or a merge queue) the checked tree is exactly the tree that lands.
- Old contents (for the append-only history and the policy) are read at the base
  the PR is checked against: the merge base when the PR is up to date, else the
  current base.
- Every entry a PR adds in a record folder, and every folder above it, is judged
  by the same rule as ``validate`` (``checks.entries.judge_entry``), from git's own tree
  modes: a submodule (160000), a symlink (120000) or a tree where a record
  belongs is refused by name, never followed, never a traceback.
- Ownership is read from CODEOWNERS at BASE, never at head: a PR that adds its
  author to CODEOWNERS must not thereby approve itself.
- A PR that an automation account (``.github/kansrijk.yml``, also read at BASE)
  opened for someone else, like issue-to-pr does, is judged for that person:
  ``--on-behalf-of``. Any other author asking for that is refused, so a person
  can never borrow someone else's rights.
- A head commit is written to a temporary folder with a private index file
  (``read-tree`` + ``checkout-index``): fast, and it changes nothing in the
  repository (no worktree entry, no index, no HEAD).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kansrijk.pullrequests.automation import SETTINGS_FILE, automation_accounts
from kansrijk.pullrequests.git import Git, GitError
from kansrijk.pullrequests.judge import REPOSITORY_WIDE, Judge, OnBehalfOf
from kansrijk.pullrequests.report import PrReport
from kansrijk.records.kinds import RECORD_FOLDERS, SUPPORT_FOLDERS

# What the validator reads: the record folders, the schemas and the vocabularies.
VALIDATED_FOLDERS = (*RECORD_FOLDERS, *SUPPORT_FOLDERS)

__all__ = ["OnBehalfOf", "OnBehalfRefused", "check_on_behalf_of", "check_pull_request"]


class OnBehalfRefused(Exception):
    """``--on-behalf-of`` was asked for an author that is not a declared automation account."""


def check_on_behalf_of(git: Git, base: str, author: str, on_behalf_of: OnBehalfOf | None) -> None:
    """Refuse ``--on-behalf-of`` unless the author is an automation account declared at BASE (never at head)."""
    if on_behalf_of is None:
        return
    raw = git.read(base, SETTINGS_FILE)
    accounts = automation_accounts(raw.decode("utf-8", "replace") if raw is not None else None)
    if author.lower() not in accounts:
        declared = ", ".join(sorted(accounts)) or "geen"
        raise OnBehalfRefused(
            f"--on-behalf-of {on_behalf_of.login} geweigerd: {author} is geen automatiseringsaccount "
            f"(volgens {SETTINGS_FILE} op de basis: {declared}). Alleen zo'n account mag een PR namens iemand anders "
            "indienen; controleer deze PR zonder --on-behalf-of."
        )


def check_pull_request(
    root: Path,
    base: str,
    head: str | None,
    author: str,
    teams: list[str] | None,
    on_behalf_of: OnBehalfOf | None = None,
    *,
    received_at: dt.datetime | None = None,
    base_rules: bool = False,
) -> PrReport:
    """Judge the change from ``base`` to ``head`` (None: the working tree) in the repository at ``root``.

    ``received_at`` is when GitHub received the change (default: now). With ``base_rules`` (the trusted
    job) the records are validated with the base's schemas and vocabularies, never the PR's own.
    """
    git = Git(root)
    top = git.toplevel()
    if top != root.resolve():
        raise GitError(f"de Kansrijk-map {root} moet de bovenste map van de git-repository zijn (nu {top})")
    base_sha = git.commit(base)
    head_sha = git.commit(head) if head else None
    check_on_behalf_of(git, base_sha, author, on_behalf_of)
    merge_base = git.merge_base(base_sha, head_sha or git.commit("HEAD"))
    view, compare_at, conflicts = head_sha, merge_base, []
    if head_sha and merge_base != base_sha:  # the base moved on: check what merging would land
        merged, conflicts = git.merge_tree(base_sha, head_sha)
        if merged is not None:
            view, compare_at = merged, base_sha
    judge = Judge(
        git,
        base_sha,
        merge_base,
        head_sha,
        author,
        teams,
        on_behalf_of,
        view=view,
        compare_at=compare_at,
        conflicts=conflicts,
        received_at=received_at,
    )
    if head_sha is None or view is None:
        return judge.run(root)
    rules_from = base_sha if base_rules else None
    if rules_from is None and view == head_sha and git.worktree_is(head_sha, VALIDATED_FOLDERS):
        return judge.run(root)  # the usual CI case: the PR is checked out already
    with git.tree(view, SUPPORT_FOLDERS if rules_from else (), rules_from) as tree:
        report = judge.run(tree)
    if rules_from and any(f.change and f.path.startswith(REPOSITORY_WIDE) for f in report.files):
        report.notes.append(
            "Deze PR wijzigt schema's of codelijsten. De records zijn gecontroleerd met de schema's en codelijsten van "
            "de basis, niet met die uit deze PR: laat een wijziging van de regels eerst landen, in een eigen PR, en "
            "pas daarna de records die ervan afhangen."
        )
    return report
