"""``kansrijk schemas [--write]``: keep the embedded common definitions in step with their source."""

from __future__ import annotations

import argparse

from ..repo_root import root_from_args


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--write", action="store_true", help="rewrite stale record schemas")


def run(args: argparse.Namespace) -> int:
    from ..schemas import bundle_schemas

    stale = bundle_schemas(root_from_args(args) / "schemas", write=args.write)
    if stale and not args.write:
        print("verouderde ingebedde definities in: " + ", ".join(stale) + "; voer 'kansrijk schemas --write' uit")
        return 1
    print("bijgewerkt: " + ", ".join(stale) if stale else "alle schema's zijn actueel")
    return 0
