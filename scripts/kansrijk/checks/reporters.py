"""Render problems for people (Dutch text), machines (JSON) and GitHub Actions annotations."""

from __future__ import annotations

import json

from kansrijk.records.problems import Problem


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def summary(problems: list[Problem], files_checked: int) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    verdict = "niet in orde" if errors else "in orde"
    return (
        f"{_plural(files_checked, 'bestand', 'bestanden')} gecontroleerd: {_plural(errors, 'fout', 'fouten')}, "
        f"{_plural(warnings, 'waarschuwing', 'waarschuwingen')}; {verdict}."
    )


def render_text(problems: list[Problem], files_checked: int) -> str:
    lines = []
    for p in problems:
        where = f"{p.field_name}: " if p.field_name else ""
        lines.append(f"{p.file}:{p.line}:{p.column}: {p.severity.value}: {where}{p.message}")
    lines.append(summary(problems, files_checked))
    return "\n".join(lines) + "\n"


def render_json(problems: list[Problem], files_checked: int) -> str:
    errors = [p.as_dict() for p in problems if p.is_error]
    warnings = [p.as_dict() for p in problems if not p.is_error]
    payload = {"valid": not errors, "files_checked": files_checked, "errors": errors, "warnings": warnings}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(problems: list[Problem], files_checked: int) -> str:
    lines = []
    for p in problems:
        level = "error" if p.is_error else "warning"
        title = _escape_property(p.field_name or p.code or "kansrijk")
        lines.append(
            f"::{level} file={_escape_property(p.file)},line={p.line},col={p.column},title={title}::{_escape_data(p.message)}"
        )
    lines.append(summary(problems, files_checked))
    return "\n".join(lines) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "github": render_github}
