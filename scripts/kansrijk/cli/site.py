"""``kansrijk site render``: write docs/ plus every generated page into a folder, for any site engine."""

from __future__ import annotations

import argparse
from pathlib import Path

from kansrijk.cli.repo_root import UsageError, root_from_args


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="site_action", required=True)
    render = actions.add_parser("render", help="write docs/ and the generated pages into --out (no site engine needed)")
    render.add_argument("--out", required=True, help="folder to write; must be empty or absent")
    render.add_argument("--today", help="date the pages are computed against (YYYY-MM-DD; default: today)")


def run(args: argparse.Namespace) -> int:
    import datetime
    import sys

    from kansrijk.site.engine.build import InvalidRepository
    from kansrijk.site.engine.render import render_site

    root = root_from_args(args)
    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        raise UsageError(f"{out} is niet leeg; kies een lege of nieuwe map")
    try:
        today = datetime.date.fromisoformat(args.today) if args.today else None
    except ValueError:
        raise UsageError(f"--today {args.today!r} is geen datum in de vorm JJJJ-MM-DD") from None
    try:
        written = render_site(root, out, today)
    except InvalidRepository as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{written} gegenereerde pagina's geschreven; docs/ gekopieerd naar {out}")
    return 0
