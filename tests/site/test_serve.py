"""``mkdocs serve`` from the repository root rebuilds when a record changes (a real server, a real edit)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from kansrijk.records.kinds import RECORD_FOLDERS, SUPPORT_FOLDERS

REPO_ROOT = Path(__file__).resolve().parents[2]
COPIED = ("docs", *RECORD_FOLDERS, *SUPPORT_FOLDERS, "scripts", "mkdocs.yml", ".github")  # from the kinds table


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


@pytest.mark.xdist_group("site-build")
def test_serve_reloads_when_a_record_changes(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    for name in COPIED:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            shutil.copy2(source, root / name)
    port = free_port()
    url = f"http://127.0.0.1:{port}/kansrijk/interventies/voorzorg/"
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=root, stdout=log, stderr=log
    )
    try:
        assert wait_for(lambda: (fetch(url) or "").count("VoorZorg") > 0, 120), "mkdocs serve did not come up"
        record = root / "interventions" / "voorzorg.yaml"
        record.write_text(
            record.read_text(encoding="utf-8").replace("naam: VoorZorg", "naam: VoorZorg Vernieuwd"), encoding="utf-8"
        )
        changed = wait_for(lambda: "VoorZorg Vernieuwd" in (fetch(url) or ""), 120)
        assert changed, "the page did not change after the edit:\n" + (tmp_path / "serve.log").read_text(encoding="utf-8")[-2000:]
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
