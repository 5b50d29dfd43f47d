"""Benchmark: ``kansrijk check-pr`` on a 10,000-record demo repository with 3 changed files.

Target (issue #5): under 2 s wall time on this 2-core machine. Printed in one run:
- ``check-pr --head pr`` (the head commit written to a temporary folder) and
  ``check-pr`` on the working tree, each the median of a few runs, as a ratio to the 2 s target;
- as a named baseline, ``kansrijk validate`` of the whole repository, and the ratio of check-pr to it.

The 3 changes: a coalition edited, an application with a new history step, an intervention edited.

Usage: python benchmarks/bench_check_pr.py [--records 10000] [--runs 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 2.0
MAINTAINERS = "kansrijke-start/beheerders"  # the author counts as a maintainer, so a clean run exits 0


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, check=False)


def git(repo: Path, *args: str) -> None:
    result = run("git", "-c", "user.email=bench@example.org", "-c", "user.name=Bench", *args, cwd=repo)
    if result.returncode != 0:
        sys.exit(f"git {' '.join(args)} failed: {result.stderr}")


def timed(command: list[str], cwd: Path, runs: int) -> tuple[float, int]:
    times = []
    code = 0
    for _ in range(runs):
        start = time.perf_counter()
        code = run(*command, cwd=cwd).returncode
        times.append(time.perf_counter() - start)
    return statistics.median(times), code


def _last(path: Path, field: str) -> str:
    """The last value of ``field:`` in a record file (the latest history step for an application)."""
    values = [
        line.split(":", 1)[1].strip()
        for line in path.read_text().splitlines()
        if line.strip().removeprefix("- ").startswith(f"{field}:")
    ]
    return values[-1] if values else ""


def make_changes(repo: Path) -> list[str]:
    """Edit one coalition, append a step to one application, edit one intervention; returns the paths."""
    coalition = next(p for p in sorted((repo / "coalitions").glob("*/coalitie.yaml")) if "voorbeeld" not in p.parent.name)
    application = next(p for p in sorted((repo / "coalitions").glob("*/aanvraag-*.yaml")) if _last(p, "status") == "ingediend")
    intervention = sorted((repo / "interventions").glob("*.yaml"))[0]
    coalition.write_text(coalition.read_text().replace("naam: ", "naam: Gewijzigd ", 1))
    intervention.write_text(intervention.read_text().replace("naam: ", "naam: Gewijzigd ", 1))
    step = f"  - datum: {_last(application, 'datum')}\n    status: ingetrokken\n    door: bench\n"
    application.write_text(application.read_text().rstrip("\n") + "\n" + step)
    return [str(p.relative_to(repo)) for p in (coalition, application, intervention)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", help="build the corpus in this folder and keep it")
    args = parser.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kansrijk-bench-pr-"))
    repo = work / "repo"
    try:
        if not repo.exists():
            result = run(
                "kansrijk", "--root", str(ROOT), "demo-corpus", "--out", str(repo), "--records", str(args.records), cwd=ROOT
            )
            if result.returncode != 0:
                sys.exit(f"demo-corpus failed: {result.stderr}")
            git(repo, "init", "-q", "-b", "main")
            git(repo, "add", "-A")
            git(repo, "commit", "-q", "-m", "corpus")
        git(repo, "checkout", "-q", "-B", "pr", "main")
        changed = make_changes(repo)
        git(repo, "commit", "-q", "-am", "drie wijzigingen")
        git(repo, "checkout", "-q", "main")  # so that --head pr has to write the head commit to a temporary tree
        print(f"corpus: {args.records} records in {repo}; changed: {', '.join(changed)}")

        base = ["kansrijk", "--root", str(repo)]
        check_pr = [
            *base,
            "check-pr",
            "--base",
            "main",
            "--head",
            "pr",
            "--author",
            "bench",
            "--teams",
            MAINTAINERS,
            "--format",
            "json",
        ]
        head_time, head_code = timed(check_pr, repo, args.runs)
        git(repo, "checkout", "-q", "pr")  # the CI case: the PR is checked out; --head equals HEAD and the tree is clean
        tree_time, tree_code = timed(check_pr, repo, args.runs)
        full_time, _ = timed([*base, "validate", "--format", "json"], repo, 1)

        print(
            f"check-pr --head pr (temporary tree): {head_time:6.2f} s  = {head_time / TARGET_SECONDS:.2f}x the 2 s target (exit {head_code})"
        )
        print(
            f"check-pr --head pr (checked out):    {tree_time:6.2f} s  = {tree_time / TARGET_SECONDS:.2f}x the 2 s target (exit {tree_code})"
        )
        print(
            f"baseline: kansrijk validate (all):   {full_time:6.2f} s; check-pr --head takes {head_time / full_time:.2f}x of it"
        )
        ok = max(head_time, tree_time) < TARGET_SECONDS
        print("target met" if ok else "TARGET MISSED")
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
