"""The one strict, safe YAML loader used by every part of Kansrijk.

It builds plain Python values from PyYAML's (libyaml) event stream itself, so it
can refuse what a record must never contain: duplicate keys, anchors and
aliases, tags, non-string keys, several documents, deep nesting. Plain scalars
follow the YAML 1.2 core schema, so ``no``/``on``/``yes`` and dates stay text.
Every value's line and column is kept, so later checks can point at it.

libyaml is fast but, measured against the yaml-test-suite, lenient in a few places where
YAML 1.2 is strict, and it cannot read some rare valid forms. The builder closes those
leniencies with checks on the events' positions in the text (see :class:`_Checks`), and
a libyaml syntax error is explained by the class of construct it hit, so a contributor
reads what to write instead. ``docs/techniek/yaml.md`` lists every class.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kansrijk.records.problems import FieldPath, Problem, Severity

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
# YAML 1.2 reads NEL, LS and PS as ordinary characters; libyaml (YAML 1.1) as line breaks.
_ODD_BREAKS = re.compile("[\x85\u2028\u2029]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BLANKS = ("", " ", "\t", "\r", "\n")
_GLUED_FLOW_COMMENT = re.compile(r"[,\[{]#|(?<=[\s\"']):#")
_NUMBER_START = frozenset("0123456789+-.")
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")
# Numbers the YAML 1.2 core schema reads as numbers but YAML 1.1 readers (and people) may read otherwise:
# a leading zero (0363: 363, or octal 243 in 1.1), 0o/0x notation, .inf and .nan. They are refused, not guessed.
_AMBIGUOUS_NUMBER = re.compile(r"[-+]?(?:0[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|\.(?:inf|Inf|INF|nan|NaN|NAN))\Z")
# The characters no text in a record may hold once YAML escapes are read: the C0 controls but tab and line feed
# (so NUL, ESC and a lone carriage return), DEL, the C1 controls, and the bidirectional overrides and isolates, which
# make text show differently from what it is ("Trojan Source"). They would reach terminals, calendar files,
# spreadsheets and pages. The one definition: the loader refuses them, and the record forms strip them (the pattern
# is written so that Python and JavaScript read it alike).
CONTROL_CHARACTERS = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
_CONTROL = re.compile(CONTROL_CHARACTERS)
# Only an escape (in a double-quoted scalar: a backslash) or the character itself can put one in a value.
_CONTROL_POSSIBLE = re.compile(r"\\|" + CONTROL_CHARACTERS)
_CONTROL_NAMES = {0x00: "het nulteken NUL", 0x1B: "het escapeteken ESC", 0x7F: "het wisteken DEL"}
_CONTROL_ESCAPES = {0x00: "\\0", 0x07: "\\a", 0x08: "\\b", 0x0B: "\\v", 0x0C: "\\f", 0x1B: "\\e", 0x85: "\\N"}


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


def control_character_advice(text: str) -> str | None:
    """What to do about the first character of ``CONTROL_CHARACTERS`` in ``text`` (Dutch), or None if it has none."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    number = ord(found[0])
    where = f"als {found.start() + 1}e teken"
    if number == 0x0D:
        return (
            f"de tekst bevat een losse regelterugloop (CR, U+000D) {where}, bijvoorbeeld door \\r tussen dubbele "
            "aanhalingstekens; agenda, open data en terminals lezen die verschillend. Gebruik \\n voor een nieuwe regel "
            "of haal het teken weg"
        )
    if 0x202A <= number <= 0x202E or 0x2066 <= number <= 0x2069:
        return (
            f"de tekst bevat een onzichtbaar teken dat de schrijfrichting omkeert (U+{number:04X}) {where}; daardoor toont "
            f"de tekst anders dan hij is. Haal het teken weg (tussen dubbele aanhalingstekens staat het er meestal als "
            f"\\u{number:04x})"
        )
    name = _CONTROL_NAMES.get(number, "een onzichtbaar stuurteken")
    escape = _CONTROL_ESCAPES.get(number, f"\\x{number:02x}")
    return (
        f"de tekst bevat {name} (U+{number:04X}) {where}; zo'n teken hoort niet in tekst en ontregelt site, agenda en "
        f"open data. Haal het weg (tussen dubbele aanhalingstekens staat het er meestal als {escape})"
    )


class _BlankTailIsNoLine(Exception):
    """The last line (spaces, no line break) is only indentation of a block scalar: it adds nothing."""


class _AmbiguousNumber(Exception):
    """A plain scalar whose type depends on the YAML version the reader follows."""


def _resolve_plain(value: str) -> object:
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if value[0] not in _NUMBER_START:
        return value  # most text: no number pattern can match
    if _INT.match(value):
        return int(value)
    if _AMBIGUOUS_NUMBER.match(value):
        raise _AmbiguousNumber(value)
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
    if ("\x85" in text or "\u2028" in text or "\u2029" in text) and (odd := _ODD_BREAKS.search(text)):
        line = len(_LINE_BREAK.findall(text, 0, odd.start())) + 1
        column = odd.start() - max(text.rfind("\n", 0, odd.start()), text.rfind("\r", 0, odd.start()))
        raise _fail(
            name,
            (line, column),
            f"hier staat het onzichtbare teken U+{ord(odd[0]):04X} (een regeleinde uit een tekstverwerker); "
            "YAML-lezers zijn het niet eens over wat het betekent. Vervang het door een gewone nieuwe regel of een spatie",
            "vreemd-regeleinde",
        )
    blank_tail_at = None
    if text and not text.endswith(("\n", "\r")):
        # YAML 1.2 ends a last text line without a line break as if it had one (yaml-test-suite L24T); libyaml
        # drops that line feed in a block scalar. A last line of only spaces is text or nothing, depending on the
        # indentation of the block scalar it ends (see _Checks.blank_tail).
        tail = text[max(text.rfind("\n"), text.rfind("\r")) + 1 :]
        if not tail.strip(" \t"):
            blank_tail_at = len(text) - len(tail)
        text += "\n"
    builder = _Builder(name, text, blank_tail_at, controls_possible=_CONTROL_POSSIBLE.search(text) is not None)
    try:
        return builder.build(yaml.parse(text, Loader=_EventLoader))
    except _BlankTailIsNoLine:
        assert blank_tail_at is not None
        return load_text(text[:blank_tail_at], name)
    except yaml.MarkedYAMLError as exc:
        raise builder.syntax_error(exc) from None
    except yaml.YAMLError as exc:
        raise _fail(name, (1, 1), f"dit is geen geldige YAML ({exc}); controleer het bestand", "yaml-syntax") from None


class _Frame:
    __slots__ = ("container", "flow", "indent", "key", "key_marks", "path", "start")

    def __init__(self, container: dict | list, path: FieldPath, flow: bool, indent: int, start) -> None:
        self.container = container
        self.path = path
        self.key: str | None = None
        self.key_marks: dict[str, Mark] = {}
        self.flow = flow
        # The indentation of the innermost block collection around (or being) this one; -1 at the top.
        self.indent = indent
        self.start = start


class _Builder:
    """Turns one event stream into a :class:`Document`, refusing unsafe YAML."""

    def __init__(self, name: str, text: str, blank_tail_at: int | None = None, *, controls_possible: bool = True) -> None:
        self.name = name
        self.controls_possible = controls_possible  # False: no value can hold a control character, so none is searched
        self.checks = _Checks(name, text, blank_tail_at)
        self.current = None  # the event being built, for errors raised while resolving it
        self.stack: list[_Frame] = []
        self.marks: dict[FieldPath, Mark] = {}
        self.key_marks: dict[FieldPath, Mark] = {}

    def build(self, events) -> Document:
        try:
            return self._build(events)
        except _AmbiguousNumber as exc:
            event = self.current
            raise self._error(
                event,
                f"'{exc}' lezen YAML-programma's verschillend (als getal of als tekst); zet het tussen "
                f"aanhalingstekens als het tekst is ('{exc}'), of schrijf het getal zonder voorloopnul of notatie",
                "dubbelzinnig-getal",
            ) from None

    def _build(self, events) -> Document:
        root: object = _MISSING
        documents = 0
        stack = self.stack
        checks = self.checks
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
                closed = stack.pop()
                if closed.flow:
                    checks.flow_end(closed, event, outermost=not stack or not stack[-1].flow)
                continue
            self.current = event
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
            indent = frame.indent if frame else -1
            if kind is yaml.ScalarEvent:
                if event.style or event.start_mark.line != event.end_mark.line:
                    checks.scalar(event, indent, in_flow=frame is not None and frame.flow)
                if frame is not None and frame.flow:
                    if checks.follows_question_mark(event):
                        event.value = "?" + event.value  # libyaml took the '?' of a plain "?foo" as a key indicator
                        mark = (mark[0], mark[1] - 1)
                    elif event.value == "-" and not event.style:
                        checks.lone_dash(event)
            elif frame is not None and frame.flow:
                checks.follows_question_mark(event)
            if frame is not None and type(frame.container) is dict and frame.key is None:
                self._take_key(event, kind, mark, frame)
                continue
            if (
                frame is not None
                and not frame.flow
                and event.start_mark.column <= indent
                and (event.flow_style if kind is not yaml.ScalarEvent else event.style or event.value)
            ):  # an empty value (null) is marked where the next token starts
                checks.under_indented_value(event, indent)
            if kind is yaml.ScalarEvent:
                value: object = event.value if (event.style or event.implicit[0] is False) else _resolve_plain(event.value)
            else:
                value = {} if kind is yaml.MappingStartEvent else []
            path = self._place(frame, value, mark)
            if self.controls_possible and type(value) is str and (advice := control_character_advice(value)):
                raise self._error(event, advice, "stuurteken", path)
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
                flow = bool(event.flow_style)
                inner = indent if flow else event.start_mark.column
                stack.append(_Frame(value, path, flow, inner, event.start_mark))  # type: ignore[arg-type]
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
        if self.controls_possible and (advice := control_character_advice(key)):
            raise self._error(event, f"in een veldnaam: {advice}", "stuurteken", frame.path)
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

    def syntax_error(self, exc: yaml.MarkedYAMLError) -> LoadError:
        """A libyaml syntax error as a Dutch problem that names the construct, so the fix is clear."""
        mark = exc.problem_mark or exc.context_mark
        where = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = exc.problem or "onbekende fout"
        line = self.checks.line(where[0] - 1)
        in_flow = bool(self.stack) and self.stack[-1].flow
        if "\t" in line:
            advice = (
                "op deze regel staat een tab; Kansrijk leest tabs alleen binnen tekst tussen aanhalingstekens. "
                "Gebruik spaties om in te springen en na '-', ':' en '#'"
            )
        elif "directive" in detail or "incompatible YAML document" in detail:
            advice = (
                "een regel die met % begint (een YAML-directief) leest Kansrijk niet, behalve %YAML 1.1, %YAML 1.2 "
                "en %TAG; haal de regel weg"
            )
        elif "anchor" in (exc.context or "") or "alias" in (exc.context or ""):
            advice = "ankers (&) en verwijzingen (*) zijn niet toegestaan; schrijf de waarde voluit"
        elif in_flow:
            advice = (
                "deze schrijfwijze tussen [ ] of { } leest Kansrijk niet (bijvoorbeeld een dubbele punt vlak voor "
                "een waarde, een lege veldnaam of een veldnaam over twee regels); zet de tekst tussen "
                "aanhalingstekens of schrijf de lijst als blok, met '- ' vóór elk item op een eigen regel"
            )
        elif line.lstrip(" -").startswith(":"):
            advice = "deze regel begint met ':' en heeft dus geen veldnaam; zet de veldnaam vóór de dubbele punt"
        elif "document start" in detail or line.startswith("..."):
            advice = (
                "een record is één YAML-document zonder '...' en zonder tekst na het einde van het document; "
                "haal de regel met '...' weg en zet de velden in de vorm 'veld: waarde'"
            )
        else:
            advice = "controleer inspringing, dubbele punten en aanhalingstekens rond deze plek"
        return _fail(self.name, where, f"dit is geen YAML die Kansrijk kan lezen ({detail}); {advice}", "yaml-syntax")


class _Checks:
    """Where libyaml is more lenient than YAML 1.2: checks on event positions, run only where they can apply.

    Each check looks at the text of a multi-line or quoted scalar, a block scalar's header and leading lines, or a
    multi-line flow collection; single-line plain values, the bulk of a record, cost nothing extra.
    """

    def __init__(self, name: str, text: str, blank_tail_at: int | None) -> None:
        self.name = name
        self.text = text
        self.blank_tail_at = blank_tail_at
        self._starts: list[int] | None = None
        self.quoted_in_flow: list[tuple[int, int]] = []  # spans of quoted text inside the open flow collection

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0, *(match.end() for match in _LINE_BREAK.finditer(self.text))]
        return self._starts

    def line(self, number: int) -> str:
        """Line ``number`` (0-based) without its line break; '' past the end."""
        starts = self.starts
        if number >= len(starts):
            return ""
        end = starts[number + 1] if number + 1 < len(starts) else len(self.text)
        return self.text[starts[number] : end].rstrip("\r\n")

    def _fail(self, line: int, column: int, message: str) -> LoadError:
        return _fail(self.name, (line + 1, column + 1), message, "yaml-syntax")

    def _lines_indented(self, first: int, last: int, indent: int, *, skip_comments: bool) -> None:
        """Continuation lines of a flow node must be indented more than the block around it (YAML 1.2, 7.3)."""
        need = indent + 1
        for number in range(first, last + 1):
            line = self.line(number)
            content = line.lstrip(" \t")
            if skip_comments and (not content or content.startswith("#")):
                continue  # between the items of a flow collection: separation and comment lines
            if not content and "\t" not in line:
                continue  # an empty line inside a scalar may have fewer spaces
            if len(line) - len(line.lstrip(" ")) < need:
                raise self._fail(
                    number,
                    0,
                    f"deze regel hoort bij de waarde die op regel {first} begint, maar springt niet (met spaties) "
                    f"verder in dan het veld ervoor; zet er minstens {need} spatie(s) voor of zet de waarde op één regel",
                )

    def _comment_glued(self, index: int, line: int, column: int) -> None:
        """Refuse a '#' right at ``index`` (0-based line and column): libyaml reads it as a comment, YAML 1.2 not."""
        if self.text.startswith("#", index):
            raise self._fail(
                line, column, "een opmerking (#) moet na een spatie komen; zet een spatie vóór '#' of haal het teken weg"
            )

    def scalar(self, event, indent: int, *, in_flow: bool) -> None:
        style = event.style
        if style == "|" or style == ">":
            self._block_scalar(event, indent)
            return
        if style:
            end = event.end_mark
            self._comment_glued(end.index, end.line, end.column)
            if in_flow:
                self.quoted_in_flow.append((event.start_mark.index, event.end_mark.index))
        if event.end_mark.line != event.start_mark.line:
            self._lines_indented(event.start_mark.line + 1, event.end_mark.line, indent, skip_comments=False)

    def _block_scalar(self, event, indent: int) -> None:
        start = event.start_mark
        if self.blank_tail_at is not None and event.end_mark.index > self.blank_tail_at:
            self.blank_tail(event, indent)
        header = self.line(start.line)[start.column + 1 : start.column + 3]
        indicators = len(header) - len(header.lstrip("123456789+-"))
        self._comment_glued(start.index + 1 + indicators, start.line, start.column + 1 + indicators)
        if any(ch.isdigit() for ch in header[:indicators]):
            return
        # YAML 1.2 (8.1.1.1): no leading empty line may hold more spaces than the first line with text.
        widest = 0
        number = start.line + 1
        while number < len(self.starts):
            line = self.line(number)
            if line.strip(" "):
                spaces = len(line) - len(line.lstrip(" "))
                if indent < spaces < widest:
                    raise self._fail(
                        number,
                        spaces,
                        f"een lege regel boven deze regel heeft meer spaties ({widest}) dan deze eerste tekstregel "
                        f"van het blok ({spaces}); haal de spaties op die lege regel weg",
                    )
                return
            widest = max(widest, len(line))
            number += 1

    def lone_dash(self, event) -> None:
        """In [ ] or { } a '-' alone is no text in YAML 1.2 (only before ':' or a character); libyaml reads "-"."""
        if not self.text.startswith(":", event.end_mark.index):
            raise self._fail(
                event.start_mark.line,
                event.start_mark.column,
                "een los streepje (-) tussen [ ] of { } is geen waarde; zet het tussen aanhalingstekens ('-') of haal het weg",
            )

    def under_indented_value(self, event, indent: int) -> None:
        """A value on the line after its field must be indented more than the field (YAML 1.2, 8.2.2)."""
        raise self._fail(
            event.start_mark.line,
            event.start_mark.column,
            f"deze waarde staat op een eigen regel maar springt niet verder in dan het veld erboven; "
            f"zet er minstens {indent + 1} spatie(s) voor of zet haar achter de dubbele punt",
        )

    def blank_tail(self, event, indent: int) -> None:
        """Decide a last line of only spaces, without a line break, that ends this block scalar.

        Spaces beyond the scalar's indentation are text (libyaml reads the line right once it has a line break);
        otherwise the line is empty and, lacking a line break, adds nothing: :class:`_BlankTailIsNoLine`.
        """
        assert self.blank_tail_at is not None
        tail = self.text[self.blank_tail_at : -1]
        start = event.start_mark
        header = self.line(start.line)[start.column + 1 : start.column + 3]
        if "\t" in tail or any(ch.isdigit() for ch in header):  # readers differ here: refuse rather than guess
            raise self._fail(
                len(self.starts) - 2,
                0,
                "het bestand eindigt met een regel met alleen witruimte, zonder regeleinde, na een tekstblok; "
                "YAML-lezers lezen die regel verschillend. Haal de spaties weg",
            )
        last = len(self.starts) - 2  # the blank tail's own line
        text_lines = (self.line(number) for number in range(start.line + 1, last))
        first_text = next((line for line in text_lines if line.strip(" ")), None)
        content_indent = len(first_text) - len(first_text.lstrip(" ")) if first_text is not None else -1
        if content_indent <= indent or len(tail) <= content_indent:
            raise _BlankTailIsNoLine

    def flow_end(self, frame: _Frame, event, *, outermost: bool) -> None:
        end = event.end_mark
        self._comment_glued(end.index, end.line, end.column)
        if not outermost:
            return
        if event.start_mark.line != frame.start.line:
            self._lines_indented(frame.start.line + 1, event.start_mark.line, frame.indent, skip_comments=True)
        start, end = frame.start.index, event.start_mark.index
        if self.text.find("#", start, end) >= 0:
            for glued in _GLUED_FLOW_COMMENT.finditer(self.text, start, end):
                if not any(low < glued.start() < high for low, high in self.quoted_in_flow):
                    line = len(_LINE_BREAK.findall(self.text, 0, glued.start()))
                    column = glued.start() - self.starts[line] + 1
                    raise self._fail(line, column, "een opmerking (#) moet na een spatie komen; zet een spatie vóór '#'")
        self.quoted_in_flow.clear()

    def follows_question_mark(self, event) -> bool:
        """Whether libyaml read a '?' glued to this flow node as a key indicator (YAML 1.2 makes it text).

        True for a plain scalar, whose value then starts with the '?'; any other node is refused.
        """
        index = event.start_mark.index
        text = self.text
        if type(event) is yaml.MappingStartEvent and text.startswith("?", index) and text[index + 1 : index + 2] not in _BLANKS:
            index += 1  # "[?a]": libyaml made a one-pair mapping of it, YAML 1.2 reads the text "?a"
        elif index == 0 or text[index - 1] != "?" or (event.end_mark.index == index and type(event) is yaml.ScalarEvent):
            return False
        elif type(event) is yaml.ScalarEvent and not event.style:
            return True
        raise self._fail(
            event.start_mark.line,
            index - 1 - self.starts[event.start_mark.line],
            "een '?' direct vóór een waarde tussen { } of [ ] lezen YAML-lezers verschillend; "
            "zet een spatie na het vraagteken of zet de tekst met het vraagteken tussen aanhalingstekens",
        )


_MISSING = object()
_END_MAP = yaml.MappingEndEvent
_END_SEQ = yaml.SequenceEndEvent
_STRUCTURAL = (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)
