"""Schema versions: ``schemas/CHANGELOG.md`` names them, ``schemas/versies.json`` pins what each one contains.

Every change to a record schema needs a new version at the top of the changelog (the open-data package and
everybody who validates against the schemas go by it). A forgotten bump used to break nothing. Now
``versies.json`` holds a fingerprint of the schemas for each version that was released: ``kansrijk schemas``
(part of ``make lint``) fails when the schemas no longer match the fingerprint of the top version, and
``kansrijk schemas --write`` pins a new top version but never re-pins one that already has a fingerprint.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

CHANGELOG = "CHANGELOG.md"
VERSIONS_FILE = "versies.json"
_VERSION_HEADING = re.compile(r"^## (\d+\.\d+\.\d+) \((\d{4}-\d{2}-\d{2})\)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class SchemaVersion:
    version: str
    date: str
    notes: str


def schema_versions(schema_dir: Path) -> list[SchemaVersion]:
    """The versions in ``schemas/CHANGELOG.md``, newest first (headings ``## X.Y.Z (JJJJ-MM-DD)``)."""
    path = schema_dir / CHANGELOG
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    matches = list(_VERSION_HEADING.finditer(text))
    versions = []
    for position, match in enumerate(matches):
        end = matches[position + 1].start() if position + 1 < len(matches) else len(text)
        versions.append(SchemaVersion(match[1], match[2], text[match.end() : end].strip()))
    return versions


def fingerprint(schema_dir: Path) -> str:
    """A hash of every ``*.schema.json`` as parsed JSON (so re-indenting a file is no change, a new title is)."""
    digest = hashlib.sha256()
    for path in sorted(schema_dir.glob("*.schema.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        digest.update(path.name.encode() + b"\0" + json.dumps(document, sort_keys=True, ensure_ascii=False).encode())
    return "sha256:" + digest.hexdigest()


def _pinned(schema_dir: Path) -> dict[str, str]:
    path = schema_dir / VERSIONS_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def version_problem(schema_dir: Path, *, write: bool) -> str | None:
    """A Dutch sentence saying why the schemas and the top changelog version do not match, or None.

    With ``write``, a top version without a fingerprint is pinned to the current schemas.
    """
    versions = schema_versions(schema_dir)
    if not versions:
        return f"schemas/{CHANGELOG} noemt geen versie; begin met een kop '## 1.0.0 (JJJJ-MM-DD)'"
    top = versions[0].version
    pinned = _pinned(schema_dir)
    current = fingerprint(schema_dir)
    if pinned.get(top) == current:
        return None
    if top in pinned:
        return (
            f"de schema's zijn gewijzigd sinds versie {top}: zet bovenaan schemas/{CHANGELOG} een nieuwe versie "
            "(major, minor of patch, zie de uitleg daar) met wat er veranderde, en voer 'kansrijk schemas --write' uit"
        )
    if not write:
        return f"versie {top} staat nog niet vast in schemas/{VERSIONS_FILE}; voer 'kansrijk schemas --write' uit"
    pinned[top] = current
    (schema_dir / VERSIONS_FILE).write_text(json.dumps(pinned, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return None
