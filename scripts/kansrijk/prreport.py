"""The pull-request report: one data model shared by ``check-pr`` (writes it) and ``report-pr`` (reads it).

``check-pr`` runs next to untrusted PR content, so ``report-pr`` treats its JSON
as untrusted data: :func:`parse_report` checks every field's type, shape and
size, and the Markdown comment is always re-rendered here from the checked data
(never taken from the file). Every string that came from the PR is escaped
before it goes into Markdown, so a file name cannot mention people, inject
links or break out of the layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .codeowners import Owner, is_owner, parse_owner
from .grants import STATUSES
from .kinds import KINDS as RECORD_KINDS

FORMAT = "kansrijk-pr-rapport/1"
MARKER = "<!-- kansrijk-pr-check -->"
KINDS = tuple(RECORD_KINDS)  # every declared kind (kinds.py); the agenda was missing here
CHANGES = {"A": "toegevoegd", "M": "gewijzigd", "R": "hernoemd", "D": "verwijderd", "": "geraakt"}
MAX_FILES = 500
MAX_PROBLEMS_PER_FILE = 200
MAX_REQUIREMENTS_PER_FILE = 200
MAX_TEXT = 1000
MAX_OWNERS = 50
MAX_REPORT_BYTES = 5 * 1024 * 1024
LABEL_MAINTAINER = "needs-maintainer"
LABEL_PREFIXES = ("type:", "gemeente:", "status:")

_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?")
_TEAM = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
_MUNICIPALITY = re.compile(r"GM[0-9]{4}")
_PATH = re.compile(r"[^\x00-\x1f\x7f]{1,400}")


class ReportError(ValueError):
    """The report file does not have the promised shape: it is refused as a whole."""


@dataclass
class Requirement:
    """Who must approve one part of a change; ``met`` is None while it hangs on team membership."""

    reason: str
    level: str  # "eigenaar" (owner of the path, or a maintainer) or "beheerder" (maintainers only)
    any_of: list[str]
    line: int | None = None
    met: bool | None = None

    def evaluate(self, author: str, teams: set[str] | None) -> None:
        owners = [o for o in (parse_owner(h) for h in self.any_of) if o is not None]
        self.met = is_owner(owners, author, teams)

    def teams(self) -> list[str]:
        return [h[1:] for h in self.any_of if h.startswith("@") and "/" in h]


@dataclass
class FileProblem:
    line: int
    column: int
    severity: str
    field: str
    code: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == "fout"


@dataclass
class FileReport:
    path: str
    change: str  # one of CHANGES' keys
    old_path: str | None = None
    kind: str | None = None
    record: bool = False
    municipalities: list[str] = field(default_factory=list)
    status: str | None = None
    problems: list[FileProblem] = field(default_factory=list)
    requirements: list[Requirement] = field(default_factory=list)


@dataclass
class PrReport:
    """Everything the next step needs; :meth:`verdict` is derived, never stored as trusted input."""

    base: str
    merge_base: str
    head: str | None
    author: str
    teams: list[str] | None
    codeowners_source: str
    maintainers: list[str]
    files: list[FileReport]
    notes: list[str] = field(default_factory=list)
    on_behalf_of: str | None = None  # set only for a PR an automation account opened for this person
    issue: int | None = None  # the issue the automation account turned into this PR

    @property
    def actor(self) -> str:
        """Whose permissions count: the person behind an automation PR, otherwise the PR's author."""
        return self.on_behalf_of or self.author

    def evaluate(self) -> None:
        """(Re)decide every requirement from the actor and the teams known so far."""
        teams = {t.lower() for t in self.teams} if self.teams is not None else None
        for requirement in self.requirements():
            requirement.evaluate(self.actor, teams)

    def requirements(self) -> list[Requirement]:
        return [r for f in self.files for r in f.requirements]

    def errors(self) -> list[FileProblem]:
        return [p for f in self.files for p in f.problems if p.is_error]

    def unresolved_teams(self) -> list[str]:
        return sorted({t for r in self.requirements() if r.met is None for t in r.teams()})

    def verdict(self) -> str:
        """``geslaagd``, ``afgekeurd`` or ``open`` (waiting for team membership)."""
        if self.errors() or any(r.met is False for r in self.requirements()):
            return "afgekeurd"
        if any(r.met is None for r in self.requirements()):
            return "open"
        return "geslaagd"

    def needs_maintainer(self) -> bool:
        return any(r.level == "beheerder" or r.met is False for r in self.requirements())

    def labels(self) -> list[str]:
        """The labels this report asks for: record type, municipality codes, grant status, needs-maintainer."""
        found: set[str] = set()
        for f in self.files:
            if f.change == "":
                continue
            if f.kind:
                found.add(f"type:{f.kind}")
            found.update(f"gemeente:{code}" for code in f.municipalities)
            if f.status:
                found.add(f"status:{f.status}")
        if self.needs_maintainer():
            found.add(LABEL_MAINTAINER)
        return sorted(found)

    def as_json(self) -> dict:
        return {
            "format": FORMAT,
            "base": self.base,
            "merge_base": self.merge_base,
            "head": self.head,
            "author": self.author,
            "on_behalf_of": self.on_behalf_of,
            "issue": self.issue,
            "teams": self.teams,
            "codeowners": {"source": self.codeowners_source, "maintainers": self.maintainers},
            "verdict": self.verdict(),
            "unresolved_teams": self.unresolved_teams(),
            "labels": self.labels(),
            "notes": self.notes,
            "files": [
                {
                    "path": f.path,
                    "old_path": f.old_path,
                    "change": f.change,
                    "kind": f.kind,
                    "record": f.record,
                    "municipalities": f.municipalities,
                    "status": f.status,
                    "problems": [p.__dict__ for p in f.problems],
                    "requirements": [r.__dict__ for r in f.requirements],
                }
                for f in self.files
            ],
        }


# ---------------------------------------------------------------- strict reading of untrusted JSON


def _expect(value: object, kind: type | tuple[type, ...], where: str) -> object:
    if isinstance(value, bool) and kind in (int, (int,)):
        raise ReportError(f"{where}: verwacht een geheel getal")
    if not isinstance(value, kind):
        raise ReportError(f"{where}: verkeerd type ({type(value).__name__})")
    return value


def _text(value: object, where: str, pattern: re.Pattern[str] | None = None, limit: int = MAX_TEXT) -> str:
    _expect(value, str, where)
    assert isinstance(value, str)
    if len(value) > limit:
        raise ReportError(f"{where}: tekst langer dan {limit} tekens")
    if pattern is not None and not pattern.fullmatch(value):
        raise ReportError(f"{where}: ongeldige waarde")
    return value


def _optional(value: object, where: str, pattern: re.Pattern[str] | None = None) -> str | None:
    return None if value is None else _text(value, where, pattern)


def _list(value: object, where: str, limit: int) -> list:
    _expect(value, list, where)
    assert isinstance(value, list)
    if len(value) > limit:
        raise ReportError(f"{where}: meer dan {limit} elementen")
    return value


def _int(value: object, where: str, low: int = 0, high: int = 10_000_000) -> int:
    _expect(value, int, where)
    assert isinstance(value, int)
    if not low <= value <= high:
        raise ReportError(f"{where}: getal buiten bereik")
    return value


def _keys(value: object, where: str, allowed: set[str]) -> dict:
    _expect(value, dict, where)
    assert isinstance(value, dict)
    unknown = set(value) - allowed
    if unknown:
        raise ReportError(f"{where}: onbekende velden {sorted(unknown)[:5]}")
    return value


def _owner_handle(value: object, where: str) -> str:
    text = _text(value, where, limit=200)
    if parse_owner(text) is None:
        raise ReportError(f"{where}: geen geldige eigenaar")
    return text


def parse_report(payload: object) -> PrReport:
    """Check an untrusted report dict field by field; raise :class:`ReportError` on the first deviation."""
    top = _keys(
        payload,
        "rapport",
        {
            "format",
            "base",
            "merge_base",
            "head",
            "author",
            "on_behalf_of",
            "issue",
            "teams",
            "codeowners",
            "verdict",
            "unresolved_teams",
            "labels",
            "notes",
            "files",
        },
    )
    if top.get("format") != FORMAT:
        raise ReportError(f"rapport: formaat moet {FORMAT!r} zijn")
    teams = top.get("teams")
    on_behalf_of = _optional(top.get("on_behalf_of"), "on_behalf_of", _LOGIN)
    issue = None if top.get("issue") is None else _int(top.get("issue"), "issue", 1, 999_999_999)
    if (on_behalf_of is None) != (issue is None):
        raise ReportError("on_behalf_of en issue horen bij elkaar: allebei of geen van beide")
    codeowners = _keys(top.get("codeowners"), "codeowners", {"source", "maintainers"})
    files = []
    for i, raw in enumerate(_list(top.get("files"), "files", MAX_FILES)):
        where = f"files[{i}]"
        entry = _keys(
            raw, where, {"path", "old_path", "change", "kind", "record", "municipalities", "status", "problems", "requirements"}
        )
        change = _text(entry.get("change"), f"{where}.change")
        if change not in CHANGES:
            raise ReportError(f"{where}.change: onbekende soort wijziging")
        kind = _optional(entry.get("kind"), f"{where}.kind")
        if kind is not None and kind not in KINDS:
            raise ReportError(f"{where}.kind: onbekende recordsoort")
        status = _optional(entry.get("status"), f"{where}.status")
        if status is not None and status not in STATUSES:
            raise ReportError(f"{where}.status: onbekende status")
        problems = []
        for j, p in enumerate(_list(entry.get("problems", []), f"{where}.problems", MAX_PROBLEMS_PER_FILE)):
            pw = f"{where}.problems[{j}]"
            p = _keys(p, pw, {"line", "column", "severity", "field", "code", "message"})
            severity = _text(p.get("severity"), f"{pw}.severity")
            if severity not in ("fout", "waarschuwing"):
                raise ReportError(f"{pw}.severity: onbekende ernst")
            problems.append(
                FileProblem(
                    _int(p.get("line"), f"{pw}.line"),
                    _int(p.get("column"), f"{pw}.column"),
                    severity,
                    _text(p.get("field", ""), f"{pw}.field"),
                    _text(p.get("code", ""), f"{pw}.code", limit=100),
                    _text(p.get("message"), f"{pw}.message"),
                )
            )
        requirements = []
        for j, r in enumerate(_list(entry.get("requirements", []), f"{where}.requirements", MAX_REQUIREMENTS_PER_FILE)):
            rw = f"{where}.requirements[{j}]"
            r = _keys(r, rw, {"reason", "level", "any_of", "line", "met"})
            level = _text(r.get("level"), f"{rw}.level")
            if level not in ("eigenaar", "beheerder"):
                raise ReportError(f"{rw}.level: onbekend niveau")
            line = r.get("line")
            requirements.append(
                Requirement(
                    _text(r.get("reason"), f"{rw}.reason"),
                    level,
                    [_owner_handle(h, f"{rw}.any_of") for h in _list(r.get("any_of"), f"{rw}.any_of", MAX_OWNERS)],
                    None if line is None else _int(line, f"{rw}.line"),
                )
            )
        files.append(
            FileReport(
                path=_text(entry.get("path"), f"{where}.path", _PATH),
                change=change,
                old_path=_optional(entry.get("old_path"), f"{where}.old_path", _PATH),
                kind=kind,
                record=bool(_expect(entry.get("record", False), bool, f"{where}.record")),
                municipalities=[
                    _text(c, f"{where}.municipalities", _MUNICIPALITY)
                    for c in _list(entry.get("municipalities", []), f"{where}.municipalities", 100)
                ],
                status=status,
                problems=problems,
                requirements=requirements,
            )
        )
    report = PrReport(
        base=_text(top.get("base"), "base", _SHA),
        merge_base=_text(top.get("merge_base"), "merge_base", _SHA),
        head=_optional(top.get("head"), "head", _SHA),
        author=_text(top.get("author"), "author", _LOGIN),
        teams=None if teams is None else [_text(t, "teams", _TEAM) for t in _list(teams, "teams", MAX_OWNERS)],
        codeowners_source=_text(codeowners.get("source"), "codeowners.source", _PATH),
        maintainers=[
            _owner_handle(h, "codeowners.maintainers")
            for h in _list(codeowners.get("maintainers"), "codeowners.maintainers", MAX_OWNERS)
        ],
        files=files,
        notes=[_text(n, "notes") for n in _list(top.get("notes", []), "notes", 50)],
        on_behalf_of=on_behalf_of,
        issue=issue,
    )
    report.evaluate()
    return report


# ---------------------------------------------------------------- Markdown, in Dutch

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>])")


def escape(text: str) -> str:
    """Plain text safe for Markdown: no HTML, no links, no emphasis, no @-mentions."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", " ").replace("\n", " ")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("@", "@\u200b")


def code(text: str) -> str:
    """A path in a code span; backticks and line breaks cannot escape it."""
    return "`" + text.replace("`", "'").replace("\n", " ").replace("\r", " ") + "`"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


_VERDICT_TEXT = {
    "geslaagd": "✅ **Kansrijk-controle: in orde**",
    "afgekeurd": "❌ **Kansrijk-controle: niet in orde**",
    "open": "⏳ **Kansrijk-controle: nog niet vastgesteld**",
}


def _requirement_line(r: Requirement, author: str) -> str:
    who = " of ".join(escape(h) if h.startswith("@") else code(h) for h in r.any_of) or "niemand (geen eigenaar in CODEOWNERS)"
    where = f"regel {r.line}: " if r.line else ""
    if r.met is True:
        state = f"✅ @{escape(author)} mag dit"
    elif r.met is False:
        state = f"❌ @{escape(author)} mag dit niet; goedkeuring nodig van {who}"
    else:
        state = f"⏳ hangt af van lidmaatschap van {', '.join('@' + escape(t) for t in r.teams())}"
    return f"- {where}{escape(r.reason)} — {'beheerder' if r.level == 'beheerder' else 'eigenaar of beheerder'}: {who}. {state}"


def render_markdown(report: PrReport) -> str:
    """The PR comment and the local report: summary first, then one section per file."""
    verdict = report.verdict()
    changed = [f for f in report.files if f.change]
    errors = len(report.errors())
    denied = sum(r.met is False for r in report.requirements())
    summary = (
        f"{_VERDICT_TEXT[verdict]}: {_plural(len(changed), 'bestand', 'bestanden')} gewijzigd, "
        f"{_plural(errors, 'fout', 'fouten')}, {_plural(denied, 'ontbrekende toestemming', 'ontbrekende toestemmingen')}."
    )
    lines = [MARKER, summary, ""]
    if verdict == "open":
        teams = ", ".join("@" + escape(t) for t in report.unresolved_teams())
        lines += [f"Nog na te gaan: is @{escape(report.actor)} lid van {teams}? Dat zoekt de volgende stap op bij GitHub.", ""]
    if report.on_behalf_of is not None:
        lines += [
            f"Ingediend via issue #{report.issue} namens @{escape(report.on_behalf_of)}: @{escape(report.author)} opende "
            f"deze PR als automatiseringsaccount, dus rechten en de 'door' in de statusgeschiedenis gelden voor "
            f"@{escape(report.on_behalf_of)}, de indiener van het issue.",
            "",
        ]
    lines += [
        f"Eigenaarschap komt uit {code(report.codeowners_source)} van de basis ({code(report.base[:12])}), niet uit deze PR: "
        "een PR kan zichzelf geen rechten geven. Beheerders: "
        + (", ".join(escape(m) for m in report.maintainers) or "geen (CODEOWNERS mist een regel `*`)")
        + ".",
        "",
    ]
    for note in report.notes:
        lines += [f"> {escape(note)}", ""]
    for f in report.files:
        title = code(f.path)
        if f.change == "R" and f.old_path:
            title = f"{code(f.old_path)} → {code(f.path)}"
        what = CHANGES[f.change] if f.change else "niet gewijzigd, maar geraakt door deze wijziging"
        lines.append(f"#### {title} ({what})")
        for p in f.problems:
            label = "fout" if p.is_error else "waarschuwing"
            where = f"{code(p.field)}: " if p.field else ""
            lines.append(f"- {label}, regel {p.line}: {where}{escape(p.message)}")
        for r in f.requirements:
            lines.append(_requirement_line(r, report.actor))
        if not f.problems and not f.requirements:
            lines.append("- geen opmerkingen")
        lines.append("")
    if not report.files:
        lines += ["Deze PR wijzigt geen bestanden.", ""]
    return "\n".join(lines).rstrip() + "\n"


def status_description(report: PrReport) -> str:
    """At most 140 characters, as GitHub's commit status allows."""
    verdict = report.verdict()
    if verdict == "geslaagd":
        text = "In orde: records geldig, auteur heeft toestemming"
    elif verdict == "open":
        text = "Nog niet vastgesteld: teamlidmaatschap onbekend"
    else:
        denied = sum(r.met is False for r in report.requirements())
        text = f"Niet in orde: {_plural(len(report.errors()), 'fout', 'fouten')}, {_plural(denied, 'toestemming ontbreekt', 'toestemmingen ontbreken')}"
    return text[:140]


def owner_handles(owners: tuple[Owner, ...] | list[Owner]) -> list[str]:
    return [o.handle for o in owners]
