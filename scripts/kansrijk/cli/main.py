"""The ``kansrijk`` command: one entry point, one subcommand per job.

Each subcommand lives in its own module that offers ``add_arguments(parser)``
and ``run(args) -> int``; modules import heavy libraries inside ``run`` so that
start-up stays fast. Exit codes: 0 success, 1 findings, 2 usage error.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from kansrijk import __version__
from kansrijk.cli.repo_root import UsageError
from kansrijk.records.kinds import KINDS
from kansrijk.records.schemas import SchemaFileError

# (subcommand, module, one-line help). Add a line here for a new subcommand.
COMMANDS: list[tuple[str, str, str]] = [
    ("validate", "kansrijk.cli.validate", "validate records against the schemas and cross-record rules"),
    ("demo-corpus", "kansrijk.cli.demo_corpus", "write a synthetic repository for benchmarks and load tests"),
    ("schemas", "kansrijk.cli.schemas", "check or refresh the common definitions embedded in each record schema"),
    ("check-pr", "kansrijk.cli.check_pr", "check a pull request's changes and permissions locally (no network)"),
    ("report-pr", "kansrijk.cli.report_pr", "judge a PR at one commit in the trusted job; set status, comment, labels"),
    (
        "sweep",
        "kansrijk.cli.sweep",
        "judge every open PR whose head has no verdict yet, oldest push first, within GitHub's budget",
    ),
    ("export", "kansrijk.cli.export", "write the validated records as a Frictionless Data Package"),
    ("fmt", "kansrijk.cli.fmt", "normalise the formatting of record files, keeping comments"),
    ("new", "kansrijk.cli.new", f"write a new, commented record skeleton ({', '.join(KINDS)})"),
    ("issue-to-pr", "kansrijk.cli.issue_to_pr", "turn an issue-form issue into a record on a branch and a pull request"),
    ("stale", "kansrijk.cli.stale", "list records whose facts were last checked too long ago, by owner"),
    ("site", "kansrijk.cli.site", "render the knowledge site's pages for any site engine (MkDocs builds them itself)"),
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kansrijk", description="Kansrijke Start knowledge base and grant programme tools.")
    parser.add_argument("--version", action="version", version=f"kansrijk {__version__}")
    parser.add_argument("--root", help="repository root (default: found from the current directory)")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, module_name, help_text in COMMANDS:
        module = importlib.import_module(module_name)
        command = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(command)
        command.set_defaults(func=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"kansrijk: {exc}", file=sys.stderr)
        return 2
    except SchemaFileError as exc:
        problem = exc.problem
        print(f"{problem.file}:{problem.line}:{problem.column}: {problem.severity.value}: {problem.message}")
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
