"""The catalogues (interventies, trainingen): facets declared against their schema, whole values, one shared form."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from kansrijk.records.codelists import codelist_name
from kansrijk.records.model import Intervention, Repository
from kansrijk.records.schema_fields import ANY_ITEM, describe_field
from kansrijk.site.engine.build import build_pages
from kansrijk.site.parts.facets import Facet
from support.site_support import REPO, copy_repository, shipped_facets

TODAY = datetime.date(2026, 12, 1)
CATALOGUES = {"interventie": shipped_facets("interventie"), "training": shipped_facets("training")}


@pytest.mark.parametrize(("kind", "facet"), [(kind, facet) for kind, facets in CATALOGUES.items() for facet in facets])
def test_every_facet_declares_the_arity_and_code_list_its_schema_gives(kind: str, facet: Facet) -> None:
    """A facet on a list field is many-valued, one on a single field single-valued, and its labels are the field's list."""
    document = Repository(REPO).schemas[kind].document
    path = tuple(facet.field.split("."))
    node, _required = describe_field(document, path)
    assert facet.many == (node.get("type") == "array"), f"{kind} facet {facet.name}: many={facet.many}"
    named = codelist_name(node) or (codelist_name(describe_field(document, (*path, ANY_ITEM))[0]) if facet.many else None)
    assert named == facet.codelist, f"{kind} facet {facet.name}: the schema names {named}"


def _catalogue(root: Path) -> str:
    return next(page.content for page in build_pages(root, TODAY) if page.path == "interventies/index.md")


def test_single_valued_fields_show_whole_values_in_the_intervention_catalogue(tmp_path: Path) -> None:
    """Status and recognition level hold one code each: the catalogue's checkboxes and data attributes are whole codes."""
    root = copy_repository(tmp_path / "repo")
    record = root / "interventions" / "voorzorg.yaml"
    text = record.read_text("utf-8")
    assert text.count("status: actief\n") == 1
    record.write_text(text.replace("status: actief\n", "status: gearchiveerd\n"), encoding="utf-8")
    repo = Repository(root)
    catalogue = _catalogue(root)

    statuses = re.findall(r'<input type="checkbox" id="f-status-([^"]+)"', catalogue)
    assert statuses == ["actief", "gearchiveerd"]
    archived = sum(1 for i in repo.valid(Intervention) if i.archived)
    assert f'for="f-status-gearchiveerd">Gearchiveerd <span class="ks-aantal">({archived})</span>' in catalogue
    levels = re.findall(r'<input type="checkbox" id="f-erkenning-([^"]+)"', catalogue)
    assert levels and all(len(level) > 1 for level in levels)
    assert set(levels) == {i.recognition["niveau"] for i in repo.valid(Intervention)}
    voorzorg = re.search(r'<li class="ks-resultaat" data-id="voorzorg"[^>]*>', catalogue)
    assert voorzorg, "voorzorg is listed"
    assert 'data-status="gearchiveerd"' in voorzorg.group(0)
    assert 'data-erkenning="effectief-goede-aanwijzingen"' in voorzorg.group(0)
    assert 'data-actielijn="tijdens na"' in voorzorg.group(0)  # a list field keeps its codes apart


def test_a_dotted_field_reads_inside_its_mapping_and_refuses_the_wrong_arity() -> None:
    voorzorg = Repository(REPO).record("interventie", "voorzorg")
    assert voorzorg is not None
    level = next(facet for facet in CATALOGUES["interventie"] if facet.name == "erkenning")
    assert level.values(voorzorg) == ["effectief-goede-aanwijzingen"]
    with pytest.raises(TypeError, match="not a list"):
        Facet("erkenning", "Erkenningsniveau", "erkenning.niveau", "erkenningsniveaus", many=True).values(voorzorg)
    with pytest.raises(TypeError, match="many=True"):
        Facet("actielijn", "Actielijn", "actielijnen", "actielijnen", many=False).values(voorzorg)


def test_both_catalogues_share_one_form() -> None:
    """The form, the facet fieldsets and the result list come from _catalogus.html: the same markup, each kind's words."""
    pages = {page.path: page.content for page in build_pages(REPO, TODAY)}
    for path, kind, plural in (
        ("interventies/index.md", "interventie", "interventies"),
        ("trainingen/index.md", "training", "trainingen"),
    ):
        page = pages[path]
        assert f'aria-label="{plural.capitalize()} zoeken en filteren"' in page and f'data-soort="{kind}"' in page
        assert f'<label for="ks-zoek">Zoek in de {plural}</label>' in page
        assert f'id="ks-toon">Toon de {plural}</button>' in page
        assert f"Geen {plural} gevonden." in page
        assert page.count('<fieldset class="ks-facet"') == len(CATALOGUES[kind])
