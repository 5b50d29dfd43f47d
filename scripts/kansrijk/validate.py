"""Validation of a repository or of some of its files: schemas first, then the rules."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .grants import GRANT_RULES
from .kinds import KINDS
from .model import RecordRef, Repository, classify, is_record_area
from .problems import Problem, Severity, sort_problems
from .rules import RULES


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
    """The records to check (all, or those named by ``paths``) and problems with file names."""
    if paths is None:
        return [ref for refs in repo.index.values() for ref in refs.values()], [_unrecognised(s) for s in repo.stray_files]
    refs: list[RecordRef] = []
    problems: list[Problem] = []
    for rel in paths:
        if (repo.root / rel).is_dir():
            prefix = rel.rstrip("/") + "/"
            refs.extend(ref for kind in repo.index.values() for ref in kind.values() if ref.path.startswith(prefix))
            problems.extend(_unrecognised(s) for s in repo.stray_files if s.startswith(prefix))
            continue
        ref = classify(rel)
        if ref is not None:
            refs.append(ref)
        elif is_record_area(rel):
            problems.append(_unrecognised(rel))
    return refs, problems


def _unrecognised(rel: str) -> Problem:
    *others, last = [kind.example_path for kind in KINDS.values()]  # every kind of kinds.py
    advice = f"gebruik {', '.join(others)} of {last}"
    hint = " (de extensie moet .yaml zijn, niet .yml)" if rel.endswith(".yml") else ""
    return Problem(
        rel, 1, 1, Severity.ERROR, f"deze bestandsnaam hoort bij geen recordsoort{hint}; {advice}.", (), "bestandsnaam"
    )


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
    """Repository-relative POSIX paths for command-line arguments."""
    return [Path(raw).resolve().relative_to(root.resolve()).as_posix() for raw in paths]
