"""Problems found in records: the one error type every check produces.

A problem carries where it is (file, line, column, field path) and what to do,
and is only turned into text by a reporter at the edge (see ``reporters``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

FieldPath = tuple[str | int, ...]


class Severity(StrEnum):
    """Errors block a change; warnings are shown but let it through."""

    ERROR = "fout"
    WARNING = "waarschuwing"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in one file, with advice in Dutch."""

    file: str
    line: int
    column: int
    severity: Severity
    message: str
    field_path: FieldPath = ()
    code: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def field_name(self) -> str:
        """The field path as contributors write it: ``bronnen[0].url``."""
        return render_field_path(self.field_path)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "field": self.field_name,
            "code": self.code,
            "message": self.message,
        }


def render_field_path(path: FieldPath) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Deduplicated, in file and line order: the order contributors read them in."""
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.column, p.message))
