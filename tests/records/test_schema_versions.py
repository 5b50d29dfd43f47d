"""A schema change without a new version in ``schemas/CHANGELOG.md`` fails ``kansrijk schemas`` (``make lint``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kansrijk.cli.main import main
from kansrijk.records.schema_versions import VERSIONS_FILE, schema_versions, version_problem
from kansrijk.tools.hookfiles import HOOK_FILES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for folder in ("schemas", "vocab"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    for name in HOOK_FILES:
        shutil.copy2(ROOT / name, tmp_path / name)
    return tmp_path


def _schemas(repo: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["--root", str(repo), "schemas", *extra])
    return code, capsys.readouterr().out


def _retitle(repo: Path, title: str) -> None:
    path = repo / "schemas" / "training.schema.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["properties"]["naam"]["title"] = title
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def test_the_shipped_schemas_are_pinned_under_the_top_version() -> None:
    top = schema_versions(ROOT / "schemas")[0].version
    assert top in json.loads((ROOT / "schemas" / VERSIONS_FILE).read_text(encoding="utf-8"))
    assert version_problem(ROOT / "schemas", write=False) is None


def test_a_changed_title_needs_a_new_version(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    top = schema_versions(repo / "schemas")[0].version
    pinned_before = (repo / "schemas" / VERSIONS_FILE).read_text(encoding="utf-8")
    _retitle(repo, "Naam van de training of e-learning")

    code, out = _schemas(repo, capsys)
    assert code == 1 and f"gewijzigd sinds versie {top}" in out and "CHANGELOG.md" in out
    code, out = _schemas(repo, capsys, "--write")  # --write never re-pins a released version
    assert code == 1 and f"gewijzigd sinds versie {top}" in out
    assert (repo / "schemas" / VERSIONS_FILE).read_text(encoding="utf-8") == pinned_before

    changelog = repo / "schemas" / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    first = text.index("\n## ")
    changelog.write_text(text[:first] + "\n## 9.9.1 (2026-12-02)\n\n- Training: betere titel.\n" + text[first:], encoding="utf-8")
    code, out = _schemas(repo, capsys)
    assert code == 1 and "9.9.1 staat nog niet vast" in out
    assert _schemas(repo, capsys, "--write")[0] == 0
    pinned = json.loads((repo / "schemas" / VERSIONS_FILE).read_text(encoding="utf-8"))
    assert set(pinned) == {*json.loads(pinned_before), "9.9.1"} and pinned[top] != pinned["9.9.1"]
    assert _schemas(repo, capsys) == (0, "alle schema's zijn actueel\n")


def test_reindenting_a_schema_is_no_change(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo / "schemas" / "training.schema.json"
    path.write_text(json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False, indent=4) + "\n")
    assert version_problem(repo / "schemas", write=False) is None
