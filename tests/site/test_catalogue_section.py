"""The generic catalogue section (``parts/catalogue.py``) and its facets for plain values."""

from __future__ import annotations

from kansrijk.records.model import Repository
from kansrijk.site.parts.catalogue import COMMON_SHOWN_ELSEWHERE
from kansrijk.site.parts.facets import Facet, FacetOption, facet_options
from kansrijk.site.sections import interventions, trainings
from support.site_support import REPO


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
