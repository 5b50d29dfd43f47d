"""``kansrijk fmt``: one house style for record files, without changing what they mean.

ruamel.yaml's round-trip mode keeps every comment. On top of it we put the keys
of each block in schema order, write lists of codes inline and lists of blocks
or sentences one item per line, and quote only what must be quoted. A string
that our strict loader (YAML 1.2 core) would read as something else, such as
``"123"`` or ``"true"``, is always written quoted.

Safety: a file the strict loader rejects is never touched, the result is
loaded again and compared with the original data before anything is written,
and files are replaced atomically (temporary file and rename).
"""

from __future__ import annotations

import io
import itertools
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString, SingleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from kansrijk.records.loader import LoadError, load_bytes, load_text, read_record_bytes
from kansrijk.records.problems import Problem, Severity
from kansrijk.records.schema_fields import property_names

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
LINE_WIDTH = 4096  # never re-wrap text: a long line stays one line, a folded block keeps its folds
_CODE = re.compile(r"[^\s,\[\]{}#&*!|>'\"%@`]+\Z")


@dataclass(frozen=True)
class FormatOutcome:
    """What formatting one file found: the new text (if it differs) or the problem that stopped it."""

    path: str
    changed: bool
    problem: Problem | None = None
    new_text: str | None = None


class _DatesAsText(VersionedResolver):
    """YAML 1.2 core as the strict loader reads it: ``2024-03-01`` is text, so it stays unquoted like any other text."""

    @property
    def versioned_resolver(self) -> dict:
        return {
            first: [(tag, pattern) for tag, pattern in rules if tag != _TIMESTAMP]
            for first, rules in super().versioned_resolver.items()
        }


def house_yaml() -> YAML:
    """A ruamel round-trip YAML set up in house style."""
    yaml = YAML(typ="rt")
    yaml.Resolver = _DatesAsText
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = LINE_WIDTH
    yaml.preserve_quotes = False
    yaml.explicit_start = False
    return yaml


def _reads_as_other_type(text: str) -> bool:
    """True when the strict loader would read ``text`` unquoted as a number, boolean or null.

    Text that cannot be plain at all (``a: b``, ``#x``) is left to ruamel's emitter, which quotes it itself.
    """
    try:
        value = load_text(f"k: {text}\n", "<fmt>").data.get("k")
    except LoadError:
        return False
    return not isinstance(value, str)


def _normal_string(value: str) -> object:
    if isinstance(value, LiteralScalarString | FoldedScalarString):
        return value
    text = str(value)
    if not text or _reads_as_other_type(text):
        return SingleQuotedScalarString(text)
    return text


def _is_code_list(items: CommentedSeq) -> bool:
    return bool(items) and all(
        isinstance(item, str) and not isinstance(item, LiteralScalarString | FoldedScalarString) and _CODE.match(item)
        for item in items
    )


def _entry_tail(container: CommentedMap | CommentedSeq, key: object) -> tuple[list, int]:
    """The comment slot after the last line of one entry: ruamel keeps full-line comments that follow it there."""
    value = container[key]
    if isinstance(value, CommentedMap | CommentedSeq) and value and not value.fa.flow_style():
        last = next(reversed(value)) if isinstance(value, CommentedMap) else len(value) - 1
        return _entry_tail(value, last)
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    return entry, 2 if isinstance(container, CommentedMap) else 0


def _take_following_lines(slot: tuple[list, int]) -> str:
    """Remove and return the full-line comments after an entry, leaving its end-of-line comment in place."""
    entry, index = slot
    token = entry[index]
    if token is None:
        return ""
    value = token.value
    own_line = value[: value.find("\n") + 1] if "\n" in value else value
    following = "".join(line.lstrip(" ") for line in value[len(own_line) :].splitlines(keepends=True))
    if following:
        if own_line.strip():
            token.value = own_line
        else:
            entry[index] = None
    return following


def _indented(lines: str, column: int) -> str:
    return "".join(" " * column + line if line.strip() else line for line in lines.splitlines(keepends=True))


def _append_lines(slot: tuple[list, int], lines: str) -> None:
    if not lines:
        return
    entry, index = slot
    if entry[index] is None:
        entry[index] = CommentToken("\n" + lines, CommentMark(0))
    else:
        entry[index].value += lines


def _reorder(node: CommentedMap, wanted: list[str], path: tuple[str | int, ...]) -> None:
    """Put the keys of ``node`` in ``wanted`` order; comment lines above a key travel with that key."""
    column = 2 * len(path)  # mappings indent by 2; a list item's keys sit 2 past its dash, which sits 2 in
    keys = list(node.keys())
    above = {key: _take_following_lines(_entry_tail(node, previous)) for previous, key in itertools.pairwise(keys)}
    after_block = _take_following_lines(_entry_tail(node, keys[-1]))
    for key in wanted:
        node.move_to_end(key)
    if above.get(wanted[0]):
        header = node.ca.comment if node.ca.comment else [None, []]
        header_column = column - 2 if path and isinstance(path[-1], int) else column
        header[1] = [*(header[1] or []), CommentToken(_indented(above[wanted[0]], header_column), CommentMark(0))]
        node.ca.comment = header
    for previous, key in itertools.pairwise(wanted):
        _append_lines(_entry_tail(node, previous), _indented(above.get(key, ""), column))
    _append_lines(_entry_tail(node, wanted[-1]), _indented(after_block, max(column - 2, 0)))


def _normalise(node: object, document: dict, path: tuple[str | int, ...]) -> object:
    """Return ``node`` in house style; mappings and sequences are changed in place to keep their comments."""
    if isinstance(node, CommentedMap):
        order = property_names(document, path)
        rank = {name: position for position, name in enumerate(order)}
        keys = list(node.keys())
        wanted = sorted(keys, key=lambda key: (rank.get(key, len(order)), keys.index(key)))
        for key in keys:
            node[key] = _normalise(node[key], document, (*path, key))
        if wanted != keys:
            _reorder(node, wanted, path)
        node.fa.set_block_style()
        return node
    if isinstance(node, CommentedSeq):
        for index, item in enumerate(node):
            node[index] = _normalise(item, document, (*path, index))
        if _is_code_list(node) and not node.ca.items:
            node.fa.set_flow_style()
        else:
            node.fa.set_block_style()
        return node
    if isinstance(node, str):
        return _normal_string(node)
    return node


def normalise_document(data: CommentedMap, document: dict) -> None:
    """Put a loaded (or freshly built) record in house style, in place."""
    _normalise(data, document, ())


def format_text(text: str, document: dict) -> str:
    """``text`` (a record that loaded strictly) in house style."""
    yaml = house_yaml()
    data = yaml.load(text)
    normalise_document(data, document)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def format_file(path: Path, root: Path, rel: str, document: dict) -> FormatOutcome:
    """Format one record file in memory; nothing is written here."""
    try:
        raw = read_record_bytes(path, root, rel)
        original = load_bytes(raw, rel)
    except LoadError as exc:
        return FormatOutcome(rel, False, exc.problem)
    text = raw.decode("utf-8").removeprefix("\ufeff")
    new_text = format_text(text.replace("\r\n", "\n"), document)
    try:
        same_meaning = load_text(new_text, rel).data == original.data
    except LoadError:
        same_meaning = False
    if not same_meaning:
        problem = Problem(
            rel,
            1,
            1,
            Severity.ERROR,
            "kansrijk fmt kan dit bestand niet opmaken zonder de inhoud te veranderen; het is niet aangepast. "
            "Meld dit bij de beheerders.",
            (),
            "fmt-betekenis",
        )
        return FormatOutcome(rel, False, problem)
    return FormatOutcome(rel, new_text != text or raw.startswith(b"\xef\xbb\xbf"), None, new_text)


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves either the old or the new file, never half of one."""
    mode = path.stat().st_mode & 0o777
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
