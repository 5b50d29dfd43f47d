"""The repository model: every record file, loaded strictly and checked against its schema.

Files are found by a cheap directory scan; records are parsed on demand and
cached, so checking three changed files in a repository of ten thousand only
parses what the rules need. Whole-repository loads use both cores.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import ClassVar, TypeVar

from kansrijk.records.kinds import KINDS, RecordKind, classify_path
from kansrijk.records.loader import Document, LoadError, Mark, load_path
from kansrijk.records.problems import FieldPath, Problem, Severity
from kansrijk.records.register import Vocabularies
from kansrijk.records.schema_check import check_document
from kansrijk.records.schemas import RecordSchema, load_record_schemas
from kansrijk.records.tree import FolderWalk, walk_record_folders

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

    @property
    def heading(self) -> str:
        """What a page or a list calls the record: its ``naam`` or ``titel`` field, else its key."""
        return str(self.data.get("naam") or self.data.get("titel") or self.key)

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


def _record_type(kind: RecordKind) -> type[Record]:
    """The class of a kind's records: its own, or a plain ``Record`` for a kind that needs no behaviour of its own."""
    if kind.record_class:
        return globals()[kind.record_class]
    return type(kind.title.replace(" ", ""), (Record,), {"kind": kind.name, "__doc__": f"A record of kind {kind.name}."})


RECORD_TYPES: dict[str, type[Record]] = {kind.name: _record_type(kind) for kind in KINDS.values()}
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
    def folder_walk(self) -> FolderWalk:
        """The record folders as the one walk saw them: the index reads it, the folder-entry policy judges it."""
        return walk_record_folders(self.root)

    @cached_property
    def index(self) -> dict[str, dict[str, RecordRef]]:
        """``kind -> key -> RecordRef`` for every record file, without parsing any."""
        index: dict[str, dict[str, RecordRef]] = {kind: {} for kind in RECORD_TYPES}
        for rel in self.folder_walk.files:
            ref = classify(rel)
            if ref is not None:
                index[ref.kind][ref.key] = ref
        return index

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
