"""``kansrijk fmt [PATH ...] [--check]``: put record files in house style, keeping every comment."""

from __future__ import annotations

import argparse
from pathlib import Path

from kansrijk.cli.repo_root import UsageError, root_from_args


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", help="record files or folders (default: every record in the repository)")
    parser.add_argument("--check", action="store_true", help="change nothing; list files that would change and exit 1 if any")


def _targets(root: Path, paths: list[str]) -> list[str]:
    """Repository-relative record paths named by ``paths`` (folders expand to the records inside)."""
    from kansrijk.checks.validate import relative_paths
    from kansrijk.records.model import Repository

    repo = Repository(root)
    every = sorted(ref.path for refs in repo.index.values() for ref in refs.values())
    if not paths:
        return every
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise UsageError(f"bestaat niet: {', '.join(missing)}")
    try:
        rels = relative_paths(root, paths)
    except ValueError:
        raise UsageError(f"alle paden moeten binnen {root} liggen") from None
    chosen: list[str] = []
    for rel in rels:
        if (root / rel).is_dir():
            prefix = "" if rel == "." else rel.rstrip("/") + "/"
            chosen.extend(path for path in every if path.startswith(prefix))
        else:
            chosen.append(rel)
    return list(dict.fromkeys(chosen))


def run(args: argparse.Namespace) -> int:
    from kansrijk.records.model import classify
    from kansrijk.records.schemas import load_record_schemas
    from kansrijk.tools.fmt import format_file, write_atomically

    root = root_from_args(args)
    schemas = load_record_schemas(root / "schemas")
    changed: list[str] = []
    failed = 0
    targets = _targets(root, args.paths)
    for rel in targets:
        ref = classify(rel)
        if ref is None:
            print(f"{rel}:1:1: fout: dit is geen recordbestand; kansrijk fmt maakt alleen records op.")
            failed += 1
            continue
        outcome = format_file(root / rel, root, rel, schemas[ref.kind].document)
        if outcome.problem is not None:
            p = outcome.problem
            print(f"{p.file}:{p.line}:{p.column}: {p.severity.value}: {p.message}")
            failed += 1
        elif outcome.changed:
            changed.append(rel)
            if args.check:
                print(f"zou veranderen: {rel}")
            else:
                write_atomically(root / rel, outcome.new_text or "")
                print(f"opgemaakt: {rel}")
    verb = "zouden veranderen" if args.check else "opgemaakt"
    print(f"{len(targets)} bestanden bekeken: {len(changed)} {verb}, {failed} niet te verwerken.")
    if failed or (args.check and changed):
        if args.check and changed:
            print("Voer 'kansrijk fmt' uit om ze op te maken.")
        return 1
    return 0
