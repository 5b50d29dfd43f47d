"""Validation of a repository or of some of its files: schemas first, then the rules."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kansrijk.checks.entries import judge_entry, judge_walk, scan_record_folders
from kansrijk.checks.grants import GRANT_RULES
from kansrijk.checks.rules import RULES
from kansrijk.records.kinds import is_record_area
from kansrijk.records.model import RecordRef, Repository, classify
from kansrijk.records.problems import Problem, sort_problems
from kansrijk.records.tree import EntryKind, entry_kind_on_disk, is_allowed_folder


@dataclass(frozen=True)
class ValidationReport:
    """Every problem of one run, errors and warnings kept apart."""

    problems: list[Problem]
    files_checked: int

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def record_refs_for(repo: Repository, paths: list[str] | None) -> tuple[list[RecordRef], list[Problem]]:
    """The records to check (all, or those named by ``paths``) and a refusal for every odd entry among them.

    A named path is judged by the same entry rule as the full scan (``entries.judge_entry``): a folder is
    entered only when a record folder may hold it, so a directory where a record belongs is refused, never skipped.
    """
    if paths is None:
        return [ref for refs in repo.index.values() for ref in refs.values()], judge_walk(repo.folder_walk)[1]
    refs: list[RecordRef] = []
    problems: list[Problem] = []
    for rel in paths:
        if not is_record_area(rel):
            continue
        kind = entry_kind_on_disk(repo.root / rel)
        if kind is EntryKind.DIRECTORY and is_allowed_folder(rel):
            accepted, refused = scan_record_folders(repo.root, [rel])
            refs.extend(ref for ref in map(classify, accepted) if ref is not None)
            problems.extend(refused)
            continue
        problem = judge_entry(rel, kind)
        ref = classify(rel)
        if problem is not None:
            problems.append(problem)
        elif ref is not None and kind is EntryKind.FILE:
            refs.append(ref)
    return refs, problems


def validate(repo: Repository, paths: list[str] | None = None) -> ValidationReport:
    """Check the records named by ``paths`` (default: all), resolving references repository-wide."""
    refs, problems = record_refs_for(repo, paths)
    repo.load_all(refs)
    targets = []
    for ref in refs:
        problems.extend(repo.file_problems(ref.path))
        record = repo.load(ref)
        if record is not None and record.valid:
            targets.append(record)
    for rule in [*RULES, *GRANT_RULES]:
        problems.extend(rule(repo, targets))
    checked = len({ref.path for ref in refs} | {p.file for p in problems})
    return ValidationReport(sort_problems(problems), checked)


def relative_paths(root: Path, paths: list[str]) -> list[str]:
    """Repository-relative POSIX paths for command-line arguments; the last part is never followed (it may be a symlink)."""
    found = []
    for raw in paths:
        absolute = Path(os.path.abspath(raw))
        where = Path(os.path.realpath(absolute.parent)) / absolute.name if absolute.name else Path(os.path.realpath(absolute))
        found.append(where.relative_to(root.resolve()).as_posix())
    return found
