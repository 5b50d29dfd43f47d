"""No validator ever fetches a schema: a ``$ref`` outside the project's schemas is a schema problem, never a request.

Every test runs a real HTTP server on 127.0.0.1 that counts the connections it accepts (a TLS attempt at an
``https://`` address counts too), points a schema at it and asserts that nothing connected.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema_rs
import pytest
import referencing.exceptions

from kansrijk.cli.main import main
from kansrijk.records.schemas import RecordSchema, SchemaFileError, load_record_schemas
from support.minirepo import MiniRepo

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
SCHEMA = "schemas/interventie.schema.json"


class _Answer(BaseHTTPRequestHandler):
    """Serves a schema any validator would accept, so a fetch would succeed if one happened."""

    def do_GET(self) -> None:
        body = json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "string"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/schema+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class CountingServer(ThreadingHTTPServer):
    """An HTTP server that counts every connection it accepts, whatever is sent over it."""

    connections = 0

    def verify_request(self, request: object, client_address: object) -> bool:
        self.connections += 1
        return True


@pytest.fixture
def server() -> Iterator[CountingServer]:
    httpd = CountingServer(("127.0.0.1", 0), _Answer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def address(server: CountingServer, scheme: str = "http") -> str:
    return f"{scheme}://127.0.0.1:{server.server_address[1]}"


def edit_schema(repo: MiniRepo, change) -> None:
    path = repo.root / SCHEMA
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def point_name_at(reference: str):
    def change(document: dict) -> None:
        document["properties"]["naam"] = {"$ref": reference}

    return change


def test_a_remote_reference_fails_validate_cleanly_and_is_never_fetched(mini_repo: MiniRepo, server: CountingServer) -> None:
    mini_repo.intervention("alpha")
    reference = f"{address(server)}/x.json"
    edit_schema(mini_repo, point_name_at(reference))
    result = subprocess.run(
        [sys.executable, "-m", "kansrijk", "--root", str(mini_repo.root), "validate"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SCRIPTS)},
        timeout=60,
        check=False,
    )
    assert server.connections == 0
    assert result.returncode == 1
    assert result.stderr == ""  # no traceback, no warning
    line = next(n for n, text in enumerate((mini_repo.root / SCHEMA).read_text().splitlines(), 1) if reference in text)
    assert result.stdout.startswith(f"{SCHEMA}:{line}:1: fout: het schema verwijst naar '{reference}', buiten de schema's")
    assert "haalt nooit een schema van internet of van schijf" in result.stdout


@pytest.mark.parametrize(
    "how",
    ["https", "file", "relative to a remote $id", "$dynamicRef", "inside $defs", "remote $schema"],
)
def test_every_way_out_is_a_schema_problem(
    mini_repo: MiniRepo, server: CountingServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    mini_repo.intervention("alpha")
    elsewhere = tmp_path / "elders.schema.json"
    elsewhere.write_text('{"type": "integer"}', encoding="utf-8")  # read, it would make every name wrong instead

    def change(document: dict) -> None:
        if how == "https":
            document["properties"]["naam"] = {"$ref": f"{address(server, 'https')}/x.json"}
        elif how == "file":
            document["properties"]["naam"] = {"$ref": elsewhere.as_uri()}
        elif how == "relative to a remote $id":
            document["$id"] = f"{address(server)}/schemas/interventie.schema.json"
            document["properties"]["naam"] = {"$ref": "x.schema.json"}
        elif how == "$dynamicRef":
            document["properties"]["naam"] = {"$dynamicRef": f"{address(server)}/x.json#tekst"}
        elif how == "inside $defs":
            document["$defs"]["slug"] = {"allOf": [{"$ref": f"{address(server)}/x.json"}]}
        else:
            document["$schema"] = f"{address(server)}/meta.json"

    edit_schema(mini_repo, change)
    code = main(["--root", str(mini_repo.root), "validate"])
    out = capsys.readouterr().out
    assert server.connections == 0
    assert code == 1
    assert out.startswith(f"{SCHEMA}:") and ": fout: het schema " in out, out
    assert "Traceback" not in out


def test_the_projects_own_schemas_resolve_from_the_folder(
    mini_repo: MiniRepo, server: CountingServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """A schema not yet made self-contained refers to the common schema by $id or file name: read from schemas/."""
    base = f"{address(server)}/schemas/"
    for path in (mini_repo.root / "schemas").glob("*.schema.json"):
        document = json.loads(path.read_text(encoding="utf-8"))
        document["$id"] = base + path.name  # the project's own addresses, on the counting server
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")

    def change(document: dict) -> None:
        document["properties"]["gecontroleerd_op"] = {"$ref": base + "gemeenschappelijk.schema.json#/$defs/datum"}
        document["properties"]["id"] = {"$ref": "gemeenschappelijk.schema.json#/$defs/slug"}

    edit_schema(mini_repo, change)
    path = mini_repo.intervention("alpha")
    assert main(["--root", str(mini_repo.root), "validate"]) == 0, capsys.readouterr().out
    path.write_text(path.read_text().replace("gecontroleerd_op: 2025-01-01", "gecontroleerd_op: gisteren"))
    assert main(["--root", str(mini_repo.root), "validate"]) == 1
    assert "gecontroleerd_op" in capsys.readouterr().out  # explained by python-jsonschema through the same registry
    assert server.connections == 0


def test_the_validators_refuse_to_retrieve_even_past_the_load_check(mini_repo: MiniRepo, server: CountingServer) -> None:
    """Built by hand around the check of ``load_record_schemas``, both validators still fetch nothing."""
    own = load_record_schemas(mini_repo.root / "schemas")["interventie"].own_schemas
    document = {"type": "object", "properties": {"naam": {"$ref": f"{address(server)}/x.json"}}}
    with pytest.raises(jsonschema_rs.ValidationError, match=r"x\.json"):
        RecordSchema("interventie", "interventie.schema.json", document, own).fast  # noqa: B018
    with pytest.raises(referencing.exceptions.Unresolvable):
        list(RecordSchema("interventie", "interventie.schema.json", document, own).detailed.iter_errors({"naam": 1}))
    assert server.connections == 0


def test_load_record_schemas_raises_a_schema_problem(mini_repo: MiniRepo, server: CountingServer) -> None:
    edit_schema(mini_repo, point_name_at(f"{address(server)}/x.json"))
    with pytest.raises(SchemaFileError) as caught:
        load_record_schemas(mini_repo.root / "schemas")
    assert (caught.value.problem.file, caught.value.problem.code) == (SCHEMA, "schema-verwijzing")
    assert server.connections == 0
