"""Benchmark: Lighthouse (mobile profile, simulated slow 4G) on every page type of the built site.

It builds the shipped site (or takes ``--site DIR``), serves it from 127.0.0.1 with gzip, as GitHub Pages serves
it, and runs the npm ``lighthouse`` package (``npm ci`` installs it) with Debian's chromium. Per page type it prints
the performance and accessibility scores, the largest contentful paint and the bytes transferred, against the
targets of issue #12:

- every page type: performance >= 97, accessibility 100, LCP <= 1.8 s;
- a page with a map: at most 120 KiB transferred;
- the search page with results (``zoeken/?q=roken``: Pagefind's script, WebAssembly, index and fragments): at
  most 150 KiB; other pages: the issue measured 68-75 KiB before the maps.

Usage: python benchmarks/bench_pages.py [--site DIR] [--only NAME ...] [--runs N]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run"
)
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "KANSRIJK_TODAY": "2026-11-23", "CHROME_PATH": CHROMIUM}
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".csv", ".ics", ".txt", ".webmanifest")

# Page type -> (path, has a map, byte target in KiB).
PAGE_TYPES: dict[str, tuple[str, bool, int]] = {
    "home": ("", False, 120),
    "catalogus": ("interventies/", False, 120),
    "interventie": ("interventies/voorzorg/", False, 120),
    "thema": ("themas/rookvrije-start/", False, 120),
    "coalities (kaart)": ("coalities/", True, 120),
    "coalitie": ("coalities/voorbeeld-zeist/", False, 120),
    "gemeenten": ("gemeenten/", False, 120),
    "gemeente (locator)": ("gemeenten/zeist/", True, 120),
    "impuls": ("impuls/", False, 120),
    "ronde": ("impuls/impuls-2020/", False, 120),
    "ronde (kaart)": ("impuls/impuls-2020-kaart/", True, 120),
    "monitor (4 kaarten)": ("monitor/", True, 120),
    "agenda": ("agenda/", False, 120),
    "nieuws": ("nieuws/", False, 120),
    "zoeken met resultaten": ("zoeken/?q=roken", False, 150),
}
TARGETS = {"performance": 97, "accessibility": 100, "lcp_s": 1.8}


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files, gzip-compressed for text types when the client accepts it (Pagefind's files are gzip already)."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the URL with a slash
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file() or path.suffix not in COMPRESSIBLE:
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def build(target: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(target)],
        cwd=REPO,
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"mkdocs build failed:\n{result.stderr[-3000:]}")


def lighthouse(url: str) -> dict[str, float]:
    """One mobile Lighthouse run (its default: Moto G Power, simulated slow 4G, 4x CPU slowdown)."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        "--only-categories=performance,accessibility",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    result = subprocess.run(command, env=ENV, capture_output=True, text=True, check=False, timeout=300)
    if result.returncode != 0:
        sys.exit(f"lighthouse failed for {url}:\n{result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    audits = report["audits"]
    return {
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
        "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "kib": audits["total-byte-weight"]["numericValue"] / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the shipped one into a temp dir)")
    parser.add_argument("--only", nargs="*", help="page types to run (default: all)")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is shown")
    args = parser.parse_args()
    if not LIGHTHOUSE.is_file():
        sys.exit("lighthouse ontbreekt: voer `npm ci` uit in de repository.")
    if not Path(CHROMIUM).is_file():
        sys.exit(f"{CHROMIUM} ontbreekt: installeer Debians chromium (apt-get install chromium).")
    work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    try:
        site = args.site or work / "site"
        if not args.site:
            build(site)
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}/"
        print(f"Lighthouse {lighthouse_version()} (mobile, simulated slow 4G), {CHROMIUM}, site served with gzip")
        print(f"{'page type':24} {'perf':>5} {'a11y':>5} {'LCP s':>6} {'KiB':>7}  targets")
        missed = 0
        for name, (path, _has_map, kib_target) in PAGE_TYPES.items():
            if args.only and name.split(" ")[0] not in args.only and name not in args.only:
                continue
            runs = sorted((lighthouse(base + path) for _ in range(args.runs)), key=lambda r: r["performance"])
            result = runs[len(runs) // 2]
            problems = [
                label
                for label, ok in (
                    (f"perf<{TARGETS['performance']}", result["performance"] >= TARGETS["performance"]),
                    ("a11y<100", result["accessibility"] >= TARGETS["accessibility"]),
                    (f"LCP>{TARGETS['lcp_s']}s", result["lcp_s"] <= TARGETS["lcp_s"]),
                    (f">{kib_target} KiB", result["kib"] <= kib_target),
                )
                if not ok
            ]
            missed += bool(problems)
            print(
                f"{name:24} {result['performance']:>5} {result['accessibility']:>5} {result['lcp_s']:>6.2f} "
                f"{result['kib']:>7.1f}  {'met' if not problems else 'MISSED: ' + ', '.join(problems)}"
            )
        server.shutdown()
        print("all targets met" if not missed else f"{missed} page type(s) missed a target")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def lighthouse_version() -> str:
    package = REPO / "node_modules" / "lighthouse" / "package.json"
    return json.loads(package.read_text(encoding="utf-8"))["version"]


if __name__ == "__main__":
    raise SystemExit(main())
