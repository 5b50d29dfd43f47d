"""``kansrijk stale``: overdue records by CODEOWNERS owner, and one reminder issue per owner group."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from kansrijk.cli.main import main
from kansrijk.records.kinds import KINDS
from kansrijk.tools.stale import OwnerGroup, StaleRecord, months_before, parse_duration, reminder_body, render_text
from support.github_standin import GitHubStandIn

ROOT = Path(__file__).resolve().parents[2]
CODEOWNERS = """\
*                       @kansrijke-start/beheerders
/interventions/         @kansrijke-start/redactie
/coalitions/utrecht/    @utrecht-ambtenaar
"""
TODAY = "2026-11-23"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    for name in ("schemas", "vocab", "interventions", "coalitions", "rounds"):
        shutil.copytree(ROOT / name, target / name)
    (target / ".github").mkdir()
    (target / ".github" / "CODEOWNERS").write_text(CODEOWNERS, encoding="utf-8")
    _set_field(target / "interventions" / "voorzorg.yaml", "gecontroleerd_op", "2023-06-01")
    _set_field(target / "interventions" / "triple-p.yaml", "gecontroleerd_op", "2024-11-23")  # exactly 24 months: not stale
    _set_field(target / "interventions" / "r4u.yaml", "gecontroleerd_op", "2024-11-22")
    coalition = (target / "coalitions" / "voorbeeld-zeist" / "coalitie.yaml").read_text(encoding="utf-8")
    (target / "coalitions" / "utrecht").mkdir()
    (target / "coalitions" / "utrecht" / "coalitie.yaml").write_text(
        coalition.replace("id: voorbeeld-zeist", "id: utrecht").replace("voorbeeld: true\n", ""), encoding="utf-8"
    )
    _set_field(target / "coalitions" / "utrecht" / "coalitie.yaml", "bijgewerkt_op", "2020-01-01")
    _set_field(target / "coalitions" / "voorbeeld-zeist" / "coalitie.yaml", "bijgewerkt_op", "2020-01-01")  # example: skipped
    return target


def _set_field(path: Path, name: str, value: str) -> None:
    lines = [
        f"{name}: {value}" if line.startswith(f"{name}:") else line for line in path.read_text(encoding="utf-8").splitlines()
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _stale_json(repo: Path, *extra: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "kansrijk.cli.main", "--root", str(repo), "stale", "--today", TODAY, "--format", "json", *extra],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_durations_and_calendar_months() -> None:
    assert parse_duration("24m") == (24, 0) and parse_duration("2j") == (24, 0) and parse_duration("90d") == (0, 90)
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 24) == dt.date(2024, 1, 15)
    with pytest.raises(ValueError, match="geen geldige termijn"):
        parse_duration("twee jaar")


def test_groups_overdue_records_by_codeowners(repo: Path) -> None:
    report = _stale_json(repo)
    assert report["cutoff"] == "2024-11-23"
    groups = {tuple(g["owners"]): [r["path"] for r in g["records"]] for g in report["groups"]}
    assert groups == {
        ("@kansrijke-start/redactie",): ["interventions/voorzorg.yaml", "interventions/r4u.yaml"],
        ("@utrecht-ambtenaar",): ["coalitions/utrecht/coalitie.yaml"],
    }
    record = report["groups"][0]["records"][0]
    assert record["field"] == "gecontroleerd_op" and record["date"] == "2023-06-01" and record["months"] == 41


def test_text_output_is_dutch_and_a_wider_limit_finds_less(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(repo), "stale", "--today", TODAY, "--older-than", "4j"]) == 0
    out = capsys.readouterr().out
    assert "@utrecht-ambtenaar (1)" in out and "laatst bijgewerkt op 2020-01-01" in out
    assert "voorzorg" not in out
    assert main(["--root", str(repo), "stale", "--older-than", "twee"]) == 2


def test_reminder_issues_are_opened_once_then_updated_then_closed(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with GitHubStandIn(token="geheim-token") as gh:
        gh.add_repo("kansrijke-start", "kennisbank")
        monkeypatch.setenv("GITHUB_TOKEN", "geheim-token")
        args = ["--root", str(repo), "stale", "--today", TODAY, "--open-issues", "--github-repo", "kansrijke-start/kennisbank"]
        args += ["--api-url", gh.url]
        assert main(args) == 0
        issues = gh.state.repo("kansrijke-start", "kennisbank").issues
        assert len(issues) == 2
        assert all("verouderde-gegevens" in issue["labels"] for issue in issues.values())
        utrecht = next(i for i in issues.values() if "@utrecht-ambtenaar" in i["body"])
        assert "coalitions/utrecht/coalitie.yaml" in utrecht["body"] and "<!-- kansrijk-stale:" in utrecht["body"]

        _set_field(repo / "interventions" / "triple-p.yaml", "gecontroleerd_op", "2022-01-01")
        assert main(args) == 0
        assert len(issues) == 2, "a second run must edit, not open another"
        redactie = next(i for i in issues.values() if "@kansrijke-start/redactie" in i["body"])
        assert "interventions/triple-p.yaml" in redactie["body"] and "3 record(s)" in redactie["title"]

        _set_field(repo / "coalitions" / "utrecht" / "coalitie.yaml", "bijgewerkt_op", TODAY)
        assert main(args) == 0
        assert utrecht["state"] == "closed"
        assert redactie["state"] == "open"


def test_codeowners_is_read_from_the_first_location_in_the_working_tree(repo: Path) -> None:
    (repo / "docs").mkdir()
    (repo / "docs" / "CODEOWNERS").write_text("* @docs-beheer\n", encoding="utf-8")
    assert {tuple(g["owners"]) for g in _stale_json(repo)["groups"]} == {
        ("@kansrijke-start/redactie",),
        ("@utrecht-ambtenaar",),
    }  # .github/CODEOWNERS comes first
    (repo / ".github" / "CODEOWNERS").unlink()
    assert {tuple(g["owners"]) for g in _stale_json(repo)["groups"]} == {("@docs-beheer",)}


@pytest.mark.parametrize("kind", [k for k in KINDS.values() if k.date_field], ids=lambda k: k.name)
def test_every_dated_kind_is_named_in_text_and_reminder(kind) -> None:
    assert kind.date_label and kind.date_label.endswith(" op")
    record = StaleRecord(f"{kind.folder}/x.yaml", kind.name, "x", "X", kind.date_field, "2020-01-01", 70)
    group = OwnerGroup(("@a",), [record])
    assert f"X, {kind.date_label} 2020-01-01 (70 maanden geleden)" in render_text([group], dt.date(2024, 1, 1))
    body = reminder_body(group, dt.date(2024, 1, 1))
    assert f"`{kind.date_field}` bij een" in body and kind.title.lower() in body


HOSTILE_TITLE = "@kansrijk-beheer ![x](http://evil) # Kop [link](http://evil)"


def test_reminder_quotes_record_names_inert(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A record's name reaches the reminder as text: no mention, image, link or heading on GitHub."""
    record = repo / "interventions" / "voorzorg.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("naam: VoorZorg", f'naam: "{HOSTILE_TITLE} | x"'))
    with GitHubStandIn(token="geheim-token") as gh:
        gh.add_repo("kansrijke-start", "kennisbank")
        monkeypatch.setenv("GITHUB_TOKEN", "geheim-token")
        args = ["--root", str(repo), "stale", "--today", TODAY, "--open-issues", "--github-repo", "kansrijke-start/kennisbank"]
        assert main([*args, "--api-url", gh.url]) == 0
        issues = gh.state.repo("kansrijke-start", "kennisbank").issues
        body = next(i["body"] for i in issues.values() if "interventions/voorzorg.yaml" in i["body"])
    assert "@kansrijk-beheer" not in body  # no mention: the only live one is the CODEOWNERS owner
    shown = re.sub(r"<!--.*?-->", "", body)  # the hidden marker is no text
    assert re.findall(r"(?<![\w`])@[\w/-]+", shown) == ["@kansrijke-start/redactie"]
    html = MarkdownIt("commonmark").enable("table").render(body)
    assert "<img" not in html and "<a " not in html and not re.search(r"<h[1-6]", html)
    row = next(cells for cells in html.split("<tr>") if "voorzorg.yaml" in cells)
    assert row.count("<td>") == 4  # the pipe in the name did not end its cell
    assert "![x](http://evil) # Kop [link](http://evil) | x" in row  # shown as the text it is
