"""The repository model: every record file, loaded strictly and checked against its schema.

Files are found by a cheap directory scan; records are parsed on demand and
cached, so checking three changed files in a repository of ten thousand only
parses what the rules need. Whole-repository loads use both cores.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path, PurePosixPath
from typing import ClassVar, TypeVar

from kansrijk.records.kinds import KINDS, RECORD_FOLDERS, classify_path
from kansrijk.records.kinds import is_record_area as is_record_area
from kansrijk.records.loader import Document, LoadError, Mark, load_path
from kansrijk.records.problems import FieldPath, Problem, Severity
from kansrijk.records.register import Vocabularies
from kansrijk.records.schema_check import check_document
from kansrijk.records.schemas import RecordSchema, load_record_schemas

ACTION_LINES = ("voor", "tijdens", "na")
PARALLEL_THRESHOLD = 600


@dataclass(frozen=True)
class RecordRef:
    """Where a record lives: its kind, its key and its repository-relative path."""

    kind: str
    key: str
    path: str


def classify(rel_path: str) -> RecordRef | None:
    """The record a repository-relative path holds, or None if it holds none."""
    found = classify_path(rel_path)
    return RecordRef(found[0], found[1], rel_path) if found else None


# --- what may stand in a record folder -------------------------------------------------------
#
# One rule, the same for ``validate`` (entries on disk) and ``check-pr`` (entries in git): every entry
# in a record folder is a regular file with a record name, one of NON_RECORD_FILES, or a coalition's
# folder; anything else is refused with a problem on its own path. Nothing is skipped in silence and
# nothing is followed: a symlink is refused whatever it points to, so no scan can loop or leave the tree.

# Regular files that may stand in any record folder without being records.
NON_RECORD_FILES = frozenset({"README.md", ".gitkeep"})
# Windows cannot create these names, with or without an extension, in any case.
_WINDOWS_DEVICE = re.compile(r"(?:CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(?:\..*)?", re.IGNORECASE)


class EntryKind(StrEnum):
    """What an entry is, as ``lstat`` or a git tree mode says, without following it."""

    FILE = "bestand"
    DIRECTORY = "map"
    SYMLINK = "symlink"
    SUBMODULE = "submodule"
    SPECIAL = "speciaal"  # FIFO, device or socket
    MISSING = "ontbreekt"


_EXAMPLE_PATHS = [kind.example_path for kind in KINDS.values()]  # every kind of kinds.py
_RECORD_NAMES = f"{', '.join(_EXAMPLE_PATHS[:-1])} of {_EXAMPLE_PATHS[-1]}"
# Folder depths that hold records: 1 for interventions/x.yaml, 2 for coalitions/<key>/coalitie.yaml.
_FOLDER_DEPTHS = {folder: max(k.depth for k in KINDS.values() if k.folder == folder) for folder in RECORD_FOLDERS}
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


def is_windows_reserved(name: str) -> bool:
    """True for a file or folder name Windows refuses: a device name (``NUL``, ``com1.yaml``) or a trailing dot or space."""
    return bool(_WINDOWS_DEVICE.fullmatch(name)) or name.endswith((".", " "))


def is_allowed_folder(rel_path: str) -> bool:
    """True for the folders a record folder may hold: the top folders themselves and, where a kind's file template
    has folders (``{coalitie}/aanvraag-{ronde}.yaml``), those levels below it."""
    parts = PurePosixPath(rel_path).parts
    return bool(parts) and len(parts) < _FOLDER_DEPTHS.get(parts[0], 0) + 1


def judge_entry(rel_path: str, kind: EntryKind) -> Problem | None:
    """None when the entry at ``rel_path`` (inside a record folder) may stand there, else the refusal naming it."""

    def refusal(code: str, message: str) -> Problem:
        return Problem(rel_path, 1, 1, Severity.ERROR, message, (), code)

    reserved = next((part for part in PurePosixPath(rel_path).parts if is_windows_reserved(part)), None)
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


def entry_kind_on_disk(path: Path) -> EntryKind:
    """The kind of the entry at ``path``, from ``lstat``: never follows a symlink, never opens anything."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return EntryKind.MISSING
    return _kind_of_mode(mode)


def _kind_of_mode(mode: int) -> EntryKind:
    if stat.S_ISLNK(mode):
        return EntryKind.SYMLINK
    if stat.S_ISDIR(mode):
        return EntryKind.DIRECTORY
    if stat.S_ISREG(mode):
        return EntryKind.FILE
    return EntryKind.SPECIAL


def _kind_of_entry(entry: os.DirEntry[str]) -> EntryKind:
    """Like :func:`_kind_of_mode`, from the directory listing's own file type where it has one (no system call)."""
    if entry.is_symlink():
        return EntryKind.SYMLINK
    if entry.is_dir(follow_symlinks=False):
        return EntryKind.DIRECTORY
    if entry.is_file(follow_symlinks=False):
        return EntryKind.FILE
    return EntryKind.SPECIAL


def scan_record_folders(root: Path, tops: Iterable[str] = RECORD_FOLDERS) -> tuple[list[str], list[Problem]]:
    """Every accepted record-folder file below ``tops`` (sorted), and a refusal for every other entry.

    Uses ``scandir`` without following links; a refused folder is not entered, an unreadable one is a problem.
    """
    accepted: list[str] = []
    refused: list[Problem] = []

    def visit(rel: str, kind: EntryKind) -> None:
        problem = judge_entry(rel, kind)
        if problem is not None:
            refused.append(problem)
            return
        if kind is not EntryKind.DIRECTORY:
            if kind is EntryKind.FILE:
                accepted.append(rel)
            return
        try:
            with os.scandir(root / rel) as listing:
                entries = sorted((entry.name, _kind_of_entry(entry)) for entry in listing)
        except OSError as exc:
            refused.append(
                Problem(
                    rel,
                    1,
                    1,
                    Severity.ERROR,
                    f"deze map is niet te lezen ({exc.strerror}); controleer de rechten",
                    (),
                    "map-onleesbaar",
                )
            )
            return
        for name, child in entries:
            visit(f"{rel}/{name}", child)

    for top in tops:
        visit(top, entry_kind_on_disk(root / top))
    return accepted, refused


@dataclass
class Record:
    """A record that loaded as a YAML mapping; ``valid`` says whether it met its schema."""

    kind: ClassVar[str] = ""
    ref: RecordRef
    data: dict
    valid: bool
    _marks: dict[FieldPath, Mark] | None = field(default=None, repr=False)

    @property
    def key(self) -> str:
        return self.ref.key

    @property
    def path(self) -> str:
        return self.ref.path

    @property
    def is_example(self) -> bool:
        return bool(self.data.get("voorbeeld"))

    def get(self, name: str, default: object = None) -> object:
        return self.data.get(name, default)


class Intervention(Record):
    kind = "interventie"

    @property
    def name(self) -> str:
        return str(self.data.get("naam", self.key))

    @property
    def action_lines(self) -> list[str]:
        return list(self.data.get("actielijnen", []))

    @property
    def archived(self) -> bool:
        return self.data.get("status") == "gearchiveerd"

    @property
    def recognition(self) -> dict:
        return dict(self.data.get("erkenning", {}))


class Coalition(Record):
    kind = "coalitie"

    @property
    def name(self) -> str:
        return str(self.data.get("naam", self.key))

    @property
    def municipalities(self) -> list[str]:
        return list(self.data.get("gemeenten", []))

    def interventions_in_use(self) -> Iterator[tuple[str, int, dict]]:
        """``(action line, index, entry)`` for every intervention the coalition lists."""
        lines = self.data.get("interventies", {})
        for line in ACTION_LINES:
            for index, entry in enumerate(lines.get(line, [])):
                yield line, index, entry


class Application(Record):
    kind = "aanvraag"

    @property
    def coalition_key(self) -> str:
        return self.key.split("/", 1)[0]

    @property
    def round_key(self) -> str:
        return self.key.split("/", 1)[1]

    @property
    def municipalities(self) -> list[str]:
        return list(self.data.get("gemeenten", []))

    @property
    def history(self) -> list[dict]:
        return list(self.data.get("historie", []))

    @property
    def status(self) -> str | None:
        history = self.history
        return history[-1].get("status") if history else None


class Round(Record):
    kind = "ronde"

    @property
    def title(self) -> str:
        return str(self.data.get("titel", self.key))


class Activity(Record):
    """An agenda item (webinar, training, learning session) on the knowledge site."""

    kind = "activiteit"

    @property
    def title(self) -> str:
        return str(self.data.get("titel", self.key))

    @property
    def date(self) -> str:
        return str(self.data.get("datum", ""))


class Training(Record):
    """A training or e-learning for professionals (``trainings/``)."""

    kind = "training"

    @property
    def name(self) -> str:
        return str(self.data.get("naam", self.key))


RECORD_TYPES: dict[str, type[Record]] = {kind.name: globals()[kind.record_class] for kind in KINDS.values()}
R = TypeVar("R", bound=Record)


@dataclass
class LoadOutcome:
    """What loading one file produced: data (if any), schema validity and its problems."""

    data: dict | None
    valid: bool
    problems: list[Problem]
    marks: dict[FieldPath, Mark] | None = None


def load_and_check(root: Path, ref: RecordRef, schema: RecordSchema, keep_marks: bool = True) -> LoadOutcome:
    try:
        document = load_path(root / ref.path, root, ref.path)
    except LoadError as exc:
        return LoadOutcome(None, False, [exc.problem])
    problems = check_document(document, schema)
    return LoadOutcome(document.data, not problems, problems, document.marks if keep_marks else None)


_worker_state: dict[str, object] = {}


def _worker_init(root: str) -> None:
    _worker_state["root"] = Path(root)
    _worker_state["schemas"] = load_record_schemas(Path(root) / "schemas")


def _worker_load(refs: list[RecordRef]) -> list[LoadOutcome]:
    root: Path = _worker_state["root"]  # type: ignore[assignment]
    schemas: dict[str, RecordSchema] = _worker_state["schemas"]  # type: ignore[assignment]
    return [load_and_check(root, ref, schemas[ref.kind], keep_marks=False) for ref in refs]


class Repository:
    """All records of one checkout, the vocabularies and the schemas."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.vocab = Vocabularies(self.root / "vocab")
        self.schemas = load_record_schemas(self.root / "schemas")
        self._records: dict[RecordRef, Record | None] = {}
        self._problems: dict[str, list[Problem]] = {}

    @cached_property
    def _scan(self) -> tuple[dict[str, dict[str, RecordRef]], list[Problem]]:
        index: dict[str, dict[str, RecordRef]] = {kind: {} for kind in RECORD_TYPES}
        accepted, refused = scan_record_folders(self.root)
        for rel in accepted:
            ref = classify(rel)
            if ref is not None:
                index[ref.kind][ref.key] = ref
        return index, refused

    @property
    def index(self) -> dict[str, dict[str, RecordRef]]:
        """``kind -> key -> RecordRef`` for every record file, without parsing any."""
        return self._scan[0]

    @property
    def entry_problems(self) -> list[Problem]:
        """A refusal for every entry in the record folders that is not a record file or an allowed extra."""
        return self._scan[1]

    def has(self, kind: str, key: str) -> bool:
        return key in self.index[kind]

    def record(self, kind: str, key: str) -> Record | None:
        ref = self.index[kind].get(key)
        return self.load(ref) if ref else None

    def load(self, ref: RecordRef) -> Record | None:
        if ref not in self._records:
            self._store(ref, load_and_check(self.root, ref, self.schemas[ref.kind]))
        return self._records[ref]

    def load_all(self, refs: Iterable[RecordRef]) -> None:
        """Load many records at once, on every core when there are many."""
        todo = [ref for ref in refs if ref not in self._records]
        workers = min(os.cpu_count() or 1, 4)
        if len(todo) < PARALLEL_THRESHOLD or workers < 2:
            for ref in todo:
                self.load(ref)
            return
        chunk = max(50, len(todo) // (workers * 8))
        batches = [todo[i : i + chunk] for i in range(0, len(todo), chunk)]
        context = get_context("fork") if "fork" in get_all_start_methods() else None
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_init, initargs=(str(self.root),)) as pool:
            for batch, outcomes in zip(batches, pool.map(_worker_load, batches), strict=False):
                for ref, outcome in zip(batch, outcomes, strict=False):
                    self._store(ref, outcome)

    def _store(self, ref: RecordRef, outcome: LoadOutcome) -> None:
        self._problems[ref.path] = outcome.problems
        if outcome.data is None:
            self._records[ref] = None
        else:
            self._records[ref] = RECORD_TYPES[ref.kind](ref, outcome.data, outcome.valid, outcome.marks)

    def records(self, kind: str) -> list[Record]:
        """Every loadable record of one kind, in key order."""
        refs = list(self.index[kind].values())
        self.load_all(refs)
        return [r for r in (self._records[ref] for ref in refs) if r is not None]

    def valid_records(self, kind: str) -> list[Record]:
        return [r for r in self.records(kind) if r.valid]

    def valid(self, cls: type[R]) -> list[R]:
        """Every valid record of the kind ``cls`` models, typed as ``cls``: one accessor for every kind of the table."""
        return [record for record in self.valid_records(cls.kind) if isinstance(record, cls)]

    def file_problems(self, path: str) -> list[Problem]:
        """Load and schema problems of one loaded file."""
        return self._problems.get(path, [])

    def locate(self, record: Record, path: FieldPath) -> Mark:
        """Line and column of a field, re-reading the file if its marks were not kept."""
        if record._marks is None:
            try:
                record._marks = load_path(self.root / record.path, self.root, record.path).marks
            except LoadError:
                record._marks = {}
        return Document(record.path, record.data, record._marks).locate(path)

    def problem(self, record: Record, path: FieldPath, message: str, code: str, severity: Severity = Severity.ERROR) -> Problem:
        """A problem about one field of a record, placed at that field's line."""
        line, column = self.locate(record, path)
        return Problem(record.path, line, column, severity, message, path, code)
