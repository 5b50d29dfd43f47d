"""Field guard: every optional field of a kind's schema reaches its record page and its form, unless declared hidden.

The page side fills a copy of one record of every kind with pages with a sample of each optional field, builds the
site and looks for the sample on the record's page. A new optional field in a schema fails here, naming kind and
field, until a page shows it (catalogue pages do so by themselves: their facts follow the schema) or
``facts.HIDDEN_FIELDS`` declares it hidden, with a reason. The form side reads the form's questions.
"""

from __future__ import annotations

import datetime

import pytest
import yaml

from kansrijk.nlformat import euro, nl_date
from kansrijk.records.codelists import codelist_name, load_codelists
from kansrijk.records.kinds import KINDS
from kansrijk.records.model import Repository
from kansrijk.records.schema_fields import ANY_ITEM, describe_field, property_names
from kansrijk.site.engine.build import build_context, build_pages
from kansrijk.site.engine.pages import load_generators
from kansrijk.site.engine.urls import record_page
from kansrijk.site.parts.facts import HIDDEN_FIELDS
from kansrijk.site.sections.forms import FORM_KINDS, form_fields
from support.site_support import REPO, copy_repository

TODAY = datetime.date(2026, 11, 23)
PAGE_KINDS = [name for name, kind in KINDS.items() if kind.site_section]
EXAMPLE_BADGE = "ks-badge--voorbeeld"


def optional_fields(kind: str) -> list[str]:
    document = Repository(REPO).schemas[kind].document
    required = set(document.get("required", []))
    return [name for name in property_names(document, ()) if name not in required and name not in HIDDEN_FIELDS.get(kind, {})]


def sample(kind: str, field: str, document: dict, repo: Repository) -> tuple[object, str]:
    """A valid value for the field and the text its page must then show."""
    node, _required = describe_field(document, (field,))
    item = describe_field(document, (field, ANY_ITEM))[0] if node.get("type") == "array" else {}
    codelist = codelist_name(node) or codelist_name(item)
    raw = document["properties"][field]  # before $ref resolution: the shared definition says what the value is
    ref = str(raw.get("$ref", ""))
    if ref.endswith("/voorbeeld"):
        return True, EXAMPLE_BADGE
    if codelist:
        code, label = next(iter(load_codelists(REPO / "vocab")[codelist].labels.items()))
        return ([code] if node.get("type") == "array" else code), label
    if field == "interventies" and str(raw.get("items", {}).get("$ref", "")).endswith("/slug"):
        intervention = repo.valid_records("interventie")[0]
        return [intervention.key], str(intervention.data["naam"])
    if ref.endswith("/url"):
        return f"https://voorbeeld.invalid/{field}", f"https://voorbeeld.invalid/{field}"
    if ref.endswith("/datum"):
        return "2031-02-03", nl_date("2031-02-03")
    if ref.endswith("/bedrag"):
        return 9876543, euro(9876543)  # above every application, so the round stays valid
    if "pattern" in node and ":" in str(node["pattern"]):
        return "23:59", "23:59"
    if ref.endswith("/markdown") or node.get("type") == "string":
        return f"Proefwaarde {field}", f"Proefwaarde {field}"
    raise AssertionError(f"{kind}.{field}: no sample for this field's type; add one to sample() in this test")


@pytest.fixture(scope="module")
def filled_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, dict[str, str]]]:
    """kind -> (its filled record's page, field -> expected text), built once for all kinds."""
    root = copy_repository(tmp_path_factory.mktemp("repo"))
    repo = Repository(root)
    expected: dict[str, tuple[str, dict[str, str]]] = {}
    for kind in PAGE_KINDS:
        record = repo.valid_records(kind)[-1]
        document = repo.schemas[kind].document
        data = dict(record.data)
        texts = {}
        for field in optional_fields(kind):
            data[field], texts[field] = sample(kind, field, document, repo)
        path = root / record.path
        modeline = path.read_text(encoding="utf-8").splitlines()[0]
        dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
        path.write_text(f"{modeline}\n{dumped}", encoding="utf-8")
        expected[kind] = (record_page(kind, record.key), texts)
    pages = {page.path: page.content for page in build_pages(root, TODAY)}
    return {kind: (pages[path], texts) for kind, (path, texts) in expected.items()}


@pytest.mark.parametrize(("kind", "field"), [(kind, field) for kind in PAGE_KINDS for field in optional_fields(kind)])
def test_every_optional_field_reaches_the_record_page(filled_pages: dict, kind: str, field: str) -> None:
    page, texts = filled_pages[kind]
    assert texts[field] in page, f"{kind}.{field}: the record page does not show it; show it or declare it hidden"


FORM_CASES = [(kind, field) for kind in FORM_KINDS for field in optional_fields(kind)]


@pytest.mark.parametrize(("kind", "field"), FORM_CASES)
def test_every_optional_field_reaches_the_form(kind: str, field: str) -> None:
    ctx = build_context(REPO, TODAY)
    load_generators()
    asked = {question.key.split(".")[0] for question in form_fields(ctx, FORM_KINDS[kind])}
    skipped = set(FORM_KINDS[kind].rules.skip)
    assert field in asked | skipped, f"{kind}.{field}: the form does not ask it; ask it, skip it or declare it hidden"


def test_hidden_fields_are_schema_fields_with_a_reason() -> None:
    for kind, fields in HIDDEN_FIELDS.items():
        names = set(property_names(Repository(REPO).schemas[kind].document, ()))
        for field, reason in fields.items():
            assert field in names, f"{kind}.{field} is declared hidden but is no field of the schema"
            assert reason.strip(), f"{kind}.{field}: say why it is hidden"
