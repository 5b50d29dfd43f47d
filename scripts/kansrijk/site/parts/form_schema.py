"""Form fields derived from a record's JSON Schema: the schema says what a field is, this says how to ask for it.

Why derive: the schema already holds the Dutch title and description (label and help text), whether a field is
required, and its constraints (pattern, length, enum, date, url). Writing the forms by hand would copy all of that
and drift. A record kind only declares what the schema cannot say: which fields get a picker, which code list
labels an enum, which fields a new record leaves out (see ``FormKind`` in ``forms.py``).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field

from kansrijk.records.schema_fields import ANY_ITEM, describe_field, property_names

TEXTAREA_FROM = 501  # strings that may be longer than this get a multi-line text area


@dataclass
class FormField:
    """One question of a record form; ``children`` for a group or for the items of a list of blocks."""

    key: str
    path: str  # dotted, list items as ``*``: ``partners.*.naam``
    label: str
    help: str
    required: bool
    widget: str
    attrs: dict[str, str] = field(default_factory=dict)
    options: list[tuple[str, str]] = field(default_factory=list)
    children: list[FormField] = field(default_factory=list)
    item_label: str = ""
    min_items: int = 0
    single: bool = False  # a list asked as exactly one item (an application's first step)

    @property
    def dom_id(self) -> str:
        """A stable id stem; list items add their number in the browser (``__i__`` is replaced)."""
        return "f-" + "-".join("__i__" if part == ANY_ITEM else part.replace("_", "-") for part in self.path.split("."))


@dataclass(frozen=True)
class CodedTitle:
    """The title of a field whose name is a code (``interventies.voor``): its label from a code list."""

    code_list: str
    template: str  # "Interventies {label}", the label in lower case

    def title(self, code: str, code_lists: Mapping[str, Mapping[str, str]]) -> str:
        return self.template.format(label=code_lists.get(self.code_list, {}).get(code, code).lower())


@dataclass(frozen=True)
class FieldRules:
    """What a kind adds to its schema: pickers, option labels, label overrides and fields left out."""

    pickers: Mapping[str, str] = field(default_factory=dict)  # path pattern -> widget name
    labels: Mapping[str, Mapping[str, str] | str] = field(default_factory=dict)  # path pattern -> labels or a code list
    titles: Mapping[str, str | CodedTitle] = field(default_factory=dict)  # path pattern -> label instead of the schema title
    options: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # path pattern -> allowed subset of the enum
    helps: Mapping[str, str] = field(default_factory=dict)  # path pattern -> help instead of the schema description
    skip: tuple[str, ...] = ()  # path patterns not asked
    only: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # block path -> the only sub-fields asked
    single: tuple[str, ...] = ()  # list paths asked as exactly one item
    code_lists: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # code list -> labels (from vocab/)


def _match(rules: Mapping[str, object], path: str) -> object | None:
    for pattern, value in rules.items():
        if fnmatch.fnmatchcase(path, pattern):
            return value
    return None


def pattern_help(document: dict) -> dict[str, str]:
    """Pattern -> the Dutch explanation of the shared definition that declares it (a field may describe itself
    differently, but a pattern mistake needs the explanation of the form)."""
    shared = document.get("$defs", {})  # self-contained schemas: the shared definitions are local $defs
    return {d["pattern"]: d["description"] for d in shared.values() if "pattern" in d and "description" in d}


def _attributes(node: dict, widget: str, patterns: Mapping[str, str]) -> dict[str, str]:
    attrs: dict[str, str] = {}
    if "pattern" in node and widget in ("text", "url", "email"):
        # The browser anchors the HTML pattern itself; the schema's own ^...$ anchors do no harm.
        attrs["pattern"] = node["pattern"]
        attrs["data-vorm"] = patterns.get(node["pattern"], str(node.get("description", "")))
    if "minLength" in node:
        attrs["minlength"] = str(node["minLength"])
    if "maxLength" in node:
        attrs["maxlength"] = str(node["maxLength"])
    if "minimum" in node:
        attrs["min"] = str(node["minimum"])
    if "maximum" in node:
        attrs["max"] = str(node["maximum"])
    if widget == "number":
        attrs["step"] = "1"
        attrs["inputmode"] = "numeric"
    return attrs


def _string_widget(node: dict) -> str:
    fmt = node.get("format")
    if fmt == "date":
        return "date"
    if fmt == "uri":
        return "url"
    if fmt == "email":
        return "email"
    if node.get("maxLength", 0) >= TEXTAREA_FROM:
        return "textarea"
    return "text"


def _widget(node: dict, items: dict | None) -> str:
    if node.get("type") == "object" or "properties" in node:
        return "groep"
    if node.get("type") == "array" and items is not None:
        if items.get("type") == "object" or "properties" in items or "oneOf" in items:
            return "lijst"
        if "enum" in items:
            return "vinkjes"
        return "tekstlijst"
    if "enum" in node:
        return "keuze"
    if node.get("type") == "boolean":
        return "vinkje"
    if node.get("type") == "integer":
        return "number"
    return _string_widget(node)


def _steps(path: tuple[str | int, ...]) -> str:
    return ".".join(ANY_ITEM if isinstance(step, int) or step == ANY_ITEM else str(step) for step in path)


def build_field(document: dict, path: tuple[str | int, ...], rules: FieldRules, required: bool) -> FormField:
    """The form field for the schema field at ``path``, with its sub-fields."""
    node, _always = describe_field(document, path)
    dotted = _steps(path)
    items = None
    if node.get("type") == "array":
        items, _ = describe_field(document, (*path, ANY_ITEM))
    widget = str(_match(rules.pickers, dotted) or _widget(node, items))
    title = _match(rules.titles, dotted)
    if isinstance(title, CodedTitle):
        title = title.title(str(path[-1]), rules.code_lists)
    label = str(title or node.get("title") or path[-1])
    enum = list(node.get("enum") or (items or {}).get("enum") or [])
    allowed = _match(rules.options, dotted)
    if allowed:
        enum = [code for code in enum if code in allowed]  # type: ignore[operator]
    # Labels come from the code list the schema property names (x-codelijst), unless the kind overrides them.
    code_list = node.get("x-codelijst") or (items or {}).get("x-codelijst")
    option_labels = _match(rules.labels, dotted) or rules.code_lists.get(str(code_list), {})
    result = FormField(
        key=str(path[-1]),
        path=dotted,
        label=label,
        help=str(_match(rules.helps, dotted) or node.get("description", "")),
        required=required,
        widget=widget,
        attrs=_attributes(items if widget == "tekstlijst" and items else node, widget, pattern_help(document)),
        options=[(code, str(option_labels.get(code, code))) for code in enum],  # type: ignore[union-attr]
        min_items=int(node.get("minItems", 0)),
        single=any(fnmatch.fnmatchcase(dotted, pattern) for pattern in rules.single),
    )
    if widget == "groep":
        result.children = build_fields(document, path, rules)
    elif widget == "lijst" and items is not None:
        result.item_label = str(items.get("title") or label)
        result.children = build_fields(document, (*path, ANY_ITEM), rules)
    return result


def build_fields(document: dict, path: tuple[str | int, ...], rules: FieldRules) -> list[FormField]:
    """The fields of the block at ``path`` (``()`` for the record), in schema order (which is also file order)."""
    node, _ = describe_field(document, path) if path else (document, True)
    required = set(node.get("required", []))
    only = _match(rules.only, _steps(path))
    fields = []
    for name in property_names(document, path):
        dotted = _steps((*path, name))
        if only is not None and name not in only:  # type: ignore[operator]
            continue
        if any(fnmatch.fnmatchcase(dotted, pattern) for pattern in rules.skip):
            continue
        fields.append(build_field(document, (*path, name), rules, name in required or only is not None))
    return fields
