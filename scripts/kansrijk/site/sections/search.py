"""The search page's data (``zoeken/soorten.json``): the label of every ``soort`` a page gives Pagefind.

``docs/zoeken.md`` is a hand-written page and ``zoeken.js`` shows Pagefind's ``soort`` filter values. Their labels
used to be a list in the script, which missed the trainings when they got pages; now the build writes them from
the kinds table, plus the page kinds that are no records (themes, municipalities, news).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from kansrijk.records.kinds import KINDS
from kansrijk.site.engine.pages import GENERATORS, Page, SiteContext
from kansrijk.site.engine.urls import SEARCH_KIND_LABELS

# Pages with a "soort" filter that are no records: themas/ and gemeenten/ (their templates), nieuws/ (overrides/main.html).
OTHER_PAGE_KINDS = {"thema": "Thema", "gemeente": "Gemeente", "nieuws": "Nieuws"}


def search_kind_labels() -> dict[str, str]:
    """``soort`` value -> Dutch label: every kind with pages (its name, as its pages' filter says), then the others."""
    return {kind.name: kind.title for kind in KINDS.values() if kind.site_section} | OTHER_PAGE_KINDS


def search_pages(ctx: SiteContext) -> Iterable[Page]:
    yield Page(SEARCH_KIND_LABELS, json.dumps(search_kind_labels(), ensure_ascii=False, indent=1) + "\n")


GENERATORS.append(search_pages)
