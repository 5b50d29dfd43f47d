"""Every page path of the generated site, in one place: docs-relative ``.md`` paths (and a few static files).

Generators import paths from here instead of from each other's modules, so a page module never imports
another one just to build a link. Record pages sit in their kind's ``site_section`` (``kinds.KINDS``).
Modules not yet moved keep their own helpers for now: ``interventions.intervention_path``,
``coalitions.coalition_path``, ``rounds.round_path`` and ``municipalities.municipality_path``.
"""

from __future__ import annotations

from ..kinds import KINDS

AGENDA = "agenda/index.md"
THEMES_INDEX = "themas/index.md"
SCHEMAS_INDEX = "schemas/index.md"
PROBLEM_CODES = "schemas/meldingen.md"
TRAININGS_INDEX = f"{KINDS['training'].site_section}/index.md"
CONTRIBUTE = "zo-doe-je-mee.md"


def record_page(kind: str, key: str) -> str:
    """The page of one record, in its kind's site section."""
    return f"{KINDS[kind].site_section}/{key}.md"


def intervention_page(key: str) -> str:
    return record_page("interventie", key)


def activity_page(key: str) -> str:
    return record_page("activiteit", key)


def activity_ics(key: str) -> str:
    return f"{KINDS['activiteit'].site_section}/{key}.ics"


def training_page(key: str) -> str:
    return record_page("training", key)


def theme_page(theme: str) -> str:
    return f"themas/{theme}.md"


def schema_page(kind: str) -> str:
    return f"schemas/{kind}.md"


def schema_file(file_name: str) -> str:
    return f"schemas/{file_name}"
