"""Intervention pages: the facts come from the schema, so a new optional field needs no page code."""

from __future__ import annotations

import copy
import datetime
import json
from pathlib import Path

from kansrijk.checks.validate import validate
from kansrijk.records.model import Repository
from kansrijk.site.engine.build import build_pages
from support.site_support import copy_repository

TODAY = datetime.date(2026, 12, 1)


def test_a_new_optional_coded_field_reaches_the_page_with_its_labels(tmp_path: Path) -> None:
    """The issue's example, ``leeftijdsgroep``: schema and code list only; the page shows the label, in schema order."""
    root = copy_repository(tmp_path / "repo")
    schema_path = root / "schemas" / "interventie.schema.json"
    schema = json.loads(schema_path.read_text("utf-8"))
    properties = list(schema["properties"].items())
    position = [name for name, _ in properties].index("kosten") + 1
    field = {"title": "Leeftijdsgroep", "x-codelijst": "leeftijdsgroepen", "enum": ["0-4", "4-12"]}
    properties.insert(position, ("leeftijdsgroep", field))
    schema["properties"] = dict(properties)
    schema_path.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")
    package_path = root / "vocab" / "datapackage.json"
    package = json.loads(package_path.read_text("utf-8"))
    resource = copy.deepcopy(next(r for r in package["resources"] if r["name"] == "trainingsvormen"))
    resource.update(name="leeftijdsgroepen", path="leeftijdsgroepen.csv", title="Leeftijdsgroepen")
    resource["schema"]["fields"][0]["constraints"]["pattern"] = "[0-9]+-[0-9]+"
    package["resources"].append(resource)
    package_path.write_text(json.dumps(package, ensure_ascii=False, indent=1), encoding="utf-8")
    (root / "vocab" / "leeftijdsgroepen.csv").write_text(
        "code,label\n0-4,Kinderen van 0 tot 4 jaar\n4-12,Kinderen van 4 tot 12 jaar\n"
    )
    record = root / "interventions" / "voorzorg.yaml"
    text = record.read_text("utf-8")
    assert text.count("\nstatus: actief\n") == 1
    record.write_text(text.replace("\nstatus: actief\n", "\nleeftijdsgroep: 0-4\nstatus: actief\n"), encoding="utf-8")

    assert not validate(Repository(root)).errors
    page = next(p.content for p in build_pages(root, TODAY) if p.path == "interventies/voorzorg.md")
    row = "<div><dt data-pagefind-ignore>Leeftijdsgroep</dt><dd>Kinderen van 0 tot 4 jaar</dd></div>"
    assert row in page
    facts = page[page.index('<dl class="ks-kenmerkenlijst">') : page.index("</dl>")]
    labels = [part.split("</dt>")[0] for part in facts.split("<dt data-pagefind-ignore>")[1:]]
    at = labels.index("Leeftijdsgroep")
    assert labels[at - 1 : at + 2] == ["Eigenaar of licentiehouder", "Leeftijdsgroep", "Website"]  # voorzorg has no kosten
