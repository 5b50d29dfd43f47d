"""The open-data page (``open-data/index.md``): Markdown generated from the package's own descriptor."""

from __future__ import annotations

import copy
import datetime

from kansrijk.opendata.export import build_package
from kansrijk.opendata.tables import TABLES
from kansrijk.records.model import Repository
from kansrijk.site.engine.pages import SiteContext
from kansrijk.site.sections.opendata import open_data_page
from support.site_support import REPO


def test_field_text_stays_text_in_its_table_cell() -> None:
    repo = Repository(REPO)
    package = build_package(repo)
    descriptor = copy.deepcopy(package.descriptor)
    table = next(r for r in descriptor["resources"] if r["name"] == TABLES[0].name)
    field = table["schema"]["fields"][0]
    field["description"] = "Een <b>kolom</b> | met 'een' pijp &\nen een regelovergang."
    field["constraints"] = {"required": True, "enum": ["a", "b"], "minimum": 0, "maxLength": 9}
    ctx = SiteContext(repo=repo, today=datetime.date(2026, 12, 1))

    page = open_data_page(ctx, descriptor, package.row_counts, package.record_counts)

    row = next(line for line in page.splitlines() if line.startswith(f"| `{field['name']}` |"))
    assert "| Een &lt;b&gt;kolom&lt;/b&gt; \\| met 'een' pijp &amp; en een regelovergang. |" in row
    assert row.endswith("| verplicht; een van: `a`, `b`; van 0 tot …; hoogstens 9 tekens |")
    assert row.count(" | ") == 4, "one table row: the pipe and the line break do not end the cell"
    assert page.startswith("---\ntitle: Open data\n---\n\n# Open data\n") and page.endswith("\n\n")


def test_the_page_explains_the_spreadsheet_apostrophe() -> None:
    repo = Repository(REPO)
    package = build_package(repo)
    page = open_data_page(SiteContext(repo=repo, today=datetime.date(2026, 12, 1)), package.descriptor, package.row_counts, {})
    assert (
        "Een tekstcel die begint met =, +, -, @, een tab of een regelterugloop, krijgt in de CSV-bestanden een apostrof" in page
    )
