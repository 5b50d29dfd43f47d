"""``kansrijk schemas [--write]``: keep every record schema self-contained and in step with the common definitions."""

from __future__ import annotations

import argparse

from ..repo_root import root_from_args


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--write", action="store_true", help="rewrite the record schemas that are not current")


def run(args: argparse.Namespace) -> int:
    from ..schemas import bundle_schemas

    stale = bundle_schemas(root_from_args(args) / "schemas", write=args.write)
    if stale and not args.write:
        print(
            "niet actueel (gedeelde definities verouderd of verwijzingen naar een ander bestand) in: "
            + ", ".join(stale)
            + "; voer 'kansrijk schemas --write' uit"
        )
        return 1
    print("bijgewerkt: " + ", ".join(stale) if stale else "alle schema's zijn actueel")
    return 0
