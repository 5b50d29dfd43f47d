"""The one judge of a change to the records: every way into main (check-pr, report-pr, the merge queue) calls it.

It compares **states, not git's story of a change**. For every path the change touches, the judge reads
the path's state at the base (absent is empty) and its state at the head, and decides from those two
states and the actor's rights alone:

- ownership: the owner of every touched path, or a maintainer, must approve (CODEOWNERS at the base);
- policy (``permissions.POLICY``): municipalities new to the coalition, content changed past
  ``ingediend``, a maintainer's step of the transition table, a history taken away;
- the append-only history: old steps unchanged, new steps by the actor, dated by trusted time;
- validity: every record at the head, and every record that referenced what went away.

There is no branch per kind of git change and no early return. A rename is the deletion of one path
and the addition of another, so the verdict is the same however git pairs files (``-M``, ``-C``, none):
an owner's ``README.md`` renamed into an application is a new application with a new history, and
every step in it is judged as new. ``Change.moved_from`` only labels the report for people.

**Trusted time.** New history steps are checked against when GitHub received the change
(``received_at``; the trusted job takes the creation time of the checked run), never against dates the
commit or the record claims: an ``ingediend`` step is only accepted while the round is open, and no
step may lie more than a day after the moment of receipt.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

from kansrijk.checks.entries import judge_entry
from kansrijk.checks.validate import validate
from kansrijk.pullrequests import permissions
from kansrijk.pullrequests.codeowners import read_codeowners
from kansrijk.pullrequests.git import Change, Git
from kansrijk.pullrequests.permissions import path_requirements
from kansrijk.pullrequests.report import FileProblem, FileReport, PrReport, RequirementKind, owner_handles
from kansrijk.records.kinds import KINDS, RECORD_FOLDERS, is_record_area
from kansrijk.records.loader import LoadError, load_bytes
from kansrijk.records.model import Application, Record, Repository, classify
from kansrijk.records.problems import Problem, Severity
from kansrijk.records.tree import EntryKind, entry_kind_on_disk

# Changes to these folders can change the verdict on every record: validate everything then.
REPOSITORY_WIDE = ("schemas/", "vocab/")
# Round windows and dates are Dutch calendar days.
PROGRAMME_TIME = ZoneInfo("Europe/Amsterdam")
# How far after receipt a new step may be dated: a day, for time zones and a late-evening push.
FUTURE_GRACE = dt.timedelta(days=1)
SUBMITTED = "ingediend"
UNDECODABLE = "bestandsnaam-onleesbaar"


@dataclass(frozen=True)
class OnBehalfOf:
    """The person an automation account opened the PR for, and the issue they filed."""

    login: str
    issue: int


def readable_name(path: str) -> str:
    """A path as people can read it: bytes that are no UTF-8 shown as ``\\xNN``."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def is_undecodable(path: str) -> bool:
    """True when git gave a file name that is not UTF-8 (decoded with ``surrogateescape``)."""
    return readable_name(path) != path


def _file_problem(p: Problem) -> FileProblem:
    return FileProblem(p.line, p.column, p.severity, p.field_name, p.code, p.message)


def _state(raw: bytes | None, name: str) -> dict | None:
    """A record's data at one side: empty when the path holds nothing there, None when it cannot be read."""
    if raw is None:
        return {}
    try:
        data = load_bytes(raw, name).data
    except LoadError:
        return None
    return data if isinstance(data, dict) else None


def _beneath(path: str, roots: set[str]) -> bool:
    """True when ``path`` is one of ``roots`` or lies inside one of them."""
    return any(path == root or path.startswith(root + "/") for root in roots)


def _history(data: dict) -> list:
    history = data.get(permissions.APPEND_ONLY_FIELD, [])
    return history if isinstance(history, list) else []


def _last_status(history: list) -> str | None:
    if history and isinstance(history[-1], dict):
        status = history[-1].get("status")
        return status if isinstance(status, str) else None
    return None


def received_day(received_at: dt.datetime) -> dt.date:
    """The Dutch calendar day on which GitHub received the change."""
    moment = received_at if received_at.tzinfo else received_at.replace(tzinfo=dt.UTC)
    return moment.astimezone(PROGRAMME_TIME).date()


class Judge:
    """Judges one change (``merge_base`` → ``head``) for one actor and builds the :class:`PrReport`.

    ``view`` is the commit or tree whose files are validated (the head, or its merge with the current
    base); ``compare_at`` is the base state every path is compared with.
    """

    def __init__(
        self,
        git: Git,
        base: str,
        merge_base: str,
        head: str | None,
        author: str,
        teams: list[str] | None,
        on_behalf_of: OnBehalfOf | None = None,
        *,
        view: str | None = None,
        compare_at: str | None = None,
        conflicts: list[str] | None = None,
        received_at: dt.datetime | None = None,
    ) -> None:
        self.git = git
        self.base = base
        self.merge_base = merge_base
        self.head = head
        self.author = author
        self.teams = teams
        self.on_behalf_of = on_behalf_of
        self.view = view or head
        self.compare_at = compare_at or merge_base
        self.conflicts = conflicts or []
        self.received_given = received_at  # None for a local run: then "now", and the report claims no receipt
        self.received_at = received_at or dt.datetime.now(dt.UTC)
        # whose rights count, and who must be the actor of new history entries
        self.actor = on_behalf_of.login if on_behalf_of else author
        self.codeowners = read_codeowners(lambda location: git.read(base, location))
        self.maintainers = self.codeowners.default_owners

    @property
    def maintainer_handles(self) -> list[str]:
        return owner_handles(self.maintainers)

    def base_state(self, path: str) -> dict | None:
        return _state(self.git.read(self.compare_at, path), path)

    def run(self, head_root: Path) -> PrReport:
        changes = self.git.changes(self.merge_base, self.head)
        repo = Repository(head_root)
        refusals = self.entry_refusals(changes, head_root)
        refused = {p.file for p in refusals}
        files: dict[str, FileReport] = {}
        for change in changes:
            entry = self.judge_path(change, repo, _beneath(change.path, refused))
            files[entry.path] = entry
        report = PrReport(
            base=self.base,
            merge_base=self.merge_base,
            head=self.head,
            author=self.author,
            teams=self.teams,
            codeowners_source=self.codeowners.source,
            maintainers=owner_handles(self.maintainers),
            files=[],
            on_behalf_of=self.on_behalf_of.login if self.on_behalf_of else None,
            issue=self.on_behalf_of.issue if self.on_behalf_of else None,
            received_at=self.received_given,
            judged_at=dt.datetime.now(dt.UTC),
        )
        if not self.maintainers:
            report.notes.append(
                f"{self.codeowners.source} op de basis heeft geen regel '*' met beheerders; alleen eigenaars van paden kunnen goedkeuren."
            )
        for skipped in self.codeowners.skipped:  # lines GitHub skips; report-pr shows these same notes
            report.notes.append(f"{self.codeowners.source} regel {skipped.line}: {skipped.message}")
        if self.view != self.head:
            report.notes.append(
                f"De basistak is na het begin van deze PR verder gegaan; gecontroleerd is wat samenvoegen oplevert: "
                f"deze PR samen met de huidige basis ({self.base[:12]})."
            )
        for path in self.conflicts:
            entry = files.setdefault(path, FileReport(path=readable_name(path), change="", record=is_record_area(path)))
            entry.problems.append(
                FileProblem(
                    1,
                    1,
                    Severity.ERROR,
                    "",
                    "samenvoegconflict",
                    "dit bestand botst met wat sinds het begin van deze PR op de basistak is gekomen; werk de tak bij "
                    "(Update branch) en los het conflict op, dan wordt de PR opnieuw gecontroleerd",
                )
            )
        decodable = [c for c in changes if not is_undecodable(c.path)]
        for problem in [*refusals, *self.validation_problems(decodable, repo, refused)]:
            entry = files.setdefault(problem.file, FileReport(path=problem.file, change="", record=True))
            entry.problems.append(_file_problem(problem))
        report.files = [files[k] for k in sorted(files)]
        report.evaluate()
        return report

    def entry_refusals(self, changes: list[Change], head_root: Path) -> list[Problem]:
        """The record-folder entries this change adds or changes, and the folders above them, judged like ``validate``."""
        targets: set[str] = set()
        for change in changes:
            if change.status != "D" and is_record_area(change.path) and not is_undecodable(change.path):
                parts = PurePosixPath(change.path).parts
                targets.update("/".join(parts[:depth]) for depth in range(1, len(parts) + 1))
        if not targets:
            return []
        if self.view:
            kinds = self.git.entry_kinds(self.view)
        else:
            kinds = {target: entry_kind_on_disk(head_root / target) for target in targets}
        refusals: list[Problem] = []
        refused: set[str] = set()
        for target in sorted(targets):  # a folder sorts before what it holds
            if _beneath(target, refused):
                continue
            problem = judge_entry(target, kinds.get(target, EntryKind.MISSING))
            if problem is not None:
                refusals.append(problem)
                refused.add(target)
        return refusals

    def judge_path(self, change: Change, repo: Repository, refused: bool = False) -> FileReport:
        """One touched path, judged from its state at the base and at the head, whatever git calls the change."""
        path = change.path
        if is_undecodable(path):
            return self.undecodable(change)
        ref = classify(path)
        entry = FileReport(
            path=path,
            change=change.status,
            moved_from=readable_name(change.moved_from) if change.moved_from else None,
            kind=ref.kind if ref else None,
            record=is_record_area(path),
        )
        entry.requirements = path_requirements(self.codeowners, change.status, path)
        head_record = repo.load(ref) if ref is not None and change.status != "D" and not refused else None
        if head_record is not None:
            self.add_labels(entry, head_record)
            self.check_municipalities(entry, head_record, repo)
        if ref is not None and ref.kind == "aanvraag":
            self.check_history(entry, head_record, repo)
        return entry

    def undecodable(self, change: Change) -> FileReport:
        """A name git cannot give as UTF-8 is refused by name: it could not be shown, linked or labelled safely."""
        shown = readable_name(change.path)
        entry = FileReport(path=shown, change=change.status, record=is_record_area(shown))
        entry.requirements = path_requirements(self.codeowners, change.status, shown)
        entry.problems.append(
            FileProblem(
                1,
                1,
                Severity.ERROR,
                "",
                UNDECODABLE,
                "de naam van dit bestand is geen geldige UTF-8 (de tekens \\x.. staan voor bytes die geen letter zijn); "
                "geef het bestand een naam met gewone letters, cijfers en streepjes",
            )
        )
        return entry

    @staticmethod
    def add_labels(entry: FileReport, record: Record) -> None:
        municipalities = record.data.get("gemeenten", [])
        if isinstance(municipalities, list):
            entry.municipalities = sorted(
                {m for m in municipalities if isinstance(m, str) and len(m) == 6 and m.startswith("GM")}
            )
        if isinstance(record, Application) and record.valid:
            entry.status = record.status

    def check_municipalities(self, entry: FileReport, record: Record, repo: Repository) -> None:
        """Policy: a municipality not in this record's own coalition at the base may only be added with a maintainer."""
        if record.kind not in ("coalitie", "aanvraag"):
            return
        coalition = record.key.split("/", 1)[0]
        base_path = KINDS["coalitie"].path_of(coalition)
        base_data = _state(self.git.read(self.base, base_path), base_path) or {}
        new = record.data.get("gemeenten")
        added = permissions.added_municipalities(new, base_data.get("gemeenten"))
        if not added:
            return
        first = next(i for i, code in enumerate(new) if code == added[0]) if isinstance(new, list) else 0
        line = repo.locate(record, ("gemeenten", first))[0]
        entry.requirements.append(permissions.municipality_requirement(added, coalition, self.maintainer_handles, line))

    def check_history(self, entry: FileReport, record: Record | None, repo: Repository) -> None:
        """The application at this path, base state against head state: removal, locked content, the steps."""
        old_data = self.base_state(entry.path)
        if old_data is None:  # the base holds something unreadable here: only a maintainer can tell what changes
            entry.requirements.append(permissions.policy_requirement(RequirementKind.BASE_UNREADABLE, self.maintainer_handles))
            return
        old_history = _history(old_data)
        if record is None:  # deleted, refused, or no readable application at the head
            if old_history:
                entry.requirements.append(
                    permissions.policy_requirement(RequirementKind.HISTORY_REMOVAL, self.maintainer_handles)
                )
            return
        self.check_locked_content(old_data, entry, record, repo)
        new_history = _history(record.data)

        def line_of(index: int) -> int:
            return repo.locate(record, ("historie", index))[0]

        for index, old_entry in enumerate(old_history):
            if index >= len(new_history):
                step = old_entry if isinstance(old_entry, dict) else {}
                entry.problems.append(
                    FileProblem(
                        line_of(len(new_history) - 1) if new_history else 1,
                        1,
                        Severity.ERROR,
                        f"historie[{index}]",
                        "historie-verwijderd",
                        f"stap {index + 1} van de historie ({step.get('status', '?')} op {step.get('datum', '?')}) is verwijderd; "
                        "de historie mag alleen aangevuld worden: zet de stap terug",
                    )
                )
            elif new_history[index] != old_entry:
                entry.problems.append(
                    FileProblem(
                        line_of(index),
                        1,
                        Severity.ERROR,
                        f"historie[{index}]",
                        "historie-herschreven",
                        f"stap {index + 1} van de historie is veranderd; eerdere stappen mogen niet herschreven worden. "
                        "Zet de stap terug zoals hij was en voeg onderaan een nieuwe stap toe",
                    )
                )
        previous = _last_status(old_history) if len(old_history) <= len(new_history) else None
        for index in range(len(old_history), len(new_history)):
            step = new_history[index]
            status = step.get("status") if isinstance(step, dict) else None
            if isinstance(step, dict):
                self.check_new_step(entry, record, repo, index, step)
            if permissions.maintainer_step(previous, status):
                entry.requirements.append(
                    permissions.policy_requirement(
                        RequirementKind.STATUS_STEP,
                        self.maintainer_handles,
                        line_of(index),
                        previous=str(previous or "geen"),
                        status=str(status),
                    )
                )
            previous = status if isinstance(status, str) else None

    def check_new_step(self, entry: FileReport, record: Record, repo: Repository, index: int, step: dict) -> None:
        """A step this change adds: taken by the actor, dated by trusted time, ``ingediend`` only in an open round."""
        actor = step.get("door")
        if isinstance(actor, str) and actor.lower() != self.actor.lower():
            who = (
                f"de indiener van issue #{self.on_behalf_of.issue}, namens wie deze PR is geopend"
                if self.on_behalf_of
                else "de auteur van deze PR"
            )
            entry.problems.append(
                FileProblem(
                    repo.locate(record, ("historie", index, "door"))[0],
                    1,
                    Severity.ERROR,
                    f"historie[{index}].door",
                    "historie-door",
                    f"een nieuwe stap moet 'door: {self.actor}' hebben ({who}), niet {actor!r}",
                )
            )
        received = received_day(self.received_at)
        date = step.get("datum")
        line = repo.locate(record, ("historie", index, "datum"))[0]
        if isinstance(date, str) and date > (received + FUTURE_GRACE).isoformat():
            entry.problems.append(
                FileProblem(
                    line,
                    1,
                    Severity.ERROR,
                    f"historie[{index}].datum",
                    "historie-datum-toekomst",
                    f"de nieuwe stap is gedateerd op {date}, meer dan een dag na {received.isoformat()}, de dag waarop "
                    "GitHub deze wijziging ontving; geef de stap de datum van vandaag",
                )
            )
        if step.get("status") == SUBMITTED:
            self.check_submitted_in_window(entry, record, repo, line, index, received)

    def check_submitted_in_window(
        self, entry: FileReport, record: Record, repo: Repository, line: int, index: int, received: dt.date
    ) -> None:
        """A new ``ingediend`` counts from when GitHub received it: the round must be open that day.

        The round is read at the base (a PR cannot widen the window it is judged by); a round the
        change itself adds is read at the head, and adding it is a maintainer's change anyway.
        """
        round_id = record.data.get("ronde")
        if not isinstance(round_id, str):
            return
        round_path = KINDS["ronde"].path_of(round_id)
        round_data = self.base_state(round_path)
        if not round_data:
            raw = (repo.root / round_path).read_bytes() if (repo.root / round_path).is_file() else None
            round_data = _state(raw, round_path)
        if not round_data:
            return
        opens, closes = round_data.get("opent"), round_data.get("sluit")
        if not (isinstance(opens, str) and isinstance(closes, str)):
            return
        if not opens <= received.isoformat() <= closes:
            entry.problems.append(
                FileProblem(
                    line,
                    1,
                    Severity.ERROR,
                    f"historie[{index}]",
                    "ingediend-buiten-ronde",
                    f"GitHub ontving deze indiening op {received.isoformat()}, maar ronde '{round_id}' was open van "
                    f"{opens} tot en met {closes}; de datum in het bestand telt daarbij niet. Buiten die periode kan "
                    "er voor deze ronde niets meer ingediend worden",
                )
            )

    def check_locked_content(self, old_data: dict, entry: FileReport, record: Record, repo: Repository) -> None:
        """Policy: past ``ingediend`` only a maintainer may change an application's content (the history is checked apart)."""
        status = _last_status(_history(old_data))
        if status not in permissions.LOCKED_STATUSES:
            return
        changed = permissions.changed_content(old_data, record.data)
        if changed:
            line = repo.locate(record, (changed[0],))[0] if changed[0] in record.data else 1
            entry.requirements.append(
                permissions.policy_requirement(
                    RequirementKind.CONTENT_AFTER_SUBMISSION,
                    self.maintainer_handles,
                    line,
                    status=status,
                    fields=", ".join(changed),
                )
            )

    def validation_problems(self, changes: list[Change], repo: Repository, refused: set[str]) -> list[Problem]:
        """Problems of the records at the head, plus of records that referenced what went away.

        Entries already refused by the entry rule are left out here, so each gets one problem, not two.
        """
        if any(c.path.startswith(REPOSITORY_WIDE) for c in changes):
            return [p for p in validate(repo).problems if not _beneath(p.file, refused)]
        present = [c.path for c in changes if c.status != "D" and is_record_area(c.path) and not _beneath(c.path, refused)]
        gone_keys = []
        for c in changes:
            ref = classify(c.path) if c.status == "D" else None
            if ref is not None and ref.kind != "aanvraag":
                gone_keys.append(ref.key)
        referencing = [
            p
            for p in self.git.grep_files(self.view, gone_keys, RECORD_FOLDERS)
            if classify(p) is not None and not _beneath(p, refused)
        ]
        if self.head is None:
            referencing = [p for p in referencing if (repo.root / p).exists()]
        paths = sorted(set(present) | set(referencing))
        if not paths:
            return []
        return validate(repo, paths).problems
