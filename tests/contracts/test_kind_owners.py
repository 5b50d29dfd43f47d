"""Every record folder has its own CODEOWNERS rule, naming the owners the kinds table declares for it.

The table (``records/kinds.py``) says who keeps each kind; CODEOWNERS is what GitHub and ``check-pr``
enforce. This test holds the two together, reading CODEOWNERS through ``pullrequests/codeowners.py``
exactly as ``check-pr`` reads it from the base branch.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kansrijk.pullrequests.codeowners import CodeOwners, read_codeowners
from kansrijk.records.kinds import KINDS, RecordKind

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def codeowners() -> CodeOwners:
    def read(location: str) -> bytes | None:
        path = ROOT / location
        return path.read_bytes() if path.is_file() else None

    return read_codeowners(read)


def _expected_line(kind: RecordKind) -> str:
    return f"/{kind.folder}/ {' '.join(kind.owners)}"


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_record_folder_has_its_own_rule_with_the_declared_owners(kind: RecordKind, codeowners: CodeOwners) -> None:
    assert kind.owners, f"kinds.py declares no owners for '{kind.name}'"
    rules = [rule for rule in codeowners.rules if rule.pattern.strip("/") == kind.folder]
    assert rules, f"{codeowners.source} has no rule for the folder {kind.folder}/; add the line: {_expected_line(kind)}"
    owners = {owner.handle.lower() for owner in rules[-1].owners}
    assert owners == {handle.lower() for handle in kind.owners}, (
        f"{codeowners.source} line {rules[-1].line} gives {kind.folder}/ to {sorted(owners)}, "
        f"but kinds.py declares {list(kind.owners)} for '{kind.name}'; the line should read: {_expected_line(kind)}"
    )


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_no_later_rule_takes_a_new_record_from_its_folder_owners(kind: RecordKind, codeowners: CodeOwners) -> None:
    """A new record (a key no rule names) belongs to the folder's rule, not to a broader rule further down."""
    path = kind.path_of("/".join(f"nieuw-{field}" for field in kind.id_fields))
    rule = codeowners.rule_for(path)
    assert rule is not None and rule.pattern.strip("/") == kind.folder, (
        f"{path} falls under {rule.pattern if rule else 'no rule'} instead of /{kind.folder}/ in {codeowners.source}; "
        f"put the line {_expected_line(kind)} after every broader rule"
    )
