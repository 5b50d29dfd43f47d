"""Every page path of the generated site, in one place: docs-relative ``.md`` paths (and a few static files).

Generators import paths from here instead of from each other's modules, so a page module never imports
another one just to build a link. Record pages sit in their kind's ``site_section`` (``kinds.KINDS``).
"""

from __future__ import annotations

import re
import unicodedata

from kansrijk.records.kinds import KINDS


def section_index(kind: str) -> str:
    """The index page of a kind's site section: its catalogue or overview."""
    return f"{KINDS[kind].site_section}/index.md"


INTERVENTIONS_INDEX = section_index("interventie")
COALITIONS_INDEX = section_index("coalitie")
IMPULS_INDEX = section_index("ronde")
AGENDA = section_index("activiteit")
TRAININGS_INDEX = section_index("training")
MUNICIPALITIES_INDEX = "gemeenten/index.md"
MONITOR = "monitor/index.md"
THEMES_INDEX = "themas/index.md"
SCHEMAS_INDEX = "schemas/index.md"
PROBLEM_CODES = "schemas/meldingen.md"
KINDS_TABLE = "schemas/soorten.md"
CODE_LISTS = "schemas/codelijsten.md"
FORMS_INDEX = "formulier/index.md"
ANALYSIS = "analysetool/index.md"
OPEN_DATA_DIR = "open-data"
OPEN_DATA_INDEX = f"{OPEN_DATA_DIR}/index.md"
CONTRIBUTE = "zo-doe-je-mee.md"
SEARCH_KIND_LABELS = "zoeken/soorten.json"  # beside the search page (docs/zoeken.md, data-kind-labels)


def record_page(kind: str, key: str) -> str:
    """The page of one record, in its kind's site section."""
    return f"{KINDS[kind].site_section}/{key}.md"


def intervention_page(key: str) -> str:
    return record_page("interventie", key)


def coalition_page(key: str) -> str:
    return record_page("coalitie", key)


def round_page(key: str) -> str:
    return record_page("ronde", key)


def round_listing(key: str, number: int = 1) -> str:
    """Listing page ``number`` (1-based) of a round's applications."""
    stem = f"{KINDS['ronde'].site_section}/{key}-aanvragen"
    return f"{stem}.md" if number == 1 else f"{stem}-{number}.md"


def round_map(key: str) -> str:
    return f"{KINDS['ronde'].site_section}/{key}-kaart.md"


def round_applications_csv(key: str) -> str:
    return f"{KINDS['ronde'].site_section}/{key}-aanvragen.csv"


def round_chart_csv(key: str, chart: str) -> str:
    """The data behind one chart of a round page (``budget``, ``status``), for readers without the chart."""
    return f"{KINDS['ronde'].site_section}/{key}-{chart}.csv"


def activity_page(key: str) -> str:
    return record_page("activiteit", key)


def activity_ics(key: str) -> str:
    return f"{KINDS['activiteit'].site_section}/{key}.ics"


def training_page(key: str) -> str:
    return record_page("training", key)


def slug(name: str) -> str:
    """A URL-safe form of a municipality name: 's-Hertogenbosch -> s-hertogenbosch, Súdwest-Fryslân -> sudwest-fryslan."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")


def municipality_page(name: str) -> str:
    """The page of a current municipality, by its register name."""
    return f"gemeenten/{slug(name)}.md"


def theme_page(theme: str) -> str:
    return f"themas/{theme}.md"


def schema_page(kind: str) -> str:
    return f"schemas/{kind}.md"


def schema_file(file_name: str) -> str:
    return f"schemas/{file_name}"


def form_page(kind: str) -> str:
    """The form of a record kind; ``?wijzig=<key>`` opens it on an existing record."""
    return f"formulier/{kind}.md"
