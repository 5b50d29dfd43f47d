"""The folder-entry policy: what may stand in a record folder, and the refusal of everything else.

One rule, the same for ``validate`` (entries on disk) and ``check-pr`` (entries in git): every entry
in a record folder is a regular file with a record name, one of NON_RECORD_FILES, or a coalition's
folder; anything else is refused with a problem on its own path. Nothing is skipped in silence and
nothing is followed: a symlink is refused whatever it points to, so no scan can loop or leave the tree.

The model builds its index from the same walk (``records/tree.py``) that this policy judges, so a file the policy
refuses is never loaded as a record, and a whole repository is walked once.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from kansrijk.records.kinds import KINDS, RECORD_FOLDERS
from kansrijk.records.model import classify
from kansrijk.records.problems import Problem, Severity
from kansrijk.records.tree import (
    EntryKind,
    FolderWalk,
    has_windows_reserved_part,
    is_allowed_folder,
    walk_record_folders,
)

# Regular files that may stand in any record folder without being records.
NON_RECORD_FILES = frozenset({"README.md", ".gitkeep"})


_EXAMPLE_PATHS = [kind.example_path for kind in KINDS.values()]  # every kind of kinds.py
_RECORD_NAMES = f"{', '.join(_EXAMPLE_PATHS[:-1])} of {_EXAMPLE_PATHS[-1]}"
# kind -> (problem code, Dutch advice) for entries that are refused whatever their name.
_REFUSED_KINDS = {
    EntryKind.SYMLINK: (
        "symlink",
        "dit is een symbolische koppeling; in de recordmappen staan alleen gewone bestanden, want een koppeling kan "
        "naar een map, naar zichzelf of buiten de repository wijzen. Zet de inhoud zelf in een bestand",
    ),
    EntryKind.SUBMODULE: (
        "submodule",
        "dit is een git-submodule; in de recordmappen staan alleen gewone bestanden. Haal de submodule weg "
        "(git rm) en zet de records zelf in de map",
    ),
    EntryKind.SPECIAL: (
        "geen-gewoon-bestand",
        "dit is geen gewoon bestand maar een FIFO, apparaat of socket; haal het weg en zet er een gewoon bestand neer",
    ),
}


def judge_entry(rel_path: str, kind: EntryKind) -> Problem | None:
    """None when the entry at ``rel_path`` (inside a record folder) may stand there, else the refusal naming it."""

    def refusal(code: str, message: str) -> Problem:
        return Problem(rel_path, 1, 1, Severity.ERROR, message, (), code)

    reserved = has_windows_reserved_part(rel_path)
    if reserved is not None:
        return refusal(
            "naam-gereserveerd",
            f"'{reserved}' is een naam die Windows niet toestaat (CON, PRN, AUX, NUL, COM1-COM9 en LPT1-LPT9, ook met "
            "een extensie, of een naam die eindigt op een punt of spatie); zo'n bestand is op Windows niet te openen. "
            "Kies een andere naam",
        )
    if kind in _REFUSED_KINDS:
        return refusal(*_REFUSED_KINDS[kind])
    if kind is EntryKind.DIRECTORY:
        if is_allowed_folder(rel_path):
            return None
        if classify(rel_path) is not None:
            return refusal(
                "map-op-recordpad",
                "hier hoort een recordbestand, maar dit is een map; zet het record terug als gewoon bestand en haal de map weg",
            )
        return refusal(
            "map-niet-toegestaan",
            f"deze map hoort niet in een recordmap; records staan op vaste plekken ({_RECORD_NAMES}). "
            "Haal de map weg of zet de bestanden op hun plek",
        )
    if kind is EntryKind.FILE and (classify(rel_path) is not None or PurePosixPath(rel_path).name in NON_RECORD_FILES):
        return None
    if kind is EntryKind.MISSING:
        return None
    hint = " (de extensie moet .yaml zijn, niet .yml)" if rel_path.endswith(".yml") else ""
    return refusal(
        "bestandsnaam",
        f"deze bestandsnaam hoort bij geen recordsoort{hint}; gebruik {_RECORD_NAMES}. "
        f"Alleen {' en '.join(sorted(NON_RECORD_FILES))} mogen er verder staan.",
    )


def judge_walk(walk: FolderWalk) -> tuple[list[str], list[Problem]]:
    """The walk's accepted files (records, README.md, .gitkeep) and a refusal for every other entry it met."""
    accepted: list[str] = []
    refused: list[Problem] = []
    for rel, kind in walk.entries:
        problem = judge_entry(rel, kind)
        if problem is not None:
            refused.append(problem)
        elif kind is EntryKind.FILE:
            accepted.append(rel)
    for rel, reason in walk.unreadable:
        message = f"deze map is niet te lezen ({reason}); controleer de rechten"
        refused.append(Problem(rel, 1, 1, Severity.ERROR, message, (), "map-onleesbaar"))
    return accepted, refused


def scan_record_folders(root: Path, tops: Iterable[str] = RECORD_FOLDERS) -> tuple[list[str], list[Problem]]:
    """:func:`judge_walk` of a fresh walk below ``tops`` (a named folder; a whole repository has ``folder_walk``)."""
    return judge_walk(walk_record_folders(root, tops))
