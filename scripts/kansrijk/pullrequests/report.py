"""The pull-request report: what ``check-pr`` found, who must approve, and the verdict derived from it.

``check-pr`` builds it locally (next to the contributor's checkout, for
annotations and the step summary); ``report-pr`` builds it again in the trusted
job from the PR's commit read as data, and only that second one decides the
commit status (see ``trusted_check`` and ``docs/techniek/beveiliging.md``). The
report is never read back from a file: nothing a PR can write reaches the
verdict.

Every string that came from the PR is escaped before it goes into Markdown, and
logins and teams are shown in code spans, so a comment never mentions (and so
never notifies) a person or a team.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from kansrijk.github.markdown import code, escape
from kansrijk.nlformat import nl_moment
from kansrijk.pullrequests.codeowners import Owner, is_owner, parse_owner
from kansrijk.records.problems import Severity

FORMAT = "kansrijk-pr-rapport/1"
MARKER = "<!-- kansrijk-pr-check -->"
CHANGES = {"A": "toegevoegd", "M": "gewijzigd", "D": "verwijderd", "": "geraakt"}
LABEL_MAINTAINER = "needs-maintainer"
LABEL_PREFIXES = ("type:", "gemeente:", "status:")
MAX_MUNICIPALITY_LABELS = 30
# GitHub refuses comments over 65,536 characters; stay well below, with room for the closing line.
COMMENT_LIMIT = 60_000
MAX_LINE = 1000  # characters of one problem message in the comment

_MUNICIPALITY = re.compile(r"GM[0-9]{4}")


class Verdict(StrEnum):
    """The outcome of a check; the commit status follows from it (``github.STATES``)."""

    PASSED = "geslaagd"
    REJECTED = "afgekeurd"
    OPEN = "open"  # waits for a fact GitHub would not tell (team membership): a maintainer decides


class Level(StrEnum):
    """Who may approve: the owner of the path (or a maintainer), or maintainers only."""

    OWNER = "eigenaar"
    MAINTAINER = "beheerder"


class RequirementKind(StrEnum):
    """Where a requirement comes from: CODEOWNERS for a path, or a policy rule (``permissions.POLICY``).

    Trust decisions test this kind, never the Dutch reason text, which may be reworded freely.
    """

    PATH = "pad"
    STATUS_STEP = "statusstap"
    HISTORY_REMOVAL = "historie-verwijderen"
    BASE_UNREADABLE = "basis-onleesbaar"
    MUNICIPALITY_ADDED = "gemeente-toevoegen"
    CONTENT_AFTER_SUBMISSION = "inhoud-na-indienen"
    RULE = "regel"


@dataclass
class Requirement:
    """Who must approve one part of a change; ``met`` is None while it hangs on team membership."""

    reason: str
    level: Level
    any_of: list[str]
    line: int | None = None
    met: bool | None = None
    kind: RequirementKind = RequirementKind.RULE

    def owners(self) -> list[Owner]:
        return [o for o in (parse_owner(h) for h in self.any_of) if o is not None]

    def evaluate(self, author: str, teams: set[str] | None) -> None:
        self.met = is_owner(self.owners(), author, teams)

    def teams(self) -> list[str]:
        return [o.name for o in self.owners() if o.kind == "team"]


@dataclass
class FileProblem:
    line: int
    column: int
    severity: Severity
    field: str
    code: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR


@dataclass
class FileReport:
    path: str
    change: str  # one of CHANGES' keys
    moved_from: str | None = None  # for people only: the path git pairs an addition with; never judged
    kind: str | None = None
    record: bool = False
    municipalities: list[str] = field(default_factory=list)
    status: str | None = None
    problems: list[FileProblem] = field(default_factory=list)
    requirements: list[Requirement] = field(default_factory=list)

    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


@dataclass
class PrReport:
    """Everything the next step needs; :meth:`verdict` is derived, never stored as input."""

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
    received_at: dt.datetime | None = None  # when GitHub received the push: what new history steps are dated by
    judged_at: dt.datetime | None = None  # when this judgement was made (may be hours later on a deadline day)

    @property
    def actor(self) -> str:
        """Whose permissions count: the person behind an automation PR, otherwise the PR's author."""
        return self.on_behalf_of or self.author

    def evaluate(self) -> None:
        """(Re)decide every requirement from the actor and the teams known so far."""
        teams = {t.lower() for t in self.teams} if self.teams is not None else None
        for requirement in self.requirements():
            requirement.evaluate(self.actor, teams)

    def evaluate_with(self, membership: Callable[[str], bool | None], maintainer: bool) -> None:
        """Decide every requirement from facts GitHub gave: ``membership(team)`` and the actor's repository role.

        A maintainer by repository role (admin or maintain) may approve anything. A "no" that hangs
        on a team GitHub would not show stays open (None): a maintainer decides, never a guess.
        """
        for requirement in self.requirements():
            if maintainer:
                requirement.met = True
                continue
            answers = {team.lower(): membership(team) for team in requirement.teams()}
            requirement.evaluate(self.actor, {t for t, member in answers.items() if member})
            if requirement.met is False and None in answers.values():
                requirement.met = None

    def requirements(self) -> list[Requirement]:
        return [r for f in self.files for r in f.requirements]

    def errors(self) -> list[FileProblem]:
        return [p for f in self.files for p in f.problems if p.is_error]

    def unresolved_teams(self) -> list[str]:
        return sorted({t for r in self.requirements() if r.met is None for t in r.teams()})

    def verdict(self) -> Verdict:
        """Rejected on any error or refused approval; open while something hangs on team membership."""
        if self.errors() or any(r.met is False for r in self.requirements()):
            return Verdict.REJECTED
        if any(r.met is None for r in self.requirements()):
            return Verdict.OPEN
        return Verdict.PASSED

    def needs_maintainer(self) -> bool:
        return any(r.level == Level.MAINTAINER or r.met is False for r in self.requirements())

    def labels(self) -> list[str]:
        """Record type, grant status, needs-maintainer, and municipality codes of records without errors.

        A record with an error (an unknown municipality code is one) gives no municipality labels, so
        an invalid code never becomes a label; and there are at most ``MAX_MUNICIPALITY_LABELS``.
        """
        found: set[str] = set()
        municipalities: set[str] = set()
        for f in self.files:
            if f.change == "":
                continue
            if f.kind:
                found.add(f"type:{f.kind}")
            if not f.has_errors():
                municipalities.update(code for code in f.municipalities if _MUNICIPALITY.fullmatch(code))
            if f.status:
                found.add(f"status:{f.status}")
        found.update(f"gemeente:{code}" for code in sorted(municipalities)[:MAX_MUNICIPALITY_LABELS])
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
            "received_at": self.received_at.isoformat() if self.received_at else None,
            "judged_at": self.judged_at.isoformat() if self.judged_at else None,
            "teams": self.teams,
            "codeowners": {"source": self.codeowners_source, "maintainers": self.maintainers},
            "verdict": self.verdict(),
            "unresolved_teams": self.unresolved_teams(),
            "labels": self.labels(),
            "notes": self.notes,
            "files": [
                {
                    "path": f.path,
                    "moved_from": f.moved_from,
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


# ---------------------------------------------------------------- Markdown, in Dutch


def mention(name: str) -> str:
    """A login or team as text, in a code span: shown, but never a notification."""
    return code("@" + name.lstrip("@"))


def _handle(handle: str) -> str:
    return mention(handle) if handle.startswith("@") else code(handle)


def _short(text: str, limit: int = MAX_LINE) -> str:
    """Cut untrusted text before escaping, so a cut never splits an escape."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


_VERDICT_TEXT = {
    Verdict.PASSED: "✅ **Kansrijk-controle: in orde**",
    Verdict.REJECTED: "❌ **Kansrijk-controle: niet in orde**",
    Verdict.OPEN: "⏳ **Kansrijk-controle: nog niet vastgesteld**",
}


def _requirement_line(r: Requirement, actor: str) -> str:
    who = " of ".join(_handle(h) for h in r.any_of) or "niemand (geen eigenaar in CODEOWNERS)"
    where = f"regel {r.line}: " if r.line else ""
    if r.met is True:
        state = f"✅ {mention(actor)} mag dit"
    elif r.met is False:
        state = f"❌ {mention(actor)} mag dit niet; goedkeuring nodig van {who}"
    else:
        state = f"⏳ hangt af van lidmaatschap van {', '.join(mention(t) for t in r.teams())}; een beheerder beslist"
    level = "beheerder" if r.level == Level.MAINTAINER else "eigenaar of beheerder"
    return f"- {where}{escape(_short(r.reason))} — {level}: {who}. {state}"


def _header(report: PrReport) -> list[str]:
    verdict = report.verdict()
    changed = [f for f in report.files if f.change]
    errors = len(report.errors())
    denied = sum(r.met is False for r in report.requirements())
    summary = (
        f"{_VERDICT_TEXT[verdict]}: {_plural(len(changed), 'bestand', 'bestanden')} gewijzigd, "
        f"{_plural(errors, 'fout', 'fouten')}, {_plural(denied, 'ontbrekende toestemming', 'ontbrekende toestemmingen')}."
    )
    return [MARKER, summary, ""]


def _body(report: PrReport) -> list[tuple[str, bool]]:
    """Every line after the summary, each marked True when it is one problem or requirement."""
    lines: list[tuple[str, bool]] = []
    if report.verdict() == Verdict.OPEN:
        teams = ", ".join(mention(t) for t in report.unresolved_teams())
        lines += [
            (
                f"Nog na te gaan: is {mention(report.actor)} lid van {teams}? Zolang GitHub dat niet bevestigt, beslist een beheerder.",
                False,
            )
        ]
        lines += [("", False)]
    if report.on_behalf_of is not None:
        lines += [
            (
                f"Ingediend via issue #{report.issue} namens {mention(report.on_behalf_of)}: {mention(report.author)} opende "
                f"deze PR als automatiseringsaccount, dus rechten en de 'door' in de statusgeschiedenis gelden voor "
                f"{mention(report.on_behalf_of)}, de indiener van het issue.",
                False,
            ),
            ("", False),
        ]
    if report.received_at is not None and report.judged_at is not None:
        lines += [
            (
                f"Ontvangen door GitHub op {nl_moment(report.received_at)}, beoordeeld op {nl_moment(report.judged_at)}. "
                "Nieuwe stappen in de historie tellen vanaf het moment van ontvangst, hoe laat de beoordeling ook komt.",
                False,
            ),
            ("", False),
        ]
    maintainers = ", ".join(_handle(m) for m in report.maintainers) or "geen (CODEOWNERS mist een regel `*`)"
    lines += [
        (
            f"Eigenaarschap komt uit {code(report.codeowners_source)} van de basis ({code(report.base[:12])}), niet uit deze PR: "
            f"een PR kan zichzelf geen rechten geven. Beheerders: {maintainers}.",
            False,
        ),
        ("", False),
    ]
    for note in report.notes:
        lines += [(f"> {escape(_short(note))}", True), ("", False)]
    for f in report.files:
        title = code(_short(f.path, 500))
        what = CHANGES[f.change] if f.change else "niet gewijzigd, maar geraakt door deze wijziging"
        if f.moved_from:
            what += f"; git ziet dit als hernoemd van {code(_short(f.moved_from, 500))}"
        lines.append((f"#### {title} ({what})", False))
        for p in f.problems:
            label = "fout" if p.is_error else "waarschuwing"
            where = f"{code(_short(p.field, 200))}: " if p.field else ""
            lines.append((f"- {label}, regel {p.line}: {where}{escape(_short(p.message))}", True))
        for r in f.requirements:
            lines.append((_requirement_line(r, report.actor), True))
        if not f.problems and not f.requirements:
            lines.append(("- geen opmerkingen", False))
        lines.append(("", False))
    if not report.files:
        lines += [("Deze PR wijzigt geen bestanden.", False)]
    return lines


def render_markdown(report: PrReport, limit: int | None = None, full_report_url: str | None = None) -> str:
    """The PR comment and the local report: summary first, then one section per file.

    With ``limit``, the text stays under that many characters: lines are kept in order while they
    fit, and one closing line says how many problems are left out and where the full list is.
    """
    text = "\n".join(_header(report) + [line for line, _ in _body(report)]).rstrip() + "\n"
    if limit is None or len(text) <= limit:
        return text
    where = f"in de [volledige controle]({full_report_url})" if full_report_url else "in de samenvatting van de controle-run"
    reserve = 300
    kept = _header(report)
    size = sum(len(line) + 1 for line in kept)
    body = _body(report)
    left = 0
    for index, (line, _) in enumerate(body):
        if size + len(line) + 1 > limit - reserve:
            left = sum(item for _, item in body[index:])
            break
        kept.append(line)
        size += len(line) + 1
    while len(kept) > len(_header(report)) and (not kept[-1] or kept[-1].startswith("#### ")):
        kept.pop()  # no file title without anything under it
    closing = (
        f"… en {_plural(left, 'meer probleem', 'meer problemen')} (opmerkingen en goedkeuringen); zie de hele lijst {where}."
    )
    return "\n".join([*kept, "", closing]).rstrip() + "\n"


def status_description(report: PrReport) -> str:
    """At most 140 characters, as GitHub's commit status allows."""
    verdict = report.verdict()
    if verdict == Verdict.PASSED:
        text = "In orde: records geldig, auteur heeft toestemming"
    elif verdict == Verdict.OPEN:
        text = "Nog niet vastgesteld: teamlidmaatschap onbekend, een beheerder beslist"
    else:
        denied = sum(r.met is False for r in report.requirements())
        text = f"Niet in orde: {_plural(len(report.errors()), 'fout', 'fouten')}, {_plural(denied, 'toestemming ontbreekt', 'toestemmingen ontbreken')}"
    return text[:140]


def owner_handles(owners: tuple[Owner, ...] | list[Owner]) -> list[str]:
    return [o.handle for o in owners]
