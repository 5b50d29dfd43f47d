"""``kansrijk demo-corpus``: a complete synthetic repository for benchmarks and load tests."""

from __future__ import annotations

import argparse
from pathlib import Path

from kansrijk.cli.repo_root import UsageError, root_from_args


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, help="folder to write (must be empty or absent)")
    parser.add_argument("--records", type=int, required=True, help="total number of records")
    parser.add_argument("--seed", type=int, default=1, help="random seed; the same seed gives the same corpus")


def run(args: argparse.Namespace) -> int:
    from kansrijk.tools.demo_corpus import write_demo_corpus

    if args.records < 10:
        raise UsageError("--records moet minstens 10 zijn")
    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        raise UsageError(f"{out} is niet leeg; kies een lege of nieuwe map")
    counts = write_demo_corpus(out, args.records, args.seed, root_from_args(args))
    print(", ".join(f"{n} {kind}" for kind, n in counts.items()) + f" geschreven naar {out}")
    return 0
