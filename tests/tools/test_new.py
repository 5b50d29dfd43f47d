"""``kansrijk new``: skeleton records that validate, from flags or from a terminal, never overwriting."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kansrijk.cli.main import main
from kansrijk.records.loader import load_path

ROOT = Path(__file__).resolve().parents[2]

INTERVENTION = [
    "--id", "test-interventie", "--naam", "Test-interventie",
    "--samenvatting", "Een korte samenvatting van meer dan twintig tekens.",
    "--beschrijving", "Wat de interventie inhoudt.",
    "--actielijn", "voor", "--actielijn", "tijdens", "--doelgroep", "zwangeren",
    "--uitvoerder", "verloskundige", "--setting", "praktijk", "--eigenaar", "Een organisatie",
    "--bron-url", "https://example.org/bron", "--bron-titel", "Een openbare bron",
]  # fmt: skip
COALITION = ["--id", "kansrijk-utrecht", "--naam", "Kansrijke Start Utrecht", "--gemeente", "GM0344", "--email", "ks@utrecht.nl"]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    for name in ("schemas", "vocab", "interventions", "coalitions", "rounds"):
        shutil.copytree(ROOT / name, target / name)
    return target


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kansrijk.cli.main", "--root", str(repo), *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def test_new_intervention_from_flags_validates_and_explains_each_field(repo: Path) -> None:
    result = _run(repo, "new", "interventie", *INTERVENTION)
    assert result.returncode == 0, result.stdout + result.stderr
    path = repo / "interventions" / "test-interventie.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../schemas/interventie.schema.json"
    assert lines[lines.index("naam: Test-interventie") - 1] == "# Naam: De officiële naam van de interventie."
    assert "# kosten:" in lines and "actielijnen: [voor, tijdens]" in lines
    assert load_path(path, repo).data["erkenning"] == {"niveau": "geen"}
    assert main(["--root", str(repo), "validate"]) == 0


def test_new_coalition_and_application_validate(repo: Path) -> None:
    assert _run(repo, "new", "coalitie", *COALITION).returncode == 0
    coalition = load_path(repo / "coalitions" / "kansrijk-utrecht" / "coalitie.yaml", repo).data
    assert coalition["partners"] == [{"naam": "Gemeente Utrecht", "type": "gemeente"}]
    result = _run(
        repo, "new", "aanvraag", "--coalitie", "kansrijk-utrecht", "--ronde", "impuls-2020", "--bedrag", "25000", "--door", "jan"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    application = load_path(repo / "coalitions" / "kansrijk-utrecht" / "aanvraag-impuls-2020.yaml", repo).data
    assert application["gemeenten"] == ["GM0344"] and application["historie"][0]["status"] == "concept"
    assert main(["--root", str(repo), "validate"]) == 0


def test_missing_values_without_a_terminal_are_a_usage_error(repo: Path) -> None:
    result = _run(repo, "new", "coalitie", "--id", "halve-coalitie")
    assert result.returncode == 2
    assert "--naam" in result.stderr and "--gemeente" in result.stderr and "--email" in result.stderr
    assert not (repo / "coalitions" / "halve-coalitie").exists()


def test_never_overwrites_an_existing_record(repo: Path) -> None:
    path = repo / "coalitions" / "voorbeeld-zeist" / "coalitie.yaml"
    before = path.read_bytes()
    result = _run(repo, "new", "coalitie", *COALITION[:0], "--id", "voorbeeld-zeist", *COALITION[2:])
    assert result.returncode == 2 and "bestaat al" in result.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["new", "coalitie", "--id", "../buiten", *COALITION[2:]], "geen geldig kenmerk"),
        (
            ["new", "aanvraag", "--coalitie", "bestaat-niet", "--ronde", "impuls-2020", "--bedrag", "1", "--door", "x"],
            "bestaat niet",
        ),
        (["new", "coalitie", *COALITION[:6], "--email", "geen-mailadres"], "niets geschreven"),
    ],
)
def test_bad_values_write_nothing(repo: Path, args: list[str], message: str) -> None:
    before = sorted(p for p in repo.rglob("*"))
    result = _run(repo, *args)
    assert result.returncode in (1, 2) and message in result.stderr
    assert sorted(p for p in repo.rglob("*")) == before


def test_asks_for_missing_values_in_a_terminal(repo: Path) -> None:
    """A real pseudo-terminal: the command sees a TTY and asks, re-asking after an invalid answer."""
    answers = ["Kansrijke Start Utrecht", "GM0344", "ks@utrecht.nl"]
    pid, fd = pty.fork()
    if pid == 0:  # child: become the command
        os.execvp(
            sys.executable,
            [sys.executable, "-m", "kansrijk.cli.main", "--root", str(repo), "new", "coalitie", "--id", "tty-coalitie"],
        )
    output = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
        if output.rstrip().endswith(b":") and answers:
            os.write(fd, (answers.pop(0) + "\n").encode())
    _, status = os.waitpid(pid, 0)
    text = output.decode("utf-8", "replace")
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert "Naam van de coalitie" in text and "CBS-gemeentecodes" in text
    data = load_path(repo / "coalitions" / "tty-coalitie" / "coalitie.yaml", repo).data
    assert data["naam"] == "Kansrijke Start Utrecht" and data["gemeenten"] == ["GM0344"]
