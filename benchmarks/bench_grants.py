"""Benchmark: what the grant rules and the grant pages cost, against named baselines, in one run.

1. ``kansrijk validate`` of 3 changed files (an awarded application, another application and a
   round) in a demo corpus of 10,000 records: wall time of the real command (target < 1.5 s), and
   in-process the same validation with and without ``GRANT_RULES`` (baseline: the rules of #2 only).
2. The whole corpus: the time of the grant rules against the time of loading every record
   (baseline: ``load_all``), so their share of a full validation shows.
3. A demo corpus of 5,000 records: generating the round pages and the monitor against generating
   the coalition pages (baseline: the site's own coalition generator), from one shared context.

Usage: python benchmarks/bench_grants.py [--validate-records 10000] [--site-records 5000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kansrijk.checks import validate as validation
from kansrijk.checks.grants import GRANT_RULES
from kansrijk.records.model import Repository
from kansrijk.tools.demo_corpus import write_demo_corpus

REPO = Path(__file__).resolve().parent.parent
TODAY = datetime.date(2026, 11, 23)


def best_of(runs: int, action: Callable[[], object]) -> float:
    """Fastest of ``runs`` timings: the least disturbed by other work on a shared machine."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def changed_files(root: Path) -> list[str]:
    awarded = next(p for p in sorted(root.glob("coalitions/*/aanvraag-*.yaml")) if "bedrag_toegekend" in p.read_text("utf-8"))
    other = sorted(root.glob("coalitions/*/aanvraag-*.yaml"))[-1]
    round_file = sorted(root.glob("rounds/*.yaml"))[0]
    return [p.relative_to(root).as_posix() for p in (awarded, other, round_file)]


def bench_validation(root: Path) -> None:
    paths = changed_files(root)
    wall = best_of(3, lambda: subprocess.run(["kansrijk", "validate", *paths], cwd=root, check=True, capture_output=True))
    saved = list(GRANT_RULES)
    with_rules = best_of(3, lambda: validation.validate(Repository(root), paths))
    GRANT_RULES.clear()
    try:
        without_rules = best_of(3, lambda: validation.validate(Repository(root), paths))
    finally:
        GRANT_RULES.extend(saved)
    print(f"3 changed files ({', '.join(paths)}):")
    print(f"  kansrijk validate (wall, process start included): {wall:.2f} s   target < 1.5 s")
    print(
        f"  in process, with grant rules {with_rules:.3f} s, baseline without {without_rules:.3f} s: ratio {with_rules / without_rules:.2f}x"
    )

    repo = Repository(root)
    refs, _ = validation.record_refs_for(repo, None)
    start = time.perf_counter()
    repo.load_all(refs)
    loading = time.perf_counter() - start
    targets = [r for r in (repo.load(ref) for ref in refs) if r is not None and r.valid]
    start = time.perf_counter()
    problems = sum(len(list(rule(repo, targets))) for rule in GRANT_RULES)
    rules = time.perf_counter() - start
    print(f"whole corpus ({len(targets)} records): grant rules {rules:.3f} s against baseline load_all {loading:.2f} s: ")
    print(f"  ratio {rules / loading:.2f}x, {problems} problems")


def bench_pages(root: Path) -> None:
    from kansrijk.site.engine.build import build_context
    from kansrijk.site.engine.pages import load_generators
    from kansrijk.site.sections.coalitions import coalition_pages
    from kansrijk.site.sections.monitor import monitor_pages
    from kansrijk.site.sections.rounds import round_pages

    load_generators()
    ctx = build_context(root, TODAY)
    baseline = best_of(1, lambda: list(coalition_pages(ctx)))
    rounds = best_of(1, lambda: list(round_pages(ctx)))
    monitor = best_of(1, lambda: list(monitor_pages(ctx)))
    pages = list(round_pages(ctx)) + list(monitor_pages(ctx))
    largest = max((p for p in pages if p.path.endswith(".md")), key=lambda p: len(p.content))
    print(f"pages for {len(ctx.repo.applications)} applications in {len(ctx.repo.rounds)} rounds:")
    print(f"  round pages {rounds:.3f} s, monitor {monitor:.3f} s; baseline coalition pages {baseline:.3f} s")
    print(f"  ratio (rounds + monitor) / coalition pages: {(rounds + monitor) / baseline:.2f}x")
    print(f"  {len(pages)} files; largest page {largest.path}: {len(largest.content) / 1024:.0f} KB of Markdown/HTML")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--validate-records", type=int, default=10_000)
    parser.add_argument("--site-records", type=int, default=5_000)
    parser.add_argument("--keep", help="write the corpora here and keep them")
    args = parser.parse_args()
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-grants-"))
    try:
        big, small = base / f"demo-{args.validate_records}", base / f"demo-{args.site_records}"
        for folder, records in ((big, args.validate_records), (small, args.site_records)):
            if not folder.exists():
                write_demo_corpus(folder, records, 1, REPO)
        bench_validation(big)
        bench_pages(small)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
