"""Dutch explanations of schema errors, with the field path and a "did you mean" hint.

python-jsonschema's error objects carry the path and keyword of each failure;
this module renders them for contributors. It is imported only for invalid records.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import jsonschema

from kansrijk.records.loader import Document
from kansrijk.records.problems import FieldPath, Problem, Severity
from kansrijk.records.schemas import RecordSchema

_TYPE_NAMES = {
    "string": "tekst",
    "integer": "een heel getal",
    "number": "een getal",
    "boolean": "true of false",
    "array": "een lijst",
    "object": "een blok met velden",
    "null": "leeg",
}


def _leaf_errors(errors: Iterable[jsonschema.ValidationError]) -> Iterable[jsonschema.ValidationError]:
    """Unfold ``oneOf`` errors into the branch that fits the record best."""
    for error in errors:
        if error.validator == "oneOf" and error.context:
            yield from _leaf_errors(_best_branch(error))
        else:
            yield error


def _best_branch(error: jsonschema.ValidationError) -> list[jsonschema.ValidationError]:
    branches: dict[int, list[jsonschema.ValidationError]] = {}
    for sub in error.context or []:
        branches.setdefault(sub.schema_path[0], []).append(sub)
    fitting = [errs for errs in branches.values() if not any(e.validator == "const" for e in errs)]
    if fitting:
        return min(fitting, key=len)
    return [_StatusError(error)]  # type: ignore[list-item]


class _StatusError(jsonschema.ValidationError):
    """A history step whose status matches no allowed status."""

    def __init__(self, parent: jsonschema.ValidationError) -> None:
        instance = parent.instance
        status = instance.get("status") if isinstance(instance, dict) else None
        allowed = [b.get("properties", {}).get("status", {}).get("const") for b in parent.validator_value]
        super().__init__(
            "status",
            validator="enum",
            validator_value=[a for a in allowed if a],
            instance=status,
            path=[*parent.absolute_path, "status"] if isinstance(instance, dict) else parent.absolute_path,
        )


def _to_problem(document: Document, error: jsonschema.ValidationError) -> Problem:
    path: FieldPath = tuple(error.absolute_path)
    message, path = _explain(error, path)
    key_mark = document.key_marks.get(path) if error.validator == "additionalProperties" else None
    line, column = key_mark or document.locate(path)
    return Problem(document.name, line, column, Severity.ERROR, message, path, f"schema-{error.validator}")


def _suggest(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return f" Bedoel je '{close[0]}'?" if close else ""


def _describe(value: object) -> str:
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 60 else f"'{value[:57]}...'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "een lege waarde"
    if isinstance(value, dict):
        return "dit blok"
    if isinstance(value, list):
        return "deze lijst"
    return str(value)


def _hint(schema: object) -> str:
    if isinstance(schema, dict):
        text = schema.get("description") or schema.get("title")
        if text:
            return f" {text}"
    return ""


def _explain(error: jsonschema.ValidationError, path: FieldPath) -> tuple[str, FieldPath]:
    keyword, value, instance = error.validator, error.validator_value, error.instance
    if keyword == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        return f"verplicht veld '{missing}' ontbreekt; voeg het toe.", (*path, missing)
    if keyword == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extra = [k for k in instance if k not in allowed] if isinstance(instance, dict) else []
        name = extra[0] if extra else "?"
        hint = _suggest(name, allowed) or f" Toegestane velden: {', '.join(allowed)}."
        return f"onbekend veld '{name}'; een tikfout wordt nooit genegeerd.{hint}", (*path, name)
    if keyword in ("enum", "const"):
        options = value if keyword == "enum" else [value]
        listed = ", ".join(str(o) for o in options)
        return f"{_describe(instance)} is geen toegestane waarde.{_suggest(instance, options)} Kies uit: {listed}.", path
    if keyword == "type":
        wanted = " of ".join(_TYPE_NAMES.get(t, t) for t in ([value] if isinstance(value, str) else value))
        extra = ""
        if value in ("integer", "number") and isinstance(instance, str):
            extra = " Schrijf het getal zonder aanhalingstekens, punten of euroteken."
        if value == "string" and not isinstance(instance, str):
            extra = " Zet de waarde tussen aanhalingstekens."
        return f"{_describe(instance)} moet {wanted} zijn.{extra}", path
    if keyword == "format":
        if value == "date":
            return f"{_describe(instance)} is geen bestaande datum; schrijf JJJJ-MM-DD, bijvoorbeeld 2024-03-01.", path
        return (
            f"{_describe(instance)} is geen geldig {'webadres' if value == 'uri' else 'e-mailadres' if value == 'email' else value}.",
            path,
        )
    if keyword == "pattern":
        return f"{_describe(instance)} heeft niet de juiste vorm.{_hint(error.schema)}", path
    if keyword == "minLength":
        return f"de tekst is te kort: minstens {value} tekens.{_hint(error.schema)}", path
    if keyword == "maxLength":
        return f"de tekst is te lang ({len(instance)} tekens); maximaal {value}. Maak hem korter.", path
    if keyword == "minItems":
        return f"de lijst moet minstens {value} {'waarde' if value == 1 else 'waarden'} bevatten.", path
    if keyword == "uniqueItems":
        return "de lijst bevat een waarde twee keer; haal de dubbele weg.", path
    if keyword == "minimum":
        return f"{_describe(instance)} is te klein; het minimum is {value}.", path
    if keyword == "maximum":
        return f"{_describe(instance)} is te groot; het maximum is {value}.", path
    if keyword == "minProperties":
        return f"vul minstens één van deze velden in: {', '.join(error.schema.get('properties', {}))}.", path
    return f"{_describe(instance)} voldoet niet aan het schema ({error.message}).", path


def explain_errors(document: Document, schema: RecordSchema) -> list[Problem]:
    """Every schema problem of a record the fast validator rejected."""
    problems = [_to_problem(document, error) for error in _leaf_errors(schema.detailed.iter_errors(document.data))]
    if not problems:  # the engines disagree (a format only the fast one checks): still report it
        for error in schema.fast.iter_errors(document.data):
            path = tuple(error.instance_path)
            line, column = document.locate(path)
            problems.append(
                Problem(
                    document.name,
                    line,
                    column,
                    Severity.ERROR,
                    f"{_describe(error.instance)} voldoet niet aan het schema ({error.message})",
                    path,
                    "schema",
                )
            )
    return problems
