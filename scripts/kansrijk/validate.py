"""Validation of a repository or of some of its files: schemas first, then the rules."""

from __future__ import annotations

from pathlib import Path

from .grants import GRANT_RULES
from .model import RecordRef, Repository, classify, is_record_area
from .problems import Problem, ProblemCollector, Severity
from .rules import RULES


def record_refs_for(repo: Repository, paths: list[str] | None, collector: ProblemCollector) -> list[RecordRef]:
    """The records to check: all of them, or those named by ``paths`` (files or folders)."""
    if paths is None:
        for stray in repo.stray_files:
            collector.add(_unrecognised(stray))
        return [ref for refs in repo.index.values() for ref in refs.values()]
    refs: list[RecordRef] = []
    for rel in paths:
        full = repo.root / rel
        if full.is_dir():
            refs.extend(
                ref for kind in repo.index.values() for ref in kind.values() if ref.path.startswith(rel.rstrip("/") + "/")
            )
            continue
        ref = classify(rel)
        if ref is None:
            if is_record_area(rel):
                collector.add(_unrecognised(rel))
            continue
        refs.append(ref)
    return refs


def _unrecognised(rel: str) -> Problem:
    advice = (
        "gebruik interventions/<kenmerk>.yaml, coalitions/<kenmerk>/coalitie.yaml, "
        "coalitions/<kenmerk>/aanvraag-<ronde>.yaml of rounds/<kenmerk>.yaml"
    )
    hint = " (de extensie moet .yaml zijn, niet .yml)" if rel.endswith(".yml") else ""
    return Problem(
        rel, 1, 1, Severity.ERROR, f"deze bestandsnaam hoort bij geen recordsoort{hint}; {advice}.", (), "bestandsnaam"
    )


def validate(repo: Repository, paths: list[str] | None = None) -> ProblemCollector:
    collector = ProblemCollector()
    refs = record_refs_for(repo, paths, collector)
    repo.load_all(refs)
    targets = []
    for ref in refs:
        collector.extend(repo.file_problems(ref.path))
        record = repo.load(ref)
        if record is not None and record.valid:
            targets.append(record)
    for rule in [*RULES, *GRANT_RULES]:
        collector.extend(list(rule(repo, targets)))
    return collector


def relative_paths(root: Path, paths: list[str]) -> list[str]:
    """Repository-relative POSIX paths for command-line arguments."""
    out = []
    for raw in paths:
        full = Path(raw).resolve()
        out.append(full.relative_to(root.resolve()).as_posix())
    return out
