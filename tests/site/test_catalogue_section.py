"""The generic catalogue section (``parts/catalogue.py``) and its facets for plain values."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from kansrijk.records.model import Repository
from kansrijk.site.engine.build import build_pages
from kansrijk.site.parts.catalogue import COMMON_SHOWN_ELSEWHERE
from kansrijk.site.parts.facets import Facet, FacetOption, facet_options
from kansrijk.site.sections import interventions, trainings
from support.site_support import REPO, copy_repository


def test_a_facet_without_code_list_lists_the_plain_values_sorted_with_their_counts() -> None:
    """A publisher or a year is its own label: no code list is needed to filter on it."""
    records = Repository(REPO).valid_records("training")
    provider = Facet("aanbieder", "Aanbieder", "aanbieder", None, many=False)
    providers = sorted(str(record.data["aanbieder"]) for record in records)
    options = facet_options(provider, None, records)
    assert [option.code for option in options] == sorted(set(providers))
    assert options[0] == FacetOption(providers[0], providers[0], providers.count(providers[0]))


def test_each_catalogue_is_a_declaration_on_its_kind() -> None:
    for module, kind, index in (
        (trainings, "training", "trainingen/index.md"),
        (interventions, "interventie", "interventies/index.md"),
    ):
        section = module.SECTION
        assert section.kind == kind and section.index_path == index
        assert section.facets is None, f"{kind}: the filters belong in the schema (x-filter), not in the section"
        assert not section.shown_elsewhere & COMMON_SHOWN_ELSEWHERE, f"{kind}: a field is declared shown twice"


def test_a_schema_filter_appears_once_a_record_has_a_value(tmp_path: Path) -> None:
    """A field declared ``x-filter`` in the schema becomes a facet without code; with no value anywhere it is left out."""
    root = copy_repository(tmp_path / "repo")
    schema_path = root / "schemas" / "training.schema.json"
    schema = json.loads(schema_path.read_text("utf-8"))
    schema["properties"]["taal"] = {"title": "Taal", "type": "string", "x-filter": {"naam": "taal", "legenda": "Taal"}}
    schema_path.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")

    def catalogue() -> str:
        return next(p.content for p in build_pages(root, datetime.date(2026, 12, 1)) if p.path == "trainingen/index.md")

    assert 'data-facet="taal"' not in catalogue()
    record = root / "trainings" / "workshop-prenataal-huisbezoek-jgz.yaml"
    record.write_text(record.read_text("utf-8").replace("themas:", "taal: Nederlands\nthemas:"), encoding="utf-8")
    page = catalogue()
    assert 'data-facet="taal"' in page and "<legend>Taal</legend>" in page and 'value="Nederlands"' in page
