"""``kansrijk validate``: schema and cross-record rules, output formats and exit codes, end to end."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kansrijk.checks.validate import validate
from kansrijk.cli.main import main
from kansrijk.records.loader import CONTROL_CHARACTERS
from kansrijk.records.model import Repository
from support.minirepo import MiniRepo


def run_cli(repo: MiniRepo, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--root", str(repo.root), "validate", *args])
    return code, capsys.readouterr().out


def codes(repo: MiniRepo, paths: list[str] | None = None) -> list[tuple[str, str, str]]:
    report = validate(Repository(repo.root), paths)
    return [(p.file, p.code, p.severity.value) for p in report.problems]


def test_valid_repository_exits_zero(mini_repo: MiniRepo, capsys: pytest.CaptureFixture[str]) -> None:
    mini_repo.intervention("alpha")
    mini_repo.coalition("stad", interventions="  tijdens:\n    - interventie: alpha\n      status: in-uitvoering\n")
    code, out = run_cli(mini_repo, capsys=capsys)
    assert code == 0
    assert out.strip() == "2 bestanden gecontroleerd: 0 fouten, 0 waarschuwingen; in orde."


def test_every_problem_in_one_run_with_dutch_line_format(mini_repo: MiniRepo, capsys: pytest.CaptureFixture[str]) -> None:
    path = mini_repo.intervention("alpha")
    path.write_text(path.read_text().replace("naam:", "nam:").replace("status: actief", "status: actif"))
    mini_repo.coalition("stad", municipalities="GM0363, GM9999")
    code, out = run_cli(mini_repo, capsys=capsys)
    lines = out.splitlines()
    assert code == 1
    assert "coalitions/stad/coalitie.yaml:5:21: fout: gemeenten[1]: GM9999 staat niet in het CBS-gemeenteregister;" in out
    assert (
        "interventions/alpha.yaml:3:1: fout: nam: onbekend veld 'nam'; een tikfout wordt nooit genegeerd. Bedoel je 'naam'?"
        in out
    )
    assert any(
        line.startswith("interventions/alpha.yaml:")
        and "fout: status: 'actif' is geen toegestane waarde. Bedoel je 'actief'?" in line
        for line in lines
    )
    assert any("fout: naam: verplicht veld 'naam' ontbreekt" in line for line in lines)
    assert lines[-1] == "2 bestanden gecontroleerd: 4 fouten, 0 waarschuwingen; niet in orde."


def test_json_format_keeps_errors_and_warnings_apart(mini_repo: MiniRepo, capsys: pytest.CaptureFixture[str]) -> None:
    mini_repo.coalition("stad", municipalities="GM0003, GM9999")
    code, out = run_cli(mini_repo, "--format", "json", capsys=capsys)
    payload = json.loads(out)
    assert code == 1
    assert payload["valid"] is False
    assert [e["code"] for e in payload["errors"]] == ["gemeente-onbekend"]
    assert [w["code"] for w in payload["warnings"]] == ["gemeente-opgeheven"]
    assert payload["warnings"][0]["field"] == "gemeenten[0]"
    assert payload["warnings"][0]["line"] == 5


def test_github_annotations(mini_repo: MiniRepo, capsys: pytest.CaptureFixture[str]) -> None:
    mini_repo.coalition("stad", municipalities="GM0003")
    code, out = run_cli(mini_repo, "--format", "github", capsys=capsys)
    assert code == 0  # warnings only
    first = out.splitlines()[0]
    assert first.startswith("::warning file=coalitions/stad/coalitie.yaml,line=5,col=13,title=gemeenten[0]::GM0003 Appingedam")
    assert "GM1979 Eemsdelta" in first


def test_usage_errors_exit_two(mini_repo: MiniRepo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(mini_repo.root), "validate", str(mini_repo.root / "bestaat-niet.yaml")]) == 2
    assert "bestaat niet" in capsys.readouterr().err
    assert main(["--root", str(mini_repo.root), "validate", "--format", "xml"]) == 2
    assert main(["--root", str(mini_repo.root / "nergens"), "validate"]) == 2


def test_ids_must_equal_file_names(mini_repo: MiniRepo) -> None:
    path = mini_repo.intervention("alpha")
    path.rename(mini_repo.root / "interventions/beta.yaml")
    mini_repo.coalition("stad")
    (mini_repo.root / "coalitions/stad").rename(mini_repo.root / "coalitions/dorp")
    assert codes(mini_repo) == [
        ("coalitions/dorp/coalitie.yaml", "id-bestandsnaam", "fout"),
        ("interventions/beta.yaml", "id-bestandsnaam", "fout"),
    ]


def test_ids_differing_only_in_case_are_not_unique(mini_repo: MiniRepo) -> None:
    mini_repo.intervention("alpha")
    second = mini_repo.intervention("alpha-2")
    second.rename(mini_repo.root / "interventions/Alpha.yaml")
    found = codes(mini_repo)
    assert ("interventions/alpha.yaml", "id-dubbel", "fout") in found or (
        "interventions/Alpha.yaml",
        "id-dubbel",
        "fout",
    ) in found


def test_municipality_register_rules(mini_repo: MiniRepo) -> None:
    mini_repo.coalition("stad", municipalities="GM0363, GM0457, GM0788, GM0364")
    report = validate(Repository(mini_repo.root))
    messages = {p.field_name: p for p in report.problems}
    assert messages["gemeenten[1]"].severity.value == "waarschuwing"
    assert "GM0363 Amsterdam" in messages["gemeenten[1]"].message  # Weesp joined Amsterdam
    assert "GM0757 Boxtel, GM0824 Oisterwijk, GM0855 Tilburg, GM0865 Vught" in messages["gemeenten[2]"].message  # Haaren split
    assert messages["gemeenten[3]"].is_error
    assert "GM0364 staat niet in het CBS-gemeenteregister" in messages["gemeenten[3]"].message


def test_unknown_intervention_reference_with_hint(mini_repo: MiniRepo) -> None:
    mini_repo.intervention("stevig-ouderschap", lines="tijdens, na")
    mini_repo.coalition("stad", interventions="  na:\n    - interventie: stevig-ouderschp\n      status: gepland\n")
    report = validate(Repository(mini_repo.root))
    [problem] = report.problems
    assert problem.code == "interventie-onbekend"
    assert problem.field_name == "interventies.na[0].interventie"
    assert problem.line == 14
    assert "Bedoel je 'stevig-ouderschap'?" in problem.message


def test_archived_intervention_in_use_is_a_warning_also_when_only_the_intervention_is_checked(mini_repo: MiniRepo) -> None:
    mini_repo.intervention("oud", status="gearchiveerd")
    mini_repo.coalition("stad", interventions="  tijdens:\n    - interventie: oud\n      status: in-uitvoering\n")
    mini_repo.coalition("dorp", interventions="  tijdens:\n    - interventie: oud\n      status: gestopt\n")
    expected = [("coalitions/stad/coalitie.yaml", "interventie-gearchiveerd", "waarschuwing")]
    assert codes(mini_repo) == expected
    assert codes(mini_repo, ["interventions/oud.yaml"]) == expected
    assert codes(mini_repo, ["coalitions/stad/coalitie.yaml"]) == expected
    assert codes(mini_repo, ["coalitions/dorp/coalitie.yaml"]) == []


def test_intervention_under_wrong_action_line_and_twice(mini_repo: MiniRepo) -> None:
    mini_repo.intervention("alpha", lines="voor")
    mini_repo.coalition(
        "stad",
        interventions="  voor:\n    - interventie: alpha\n      status: gepland\n    - interventie: alpha\n      status: gepland\n"
        "  na:\n    - interventie: alpha\n      status: gepland\n",
    )
    found = sorted(code for _file, code, _sev in codes(mini_repo))
    assert found == ["actielijn-past-niet", "interventie-dubbel"]


def test_paths_are_checked_alone_but_resolved_against_the_whole_repository(mini_repo: MiniRepo) -> None:
    mini_repo.intervention("alpha")
    broken = mini_repo.intervention("kapot")
    broken.write_text(broken.read_text().replace("naam:", "nam:"))
    mini_repo.coalition("stad", interventions="  tijdens:\n    - interventie: alpha\n      status: gepland\n")
    assert codes(mini_repo, ["coalitions/stad/coalitie.yaml"]) == []
    assert {c for _f, c, _s in codes(mini_repo, ["interventions"])} == {"schema-additionalProperties", "schema-required"}


def test_unrecognised_file_names_in_record_folders(mini_repo: MiniRepo) -> None:
    mini_repo.coalition("stad")
    mini_repo.write("coalitions/stad/aanvraag.yml", "a: 1\n")
    mini_repo.write("interventions/notities.txt", "x\n")
    found = codes(mini_repo)
    assert ("coalitions/stad/aanvraag.yml", "bestandsnaam", "fout") in found
    assert ("interventions/notities.txt", "bestandsnaam", "fout") in found


def test_application_must_resolve_coalition_and_round(mini_repo: MiniRepo) -> None:
    mini_repo.write(
        "coalitions/los/aanvraag-ronde-x.yaml",
        """\
        ronde: ronde-y
        coalitie: los
        gemeenten: [GM0363]
        bedrag_aangevraagd: 100
        begroting:
          - omschrijving: Alles
            bedrag: 100
        historie:
          - datum: 2020-01-01
            status: concept
            door: iemand
        """,
    )
    found = {c for _f, c, _s in codes(mini_repo)}
    assert {"coalitie-onbekend", "ronde-onbekend", "id-bestandsnaam"} <= found


def test_loader_problems_reach_the_report(mini_repo: MiniRepo, capsys: pytest.CaptureFixture[str]) -> None:
    mini_repo.write("interventions/dubbel.yaml", "id: dubbel\nid: dubbel\n")
    code, out = run_cli(mini_repo, capsys=capsys)
    assert code == 1
    assert "interventions/dubbel.yaml:2:1: fout: id: veld 'id' staat twee keer in dit blok (eerder op regel 1)" in out
    assert "Traceback" not in out


@pytest.mark.parametrize(
    ("escaped", "shown"),
    [
        ("\\0", "het nulteken NUL (U+0000) als 16e teken"),
        ("\\e", "het escapeteken ESC (U+001B) als 16e teken"),
        ("\\r", "een losse regelterugloop (CR, U+000D) als 16e teken"),
        ("\\u202e", "een onzichtbaar teken dat de schrijfrichting omkeert (U+202E) als 16e teken"),
    ],
)
def test_a_control_character_in_any_record_fails_validate_with_file_line_and_field(
    mini_repo: MiniRepo, capsys: pytest.CaptureFixture[str], escaped: str, shown: str
) -> None:
    path = mini_repo.intervention("alpha")
    text = path.read_text(encoding="utf-8").replace(
        "samenvatting: Een interventie die alleen in de tests bestaat, met genoeg tekst.",
        f'samenvatting: "Een interventie{escaped} die alleen in de tests bestaat, met genoeg tekst."',
    )
    path.write_text(text, encoding="utf-8")
    mini_repo.write("agenda/webinar.yaml", f'id: webinar\ntitel: "Webinar{escaped}"\n')  # any kind: the rule is the loader's
    code, out = run_cli(mini_repo, capsys=capsys)
    assert code == 1
    assert f"interventions/alpha.yaml:4:15: fout: samenvatting: de tekst bevat {shown}" in out
    assert "agenda/webinar.yaml:2:8: fout: titel: de tekst bevat" in out
    assert "Traceback" not in out and not re.search(CONTROL_CHARACTERS, out)  # the character itself is never echoed


def test_validate_command_exits_non_zero_on_an_escape_character(mini_repo: MiniRepo) -> None:
    path = mini_repo.intervention("alpha")
    path.write_text(path.read_text().replace("eigenaar: Testorganisatie", 'eigenaar: "Test\\e[31morganisatie"'))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "scripts")}
    result = subprocess.run(
        [sys.executable, "-m", "kansrijk", "--root", str(mini_repo.root), "validate"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "interventions/alpha.yaml:10:11: fout: eigenaar: de tekst bevat het escapeteken ESC (U+001B) als 5e teken" in (
        result.stdout
    )
    assert "Haal het weg" in result.stdout and "\x1b" not in result.stdout and result.stderr == ""


def test_console_script_runs_from_a_subfolder(mini_repo: MiniRepo) -> None:
    mini_repo.intervention("alpha")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "scripts")}
    result = subprocess.run(
        [sys.executable, "-m", "kansrijk.cli.main", "validate"],
        cwd=mini_repo.root / "interventions",
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "1 bestand gecontroleerd" in result.stdout


def test_parallel_loading_gives_the_same_problems_as_serial(mini_repo: MiniRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(40):
        mini_repo.intervention(f"i{i:02d}")
    mini_repo.coalition(
        "stad", municipalities="GM0003, GM9999", interventions="  tijdens:\n    - interventie: onbekend\n      status: gepland\n"
    )
    serial = validate(Repository(mini_repo.root)).problems
    monkeypatch.setattr("kansrijk.records.model.PARALLEL_THRESHOLD", 10)
    parallel = validate(Repository(mini_repo.root)).problems
    assert len(serial) == 3
    assert parallel == serial


def test_broken_schema_file_is_a_problem_not_a_traceback(mini_repo: MiniRepo, capsys: pytest.CaptureFixture[str]) -> None:
    schema = mini_repo.root / "schemas" / "ronde.schema.json"
    schema.write_text('{\n  "title": ,\n}\n', encoding="utf-8")
    code, out = run_cli(mini_repo, capsys=capsys)
    assert code == 1
    assert out.startswith("schemas/ronde.schema.json:2:")
    assert "geen geldige JSON" in out
    schema.write_text('{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": 12}', encoding="utf-8")
    code, out = run_cli(mini_repo, capsys=capsys)
    assert code == 1
    assert "geen geldig JSON Schema 2020-12" in out


@pytest.mark.parametrize(
    ("email", "flagged"),
    [
        ("j.jansen@gemeente.nl", True),
        ("a.b.de-vries@ggd.nl", True),
        ("kansrijke.start@gemeente.nl", False),
        ("info@ggd.nl", False),
    ],
)
def test_personal_looking_contact_address_is_a_warning(mini_repo: MiniRepo, email: str, flagged: bool) -> None:
    path = mini_repo.coalition("stad")
    path.write_text(path.read_text().replace("kansrijkestart@example.org", email))
    expected = [("coalitions/stad/coalitie.yaml", "contact-persoonlijk", "waarschuwing")] if flagged else []
    assert codes(mini_repo) == expected
