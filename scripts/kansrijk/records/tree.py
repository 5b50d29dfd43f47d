"""The record folders on disk, as facts: one walk that says what every entry is, without following anything.

The model builds its index from this walk and the folder-entry policy (``checks/entries.py``) judges the same
entries, so the two can never disagree about which files were seen, and a full validation reads the tree once.
What to *say* about an entry that may not stand where it stands is the policy's job, not this module's.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath

from kansrijk.records.kinds import KINDS, RECORD_FOLDERS


class EntryKind(StrEnum):
    """What an entry is, as ``lstat`` or a git tree mode says, without following it."""

    FILE = "bestand"
    DIRECTORY = "map"
    SYMLINK = "symlink"
    SUBMODULE = "submodule"
    SPECIAL = "speciaal"  # FIFO, device or socket
    MISSING = "ontbreekt"


# Windows cannot create these names, with or without an extension, in any case.
_WINDOWS_DEVICE = re.compile(r"(?:CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(?:\..*)?", re.IGNORECASE)
# Folder depths that hold records: 1 for interventions/x.yaml, 2 for coalitions/<key>/coalitie.yaml.
_FOLDER_DEPTHS = {folder: max(k.depth for k in KINDS.values() if k.folder == folder) for folder in RECORD_FOLDERS}


def is_windows_reserved(name: str) -> bool:
    """True for a file or folder name Windows refuses: a device name (``NUL``, ``com1.yaml``) or a trailing dot or space."""
    return bool(_WINDOWS_DEVICE.fullmatch(name)) or name.endswith((".", " "))


def has_windows_reserved_part(rel_path: str) -> str | None:
    """The first part of ``rel_path`` that Windows refuses, or None."""
    return next((part for part in PurePosixPath(rel_path).parts if is_windows_reserved(part)), None)


def is_allowed_folder(rel_path: str) -> bool:
    """True for the folders a record folder may hold: the top folders themselves and, where a kind's file template
    has folders (``{coalitie}/aanvraag-{ronde}.yaml``), those levels below it."""
    parts = PurePosixPath(rel_path).parts
    return bool(parts) and len(parts) < _FOLDER_DEPTHS.get(parts[0], 0) + 1


def is_walkable_folder(rel_path: str, kind: EntryKind) -> bool:
    """True for a folder the walk enters: a real directory at an allowed depth under names Windows can hold."""
    return kind is EntryKind.DIRECTORY and is_allowed_folder(rel_path) and has_windows_reserved_part(rel_path) is None


@dataclass(frozen=True)
class FolderWalk:
    """Every entry the walk met, in name order, and the folders it could not read (with the system's reason)."""

    entries: tuple[tuple[str, EntryKind], ...]
    unreadable: tuple[tuple[str, str], ...]

    @property
    def files(self) -> list[str]:
        """The regular files under names Windows can hold: the candidates for records."""
        return [rel for rel, kind in self.entries if kind is EntryKind.FILE and has_windows_reserved_part(rel) is None]


def walk_record_folders(root: Path, tops: Iterable[str] = RECORD_FOLDERS) -> FolderWalk:
    """Every entry below ``tops`` with its kind, from ``scandir`` without following links.

    Only folders that ``is_walkable_folder`` are entered: a refused folder is listed itself, never its content.
    """
    entries: list[tuple[str, EntryKind]] = []
    unreadable: list[tuple[str, str]] = []

    def visit(rel: str, kind: EntryKind) -> None:
        entries.append((rel, kind))
        if not is_walkable_folder(rel, kind):
            return
        try:
            with os.scandir(root / rel) as listing:
                children = sorted((entry.name, _kind_of_entry(entry)) for entry in listing)
        except OSError as exc:
            unreadable.append((rel, exc.strerror or str(exc)))
            return
        for name, child in children:
            visit(f"{rel}/{name}", child)

    for top in tops:
        visit(top, entry_kind_on_disk(root / top))
    return FolderWalk(tuple(entries), tuple(unreadable))


def entry_kind_on_disk(path: Path) -> EntryKind:
    """The kind of the entry at ``path``, from ``lstat``: never follows a symlink, never opens anything."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return EntryKind.MISSING
    if stat.S_ISLNK(mode):
        return EntryKind.SYMLINK
    if stat.S_ISDIR(mode):
        return EntryKind.DIRECTORY
    if stat.S_ISREG(mode):
        return EntryKind.FILE
    return EntryKind.SPECIAL


def _kind_of_entry(entry: os.DirEntry[str]) -> EntryKind:
    """The kind of a listed entry, from the directory listing's own file type where it has one (no system call)."""
    if entry.is_symlink():
        return EntryKind.SYMLINK
    if entry.is_dir(follow_symlinks=False):
        return EntryKind.DIRECTORY
    if entry.is_file(follow_symlinks=False):
        return EntryKind.FILE
    return EntryKind.SPECIAL
