"""Record forms at build time: fields derived from the schemas, embedded data, and the per-record JSON assets."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest

from kansrijk.records.model import Application, Coalition, Repository
from kansrijk.records.schema_fields import describe_field, property_names, required_names
from kansrijk.site.engine.build import build_context, build_pages
from kansrijk.site.parts.form_schema import FormField
from kansrijk.site.sections.forms import FORM_KINDS, _top_level_blocks, form_fields
from support.site_support import copy_repository

REPO = Path(__file__).resolve().parents[2]
TODAY = datetime.date(2026, 11, 23)
SETTINGS = re.compile(r'<script type="application/json" id="ks-formulier-gegevens">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return {page.path: page.content for page in build_pages(REPO, TODAY)}


def walk(fields: list[FormField]) -> dict[str, FormField]:
    found = {}
    for item in fields:
        found[item.path] = item
        found.update(walk(item.children))
    return found


@pytest.mark.parametrize("kind", sorted(FORM_KINDS))
def test_fields_follow_the_schema(kind: str) -> None:
    document = Repository(REPO).schemas[kind].document
    form_kind = FORM_KINDS[kind]
    fields = form_fields(build_context(REPO, TODAY), form_kind)
    asked = [f.key for f in fields]
    assert asked == [name for name in property_names(document, ()) if name != "voorbeeld"]  # schema order = file order
    required = set(required_names(document))
    by_path = walk(fields)
    for item in fields:
        assert item.required == (item.key in required), item.key
        node, _ = describe_field(document, (item.key,))
        if item.key not in form_kind.rules.titles:
            assert item.label == node.get("title", item.key)
        if "maxLength" in node:
            assert item.attrs["maxlength"] == str(node["maxLength"])
        if "pattern" in node and item.widget in ("text", "url", "email"):
            assert item.attrs["pattern"] == node["pattern"]
        if node.get("format") == "date":
            assert item.widget == "date"
    assert all("__i__" in f.dom_id for path, f in by_path.items() if "*" in path)


def test_coalition_form_pickers_and_labels(pages: dict[str, str]) -> None:
    fields = walk(form_fields(build_context(REPO, TODAY), FORM_KINDS["coalitie"]))
    assert fields["gemeenten"].widget == "gemeenten"
    assert fields["interventies.tijdens.*.interventie"].widget == "interventie"
    assert fields["interventies.tijdens"].label == "Interventies tijdens de zwangerschap"
    html = pages["formulier/coalitie.md"]
    assert '<option value="jgz">Jeugdgezondheidszorg (JGZ)</option>' in html  # label from vocab/partnertypen.csv
    assert '<option value="Zeist (GM0355)"></option>' in html
    assert '<option value="Appingedam (GM0003, opgeheven)"></option>' in html
    assert 'pattern="^[a-z0-9]+(-[a-z0-9]+)*$"' in html
    assert "<noscript>" in html and "coalitions/&lt;id&gt;/coalitie.yaml" in html


def test_embedded_settings_cannot_close_their_script_element(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo")
    record = root / "interventions" / "voorzorg.yaml"
    record.write_text(
        record.read_text(encoding="utf-8").replace("naam: VoorZorg", "naam: VoorZorg </script><script>x()</script>")
    )
    pages = {page.path: page.content for page in build_pages(root, TODAY)}
    for path in ("formulier/coalitie.md", "analysetool/index.md"):
        html = pages[path]
        assert "</script><script>x()" not in html
        payload = SETTINGS.search(html) or re.search(r'id="ks-analyse-gegevens">(.*?)</script>', html, re.S)
        assert payload is not None
        names = [i["naam"] for i in json.loads(payload.group(1))["interventies"]]
        assert "VoorZorg </script><script>x()</script>" in names


def test_open_round_and_repository_are_embedded(pages: dict[str, str]) -> None:
    match = SETTINGS.search(pages["formulier/aanvraag.md"])
    assert match is not None
    settings = json.loads(match.group(1))
    rounds = {r["kenmerk"]: r for r in settings["rondes"]}
    assert rounds["voorbeeldronde-2027"]["max"] == 30000
    assert rounds["voorbeeldronde-2027"]["onderdeelKenmerken"] == ["begroting", "activiteiten", "interventies", "partners"]
    assert settings["vandaag"] == "2026-11-23"
    assert settings["repository"] == "https://github.com/kansrijke-start/kansrijk"
    assert settings["modeline"] == "# yaml-language-server: $schema=../../schemas/aanvraag.schema.json"


SHIPPED = sorted([*REPO.glob("coalitions/*/*.yaml"), *REPO.glob("agenda/*.yaml")])


@pytest.mark.parametrize("path", SHIPPED, ids=[p.relative_to(REPO).as_posix() for p in SHIPPED])
def test_top_level_blocks_rebuild_the_file(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    blocks = _top_level_blocks(text)
    assert text.splitlines(keepends=True)[0] + "".join(blocks.values()) == text
    assert list(blocks) == [line.split(":")[0] for line in text.splitlines() if re.match(r"[a-z_]+:", line)]


def test_every_coalition_and_application_has_a_change_asset_and_link(pages: dict[str, str]) -> None:
    repo = Repository(REPO)
    for coalition in repo.valid(Coalition):
        asset = json.loads(pages[f"formulier/bestaand/coalitie/{coalition.key}.json"])
        assert asset["pad"] == coalition.path and asset["gegevens"] == coalition.data
        assert f'formulier/coalitie/?wijzig={coalition.key}"' in pages[f"coalities/{coalition.key}.md"]
    for application in repo.valid(Application):
        assert json.loads(pages[f"formulier/bestaand/aanvraag/{application.key}.json"])["pad"] == application.path
        assert f"formulier/aanvraag/?wijzig={application.key}" in pages[f"coalities/{application.coalition_key}.md"]
