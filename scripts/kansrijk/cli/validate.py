"""``kansrijk validate [PATH ...]``: schemas and cross-record rules, every problem in one run."""

from __future__ import annotations

import argparse
import os
import sys

from kansrijk.cli.repo_root import UsageError, root_from_args


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", help="files or folders to check (default: the whole repository)")
    parser.add_argument("--format", choices=["text", "json", "github"], default="text")


def run(args: argparse.Namespace) -> int:
    from kansrijk.checks.reporters import RENDERERS
    from kansrijk.checks.validate import relative_paths, validate
    from kansrijk.records.model import Repository

    root = root_from_args(args)
    paths = None
    if args.paths:
        missing = [p for p in args.paths if not os.path.lexists(p)]
        if missing:
            raise UsageError(f"bestaat niet: {', '.join(missing)}")
        try:
            paths = relative_paths(root, args.paths)
        except ValueError:
            raise UsageError(f"alle paden moeten binnen {root} liggen") from None
    repo = Repository(root)
    report = validate(repo, paths)
    sys.stdout.write(RENDERERS[args.format](report.problems, report.files_checked))
    return 1 if report.errors else 0
