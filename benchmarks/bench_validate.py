"""Benchmark: ``kansrijk validate`` against check-jsonschema on the same files and schemas.

Baseline: check-jsonschema (one run per record schema over that schema's files),
validating the same demo corpus against the same JSON Schemas. It runs twice: on
the shipped schemas, and on a copy where each reference into the embedded common
definitions is rewritten as a local JSON pointer. The rules are identical, but
python-jsonschema resolves the local form about 4x faster, so that copy is the
stricter baseline and the 5x target is judged against it. Targets (issue #2,
2-core machine): full run under 3 s wall and 250 MB peak, at least 5x faster than
check-jsonschema; three changed files under 1.5 s.

    python benchmarks/bench_validate.py [--records 10000] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB (of this child) and exit code of one command."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024, status >> 8


def record_files(corpus: Path) -> dict[str, list[str]]:
    return {
        "interventie": sorted(str(p.relative_to(corpus)) for p in corpus.glob("interventions/*.yaml")),
        "coalitie": sorted(str(p.relative_to(corpus)) for p in corpus.glob("coalitions/*/coalitie.yaml")),
        "aanvraag": sorted(str(p.relative_to(corpus)) for p in corpus.glob("coalitions/*/aanvraag-*.yaml")),
        "ronde": sorted(str(p.relative_to(corpus)) for p in corpus.glob("rounds/*.yaml")),
    }


def best_of(runs: int, command: list[str], cwd: Path) -> tuple[float, float, int]:
    results = [timed(command, cwd) for _ in range(runs)]
    return min(results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="take the best of this many runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        subprocess.run(
            [
                "kansrijk",
                "--root",
                str(ROOT),
                "demo-corpus",
                "--out",
                str(corpus),
                "--records",
                str(args.records),
                "--seed",
                str(args.seed),
            ],
            check=True,
        )
        files = record_files(corpus)
        total = sum(len(v) for v in files.values())

        ours_wall, ours_rss, ours_code = best_of(args.runs, ["kansrijk", "validate"], corpus)
        changed = [files["interventie"][0], files["coalitie"][0], files["aanvraag"][0]]
        three_wall, three_rss, three_code = best_of(args.runs, ["kansrijk", "validate", *changed], corpus)

        flat_dir = Path(tmp) / "flat-schemas"
        flat_dir.mkdir()
        for kind in files:
            text = (corpus / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
            flat = text.replace('"gemeenschappelijk.schema.json#/$defs/', '"#/$defs/gemeenschappelijk/$defs/')
            (flat_dir / f"{kind}.schema.json").write_text(flat, encoding="utf-8")
        baselines = {}
        for label, schema_dir in (("shipped schemas", corpus / "schemas"), ("local-pointer schemas", flat_dir)):
            wall_sum, peak = 0.0, 0.0
            for kind, paths in files.items():
                wall, rss, code = timed(
                    ["check-jsonschema", "--schemafile", str(schema_dir / f"{kind}.schema.json"), *paths], corpus
                )
                if code != 0:
                    print(f"check-jsonschema failed on {kind} with {label} (exit {code})", file=sys.stderr)
                    return 1
                wall_sum += wall
                peak = max(peak, rss)
            baselines[label] = (wall_sum, peak)

    print(f"corpus: {total} records (seed {args.seed}); machine: {os.cpu_count()} cores")
    print(f"{'run':<38}{'wall s':>9}{'peak MB':>10}{'exit':>6}")
    print(f"{'kansrijk validate (all)':<38}{ours_wall:>9.2f}{ours_rss:>10.0f}{ours_code:>6}")
    print(f"{'kansrijk validate (3 changed files)':<38}{three_wall:>9.2f}{three_rss:>10.0f}{three_code:>6}")
    for label, (wall, peak) in baselines.items():
        print(f"{'check-jsonschema, ' + label:<38}{wall:>9.2f}{peak:>10.0f}{0:>6}")
        print(f"  speed-up against it: {wall / ours_wall:.1f}x")
    ratio = baselines["local-pointer schemas"][0] / ours_wall
    print(f"named baseline (check-jsonschema, local-pointer schemas): {ratio:.1f}x (target >= 5x)")
    verdicts = {
        "full run < 3 s": ours_wall < 3.0,
        "peak < 250 MB": ours_rss < 250,
        ">= 5x check-jsonschema": ratio >= 5,
        "3 changed files < 1.5 s": three_wall < 1.5,
        "validation passed": ours_code == 0 and three_code == 0,
    }
    for name, ok in verdicts.items():
        print(f"  {'PASS' if ok else 'MISS'}  {name}")
    return 0 if all(verdicts.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
