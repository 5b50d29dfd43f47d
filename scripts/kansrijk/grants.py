"""Grant rounds and applications: the transition table and the grant rules (issue #4).

``TRANSITIONS`` is the single declarative table of the application life cycle:
which status may follow which, and who may take that step. The validator uses
it for the order of the history; ``check-pr`` uses it for the roles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum

from .model import Record, Repository
from .problems import Problem


class Role(StrEnum):
    APPLICANT = "aanvrager"
    MAINTAINER = "beheerder"


# (from status, to status) -> who may take the step. ``None`` is "no history yet".
TRANSITIONS: dict[tuple[str | None, str], Role] = {
    (None, "concept"): Role.APPLICANT,
    (None, "ingediend"): Role.APPLICANT,
    ("concept", "ingediend"): Role.APPLICANT,
    ("ingediend", "in-behandeling"): Role.MAINTAINER,
    ("ingediend", "ingetrokken"): Role.APPLICANT,
    ("in-behandeling", "toegekend"): Role.MAINTAINER,
    ("in-behandeling", "afgewezen"): Role.MAINTAINER,
    ("in-behandeling", "ingetrokken"): Role.APPLICANT,
    ("toegekend", "verantwoord"): Role.APPLICANT,
}

STATUSES = ("concept", "ingediend", "in-behandeling", "toegekend", "afgewezen", "ingetrokken", "verantwoord")

GRANT_RULES: list[Callable[[Repository, list[Record]], Iterable[Problem]]] = []
