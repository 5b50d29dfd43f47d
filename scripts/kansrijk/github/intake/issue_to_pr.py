"""``issue-to-pr``: turn an issue filed through one of the issue forms into a record on a branch and a pull request.

A policy officer fills in a form in Dutch and never sees YAML. This module runs the
steps and owns no knowledge of its own about forms or records:

1. :mod:`kansrijk.issueforms` picks the form and reads the body into answers;
2. :mod:`kansrijk.intake` turns the answers into the record, as data;
3. here the record is validated against the base checkout (the workflow checks out
   the default branch, never PR code): the record areas are copied to a temporary
   folder, the new file is added there and ``validate`` checks it with every schema
   and cross-record rule. The copy keeps the checkout clean, and records are small,
   so copying stays cheap next to the API round trips;
4. the answer goes back on the issue in Markdown, and the branch, file and pull
   request are written through :mod:`kansrijk.github`.

What it trusts: the checkout of the base branch and what GitHub says about the issue
(its author, labels and state). The body is untrusted and handled by the two modules
above; every value this module quotes back in a comment or PR body is
Markdown-escaped (no HTML, links or @-mentions), and every answer is bounded: a
refusal lists its points up to :data:`MAX_REPLY_CHARS` and counts the rest.

Only the issue's author may change what the bot commits on their behalf: a run caused by anyone
else (``sender``, the event's sender, for instance a maintainer who edits the form) does nothing on
GitHub, because ``report-pr`` lends the filer's rights to the bot's PR.

The "wijziging" form is free text ("what is there now, what should it be"), so
there is nothing structured to apply safely: the tool answers that a maintainer
takes it over and opens nothing.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from kansrijk.checks.validate import validate
from kansrijk.github.intake.answers import Submission, finding_for, submission_for
from kansrijk.github.intake.issueforms import (
    FORM_CHANGE,
    MAX_INPUT_CHARS,
    Finding,
    Form,
    FormError,
    load_forms,
    parse_body,
    pick_form,
)
from kansrijk.github.markdown import code, escape
from kansrijk.records.kinds import RECORD_FOLDERS, SUPPORT_FOLDERS
from kansrijk.records.model import Repository
from kansrijk.records.problems import Problem

MARKER = "<!-- kansrijk-issue-to-pr -->"
MAX_REPLY_CHARS = 10_000  # every comment and PR body the bot writes stays under this
MAX_FINDING_CHARS = 600
COPIED_DIRS = (*SUPPORT_FOLDERS, *RECORD_FOLDERS)


@dataclass
class Outcome:
    """What the run did, for the command's last line and the exit code."""

    action: str  # "pr-geopend", "pr-bijgewerkt", "pr-ongewijzigd", "afgewezen", "overgedragen", "genegeerd"
    message: str
    pull_number: int | None = None
    findings: list[Finding] = field(default_factory=list)


@dataclass
class IssueIntake:
    """What the intake makes of one issue: its form and answers, and the record to commit or why there is none.

    ``submission`` is set only when it may be committed; a refusal leaves it None with ``findings``, and so does
    the ``wijziging`` form, which a maintainer takes over.
    """

    form: Form
    values: dict[str, object]
    submission: Submission | None
    findings: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)


# ---------------------------------------------------------------- validation against the base checkout


def check_against_base(root: Path, submission: Submission) -> list[Problem]:
    """Every problem ``validate`` finds in the new record, in a copy of the base checkout's record areas."""
    with tempfile.TemporaryDirectory(prefix="kansrijk-issue-") as scratch:
        copy = Path(scratch)
        for name in COPIED_DIRS:
            if (root / name).is_dir():
                shutil.copytree(root / name, copy / name, symlinks=True)
        target = copy / submission.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(submission.text, encoding="utf-8")
        return validate(Repository(copy), [submission.path]).problems


# ---------------------------------------------------------------- Markdown for comments and the PR


def bounded_lines(lines: list[str], budget: int, rest: str) -> list[str]:
    """As many of ``lines`` as fit in ``budget`` characters; the others are counted in ``rest`` (``{count}``)."""
    kept: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        if used + len(line) + 1 > budget:
            return [*kept, rest.format(count=len(lines) - index)]
        kept.append(line)
        used += len(line) + 1
    return kept


def _finding_line(finding: Finding) -> str:
    message = finding.message if len(finding.message) <= MAX_FINDING_CHARS else finding.message[:MAX_FINDING_CHARS] + "…"
    return f"- **{escape(finding.question[:MAX_INPUT_CHARS])}**: {escape(message)}"


def refusal_comment(findings: list[Finding]) -> str:
    """The points to fix, each once; at most :data:`MAX_REPLY_CHARS` characters, the rest counted."""
    head = [
        MARKER,
        "Dank u wel voor het formulier. Er is nog **geen** pull request gemaakt, want een paar antwoorden moeten anders:",
        "",
    ]
    tail = [
        "",
        "Pas het issue aan (bovenaan: ··· → *Edit*) en sla het op; daarna wordt het opnieuw gecontroleerd. "
        "Lukt het niet? Laat dan een reactie achter, dan helpt een beheerder u.",
    ]
    points = list(dict.fromkeys(_finding_line(f) for f in findings))
    budget = MAX_REPLY_CHARS - sum(len(line) + 1 for line in [*head, *tail]) - 100
    points = bounded_lines(points, budget, "- … en nog {count} andere punten; los eerst de punten hierboven op.")
    return "\n".join([*head, *points, *tail])


def form_error_comment(error: FormError) -> str:
    """The answer to an issue that is not a form (or that no form matches): a maintainer takes it over."""
    return "\n".join([MARKER, f"Dank u wel voor uw issue. Er is **geen** pull request gemaakt: {escape(str(error))}."])


def handover_comment(values: dict[str, object]) -> str:
    page = values.get("pagina") if isinstance(values.get("pagina"), str) else ""
    about = f" over {code(str(page))}" if page else ""
    return "\n".join(
        [
            MARKER,
            f"Dank u wel voor uw wijziging{about}. Een wijziging is vrije tekst en wordt daarom niet automatisch "
            "verwerkt: een beheerder neemt haar over, zet haar in een pull request en laat het u hier weten.",
        ]
    )


def done_comment(pull_url: str, number: int, action: str) -> str:
    verb = {"pr-geopend": "staan klaar in", "pr-bijgewerkt": "zijn bijgewerkt in", "pr-ongewijzigd": "staan in"}[action]
    return "\n".join(
        [
            MARKER,
            f"Dank u wel! Uw gegevens {verb} pull request #{number}: {pull_url}",
            "",
            "Een beheerder controleert ze en voegt ze samen; dan sluit dit issue vanzelf. Wilt u nog iets aanpassen? "
            "Pas dit issue aan; de pull request wordt dan bijgewerkt.",
        ]
    )


def pull_body(submission: Submission, number: int, author: str, warnings: list[Finding]) -> str:
    lines = [
        f"{submission.summary}, aangemeld door @{author} via het formulier in #{number}. Met dank aan @{author}!",
        "",
        f"Closes #{number}",
        "",
        f"Bestand: {code(submission.path)}. Gemaakt door `kansrijk issue-to-pr` uit de antwoorden in het issue; "
        "controleer de gegevens voordat u samenvoegt.",
    ]
    if submission.notes or warnings:
        lines += ["", "Voor de beheerder:"]
        points = [f"- {note}" for note in submission.notes] + [_finding_line(w) for w in warnings]
        budget = MAX_REPLY_CHARS - sum(len(line) + 1 for line in lines) - 100
        lines += bounded_lines(points, budget, "- … en nog {count} andere opmerkingen; zie de controle van deze PR.")
    lines += ["", MARKER]
    return "\n".join(lines)


# ---------------------------------------------------------------- the run


def issue_intake(root: Path, labels: set[str], body: str, number: int, author: str, today: dt.date) -> IssueIntake:
    """The record issue ``number`` asks for, checked against the base at ``root``; FormError when it is no form.

    The one definition of what the bot commits for an issue: ``process`` writes it, and ``report-pr``
    computes it again to check that a bot PR holds exactly that and nothing else.
    """
    form = pick_form(load_forms(root), labels, body)
    values, findings = parse_body(form, body)
    if form.name == FORM_CHANGE:
        return IssueIntake(form, values, None)
    submission = None
    if not findings:
        submission, findings = submission_for(form, values, Repository(root), number, today, author)
    warnings: list[Finding] = []
    if submission is not None:
        problems = check_against_base(root, submission)
        findings = [finding_for(p, form, submission.kind) for p in problems if p.is_error]
        warnings = [finding_for(p, form, submission.kind) for p in problems if not p.is_error]
    if findings:
        submission = None
    return IssueIntake(form, values, submission, findings, warnings)


def process(
    gh,
    full_name: str,
    number: int,
    root: Path,
    base: str | None,
    bot_login: str,
    today: dt.date,
    sender: str | None = None,
) -> Outcome:
    """Read issue ``number`` and answer it: a refusal with reasons, a hand-over, or a branch with a PR.

    ``sender`` is who caused the run (the event's sender). Only the issue's author may change what the
    bot commits on their behalf, so a run caused by anyone else does nothing at all.
    """
    from kansrijk.github.client import absent_is_none, open_pull_from_branch, put_file, upsert_comment

    owner, name = full_name.split("/", 1)
    gh_repo = absent_is_none(gh.repository, owner, name)
    if gh_repo is None:
        raise LookupError(f"repository {full_name} niet gevonden (of het token mag haar niet zien)")
    issue = absent_is_none(gh_repo.issue, number)
    if issue is None or issue.pull_request_urls:
        raise LookupError(f"#{number} is geen issue in {full_name}")
    author = issue.user.login
    if sender is not None and sender.lower() != author.lower():
        return Outcome(
            "genegeerd",
            f"genegeerd: issue #{number} is aangepast door {sender}, niet door de indiener {author}; "
            "alleen de indiener kan de pull request bijwerken, dus er is niets veranderd",
        )
    if issue.state != "open":
        raise LookupError(f"issue #{number} is gesloten; er wordt niets gedaan")
    try:
        result = issue_intake(root, {label.name for label in issue.original_labels}, issue.body or "", number, author, today)
    except FormError as exc:
        upsert_comment(issue, form_error_comment(exc), bot_login, MARKER)
        raise
    if result.form.name == FORM_CHANGE:
        upsert_comment(issue, handover_comment(result.values), bot_login, MARKER)
        return Outcome("overgedragen", f"issue #{number} is een wijziging; een beheerder neemt haar over")
    submission, findings = result.submission, result.findings
    if submission is None:
        upsert_comment(issue, refusal_comment(findings), bot_login, MARKER)
        return Outcome("afgewezen", f"issue #{number}: {len(findings)} punt(en) te verbeteren; niets geopend", findings=findings)
    base = base or gh_repo.default_branch
    existing = open_pull_from_branch(gh_repo, f"issue-{number}-")  # so a second run never opens another
    if existing is not None and existing.head.ref != submission.branch:
        message = (
            f"er staat al pull request #{existing.number} open voor dit issue (tak {existing.head.ref}); "
            "sluit die eerst als de nieuwe gegevens een andere tak nodig hebben"
        )
        upsert_comment(issue, "\n".join([MARKER, f"Dank u wel. Er is niets veranderd: {escape(message)}."]), bot_login, MARKER)
        return Outcome("afgewezen", message, existing.number)
    user = issue.user
    co_author = f"Co-authored-by: {author} <{user.id}+{author}@users.noreply.github.com>"
    message = f"{submission.title} (#{number})\n\n{co_author}"
    change = put_file(gh_repo, submission.branch, base, submission.path, submission.text.encode("utf-8"), message)
    if existing is None:
        pull = gh_repo.create_pull(
            submission.title[:250], base, submission.branch, pull_body(submission, number, author, result.warnings)
        )
        action = "pr-geopend"
    else:
        pull = existing
        action = "pr-ongewijzigd" if change == "ongewijzigd" else "pr-bijgewerkt"
    upsert_comment(issue, done_comment(pull.html_url, pull.number, action), bot_login, MARKER)
    return Outcome(action, f"issue #{number}: pull request #{pull.number} ({submission.path}, bestand {change})", pull.number)
