"""``kansrijk new`` writes a record that validates for every kind of the kinds table, from flags alone.

The kinds come from ``records/kinds.KINDS`` and the flags from each kind's questions, so a new kind
without a blueprint in ``tools/new.py`` fails here instead of crashing for the contributor.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kansrijk.cli.main import main
from kansrijk.records.kinds import KINDS, RECORD_FOLDERS, SUPPORT_FOLDERS
from kansrijk.records.loader import load_path
from kansrijk.records.model import Repository
from kansrijk.tools.new import Question, blueprint, build_record, parse_answer

ROOT = Path(__file__).resolve().parents[2]

# A value for a question, by what the question parses; keys and references point at the shipped examples.
_ANSWERS = {
    "coalitie": "voorbeeld-zeist",
    "ronde": "voorbeeldronde-2027",
    "gemeenten": "GM0355",
    "actielijnen": "voor",
    "doelgroepen": "zwangeren",
    "uitvoerders": "verloskundige",
    "settings": "praktijk",
    "beroepen": "verloskundige",
    "themas": "rookvrije-start",
    "email": "info@example.org",
    "door": "jan",
}


def _answer(kind: str, question: Question) -> str:
    if question.field == "id":
        return f"nieuw-{kind}"
    if question.euro:
        return "25000"
    if question.flag == "--bron-url":  # whatever field a kind asks it for, the flag takes a web address
        return "https://example.org/bron"
    return _ANSWERS.get(question.field, f"Een tekst van meer dan twintig tekens voor {question.field}")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("new") / "repo"
    for folder in (*SUPPORT_FOLDERS, *RECORD_FOLDERS):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, target / folder)
    return target


@pytest.mark.parametrize("kind", list(KINDS))
def test_new_writes_a_valid_record_for_every_kind(repo: Path, kind: str) -> None:
    args = [arg for question in blueprint(kind).questions for arg in (question.flag, _answer(kind, question))]
    result = subprocess.run(
        [sys.executable, "-m", "kansrijk.cli.main", "--root", str(repo), "new", kind, *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    written = result.stdout.strip().splitlines()[-1].removeprefix("nieuw record: ")
    assert KINDS[kind].key_of(written) is not None, written
    lines = (repo / written).read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"# yaml-language-server: $schema={'../' * KINDS[kind].depth}schemas/{kind}.schema.json"
    assert load_path(repo / written, repo).data
    assert main(["--root", str(repo), "validate", str(repo / written)]) == 0


def test_an_unknown_kind_is_refused_in_dutch(repo: Path) -> None:
    with pytest.raises(ValueError, match="kent de recordsoort 'onbekend' niet"):
        build_record("onbekend", {}, Repository(repo), dt.date(2026, 1, 1))


def test_only_amounts_go_through_the_euro_parser() -> None:
    """A question that is no amount never answers with the euro message."""
    for kind in KINDS:
        for question in blueprint(kind).questions:
            if not question.euro:
                with pytest.raises(ValueError) as refused:
                    parse_answer(question, " ")
                assert "euro" not in str(refused.value)
