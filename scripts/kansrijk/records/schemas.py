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

No validator ever fetches a schema. A ``$ref`` may point inside its own schema or
at one of the project's schemas (by ``$id`` or file name, resolved from
``schemas/``); anything else (``http://``, ``https://``, ``file:``) is refused
as a schema problem when the schemas are loaded, and both validators are built
with a registry that refuses to retrieve, so a reference that slipped past
that check fails instead of reaching the network or the disk.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn
from urllib.parse import urldefrag, urljoin

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
META_SCHEMA = "https://json-schema.org/draft/2020-12/schema"
_REFERENCES = ("$ref", "$dynamicRef")
_DATA_KEYWORDS = ("const", "default", "enum", "examples")  # their values are data, never schemas with references
OwnSchemas = tuple[tuple[str, dict], ...]  # ($id, document) of every schema of the project


def _refuse_retrieval(uri: str) -> NoReturn:
    """The retriever of every registry: a reference outside the project's schemas is never fetched."""
    raise LookupError(f"{uri} is not one of the project's schemas and is never retrieved")


@dataclass(frozen=True)
class RecordSchema:
    """One record type's schema with a fast gate and a detailed validator."""

    kind: str
    file_name: str
    document: dict
    own_schemas: OwnSchemas = field(default=(), compare=False, repr=False)

    @cached_property
    def fast(self) -> jsonschema_rs.Validator:
        """Rust validator: answers 'valid?' quickly for the common, valid case. It never retrieves a schema."""
        registry = jsonschema_rs.Registry(self.own_schemas, retriever=_refuse_retrieval)
        return jsonschema_rs.validator_for(self.document, validate_formats=True, registry=registry, offline=True)

    @cached_property
    def detailed(self) -> Draft202012Validator:
        """python-jsonschema validator: its error objects carry paths we translate. It never retrieves a schema
        (python-jsonschema's default still fetches remote references, with only a warning)."""
        from jsonschema import Draft202012Validator
        from referencing import Registry
        from referencing.jsonschema import DRAFT202012

        registry: Registry = Registry(retrieve=_refuse_retrieval).with_resources(  # type: ignore[call-arg]
            (uri, DRAFT202012.create_resource(document)) for uri, document in self.own_schemas
        )
        return Draft202012Validator(self.document, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)

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


def _foreign_references(node: object, base: str, own: frozenset[str]) -> Iterator[str]:
    """Every ``$ref``/``$dynamicRef`` below ``node`` that points outside its schema and outside ``own``."""
    if isinstance(node, list):
        for item in node:
            yield from _foreign_references(item, base, own)
        return
    if not isinstance(node, dict):
        return
    if isinstance(node.get("$id"), str):
        base = urljoin(base, node["$id"])
    for key, value in node.items():
        if key in _REFERENCES and isinstance(value, str):
            target = urldefrag(urljoin(base, value)).url
            if target and target != urldefrag(base).url and target not in own:
                yield value
        elif key not in _DATA_KEYWORDS:
            yield from _foreign_references(value, base, own)


def _schema_problem(schema_dir: Path, file_name: str, message: str, code: str, needle: str = "") -> SchemaFileError:
    """A problem about one schema file, on the line where ``needle`` (as JSON) first stands."""
    line = 1
    if needle:
        text = (schema_dir / file_name).read_text(encoding="utf-8")
        line = text.count("\n", 0, max(text.find(json.dumps(needle, ensure_ascii=False)), 0)) + 1
    return SchemaFileError(Problem(f"schemas/{file_name}", line, 1, Severity.ERROR, message, (), code))


def _own_schemas(schema_dir: Path) -> OwnSchemas:
    """The record schemas and the common schema by ``$id``: the only schemas a reference may reach."""
    names = [*RECORD_SCHEMAS.values(), COMMON_SCHEMA]
    documents = [read_schema(schema_dir / name) for name in names if (schema_dir / name).is_file()]
    return tuple((document["$id"], document) for document in documents if isinstance(document.get("$id"), str))


def _check_schema(schema_dir: Path, file_name: str, document: dict, own: OwnSchemas) -> None:
    """Meta-validate against JSON Schema 2020-12 and refuse what a validator would fetch; raise a schema problem."""
    meta = document.get("$schema", META_SCHEMA)
    if not isinstance(meta, str) or meta.rstrip("#") != META_SCHEMA:
        raise _schema_problem(
            schema_dir,
            file_name,
            f"het schema noemt als $schema {meta!r}; Kansrijk leest alleen JSON Schema 2020-12 en haalt nooit een "
            f"metaschema op. Zet er '$schema': '{META_SCHEMA}' neer.",
            "schema-ongeldig",
            "$schema",
        )
    registry = jsonschema_rs.Registry([], retriever=_refuse_retrieval)
    try:
        jsonschema_rs.meta.validate(document, registry=registry)  # as jsonschema's meta-validation, ~90x faster per build
    except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError) as exc:
        message = f"het schema is geen geldig JSON Schema 2020-12 ({exc.message}); herstel het bestand."
        raise _schema_problem(schema_dir, file_name, message, "schema-ongeldig") from None
    ids = frozenset(uri for uri, _ in own)
    for reference in _foreign_references(document, "", ids):
        raise _schema_problem(
            schema_dir,
            file_name,
            f"het schema verwijst naar {reference!r}, buiten de schema's van dit project. Kansrijk haalt nooit een "
            "schema van internet of van schijf. Zet de definitie in $defs van dit schema of in "
            f"{COMMON_SCHEMA} en verwijs er lokaal naar ('#/$defs/naam'); 'kansrijk schemas --write' maakt een "
            f"verwijzing naar {COMMON_SCHEMA} lokaal.",
            "schema-verwijzing",
            reference,
        )


def load_record_schemas(schema_dir: Path) -> dict[str, RecordSchema]:
    """All record schemas by kind, each meta-validated against JSON Schema 2020-12 and compiled without retrieval."""
    own = _own_schemas(schema_dir)
    loaded = {}
    for kind, file_name in RECORD_SCHEMAS.items():
        document = read_schema(schema_dir / file_name)
        _check_schema(schema_dir, file_name, document, own)
        schema = RecordSchema(kind, file_name, document, own)
        try:
            schema.fast  # noqa: B018 - compiled now, so a reference that does not resolve is a schema problem here
        except jsonschema_rs.ValidationError as exc:
            message = (
                f"een verwijzing ($ref) in het schema is niet te volgen ({exc.message.splitlines()[0]}); herstel het bestand."
            )
            raise _schema_problem(schema_dir, file_name, message, "schema-verwijzing") from None
        loaded[kind] = schema
    return loaded
