"""Benchmark: build the knowledge site against mkdocs-material building as many plain Markdown pages.

For the shipped records and demo corpora (``kansrijk demo-corpus``) of 1,000 and 5,000 records it prints,
in one run:
- the wall time (best of three) of ``mkdocs build`` of the site (validation, generated pages, Pagefind index included);
- the baseline (issue #3): the wall time of mkdocs-material building one plain Markdown page of record-like length
  per record (plus a home page), not in the nav, with Material's defaults: the ``search`` plugin (MkDocs' default
  when ``plugins:`` is absent, so the baseline writes its own ``search_index.json``), no blog plugin, no hooks, a
  one-entry nav; and the ratio (target <= 1.3x, growing linearly). The site pays on top: validating every record,
  generating the pages, the blog plugin, a full nav and the Pagefind index;
- the same baseline with as many pages as the site has HTML pages (``index.html`` files): the shipped site has more
  pages than records (index, theme, schema and news pages), a demo corpus fewer (applications and rounds have no
  page of their own), so both ratios are shown;
- where the site's extra time goes: validation plus page generation (in-process) and the Pagefind run, each timed
  on its own after the build;
- the largest record page (target <= 40 KB of HTML);
- the first-search download: every file the search page fetches for its first query, gzip-compressed where
  the server would compress it (Pagefind's index files are gzip already); target <= 300 KB at 5,000 records;
- for comparison, the gzipped ``search_index.json`` that Material's search would build for the same site and
  download whole on the first search.

Usage: python benchmarks/bench_site.py [--sizes 1000 5000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime
import functools
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from kansrijk.records.kinds import KINDS, RECORD_FOLDERS
from kansrijk.site.engine.build import SITE_INPUTS

REPO = Path(__file__).resolve().parent.parent
HOOK = "scripts/kansrijk/site/engine/mkdocs_hooks.py"
ALREADY_COMPRESSED = (".pf_index", ".pf_fragment", ".pf_filter", ".pf_meta", ".pagefind")
QUERY = "zwangere"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "KANSRIJK_TODAY": "2026-11-23"}


REPEAT = 3  # builds are timed best of three: on a shared 2-core machine a single run is noise


def timed(command: list[str], cwd: Path, repeat: int = 1) -> float:
    """Best wall time of ``repeat`` runs."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True, check=False)
        best = min(best, time.perf_counter() - start)
        if result.returncode != 0:
            sys.exit(f"{' '.join(command)} failed in {cwd}:\n{result.stdout}{result.stderr}")
    return best


def shipped_copy(target: Path) -> Path:
    for name in SITE_INPUTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.exists():
            shutil.copy2(source, target / name)
    return target


def prepare_corpus(work: Path, records: int | None) -> Path:
    """A repository to build: the shipped records, or a demo corpus with the shipped docs and config."""
    target = work / f"corpus-{records or 'shipped'}"
    if records is None:
        shipped_copy(target)
    else:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "kansrijk.cli.main",
                "--root",
                str(REPO),
                "demo-corpus",
                "--out",
                str(target),
                "--records",
                str(records),
                "--seed",
                "1",
            ],
            check=True,
            capture_output=True,
        )
        for name in ("docs", "mkdocs.yml"):  # always the current site, not the copy the generator made
            if (target / name).is_dir():
                shutil.rmtree(target / name)
            source = REPO / name
            shutil.copytree(source, target / name) if source.is_dir() else shutil.copy2(source, target / name)
    (target / HOOK).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / HOOK, target / HOOK)
    return target


def count_records(root: Path) -> int:
    return sum(1 for d in RECORD_FOLDERS if (root / d).is_dir() for _ in (root / d).rglob("*.yaml"))


def baseline_project(work: Path, pages: int) -> Path:
    """mkdocs-material with `pages` HTML pages: a home page plus plain Markdown pages of record-like length, not in
    the nav."""
    target = work / f"baseline-{pages}"
    docs = target / "docs" / "records"
    docs.mkdir(parents=True)
    (target / "docs" / "index.md").write_text("# Baseline\n\nPlain pages.\n", encoding="utf-8")
    paragraph = "Dit is een gewone pagina met wat tekst over zwangerschap, geboorte en opvoeding. " * 6
    for number in range(pages - 1):
        (docs / f"pagina-{number}.md").write_text(
            f"# Pagina {number}\n\n{paragraph}\n\n## Kenmerken\n\n- actielijn: voor\n- status: actief\n\n{paragraph}\n",
            encoding="utf-8",
        )
    (target / "mkdocs.yml").write_text(
        "site_name: Baseline\ntheme:\n  name: material\n  language: nl\n  font: false\nnav:\n  - index.md\n", encoding="utf-8"
    )
    return target


def material_search_index(corpus: Path, work: Path) -> int:
    """Gzipped size of Material's search index for the same site: what its first search would download."""
    config = (corpus / "mkdocs.yml").read_text(encoding="utf-8")
    variant = corpus / "mkdocs-material-search.yml"
    variant.write_text(config.replace("\nplugins:\n", "\nplugins:\n  - search:\n      lang: nl\n", 1), encoding="utf-8")
    site = work / f"material-search-{corpus.name}"
    timed([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(variant), "-d", str(site)], corpus)
    return len(gzip.compress((site / "search" / "search_index.json").read_bytes(), 9))


def baseline_time(work: Path, pages: int) -> float:
    """Seconds for mkdocs-material to build a baseline project of ``pages`` HTML pages (built once per size)."""
    baseline = work / f"baseline-{pages}"
    if not baseline.exists():
        baseline_project(work, pages)
    site = work / f"base-site-{pages}"
    seconds = timed([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], baseline, REPEAT)
    built = sum(1 for _ in site.rglob("index.html"))
    assert built == pages, f"the baseline built {built} pages, not {pages}"
    return seconds


def fixed_costs(corpus: Path, site: Path) -> tuple[float, float]:
    """Seconds for validation plus page generation (modules already imported), and for the Pagefind run: the site's
    own work beyond MkDocs."""
    from kansrijk.site.engine.build import build_pages
    from kansrijk.site.engine.pages import load_generators
    from kansrijk.site.engine.search import run_pagefind

    load_generators()
    start = time.perf_counter()
    build_pages(corpus, datetime.date.fromisoformat(ENV["KANSRIJK_TODAY"]))
    generated = time.perf_counter() - start
    start = time.perf_counter()
    run_pagefind(site)
    return generated, time.perf_counter() - start


def max_record_page(corpus: Path, site: Path) -> tuple[int, str]:
    """The largest page of one record (not the listing or map pages beside them), over every kind with pages."""
    from kansrijk.records.model import Repository

    index = Repository(corpus).index
    biggest = (0, "")
    for name, kind in KINDS.items():
        for key in index.get(name, {}) if kind.site_section else ():
            page = site / kind.site_section / key / "index.html"
            if page.is_file() and page.stat().st_size > biggest[0]:
                biggest = (page.stat().st_size, str(page.relative_to(site)))
    return biggest


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def first_search_download(site: Path) -> tuple[int, int]:
    """(compressed bytes, number of files) the search page fetches for its first query, served under a sub-path."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as holder:
        www = Path(holder)
        (www / "kansrijk").symlink_to(site.resolve(), target_is_directory=True)
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(www)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        sizes: dict[str, int] = {}
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium",
                    args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                )
                page = browser.new_page()

                def record(response) -> None:
                    if "/pagefind/" in response.url and response.ok:
                        body = response.body()
                        packed = body if response.url.endswith(ALREADY_COMPRESSED) else gzip.compress(body, 9)
                        sizes[response.url] = len(packed)

                page.on("response", record)
                page.goto(f"http://127.0.0.1:{server.server_address[1]}/kansrijk/zoeken/?q={QUERY}")
                page.wait_for_selector("#ks-zoekresultaten li", timeout=30000)
                page.wait_for_load_state("networkidle")
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    return sum(sizes.values()), len(sizes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 5000], help="demo corpus sizes (records)")
    parser.add_argument("--keep", help="keep the corpora and sites in this folder")
    args = parser.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-site-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        for records in [None, *args.sizes]:
            corpus = prepare_corpus(work, records)
            count = count_records(corpus)
            site = work / f"site-{records or 'shipped'}"
            ours = timed([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], corpus, REPEAT)
            pages = sum(1 for _ in site.rglob("index.html"))
            theirs = baseline_time(work, count + 1)
            same_pages = baseline_time(work, pages)
            generated, indexed = fixed_costs(corpus, site)
            material_index = material_search_index(corpus, work)
            biggest, biggest_page = max_record_page(corpus, site)
            download, files = first_search_download(site)
            rows.append(
                (
                    records or "shipped",
                    count,
                    pages,
                    ours,
                    theirs,
                    same_pages,
                    generated,
                    indexed,
                    biggest,
                    download,
                    material_index,
                )
            )
            print(
                f"{records or 'shipped'}: {count} records, {pages} HTML pages; site {ours:.2f} s vs material {theirs:.2f} s "
                f"= {ours / theirs:.2f}x; material with {pages} pages {same_pages:.2f} s = {ours / same_pages:.2f}x; "
                f"validation + generation {generated:.2f} s, Pagefind {indexed:.2f} s; "
                f"largest record page {biggest / 1024:.1f} KB ({biggest_page}); "
                f"first search {download / 1024:.0f} KB in {files} files (Material search on this site: {material_index / 1024:.0f} KB gz)",
                flush=True,
            )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(
        "\ncorpus   records  pages   site s  material s  ratio  same-pages s  ratio  valid+gen s  pagefind s  max page KB"
        "  first search KB  Material index KB gz"
    )
    for name, count, pages, ours, theirs, same_pages, generated, indexed, biggest, download, material_index in rows:
        print(
            f"{name!s:8} {count:7} {pages:6} {ours:8.2f} {theirs:11.2f} {ours / theirs:6.2f} {same_pages:13.2f}"
            f" {ours / same_pages:6.2f} {generated:12.2f} {indexed:11.2f}"
            f" {biggest / 1024:12.1f} {download / 1024:16.0f} {material_index / 1024:21.0f}"
        )
    print("targets: ratio <= 1.3 and growing linearly; record page <= 40 KB; first search <= 300 KB at 5,000 records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
