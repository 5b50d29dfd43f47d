"""``check-pr``: what a pull request changes, whether it is valid, and who must approve it.

Everything here is local: the real ``git`` command line, the validator of #2/#4,
and CODEOWNERS. No network and no token, so it can run next to untrusted PR code
with a read-only job.

Choices, and why:

- The changed files come from ``git diff --name-status -M <merge-base> <head>``,
  which is ``base...head``: only what the PR itself changes, as GitHub's "Files
  changed" tab shows it. ``base..head`` would also list what landed on the base
  branch after the PR branched off, and blame the author for it.
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

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kansrijk.checks.entries import judge_entry
from kansrijk.checks.validate import validate
from kansrijk.pullrequests import permissions
from kansrijk.pullrequests.automation import SETTINGS_FILE, automation_accounts
from kansrijk.pullrequests.codeowners import read_codeowners
from kansrijk.pullrequests.git import Change, Git, GitError
from kansrijk.pullrequests.permissions import path_requirements
from kansrijk.pullrequests.report import FileProblem, FileReport, PrReport, RequirementKind, owner_handles
from kansrijk.records.kinds import KINDS, RECORD_FOLDERS, SUPPORT_FOLDERS, is_record_area
from kansrijk.records.loader import LoadError, load_bytes
from kansrijk.records.model import Application, Record, Repository, classify
from kansrijk.records.problems import Problem, Severity
from kansrijk.records.tree import EntryKind, entry_kind_on_disk

# Changes to these folders can change the verdict on every record: validate everything then.
REPOSITORY_WIDE = ("schemas/", "vocab/")
# What the validator reads: the record folders, the schemas and the vocabularies.
VALIDATED_FOLDERS = (*RECORD_FOLDERS, *SUPPORT_FOLDERS)


class OnBehalfRefused(Exception):
    """``--on-behalf-of`` was asked for an author that is not a declared automation account."""


@dataclass(frozen=True)
class OnBehalfOf:
    """The person an automation account opened the PR for, and the issue they filed."""

    login: str
    issue: int


def _file_problem(p: Problem) -> FileProblem:
    return FileProblem(p.line, p.column, p.severity, p.field_name, p.code, p.message)


def _old_version(raw: bytes | None, name: str) -> dict | None:
    """A record's data at the base: empty when it did not exist there, None when it cannot be read."""
    if raw is None:
        return {}
    try:
        return load_bytes(raw, name).data
    except LoadError:
        return None


def _beneath(path: str, roots: set[str]) -> bool:
    """True when ``path`` is one of ``roots`` or lies inside one of them."""
    return any(path == root or path.startswith(root + "/") for root in roots)


def _last_status(history: object) -> str | None:
    if isinstance(history, list) and history and isinstance(history[-1], dict):
        status = history[-1].get("status")
        return status if isinstance(status, str) else None
    return None


class PullRequestCheck:
    """One run of ``check-pr``: builds the :class:`PrReport`.

    ``view`` is the commit or tree whose files are validated (the head, or its merge with the current base);
    ``compare_at`` is where old versions are read for the history and the policy.
    """

    def __init__(
        self,
        git: Git,
        base: str,
        merge_base: str,
        head: str | None,
        author: str,
        teams: list[str] | None,
        on_behalf_of: OnBehalfOf | None = None,
        *,
        view: str | None = None,
        compare_at: str | None = None,
        conflicts: list[str] | None = None,
    ) -> None:
        self.git = git
        self.base = base
        self.merge_base = merge_base
        self.head = head
        self.author = author
        self.teams = teams
        self.on_behalf_of = on_behalf_of
        self.view = view or head
        self.compare_at = compare_at or merge_base
        self.conflicts = conflicts or []
        # whose rights count, and who must be the actor of new history entries
        self.actor = on_behalf_of.login if on_behalf_of else author
        self.codeowners = read_codeowners(lambda location: git.read(base, location))
        self.maintainers = self.codeowners.default_owners

    @property
    def maintainer_handles(self) -> list[str]:
        return owner_handles(self.maintainers)

    def run(self, head_root: Path) -> PrReport:
        changes = self.git.changes(self.merge_base, self.head)
        repo = Repository(head_root)
        refusals = self.entry_refusals(changes, head_root)
        refused = {p.file for p in refusals}
        files: dict[str, FileReport] = {}
        for change in changes:
            files[change.path] = self.describe(change, repo, _beneath(change.path, refused))
        report = PrReport(
            base=self.base,
            merge_base=self.merge_base,
            head=self.head,
            author=self.author,
            teams=self.teams,
            codeowners_source=self.codeowners.source,
            maintainers=owner_handles(self.maintainers),
            files=[],
            on_behalf_of=self.on_behalf_of.login if self.on_behalf_of else None,
            issue=self.on_behalf_of.issue if self.on_behalf_of else None,
        )
        if not self.maintainers:
            report.notes.append(
                f"{self.codeowners.source} op de basis heeft geen regel '*' met beheerders; alleen eigenaars van paden kunnen goedkeuren."
            )
        for skipped in self.codeowners.skipped:  # lines GitHub skips; report-pr shows these same notes
            report.notes.append(f"{self.codeowners.source} regel {skipped.line}: {skipped.message}")
        if self.view != self.head:
            report.notes.append(
                f"De basistak is na het begin van deze PR verder gegaan; gecontroleerd is wat samenvoegen oplevert: "
                f"deze PR samen met de huidige basis ({self.base[:12]})."
            )
        for path in self.conflicts:
            entry = files.setdefault(path, FileReport(path=path, change="", record=is_record_area(path)))
            entry.problems.append(
                FileProblem(
                    1,
                    1,
                    Severity.ERROR,
                    "",
                    "samenvoegconflict",
                    "dit bestand botst met wat sinds het begin van deze PR op de basistak is gekomen; werk de tak bij "
                    "(Update branch) en los het conflict op, dan wordt de PR opnieuw gecontroleerd",
                )
            )
        for problem in [*refusals, *self.validation_problems(changes, repo, refused)]:
            entry = files.setdefault(problem.file, FileReport(path=problem.file, change="", record=True))
            entry.problems.append(_file_problem(problem))
        report.files = [files[k] for k in sorted(files)]
        report.evaluate()
        return report

    def entry_refusals(self, changes: list[Change], head_root: Path) -> list[Problem]:
        """The record-folder entries this PR adds or changes, and the folders above them, judged like ``validate``."""
        targets: set[str] = set()
        for change in changes:
            if change.status != "D" and is_record_area(change.path):
                parts = PurePosixPath(change.path).parts
                targets.update("/".join(parts[:depth]) for depth in range(1, len(parts) + 1))
        if not targets:
            return []
        if self.view:
            kinds = self.git.entry_kinds(self.view)
        else:
            kinds = {target: entry_kind_on_disk(head_root / target) for target in targets}
        refusals: list[Problem] = []
        refused: set[str] = set()
        for target in sorted(targets):  # a folder sorts before what it holds
            if _beneath(target, refused):
                continue
            problem = judge_entry(target, kinds.get(target, EntryKind.MISSING))
            if problem is not None:
                refusals.append(problem)
                refused.add(target)
        return refusals

    def describe(self, change: Change, repo: Repository, refused: bool = False) -> FileReport:
        record = is_record_area(change.path) or (change.old_path is not None and is_record_area(change.old_path))
        ref = classify(change.path)
        entry = FileReport(
            path=change.path, change=change.status, old_path=change.old_path, kind=ref.kind if ref else None, record=record
        )
        entry.requirements = path_requirements(self.codeowners, change.status, change.path, change.old_path)
        loaded = repo.load(ref) if ref is not None and change.status != "D" and not refused else None
        if loaded is not None:
            self.add_labels(entry, loaded)
            self.check_municipalities(change, entry, loaded, repo)
        old_ref = classify(change.old_path) if change.old_path else None
        if "aanvraag" in (ref and ref.kind, old_ref and old_ref.kind):
            self.check_history(change, entry, repo, refused)
        return entry

    @staticmethod
    def add_labels(entry: FileReport, record: Record) -> None:
        municipalities = record.data.get("gemeenten", [])
        if isinstance(municipalities, list):
            entry.municipalities = sorted(
                {m for m in municipalities if isinstance(m, str) and len(m) == 6 and m.startswith("GM")}
            )
        if isinstance(record, Application) and record.valid:
            entry.status = record.status

    def check_municipalities(self, change: Change, entry: FileReport, record: Record, repo: Repository) -> None:
        """Policy: a municipality not in the coalition at the base may only be added with a maintainer."""
        if record.kind not in ("coalitie", "aanvraag"):
            return
        at_base = classify(change.old_path) if change.status == "R" and change.old_path else record.ref
        coalition = at_base.key.split("/", 1)[0] if at_base else record.key.split("/", 1)[0]
        base_path = KINDS["coalitie"].path_of(coalition)
        base_data = _old_version(self.git.read(self.base, base_path), base_path) or {}
        new = record.data.get("gemeenten")
        added = permissions.added_municipalities(new, base_data.get("gemeenten"))
        if not added:
            return
        first = next(i for i, code in enumerate(new) if code == added[0]) if isinstance(new, list) else 0
        line = repo.locate(record, ("gemeenten", first))[0]
        entry.requirements.append(permissions.municipality_requirement(added, coalition, self.maintainer_handles, line))

    def check_history(self, change: Change, entry: FileReport, repo: Repository, refused: bool = False) -> None:
        """Append-only history against the base, new entries by the author, transitions and content by role.

        An application moved to a path that holds no application (or a refused entry) is gone, like a deletion.
        """
        old_path = change.old_path or change.path
        old_ref = classify(old_path)
        if old_ref is None or old_ref.kind != "aanvraag":
            return
        old_data = _old_version(self.git.read(self.compare_at, old_path) if change.status != "A" else None, old_path)
        old_history = old_data.get("historie", []) if old_data is not None else None
        if not isinstance(old_history, list):
            old_history = None
        ref = classify(change.path)
        if change.status == "D" or refused or ref is None or ref.kind != "aanvraag":
            if old_history:
                entry.requirements.append(
                    permissions.policy_requirement(RequirementKind.HISTORY_REMOVAL, self.maintainer_handles)
                )
            return
        record = repo.load(ref)
        if record is None or not isinstance(record.data.get("historie"), list):
            return
        new_history: list = record.data["historie"]
        if old_history is None or old_data is None:
            entry.problems.append(
                FileProblem(
                    1,
                    1,
                    Severity.WARNING,
                    "historie",
                    "historie-basis-onleesbaar",
                    "de vorige versie is niet te lezen; de historie is niet vergeleken",
                )
            )
            return
        self.check_locked_content(old_data, entry, record, repo)

        def line_of(index: int) -> int:
            return repo.locate(record, ("historie", index))[0]

        for index, old_entry in enumerate(old_history):
            if index >= len(new_history):
                entry.problems.append(
                    FileProblem(
                        line_of(max(len(new_history) - 1, 0)) if new_history else 1,
                        1,
                        Severity.ERROR,
                        f"historie[{index}]",
                        "historie-verwijderd",
                        f"stap {index + 1} van de historie ({old_entry.get('status', '?')} op {old_entry.get('datum', '?')}) is verwijderd; "
                        "de historie mag alleen aangevuld worden: zet de stap terug",
                    )
                )
            elif new_history[index] != old_entry:
                entry.problems.append(
                    FileProblem(
                        line_of(index),
                        1,
                        Severity.ERROR,
                        f"historie[{index}]",
                        "historie-herschreven",
                        f"stap {index + 1} van de historie is veranderd; eerdere stappen mogen niet herschreven worden. "
                        "Zet de stap terug zoals hij was en voeg onderaan een nieuwe stap toe",
                    )
                )
        previous = new_history[len(old_history) - 1].get("status") if 0 < len(old_history) <= len(new_history) else None
        for index in range(len(old_history), len(new_history)):
            step = new_history[index]
            if not isinstance(step, dict):
                continue
            status = step.get("status")
            actor = step.get("door")
            if isinstance(actor, str) and actor.lower() != self.actor.lower():
                who = (
                    f"de indiener van issue #{self.on_behalf_of.issue}, namens wie deze PR is geopend"
                    if self.on_behalf_of
                    else "de auteur van deze PR"
                )
                entry.problems.append(
                    FileProblem(
                        repo.locate(record, ("historie", index, "door"))[0],
                        1,
                        Severity.ERROR,
                        f"historie[{index}].door",
                        "historie-door",
                        f"een nieuwe stap moet 'door: {self.actor}' hebben ({who}), niet {actor!r}",
                    )
                )
            if isinstance(status, str) and permissions.maintainer_step(previous, status):
                entry.requirements.append(
                    permissions.policy_requirement(
                        RequirementKind.STATUS_STEP,
                        self.maintainer_handles,
                        line_of(index),
                        previous=str(previous),
                        status=status,
                    )
                )
            previous = status

    def check_locked_content(self, old_data: dict, entry: FileReport, record: Record, repo: Repository) -> None:
        """Policy: past ``ingediend`` only a maintainer may change an application's content (the history is checked apart)."""
        status = _last_status(old_data.get(permissions.APPEND_ONLY_FIELD))
        if status not in permissions.LOCKED_STATUSES:
            return
        changed = permissions.changed_content(old_data, record.data)
        if changed:
            line = repo.locate(record, (changed[0],))[0] if changed[0] in record.data else 1
            entry.requirements.append(
                permissions.policy_requirement(
                    RequirementKind.CONTENT_AFTER_SUBMISSION,
                    self.maintainer_handles,
                    line,
                    status=status,
                    fields=", ".join(changed),
                )
            )

    def validation_problems(self, changes: list[Change], repo: Repository, refused: set[str]) -> list[Problem]:
        """Problems of the changed records, plus of records that referenced what was removed or renamed.

        Entries already refused by the entry rule are left out here, so each gets one problem, not two.
        """
        if any(c.path.startswith(REPOSITORY_WIDE) or (c.old_path or "").startswith(REPOSITORY_WIDE) for c in changes):
            return [p for p in validate(repo).problems if not _beneath(p.file, refused)]
        present = [c.path for c in changes if c.status != "D" and is_record_area(c.path) and not _beneath(c.path, refused)]
        gone_keys = []
        for c in changes:
            gone = c.path if c.status == "D" else c.old_path if c.status == "R" else None
            ref = classify(gone) if gone else None
            if ref is not None and ref.kind != "aanvraag":
                gone_keys.append(ref.key)
        referencing = [
            p
            for p in self.git.grep_files(self.view, gone_keys, RECORD_FOLDERS)
            if classify(p) is not None and not _beneath(p, refused)
        ]
        if self.head is None:
            referencing = [p for p in referencing if (repo.root / p).exists()]
        paths = sorted(set(present) | set(referencing))
        if not paths:
            return []
        return validate(repo, paths).problems


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
    root: Path, base: str, head: str | None, author: str, teams: list[str] | None, on_behalf_of: OnBehalfOf | None = None
) -> PrReport:
    """Build the report for the change from ``base`` to ``head`` (None: the working tree) in the repository at ``root``."""
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
    check = PullRequestCheck(
        git, base_sha, merge_base, head_sha, author, teams, on_behalf_of, view=view, compare_at=compare_at, conflicts=conflicts
    )
    if head_sha is None or view is None:
        return check.run(root)
    if view == head_sha and git.worktree_is(head_sha, VALIDATED_FOLDERS):  # the usual CI case: the PR is checked out already
        return check.run(root)
    with git.tree(view) as tree:
        return check.run(tree)
