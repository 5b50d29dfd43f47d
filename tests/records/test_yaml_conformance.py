"""The loader against the official yaml-test-suite (third-party data in ../shared, read, never copied).

Scored per case: an invalid document must be refused; a valid one must either load to exactly the data of the
suite's parse events, or be refused with a message that names the class of construct (never the generic "check
the indentation"). The suite's events are turned into values with the loader's own plain-scalar rules, so the
comparison is about YAML structure and text, not about the choice of core schema.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from kansrijk.records.loader import LoadError, _resolve_plain, load_text

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("KANSRIJK_SHARED", ROOT.parent / "shared"))
SUITE = SHARED / "conformance" / "yaml-test-suite-cases.json"
CASES = json.loads(SUITE.read_text(encoding="utf-8"))["cases"] if SUITE.is_file() else []

pytestmark = pytest.mark.skipif(not CASES, reason=f"the yaml-test-suite cases are not at {SUITE}")

# Refusals that are the project's choice, not a YAML fault: each has its own code and Dutch message.
FORBIDDEN = {"anker", "alias", "tag", "sleutel-geen-tekst", "geen-mapping", "leeg", "meerdere-documenten", "stuurteken"}
GENERIC_ADVICE = "controleer inspringing, dubbele punten en aanhalingstekens"
_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", "b": "\b", "r": "\r", "0": "\0", "/": "/", '"': '"', " ": " "}
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)")


class _UsesForbiddenFeature(Exception):
    pass


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m[1]) or chr(int(m[1][1:], 16)) if len(m[1]) > 1 else _ESCAPES[m[1]], text)


def expected_documents(events: str) -> list[object]:
    """The documents a test.event stream describes, as plain values."""
    documents: list[object] = []
    stack: list[dict | list] = []
    pending_keys: list[object] = []
    no_key = object()

    def add(value: object) -> None:
        if not stack:
            documents.append(value)
        elif isinstance(stack[-1], list):
            stack[-1].append(value)
        elif pending_keys[-1] is no_key:
            pending_keys[-1] = value
        else:
            key = pending_keys[-1]
            if not isinstance(key, str):
                raise _UsesForbiddenFeature
            stack[-1][key] = value
            pending_keys[-1] = no_key

    for line in events.splitlines():
        kind, _, rest = line.partition(" ")
        if kind in ("+STR", "-STR", "+DOC", "-DOC"):
            continue
        if kind == "=ALI" or rest.startswith(("&", "<")):
            raise _UsesForbiddenFeature
        if kind in ("+MAP", "+SEQ"):
            container: dict | list = {} if kind == "+MAP" else []
            add(container)
            stack.append(container)
            pending_keys.append(no_key)
        elif kind in ("-MAP", "-SEQ"):
            stack.pop()
            pending_keys.pop()
        elif kind == "=VAL":
            text = _unescape(rest[1:])
            add(_resolve_plain(text) if rest[0] == ":" else text)
    return documents


def outcome(case: dict) -> tuple[str, object]:
    try:
        return "loaded", load_text(case["yaml"], "geval.yaml").data
    except LoadError as error:
        return "refused", error.problem


@pytest.mark.parametrize("case", [c for c in CASES if c["fail"]], ids=lambda c: c["id"])
def test_invalid_document_is_refused(case: dict) -> None:
    kind, result = outcome(case)
    assert kind == "refused", f"{case['id']} ({case['name']}) is invalid YAML but loaded as {result!r}"
    assert result.line >= 1 and result.column >= 1 and result.message  # type: ignore[attr-defined]


@pytest.mark.parametrize("case", [c for c in CASES if not c["fail"]], ids=lambda c: c["id"])
def test_valid_document_loads_right_or_is_refused_clearly(case: dict) -> None:
    kind, result = outcome(case)
    if kind == "refused":
        assert result.code in FORBIDDEN | {"yaml-syntax"}, result  # type: ignore[attr-defined]
        assert GENERIC_ADVICE not in result.message, f"{case['id']}: no class named in {result.message!r}"  # type: ignore[attr-defined]
        return
    try:
        documents = expected_documents(case["events"])
    except _UsesForbiddenFeature:
        pytest.fail(f"{case['id']} uses an anchor, alias, tag or non-text key, yet loaded as {result!r}")
    assert documents == [result]
    assert json.dumps(documents[0]) == json.dumps(result)  # also tells 1 from 1.0 and True from 1


def test_scores() -> None:
    """The totals, against the issue's findings (6 invalid accepted, 2 valid with wrong data, before the fix)."""
    invalid_accepted = wrong_data = loaded_right = 0
    for case in CASES:
        kind, result = outcome(case)
        if case["fail"]:
            invalid_accepted += kind == "loaded"
        elif kind == "loaded":
            try:
                right = expected_documents(case["events"]) == [result]
            except _UsesForbiddenFeature:
                right = False
            loaded_right += right
            wrong_data += not right
    assert (invalid_accepted, wrong_data) == (0, 0)
    assert loaded_right >= 73  # 74 until control characters were refused: G4RS spells \0, \a, \b, \e ... as escapes
