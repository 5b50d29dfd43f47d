"""The JSON Schemas of the record types: loading, bundling and compiled validators.

Record schemas share definitions through ``gemeenschappelijk.schema.json``. Each
shipped record schema is self-contained: the common definitions it uses are
copied into its own ``$defs`` and every ``$ref`` is a local pointer
(``#/$defs/datum``). Compound documents (an embedded resource with its own
``$id``) resolve in python-jsonschema and check-jsonschema but not in
yaml-language-server, the engine of VS Code's YAML extension, so local pointers
are the one layout every tool reads offline. ``bundle_schemas`` regenerates the
copies and turns references written the cross-file way
(``gemeenschappelijk.schema.json#/$defs/datum``, also by absolute ``$id``) into
local ones, for every ``*.schema.json`` in the folder.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import jsonschema_rs

from kansrijk.records.kinds import KINDS
from kansrijk.records.problems import Problem, Severity

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

COMMON_SCHEMA = "gemeenschappelijk.schema.json"
LEGACY_EMBED_KEY = "gemeenschappelijk"  # where the compound-document layout kept its embedded copy
GENERATED_NOTE = (
    "De $defs die ook in gemeenschappelijk.schema.json staan, zijn daaruit gekopieerd door 'kansrijk schemas --write'; "
    "wijzig ze daar."
)
RECORD_SCHEMAS = {kind.name: kind.schema_file for kind in KINDS.values()}


@dataclass(frozen=True)
class RecordSchema:
    """One record type's schema with a fast gate and a detailed validator."""

    kind: str
    file_name: str
    document: dict

    @cached_property
    def fast(self) -> jsonschema_rs.Validator:
        """Rust validator: answers 'valid?' quickly for the common, valid case."""
        return jsonschema_rs.validator_for(self.document, validate_formats=True)

    @cached_property
    def detailed(self) -> Draft202012Validator:
        """python-jsonschema validator: its error objects carry paths we translate."""
        from jsonschema import Draft202012Validator

        return Draft202012Validator(self.document, format_checker=Draft202012Validator.FORMAT_CHECKER)

    @property
    def properties(self) -> dict[str, dict]:
        return self.document.get("properties", {})


class SchemaFileError(Exception):
    """A schema file that cannot be read, parsed or meta-validated; carries its problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def read_schema(path: Path) -> dict:
    name = f"{path.parent.name}/{path.name}"
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as exc:
        raise SchemaFileError(
            Problem(name, 1, 1, Severity.ERROR, f"het schema is niet te lezen ({exc.strerror}).", (), "schema-onleesbaar")
        ) from None
    except ValueError as exc:
        line, column = getattr(exc, "lineno", 1), getattr(exc, "colno", 1)
        message = f"het schema is geen geldige JSON ({getattr(exc, 'msg', exc)}); herstel het bestand."
        raise SchemaFileError(Problem(name, line, column, Severity.ERROR, message, (), "schema-json")) from None


def _local_ref(ref: str, common_id: str) -> str:
    """``ref`` as a local pointer when it points into the common definitions; other refs unchanged."""
    for prefix in (f"{COMMON_SCHEMA}#/$defs/", f"{common_id}#/$defs/", f"#/$defs/{LEGACY_EMBED_KEY}/$defs/"):
        if ref.startswith(prefix):
            return "#/$defs/" + ref.removeprefix(prefix)
    return ref


def _rewrite_refs(node: object, common_id: str) -> object:
    if isinstance(node, dict):
        return {
            key: _local_ref(value, common_id) if key == "$ref" and isinstance(value, str) else _rewrite_refs(value, common_id)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(item, common_id) for item in node]
    return node


_LOCAL_DEF = re.compile(r'"\$ref": "#/\$defs/([^"/]+)')


def _used_common_names(schema: dict, common_defs: dict) -> set[str]:
    """Names of common definitions ``schema`` refers to, directly or through other common definitions."""
    pending = set(_LOCAL_DEF.findall(json.dumps(schema))) & common_defs.keys()
    used: set[str] = set()
    while pending:
        name = pending.pop()
        used.add(name)
        pending |= (set(_LOCAL_DEF.findall(json.dumps(common_defs[name]))) & common_defs.keys()) - used
    return used


def bundle(record_schema: dict, common: dict) -> dict:
    """``record_schema`` made self-contained: local refs, and a copy of each common definition it uses.

    A ``$defs`` entry named like a common definition belongs to the common schema and is overwritten; copies no
    longer referred to are dropped, so the output depends only on the two inputs.
    """
    common_defs: dict = common.get("$defs", {})
    rewritten = _rewrite_refs(record_schema, common.get("$id", ""))
    assert isinstance(rewritten, dict)
    own_defs = {
        name: value for name, value in rewritten.get("$defs", {}).items() if name not in common_defs and name != LEGACY_EMBED_KEY
    }
    body = {key: value for key, value in rewritten.items() if key not in ("$defs", "$comment")}
    used = _used_common_names({**body, "$defs": own_defs}, common_defs)
    defs = {**own_defs, **{name: value for name, value in common_defs.items() if name in used}}
    bundled = {}
    for key, value in body.items():
        bundled[key] = value
        if key == "description":
            bundled["$comment"] = GENERATED_NOTE
    bundled.setdefault("$comment", GENERATED_NOTE)
    if defs:
        bundled["$defs"] = defs
    return bundled


def bundle_schemas(schema_dir: Path, *, write: bool) -> list[str]:
    """Names of record schemas that are not self-contained and current; rewrite them if ``write``.

    Every ``*.schema.json`` in ``schema_dir`` except the common one counts, so a schema added by hand (or by a
    merge) is normalised by the same command.
    """
    common = read_schema(schema_dir / COMMON_SCHEMA)
    stale = []
    for path in sorted(schema_dir.glob("*.schema.json")):
        if path.name == COMMON_SCHEMA:
            continue
        current = read_schema(path)
        wanted = bundle(current, common)
        if json.dumps(wanted) != json.dumps(current):
            stale.append(path.name)
            if write:
                path.write_text(json.dumps(wanted, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return stale


def load_record_schemas(schema_dir: Path) -> dict[str, RecordSchema]:
    """All record schemas by kind, each meta-validated against JSON Schema 2020-12."""
    loaded = {}
    for kind, file_name in RECORD_SCHEMAS.items():
        document = read_schema(schema_dir / file_name)
        try:
            jsonschema_rs.meta.validate(document)  # the same meta-validation as jsonschema's, ~90x faster per build
        except jsonschema_rs.ValidationError as exc:
            message = f"het schema is geen geldig JSON Schema 2020-12 ({exc.message}); herstel het bestand."
            raise SchemaFileError(Problem(f"schemas/{file_name}", 1, 1, Severity.ERROR, message, (), "schema-ongeldig")) from None
        loaded[kind] = RecordSchema(kind, file_name, document)
    return loaded
