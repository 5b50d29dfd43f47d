"""The ``git`` command line, wrapped for one repository: the only place ``check-pr`` and ``report-pr`` run git.

Every call goes through :meth:`Git.run`, which turns git's refusals into :class:`GitError` with git's own
words, so the commands above report a usage error instead of a traceback.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kansrijk.records.kinds import RECORD_FOLDERS
from kansrijk.records.tree import EntryKind

# git tree modes -> entry kinds; any other mode is a regular file (100644, 100755)
_GIT_MODES = {"040000": EntryKind.DIRECTORY, "120000": EntryKind.SYMLINK, "160000": EntryKind.SUBMODULE}


class GitError(Exception):
    """git refused (not a repository, unknown ref): a usage error with git's own words."""


@dataclass(frozen=True)
class Change:
    """One path the change touches: added (A), modified (M) or deleted (D) between two trees.

    ``moved_from`` is for people only: the path git pairs an addition with when it sees a rename. The judge
    never reads it, so its verdict cannot depend on how git pairs files (a rename is a deletion and an addition).
    """

    status: str  # A, M or D
    path: str
    moved_from: str | None = None


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

    # How git pairs a deletion with an addition for the labels people read ("hernoemd van"); never judged.
    PAIRING: tuple[str, ...] = ("-M",)

    def changes(self, since: str, head: str | None) -> list[Change]:
        """Every path added, modified or deleted from ``since`` to ``head`` (None: the working tree).

        The list itself comes from ``--no-renames``, so it is the same however git would pair files:
        a rename is its old path deleted and its new path added, a type change (a file that became a
        symlink) a modification, a copy an addition. Git's pairing only labels additions (``moved_from``).
        """
        changes = {path: Change(status, path) for status, path, _ in self._name_status(since, head, ("--no-renames",))}
        if any(c.status == "A" for c in changes.values()) and any(c.status == "D" for c in changes.values()):
            for status, path, source in self._name_status(since, head, self.PAIRING):
                if status in "RC" and source and path in changes and changes[path].status == "A":
                    changes[path] = Change("A", path, moved_from=source)
        if head is None:
            untracked = self.run("ls-files", "--others", "--exclude-standard", "-z").stdout.decode("utf-8", "surrogateescape")
            changes.update((p, Change("A", p)) for p in untracked.split("\0") if p)
        return sorted(changes.values(), key=lambda c: c.path)

    def _name_status(self, since: str, head: str | None, options: tuple[str, ...]) -> Iterator[tuple[str, str, str | None]]:
        """(status letter, path, source path of a rename or copy) from ``git diff --name-status``."""
        args = ["diff", "--name-status", "-z", *options, "--no-ext-diff", "--no-textconv", since]
        if head:
            args.append(head)
        fields = self.run(*args).stdout.decode("utf-8", "surrogateescape").split("\0")
        i = 0
        while i < len(fields) - 1:
            letter = fields[i][:1]
            if letter in "RC":
                yield letter, fields[i + 2], fields[i + 1]
                i += 3
            else:
                yield {"A": "A", "D": "D"}.get(letter, "M"), fields[i + 1], None
                i += 2

    def entry_kinds(self, commit: str, folders: tuple[str, ...] = RECORD_FOLDERS) -> dict[str, EntryKind]:
        """Every entry (folders too) below ``folders`` at ``commit``, with its kind from git's tree mode."""
        listing = self.run("ls-tree", "-r", "-t", "-z", "--full-tree", commit, "--", *folders).stdout
        kinds: dict[str, EntryKind] = {}
        for line in listing.decode("utf-8", "surrogateescape").split("\0"):
            if line:
                meta, _, path = line.partition("\t")
                kinds[path] = _GIT_MODES.get(meta.split(" ", 1)[0], EntryKind.FILE)
        return kinds

    def merge_tree(self, base: str, head: str) -> tuple[str | None, list[str]]:
        """The tree that merging ``head`` into ``base`` gives, or None and the conflicting paths."""
        result = self.run("merge-tree", "--write-tree", "--name-only", "--no-messages", "-z", base, head, check=False)
        fields = [f for f in result.stdout.decode("utf-8", "surrogateescape").split("\0") if f]
        if result.returncode == 0 and fields:
            return fields[0].strip(), []
        if result.returncode == 1 and fields:
            return None, sorted(set(fields[1:]))
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git merge-tree mislukt: {message[-1] if message else 'onbekende fout'}")

    def first_parents(self, base: str, head: str) -> list[str]:
        """The commits from ``base`` (excluded) to ``head`` along first parents, oldest first: a merge queue's entries."""
        out = self.run("rev-list", "--first-parent", "--reverse", f"{base}..{head}").stdout.decode()
        return out.split()

    def parent(self, commit: str) -> str:
        return self.commit(f"{commit}^1")

    def subject(self, commit: str) -> str:
        return self.run("log", "-1", "--format=%s", commit).stdout.decode("utf-8", "replace").strip()

    def blob(self, commit: str, path: str) -> str | None:
        """The blob id of ``path`` at ``commit``, as GitHub's file lists give it; None when absent."""
        result = self.run("rev-parse", "--verify", "--quiet", f"{commit}:{path}", check=False)
        return result.stdout.decode().strip() if result.returncode == 0 else None

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
    def tree(self, commit: str, folders: tuple[str, ...] = (), folders_from: str | None = None) -> Iterator[Path]:
        """The files of ``commit`` in a temporary folder, using a private index; removed afterwards.

        With ``folders_from``, the ``folders`` are taken from that commit instead (the trusted job
        validates with the base's schemas and vocabularies, never the PR's). The folder goes to RAM
        (``/dev/shm``) where there is one: writing ten thousand small files is several times faster
        there than on a busy disk.
        """
        ram = Path("/dev/shm")
        where = str(ram) if ram.is_dir() and os.access(ram, os.W_OK) else None
        with tempfile.TemporaryDirectory(prefix="kansrijk-head-", dir=where) as tmp:
            env = {**os.environ, "GIT_INDEX_FILE": str(Path(tmp) / "index")}
            out = Path(tmp) / "tree"
            self.run("read-tree", commit, env=env)
            for folder in folders if folders_from else ():
                self.run("rm", "-r", "-q", "--cached", "--ignore-unmatch", "--", folder, env=env)
                source = f"{folders_from}:{folder}"
                if self.run("cat-file", "-e", source, check=False).returncode == 0:
                    self.run("read-tree", f"--prefix={folder}/", source, env=env)
            self.run("checkout-index", "--all", "--force", f"--prefix={out}/", env=env)
            out.mkdir(exist_ok=True)
            yield out
