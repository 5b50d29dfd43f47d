"""The one strict, safe YAML loader used by every part of Kansrijk.

It builds plain Python values from PyYAML's (libyaml) event stream itself, so it
can refuse what a record must never contain: duplicate keys, anchors and
aliases, tags, non-string keys, several documents, deep nesting. Plain scalars
follow the YAML 1.2 core schema, so ``no``/``on``/``yes`` and dates stay text.
Every value's line and column is kept, so later checks can point at it.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import FieldPath, Problem, Severity

try:
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover - libyaml is present in every supported install
    from yaml import SafeLoader as _EventLoader  # type: ignore[assignment]

MAX_BYTES = 256 * 1024
MAX_DEPTH = 16

Mark = tuple[int, int]

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?:\.[0-9]*)?[eE][-+]?[0-9]+)\Z")


class LoadError(Exception):
    """A file that cannot be read as a record at all; carries its problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass(frozen=True)
class Document:
    """A loaded YAML mapping, the position of every value in it and of every key (for unknown-field problems)."""

    name: str
    data: dict[str, object]
    marks: dict[FieldPath, Mark]
    key_marks: dict[FieldPath, Mark] = field(default_factory=dict)

    def locate(self, path: FieldPath) -> Mark:
        """Line and column of ``path``, or of its nearest ancestor that exists."""
        path = tuple(path)
        while path:
            mark = self.marks.get(path)
            if mark is not None:
                return mark
            path = path[:-1]
        return self.marks.get((), (1, 1))


def _fail(name: str, mark: Mark, message: str, code: str, path: FieldPath = ()) -> LoadError:
    return LoadError(Problem(name, mark[0], mark[1], Severity.ERROR, message, path, code))


def _resolve_plain(value: str) -> object:
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value


def read_record_bytes(path: Path, root: Path, name: str, max_bytes: int = MAX_BYTES) -> bytes:
    """Read a record file, refusing symlinks out of the repository, anything but a regular file and oversized files."""
    try:
        if path.is_symlink() and not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root)):
            raise _fail(
                name,
                (1, 1),
                "dit bestand is een symbolische koppeling naar een plek buiten de repository; zet de inhoud zelf in het bestand",
                "symlink-buiten-repo",
            )
        return _read_regular_file(path, name, max_bytes)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _fail(
                name,
                (1, 1),
                "dit bestand is een symbolische koppeling die naar zichzelf verwijst (een lus); "
                "zet de inhoud zelf in het bestand",
                "symlink-lus",
            ) from None
        raise _fail(
            name, (1, 1), f"het bestand is niet te lezen ({exc.strerror}); controleer of het bestaat en leesbaar is", "onleesbaar"
        ) from None


def _read_regular_file(path: Path, name: str, max_bytes: int) -> bytes:
    """Open without blocking (a FIFO would wait for a writer forever), then read only a regular file of bounded size."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            what = "een map" if stat.S_ISDIR(status.st_mode) else "geen gewoon bestand (maar bijvoorbeeld een FIFO of apparaat)"
            raise _fail(
                name, (1, 1), f"hier hoort een recordbestand, maar dit is {what}; zet er een gewoon bestand neer", "geen-bestand"
            )
        if status.st_size > max_bytes:
            raise _fail(
                name,
                (1, 1),
                f"het bestand is {status.st_size // 1024} kB; de grens is {max_bytes // 1024} kB. "
                "Maak de tekst korter of verwijs naar een webpagina",
                "te-groot",
            )
        handle = os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise
    with handle:
        return handle.read(max_bytes + 1)


def load_path(path: Path, root: Path, name: str | None = None) -> Document:
    """Load one record file strictly; raise :class:`LoadError` with a Dutch problem."""
    name = name or path.as_posix()
    return load_bytes(read_record_bytes(path, root, name), name)


def load_bytes(raw: bytes, name: str, max_bytes: int = MAX_BYTES) -> Document:
    if len(raw) > max_bytes:
        raise _fail(name, (1, 1), f"het bestand is groter dan {max_bytes // 1024} kB; maak de tekst korter", "te-groot")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _fail(
            name,
            (line, column),
            f"het bestand is geen geldige UTF-8-tekst (byte 0x{raw[exc.start]:02x}); "
            "sla het op als UTF-8 (in Kladblok: Opslaan als, codering UTF-8)",
            "geen-utf8",
        ) from None
    return load_text(text.removeprefix("\ufeff"), name)


def load_text(text: str, name: str) -> Document:
    try:
        return _Builder(name).build(yaml.parse(text, Loader=_EventLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = exc.problem or "onbekende fout"
        raise _fail(
            name,
            where,
            f"dit is geen geldige YAML ({detail}); controleer inspringing, dubbele punten en aanhalingstekens rond deze plek",
            "yaml-syntax",
        ) from None
    except yaml.YAMLError as exc:
        raise _fail(name, (1, 1), f"dit is geen geldige YAML ({exc}); controleer het bestand", "yaml-syntax") from None


class _Frame:
    __slots__ = ("container", "key", "key_marks", "path")

    def __init__(self, container: dict | list, path: FieldPath) -> None:
        self.container = container
        self.path = path
        self.key: str | None = None
        self.key_marks: dict[str, Mark] = {}


class _Builder:
    """Turns one event stream into a :class:`Document`, refusing unsafe YAML."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.marks: dict[FieldPath, Mark] = {}
        self.key_marks: dict[FieldPath, Mark] = {}

    def build(self, events) -> Document:
        root: object = _MISSING
        documents = 0
        stack: list[_Frame] = []
        for event in events:
            kind = type(event)
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise self._error(
                        event,
                        "het bestand bevat meer dan één YAML-document (---); zet elk record in een eigen bestand",
                        "meerdere-documenten",
                    )
                continue
            if kind in _STRUCTURAL:
                continue
            if kind is _END_MAP or kind is _END_SEQ:
                stack.pop()
                continue
            mark = (event.start_mark.line + 1, event.start_mark.column + 1)
            if kind is yaml.AliasEvent:
                raise self._error(event, f"verwijzing *{event.anchor} is niet toegestaan; schrijf de waarde voluit", "alias")
            if event.anchor is not None:
                raise self._error(
                    event, f"anker &{event.anchor} is niet toegestaan; schrijf de waarde voluit en laat het anker weg", "anker"
                )
            if event.tag is not None:
                raise self._error(
                    event,
                    f"YAML-tag {event.tag} is niet toegestaan; laat de tag weg (zet tekst zo nodig tussen aanhalingstekens)",
                    "tag",
                )
            frame = stack[-1] if stack else None
            if frame is not None and type(frame.container) is dict and frame.key is None:
                self._take_key(event, kind, mark, frame)
                continue
            if kind is yaml.ScalarEvent:
                value: object = event.value if (event.style or event.implicit[0] is False) else _resolve_plain(event.value)
            else:
                value = {} if kind is yaml.MappingStartEvent else []
            path = self._place(frame, value, mark)
            if frame is None:
                root = value
            if kind is not yaml.ScalarEvent:
                if len(stack) >= MAX_DEPTH:
                    raise self._error(
                        event,
                        f"de gegevens zijn dieper genest dan {MAX_DEPTH} niveaus; maak de structuur platter",
                        "te-diep",
                        path,
                    )
                stack.append(_Frame(value, path))  # type: ignore[arg-type]
        if root is _MISSING or root is None:
            raise _fail(self.name, (1, 1), "het bestand is leeg; vul de velden van het record in", "leeg")
        if not isinstance(root, dict):
            raise _fail(
                self.name,
                (1, 1),
                "het bestand moet velden bevatten in de vorm 'veld: waarde', geen losse lijst of tekst",
                "geen-mapping",
            )
        return Document(self.name, root, self.marks, self.key_marks)

    def _take_key(self, event, kind, mark: Mark, frame: _Frame) -> None:
        if kind is not yaml.ScalarEvent:
            raise self._error(event, "een veldnaam moet tekst zijn, geen lijst of blok", "sleutel-geen-tekst", frame.path)
        key = event.value if (event.style or event.implicit[0] is False) else _resolve_plain(event.value)
        if not isinstance(key, str) or key == "":
            raise self._error(
                event, f"veldnaam {event.value!r} is geen tekst; gebruik een naam met letters", "sleutel-geen-tekst", frame.path
            )
        earlier = frame.key_marks.get(key)
        if earlier is not None:
            raise self._error(
                event,
                f"veld '{key}' staat twee keer in dit blok (eerder op regel {earlier[0]}); houd er één over",
                "dubbele-sleutel",
                (*frame.path, key),
            )
        frame.key_marks[key] = mark
        self.key_marks[(*frame.path, key)] = mark
        frame.key = key

    def _place(self, frame: _Frame | None, value: object, mark: Mark) -> FieldPath:
        if frame is None:
            path: FieldPath = ()
        elif type(frame.container) is dict:
            key = frame.key
            frame.container[key] = value  # type: ignore[index]
            frame.key = None
            path = (*frame.path, key)  # type: ignore[arg-type]
        else:
            path = (*frame.path, len(frame.container))
            frame.container.append(value)  # type: ignore[union-attr]
        self.marks[path] = mark
        return path

    def _error(self, event, message: str, code: str, path: FieldPath = ()) -> LoadError:
        return _fail(self.name, (event.start_mark.line + 1, event.start_mark.column + 1), message, code, path)


_MISSING = object()
_END_MAP = yaml.MappingEndEvent
_END_SEQ = yaml.SequenceEndEvent
_STRUCTURAL = (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)
