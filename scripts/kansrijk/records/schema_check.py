"""Checks one loaded record against its JSON Schema.

The fast Rust validator answers for valid records, the common case. Only an
invalid record is handed to ``explain``, which imports python-jsonschema and
turns its error objects into Dutch advice, so valid runs never pay for it.
"""

from __future__ import annotations

from kansrijk.records.loader import Document
from kansrijk.records.problems import Problem
from kansrijk.records.schemas import RecordSchema


def check_document(document: Document, schema: RecordSchema) -> list[Problem]:
    if schema.fast.is_valid(document.data):
        return []
    from kansrijk.records.explain import explain_errors

    return explain_errors(document, schema)
