"""A new record of every kind belongs, in CODEOWNERS, to exactly the owners the kinds table declares for it.

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
def test_a_new_record_belongs_to_the_declared_owners(kind: RecordKind, codeowners: CodeOwners) -> None:
    """What GitHub does for a new record of the kind (the last matching rule) gives exactly the declared owners.

    A kind kept by the default owners (the ``*`` rule) needs no line of its own; any other kind needs its
    ``/<folder>/`` line, after every broader rule.
    """
    assert kind.owners, f"kinds.py declares no owners for '{kind.name}'"
    path = kind.path_of("/".join(f"nieuw-{field}" for field in kind.id_fields))
    rule = codeowners.rule_for(path)
    owners = {owner.handle.lower() for owner in rule.owners} if rule else set()
    assert owners == {handle.lower() for handle in kind.owners}, (
        f"{path} falls under {rule.pattern if rule else 'no rule'} (owners {sorted(owners)}) in {codeowners.source}, "
        f"but kinds.py declares {list(kind.owners)} for '{kind.name}'; add the line {_expected_line(kind)} after every "
        "broader rule"
    )
