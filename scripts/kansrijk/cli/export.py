"""``kansrijk export --out DIR``: the validated repository as a Frictionless Data Package."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kansrijk.cli.repo_root import UsageError, root_from_args


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, help="folder to write the data package into (created if missing)")


def run(args: argparse.Namespace) -> int:
    from kansrijk.checks.reporters import render_text
    from kansrijk.checks.validate import validate
    from kansrijk.opendata.export import export_package
    from kansrijk.records.model import Repository

    root = root_from_args(args)
    out_dir = Path(args.out).resolve()
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{args.out} is geen map")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / "datapackage.json").is_file():
        raise UsageError(f"{args.out} is niet leeg en bevat geen eerder datapakket; kies een lege map")
    if out_dir == root or root.is_relative_to(out_dir):
        raise UsageError("de uitvoermap mag de repository niet bevatten; kies een andere map")
    repo = Repository(root)
    report = validate(repo)
    if report.errors:
        sys.stderr.write(render_text(report.errors, report.files_checked))
        print("kansrijk export: niets geschreven; los eerst de fouten hierboven op.", file=sys.stderr)
        return 1
    result = export_package(repo, out_dir)
    rows = ", ".join(f"{name} {count}" for name, count in result.row_counts.items())
    print(f"datapakket geschreven naar {out_dir}: {rows}")
    return 0
