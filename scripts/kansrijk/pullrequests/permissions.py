"""Who must approve what: the permissions table, declared next to the grant transitions (``grants.TRANSITIONS``).

Two sources decide who may approve a change, and both are trusted data, never the PR:

- **Ownership** of a path comes from CODEOWNERS at the base (:func:`path_requirements`).
- **Policy** that no path pattern can express is declared in :data:`POLICY`: adding a
  municipality to a coalition or an application, changing an application once it is past
  ``ingediend``, taking a maintainer's grant step, deleting a history. Each is a
  maintainer's decision.

Every requirement carries a machine-readable ``kind`` (``RequirementKind.PATH`` or a key of
:data:`POLICY`), so code that recomputes or trusts requirements (``report-pr``) tests the kind,
never the Dutch reason text, which may be reworded freely.
"""

from __future__ import annotations

from kansrijk.checks.grants import TRANSITIONS, Role, role_for
from kansrijk.pullrequests.codeowners import CodeOwners, Owner
from kansrijk.pullrequests.report import Level, Requirement, RequirementKind, owner_handles
from kansrijk.records.kinds import is_record_area

# The reasons of the ownership requirements, per state change of a path: added, modified, deleted.
PATH_REASONS = {
    "A": "bestand toevoegen",
    "M": "bestand wijzigen",
    "D": "bestand verwijderen",
}

# Policy: kind -> the Dutch reason (a template filled with the facts of the change). All are maintainer work.
POLICY: dict[RequirementKind, str] = {
    RequirementKind.STATUS_STEP: "status '{previous}' → '{status}' zetten",
    RequirementKind.HISTORY_REMOVAL: "een aanvraag met statusgeschiedenis verwijderen",
    RequirementKind.BASE_UNREADABLE: (
        "een aanvraag wijzigen waarvan de versie op de basis niet te lezen is; wat er verandert, kan alleen een "
        "beheerder beoordelen"
    ),
    RequirementKind.MUNICIPALITY_ADDED: "{codes} toevoegen, die op de basis niet in coalitie '{coalition}' {verb}",
    RequirementKind.CONTENT_AFTER_SUBMISSION: (
        "de inhoud van een aanvraag met status '{status}' wijzigen ({fields}); na het indienen beslist een "
        "beheerder daarover, de aanvrager mag alleen de stappen van de historie aanvullen die de tabel toestaat"
    ),
}

# Past this status an application's content (every field but the append-only history) is the maintainers'.
CONTENT_LOCKED_AFTER = "ingediend"
APPEND_ONLY_FIELD = "historie"
MAX_NAMED_CODES = 10


def _reachable_from(status: str) -> frozenset[str]:
    """Every status the life cycle can reach from ``status``, derived from the transition table."""
    found: set[str] = set()
    todo = [status]
    while todo:
        current = todo.pop()
        for previous, following in TRANSITIONS:
            if previous == current and following not in found:
                found.add(following)
                todo.append(following)
    return frozenset(found - {status})


LOCKED_STATUSES = _reachable_from(CONTENT_LOCKED_AFTER)


def maintainer_step(previous: str | None, status: object) -> bool:
    """True unless the transition table gives the step ``previous -> status`` to applicants.

    A step the table does not know is a validation error too; counting it as a maintainer's step
    keeps the policy total, whatever the validator makes of it.
    """
    return not isinstance(status, str) or role_for(previous, status) is not Role.APPLICANT


def policy_requirement(kind: RequirementKind, maintainers: list[str], line: int | None = None, **facts: str) -> Requirement:
    """A maintainer requirement of one policy kind, its reason filled in from ``facts``."""
    return Requirement(POLICY[kind].format(**facts), Level.MAINTAINER, list(maintainers), line=line, kind=kind)


def added_municipalities(new: object, at_base: object) -> list[str]:
    """The codes in ``new`` that are not in the coalition's ``gemeenten`` at the base, in the order given."""
    known = {code for code in at_base if isinstance(code, str)} if isinstance(at_base, list) else set()
    codes = [code for code in new if isinstance(code, str)] if isinstance(new, list) else []
    return [code for code in dict.fromkeys(codes) if code not in known]


def municipality_requirement(codes: list[str], coalition: str, maintainers: list[str], line: int | None) -> Requirement:
    """One requirement for every municipality added: its codes named (at most ten, then a count)."""
    named = ", ".join(codes[:MAX_NAMED_CODES])
    if len(codes) > MAX_NAMED_CODES:
        named += f" en {len(codes) - MAX_NAMED_CODES} meer"
    codes_text = f"gemeente {named}" if len(codes) == 1 else f"gemeenten {named}"
    verb = "staat" if len(codes) == 1 else "staan"
    return policy_requirement(
        RequirementKind.MUNICIPALITY_ADDED, maintainers, line, codes=codes_text, coalition=coalition, verb=verb
    )


def changed_content(old: dict, new: dict) -> list[str]:
    """The fields other than the append-only history whose value differs between two versions, sorted."""
    names = (set(old) | set(new)) - {APPEND_ONLY_FIELD}
    return sorted(name for name in names if old.get(name) != new.get(name))


def _union(*groups: tuple[Owner, ...]) -> list[str]:
    seen: dict[str, str] = {}
    for group in groups:
        for handle in owner_handles(group):
            seen.setdefault(handle.lower(), handle)
    return list(seen.values())


def path_requirements(codeowners: CodeOwners, status: str, path: str) -> list[Requirement]:
    """Owner of the path or a maintainer; outside the record folders that is maintainer work (level "beheerder")."""
    level = Level.OWNER if is_record_area(path) else Level.MAINTAINER
    owners = _union(codeowners.owners_of(path), codeowners.default_owners)
    return [Requirement(PATH_REASONS[status], level, owners, kind=RequirementKind.PATH)]
