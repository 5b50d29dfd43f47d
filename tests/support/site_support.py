"""Shared helpers for the site tests: a copy of the repository to build, and a real HTTP server under a sub-path."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from kansrijk.records.model import Repository
from kansrijk.site.engine.build import SITE_INPUTS
from kansrijk.site.parts.facets import Facet, schema_facets

# Debian's chromium, headless, with nothing that reaches out to the network by itself.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

REPO = Path(__file__).resolve().parents[2]
TODAY = "2026-11-23"
HOOK = "scripts/kansrijk/site/engine/mkdocs_hooks.py"


def shipped_facets(kind: str) -> tuple[Facet, ...]:
    """The catalogue filters the shipped schema of ``kind`` declares (``x-filter``), as the site builds them."""
    return schema_facets(json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text("utf-8")))


def facets_in_use(kind: str) -> list[Facet]:
    """The shipped filters of ``kind`` that some shipped record has a value for: the ones the catalogue shows."""
    records = Repository(REPO).valid_records(kind)
    return [facet for facet in shipped_facets(kind) if any(facet.values(record) for record in records)]


def copy_repository(target: Path) -> Path:
    """The parts of the repository a site build reads; the hook imports the installed package."""
    for name in SITE_INPUTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.exists():
            shutil.copy2(source, target / name)
    (target / HOOK).parent.mkdir(parents=True)
    shutil.copy2(REPO / HOOK, target / HOOK)
    return target


def mkdocs_build(root: Path, site_dir: Path, today: str = TODAY) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KANSRIJK_TODAY": today, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site_dir)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator[object]:
    """Debian's chromium through Playwright, headless, with nothing that reaches out to the network by itself."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def built_site(work: Path, sub_path: str = "kansrijk") -> Iterator[tuple[str, Path]]:
    """The shipped repository copied to ``work``, built with MkDocs and served under ``sub_path``:
    yields the site's base URL and its directory."""
    root = copy_repository(work / "repo")
    www = work / "www"
    result = mkdocs_build(root, www / sub_path)
    assert result.returncode == 0, result.stderr[-3000:]
    with serve(www) as base:
        yield f"{base}/{sub_path}/", www / sub_path
