"""``check-pr``: what a pull request changes, whether it is valid, and who must approve it.

Everything here is local: the real ``git`` command line, the validator of #2/#4,
and CODEOWNERS. No network and no token, so it can run next to untrusted PR code
with a read-only job.

Choices, and why:

- The changed files come from ``git diff --name-status -M <merge-base> <head>``,
  which is ``base...head``: only what the PR itself changes, as GitHub's "Files
  changed" tab shows it. ``base..head`` would also list what landed on the base
  branch after the PR branched off, and blame the author for it.
- Old contents (for the append-only history) are read at that same merge base:
  the version the PR started from.
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

import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .automation import SETTINGS_FILE, automation_accounts
from .codeowners import LOCATIONS, CodeOwners, Owner
from .grants import TRANSITIONS, Role
from .kinds import RECORD_FOLDERS, SUPPORT_FOLDERS
from .loader import LoadError, load_bytes
from .model import Application, Record, Repository, classify, is_record_area
from .problems import Problem
from .prreport import FileProblem, FileReport, PrReport, Requirement, owner_handles
from .validate import validate

# Changes to these folders can change the verdict on every record: validate everything then.
REPOSITORY_WIDE = ("schemas/", "vocab/")
# What the validator reads: the record folders, the schemas and the vocabularies.
VALIDATED_FOLDERS = (*RECORD_FOLDERS, *SUPPORT_FOLDERS)


# The reasons of the ownership requirements; report-pr recomputes exactly these from trusted CODEOWNERS.
PATH_REASONS = {
    "A": "bestand toevoegen",
    "M": "bestand wijzigen",
    "R": "bestand toevoegen",
    "D": "bestand verwijderen",
    "oud": "oud pad weghalen (hernoemen)",
}


class GitError(Exception):
    """git refused (not a repository, unknown ref): a usage error with git's own words."""


class OnBehalfRefused(Exception):
    """``--on-behalf-of`` was asked for an author that is not a declared automation account."""


@dataclass(frozen=True)
class OnBehalfOf:
    """The person an automation account opened the PR for, and the issue they filed."""

    login: str
    issue: int


@dataclass(frozen=True)
class Change:
    status: str  # A, M, R or D
    path: str
    old_path: str | None = None


class Git:
    """A thin, explicit wrapper around the ``git`` command line for one repository."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def run(self, *args: str, env: dict[str, str] | None = None, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        try:
            result = subprocess.run(["git", *args], cwd=self.root, capture_output=True, env=env, check=False)
        except FileNotFoundError:
            raise GitError("het programma git is niet gevonden; installeer git") from None
        if check and result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GitError(f"git {args[0]} mislukt: {message[-1] if message else 'onbekende fout'}")
        return result

    def toplevel(self) -> Path:
        try:
            out = self.run("rev-parse", "--show-toplevel").stdout.decode().strip()
        except GitError:
            raise GitError(f"{self.root} is geen git-repository") from None
        return Path(out).resolve()

    def commit(self, ref: str) -> str:
        if ref.startswith("-"):
            raise GitError(f"ongeldige ref {ref!r}")
        result = self.run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}", check=False)
        if result.returncode != 0:
            raise GitError(f"onbekende ref {ref!r}: geen commit met die naam in deze repository")
        return result.stdout.decode().strip()

    def merge_base(self, a: str, b: str) -> str:
        result = self.run("merge-base", a, b, check=False)
        if result.returncode != 0:
            raise GitError(f"{a[:12]} en {b[:12]} hebben geen gemeenschappelijke voorouder")
        return result.stdout.decode().strip()

    def changes(self, since: str, head: str | None) -> list[Change]:
        """Added, modified, renamed and deleted files from ``since`` to ``head`` (None: the working tree)."""
        args = ["diff", "--name-status", "-z", "-M", "--no-ext-diff", "--no-textconv", since]
        if head:
            args.append(head)
        fields = self.run(*args).stdout.decode("utf-8", "surrogateescape").split("\0")
        changes: list[Change] = []
        i = 0
        while i < len(fields) - 1:
            status = fields[i]
            if status[:1] in "RC":
                old, new = fields[i + 1], fields[i + 2]
                changes.append(Change("R", new, old) if status[0] == "R" else Change("A", new))
                i += 3
                continue
            path = fields[i + 1]
            changes.append(Change({"A": "A", "D": "D"}.get(status[:1], "M"), path))
            i += 2
        if head is None:
            untracked = self.run("ls-files", "--others", "--exclude-standard", "-z").stdout.decode("utf-8", "surrogateescape")
            changes.extend(Change("A", p) for p in untracked.split("\0") if p)
        return sorted(changes, key=lambda c: c.path)

    def read(self, commit: str, path: str) -> bytes | None:
        result = self.run("cat-file", "blob", f"{commit}:{path}", check=False)
        return result.stdout if result.returncode == 0 else None

    def grep_files(self, commit: str | None, words: list[str], folders: tuple[str, ...]) -> list[str]:
        """Files that mention any of ``words`` as a whole word: candidates that may reference them."""
        if not words:
            return []
        args = ["grep", "-l", "-F", "-w", "-I"]
        for word in words:
            args += ["-e", word]
        if commit:
            args.append(commit)
        result = self.run(*args, "--", *folders, check=False)
        names = result.stdout.decode("utf-8", "surrogateescape").splitlines()
        return [n.split(":", 1)[1] if commit and ":" in n else n for n in names]

    def worktree_is(self, commit: str, folders: tuple[str, ...]) -> bool:
        """True when the checkout is at ``commit`` with no changes (nor new files) in ``folders``."""
        if self.commit("HEAD") != commit:
            return False
        return not self.run("status", "--porcelain", "--", *folders).stdout.strip()

    @contextmanager
    def tree(self, commit: str) -> Iterator[Path]:
        """The files of ``commit`` in a temporary folder, using a private index; removed afterwards.

        The folder goes to RAM (``/dev/shm``) where there is one: writing ten thousand small files
        is several times faster there than on a busy disk.
        """
        ram = Path("/dev/shm")
        where = str(ram) if ram.is_dir() and os.access(ram, os.W_OK) else None
        with tempfile.TemporaryDirectory(prefix="kansrijk-head-", dir=where) as tmp:
            env = {**os.environ, "GIT_INDEX_FILE": str(Path(tmp) / "index")}
            out = Path(tmp) / "tree"
            self.run("read-tree", commit, env=env)
            self.run("checkout-index", "--all", "--force", f"--prefix={out}/", env=env)
            out.mkdir(exist_ok=True)
            yield out


def read_codeowners(git: Git, commit: str) -> tuple[CodeOwners, str]:
    for location in LOCATIONS:
        raw = git.read(commit, location)
        if raw is not None:
            return CodeOwners.parse(raw.decode("utf-8", "replace"), location), location
    return CodeOwners([], []), LOCATIONS[0]


def _union(*groups: tuple[Owner, ...]) -> list[str]:
    seen: dict[str, str] = {}
    for group in groups:
        for handle in owner_handles(group):
            seen.setdefault(handle.lower(), handle)
    return list(seen.values())


def path_requirements(codeowners: CodeOwners, status: str, path: str, old_path: str | None) -> list[Requirement]:
    """Owner of the path or a maintainer; outside the record folders that is maintainer work (level "beheerder")."""

    def requirement(target: str, reason: str) -> Requirement:
        level = "eigenaar" if is_record_area(target) else "beheerder"
        return Requirement(reason, level, _union(codeowners.owners_of(target), codeowners.default_owners))

    found = [requirement(path, PATH_REASONS[status])]
    if status == "R" and old_path:
        found.append(requirement(old_path, PATH_REASONS["oud"]))
    return found


def _file_problem(p: Problem) -> FileProblem:
    return FileProblem(p.line, p.column, p.severity.value, p.field_name, p.code, p.message)


def _history_of(raw: bytes | None, name: str) -> list[dict] | None:
    """The ``historie`` list of an application's old version, or None when it cannot be read."""
    if raw is None:
        return []
    try:
        data = load_bytes(raw, name).data
    except LoadError:
        return None
    history = data.get("historie", [])
    return history if isinstance(history, list) else None


class PullRequestCheck:
    """One run of ``check-pr``: builds the :class:`PrReport`."""

    def __init__(
        self,
        git: Git,
        base: str,
        merge_base: str,
        head: str | None,
        author: str,
        teams: list[str] | None,
        on_behalf_of: OnBehalfOf | None = None,
    ) -> None:
        self.git = git
        self.base = base
        self.merge_base = merge_base
        self.head = head
        self.author = author
        self.teams = teams
        self.on_behalf_of = on_behalf_of
        # whose rights count, and who must be the actor of new history entries
        self.actor = on_behalf_of.login if on_behalf_of else author
        self.codeowners, self.codeowners_source = read_codeowners(git, base)
        self.maintainers = self.codeowners.default_owners

    def run(self, head_root: Path) -> PrReport:
        changes = self.git.changes(self.merge_base, self.head)
        repo = Repository(head_root)
        files: dict[str, FileReport] = {}
        for change in changes:
            files[change.path] = self.describe(change, repo)
        report = PrReport(
            base=self.base,
            merge_base=self.merge_base,
            head=self.head,
            author=self.author,
            teams=self.teams,
            codeowners_source=self.codeowners_source,
            maintainers=owner_handles(self.maintainers),
            files=[],
            on_behalf_of=self.on_behalf_of.login if self.on_behalf_of else None,
            issue=self.on_behalf_of.issue if self.on_behalf_of else None,
        )
        if not self.maintainers:
            report.notes.append(
                f"{self.codeowners_source} op de basis heeft geen regel '*' met beheerders; alleen eigenaars van paden kunnen goedkeuren."
            )
        for problem in self.codeowners.problems:
            report.notes.append(f"{self.codeowners_source} regel {problem.line}: {problem.message}")
        for problem in self.validation_problems(changes, repo):
            entry = files.setdefault(problem.file, FileReport(path=problem.file, change="", record=True))
            entry.problems.append(_file_problem(problem))
        report.files = [files[k] for k in sorted(files)]
        report.evaluate()
        return report

    def describe(self, change: Change, repo: Repository) -> FileReport:
        record = is_record_area(change.path) or (change.old_path is not None and is_record_area(change.old_path))
        ref = classify(change.path)
        entry = FileReport(
            path=change.path, change=change.status, old_path=change.old_path, kind=ref.kind if ref else None, record=record
        )
        entry.requirements = path_requirements(self.codeowners, change.status, change.path, change.old_path)
        if ref is not None and change.status != "D":
            loaded = repo.load(ref)
            if loaded is not None:
                self.add_labels(entry, loaded)
        old_ref = classify(change.old_path) if change.old_path else None
        if "aanvraag" in (ref and ref.kind, old_ref and old_ref.kind):
            self.check_history(change, entry, repo)
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

    def check_history(self, change: Change, entry: FileReport, repo: Repository) -> None:
        """Append-only history against the merge base, new entries by the author, transitions by role."""
        old_path = change.old_path or change.path
        old_ref = classify(old_path)
        if old_ref is None or old_ref.kind != "aanvraag":
            return
        old_history = _history_of(self.git.read(self.merge_base, old_path) if change.status != "A" else None, old_path)
        if change.status == "D":
            if old_history:
                entry.requirements.append(
                    Requirement("een aanvraag met statusgeschiedenis verwijderen", "beheerder", owner_handles(self.maintainers))
                )
            return
        ref = classify(change.path)
        record = repo.load(ref) if ref else None
        if record is None or not isinstance(record.data.get("historie"), list):
            return
        new_history: list = record.data["historie"]
        if old_history is None:
            entry.problems.append(
                FileProblem(
                    1,
                    1,
                    "waarschuwing",
                    "historie",
                    "historie-basis-onleesbaar",
                    "de vorige versie is niet te lezen; de historie is niet vergeleken",
                )
            )
            return

        def line_of(index: int) -> int:
            return repo.locate(record, ("historie", index))[0]

        for index, old_entry in enumerate(old_history):
            if index >= len(new_history):
                entry.problems.append(
                    FileProblem(
                        line_of(max(len(new_history) - 1, 0)) if new_history else 1,
                        1,
                        "fout",
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
                        "fout",
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
                        "fout",
                        f"historie[{index}].door",
                        "historie-door",
                        f"een nieuwe stap moet 'door: {self.actor}' hebben ({who}), niet {actor!r}",
                    )
                )
            role = TRANSITIONS.get((previous, status)) if isinstance(status, str) else None
            if role is Role.MAINTAINER:
                entry.requirements.append(
                    Requirement(
                        f"status '{previous}' → '{status}' zetten",
                        "beheerder",
                        owner_handles(self.maintainers),
                        line=line_of(index),
                    )
                )
            previous = status

    def validation_problems(self, changes: list[Change], repo: Repository) -> list[Problem]:
        """Problems of the changed records, plus of records that referenced what was removed or renamed."""
        if any(c.path.startswith(REPOSITORY_WIDE) or (c.old_path or "").startswith(REPOSITORY_WIDE) for c in changes):
            return validate(repo).problems
        present = [c.path for c in changes if c.status != "D" and is_record_area(c.path)]
        gone_keys = []
        for c in changes:
            gone = c.path if c.status == "D" else c.old_path if c.status == "R" else None
            ref = classify(gone) if gone else None
            if ref is not None and ref.kind != "aanvraag":
                gone_keys.append(ref.key)
        referencing = [
            p
            for p in self.git.grep_files(self.head, gone_keys, ("interventions", "coalitions", "rounds"))
            if classify(p) is not None
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
    check = PullRequestCheck(git, base_sha, merge_base, head_sha, author, teams, on_behalf_of)
    if head_sha is None:
        return check.run(root)
    if git.worktree_is(head_sha, VALIDATED_FOLDERS):  # the usual CI case: the PR is checked out already
        return check.run(root)
    with git.tree(head_sha) as tree:
        return check.run(tree)
