"""Records open cleanly in the real yaml-language-server (the engine of VS Code's YAML extension), offline.

The server runs over stdio exactly as an editor starts it; the record's own ``$schema`` modeline points it at the
schema file, and the schema store (the only network use) is switched off. Each record kind is opened twice: as
shipped (no diagnostic allowed) and with an unknown field added (the server must flag it).
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kansrijk.records.kinds import KINDS
from kansrijk.records.model import Repository

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
TIMEOUT = 30.0
# The editor settings: validation on; the schema store and schema downloads (the only network use) off.
SETTINGS = {"validate": True, "schemaStore": {"enable": False}, "schemaDownload": {"enable": False}, "format": {"enable": False}}

pytestmark = pytest.mark.skipif(
    not SERVER.is_file() or shutil.which("node") is None,
    reason="yaml-language-server is installed by scripts/install-test-deps.sh (npm ci)",
)


class LanguageServer:
    """A minimal LSP client over stdio: enough to open documents and read their diagnostics."""

    def __init__(self, workspace: Path) -> None:
        env = {key: value for key, value in os.environ.items() if not key.lower().endswith("_proxy")}
        self.process = subprocess.Popen(
            ["node", str(SERVER), "--stdio"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=workspace,
            env=env,
        )
        self.messages: queue.Queue[dict] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        root_uri = workspace.as_uri()
        self.request("initialize", {"processId": os.getpid(), "rootUri": root_uri, "capabilities": {}})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": SETTINGS}})

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = 0
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if not line:
                return
            self.messages.put(json.loads(stream.read(length)))

    def _send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: dict) -> dict:
        self.next_id += 1
        wanted = self.next_id
        self._send({"id": wanted, "method": method, "params": params})
        return self._wait(lambda m: m.get("id") == wanted and "method" not in m)

    def _wait(self, accept) -> dict:
        deadline = time.monotonic() + TIMEOUT
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = self.messages.get(timeout=left)
            except queue.Empty:
                break
            if "method" in message and "id" in message:  # a request from the server: answer it
                result = [SETTINGS] * len(message["params"].get("items", [])) or None
                self._send({"id": message["id"], "result": result})
                continue
            if accept(message):
                return message
        raise AssertionError(f"yaml-language-server gave no answer within {TIMEOUT} s")

    def diagnostics(self, path: Path, text: str) -> list[dict]:
        """Open ``text`` as the document at ``path`` and return the diagnostics the server publishes for it."""
        uri = path.as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
        message = self._wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri)
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        return message["params"]["diagnostics"]

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()


@pytest.fixture(scope="module")
def server() -> Iterator[LanguageServer]:
    client = LanguageServer(ROOT)
    try:
        yield client
    finally:
        client.close()


def one_record_per_kind() -> dict[str, Path]:
    chosen: dict[str, Path] = {}
    for kind, refs in Repository(ROOT).index.items():
        for key in sorted(refs):
            chosen.setdefault(kind, ROOT / refs[key].path)
    return chosen


RECORDS = one_record_per_kind()


def test_every_record_kind_is_shipped() -> None:
    assert set(RECORDS) == set(KINDS)  # every kind of the kinds table, so the editor test covers each


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_shipped_record_opens_without_diagnostics(server: LanguageServer, kind: str) -> None:
    path = RECORDS[kind]
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    assert server.diagnostics(path, path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_unknown_field_is_flagged(server: LanguageServer, kind: str) -> None:
    path = RECORDS[kind]
    text = path.read_text(encoding="utf-8") + "onbekend_veld: waarde\n"
    found = server.diagnostics(path.with_name(f"gewijzigd-{path.name}"), text)  # a new URI: no stale diagnostics
    last_line = text.count("\n") - 1
    assert [d["range"]["start"]["line"] for d in found] == [last_line], found
    assert "onbekend_veld" in found[0]["message"] or "not allowed" in found[0]["message"].lower()
