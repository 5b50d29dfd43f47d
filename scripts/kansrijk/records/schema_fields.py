"""Walking a record schema by field path: what a field is, and in which order a block's fields belong.

The open-data export (Dutch column descriptions), ``kansrijk fmt`` (key order) and
``kansrijk new`` (a commented skeleton) all read the same JSON Schemas; this is
the one place that follows their ``$ref``s into the embedded common definitions.
"""

from __future__ import annotations

from dataclasses import dataclass

ANY_ITEM = "*"


@dataclass(frozen=True)
class _Resolved:
    node: dict
    context: dict
    required: bool


def _follow_ref(root: dict, context: dict, node: dict) -> tuple[dict, dict]:
    """``node`` with its ``$ref`` merged in (local keywords win), and the document later refs resolve in."""
    ref = node.get("$ref")
    if not ref:
        return node, context
    pointer = ref.partition("#")[2]
    target: dict = context
    for part in filter(None, pointer.split("/")):
        target = target[part]
    target, context = _follow_ref(root, context, target)
    local = {key: value for key, value in node.items() if key != "$ref"}
    return {**target, **local}, context


def _branches(root: dict, context: dict, node: dict) -> list[dict]:
    """The alternatives of a ``oneOf``/``anyOf`` node (each resolved), or the node itself."""
    return [_follow_ref(root, context, branch)[0] for branch in node.get("oneOf") or node.get("anyOf") or [node]]


def _resolve(document: dict, path: tuple[str | int, ...]) -> _Resolved:
    node, context = _follow_ref(document, document, document)
    required = True
    for step in path:
        if step == ANY_ITEM or isinstance(step, int):
            node, context = _follow_ref(document, context, node["items"])
            continue
        branches = _branches(document, context, node)
        holders = [branch for branch in branches if step in branch.get("properties", {})]
        if not holders:
            raise KeyError(f"schema {document.get('$id')} has no field {'.'.join(map(str, path))}")
        required = required and all(step in branch.get("required", []) for branch in branches)
        variants = [_follow_ref(document, context, holder["properties"][step]) for holder in holders]
        node, context = variants[0]
        if len(variants) > 1 and all("const" in variant for variant, _ in variants):
            node = {key: value for key, value in node.items() if key != "const"} | {"enum": [v["const"] for v, _ in variants]}
    return _Resolved(node, context, required)


def describe_field(document: dict, path: tuple[str | int, ...]) -> tuple[dict, bool]:
    """The JSON Schema of the field at ``path`` (``*`` or an index steps into list items) and whether it is always present."""
    resolved = _resolve(document, path)
    return resolved.node, resolved.required


def property_names(document: dict, path: tuple[str | int, ...]) -> list[str]:
    """The field names a mapping at ``path`` may hold, in schema order (alternatives merged in order of appearance)."""
    try:
        resolved = _resolve(document, path)
    except (KeyError, TypeError):
        return []
    names: dict[str, None] = {}
    for branch in _branches(document, resolved.context, resolved.node):
        names.update(dict.fromkeys(branch.get("properties", {})))
    return list(names)


def required_names(document: dict, path: tuple[str | int, ...] = ()) -> list[str]:
    """The fields a mapping at ``path`` must hold (for alternatives: those every alternative requires)."""
    resolved = _resolve(document, path)
    branches = _branches(document, resolved.context, resolved.node)
    common = set(branches[0].get("required", []))
    for branch in branches[1:]:
        common &= set(branch.get("required", []))
    return [name for name in property_names(document, path) if name in common]
