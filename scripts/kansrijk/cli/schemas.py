"""``kansrijk schemas [--write]``: keep every record schema self-contained and in step with the common
definitions, the pre-commit hook patterns in step with the kinds table, every code list a schema names declared in
``vocab/datapackage.json``, and every schema change under a new
version in ``schemas/CHANGELOG.md`` (``schemaversions.py``)."""

from __future__ import annotations

import argparse

from kansrijk.cli.repo_root import root_from_args


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--write", action="store_true", help="rewrite the record schemas and hook patterns that are not current")


def run(args: argparse.Namespace) -> int:
    from kansrijk.records.codelists import undeclared_code_lists
    from kansrijk.records.schema_versions import version_problem
    from kansrijk.records.schemas import bundle_schemas
    from kansrijk.tools.hookfiles import stale_hook_files

    root = root_from_args(args)
    stale = (
        bundle_schemas(root / "schemas", write=args.write)
        + stale_hook_files(root, write=args.write)
        + undeclared_code_lists(root, write=args.write)
    )
    if stale and not args.write:
        print(
            "niet actueel (gedeelde definities, verwijzingen naar een ander bestand, hookpatronen of codelijsten die nog "
            "niet in vocab/datapackage.json staan) in: " + ", ".join(stale) + "; voer 'kansrijk schemas --write' uit"
        )
        return 1
    version = version_problem(root / "schemas", write=args.write)  # after bundling: the copies count too
    if stale:
        print("bijgewerkt: " + ", ".join(stale))
    if version:
        print(version)
        return 1
    if not stale:
        print("alle schema's zijn actueel")
    return 0
