"""``report-pr``: publish a ``check-pr`` report on the pull request, through github3.py.

This runs in the only job with write permission, next to untrusted data: the
report comes from a job that ran PR code. So the report is parsed strictly
(:func:`kansrijk.prreport.parse_report`), its head commit must be the PR's, and
what decides permissions is recomputed here from trusted sources: the PR's file
list from the API and CODEOWNERS from the default branch checkout. The report
is only believed about validation problems and grant steps, and a PR that
tampers with the workflow producing it changes a file under ``.github/``, which
always needs a maintainer.

A report that judges the PR on behalf of someone else (an issue-to-pr PR) is only
believed when the API confirms all of it: the PR's author is an automation
account in the default branch's ``.github/kansrijk.yml``, its head branch lives
in this repository and is named ``issue-<N>-...`` with the report's issue
number, and issue N was filed by exactly the person the report names. The PR
body is never read for this.

The HTTP session retries rate limits (403/429 with rate-limit headers) and 5xx
answers with exponential backoff, and fails with a clear message when GitHub
stays down. The token is only ever put in the Authorization header.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import github3.exceptions
import requests
from github3.session import GitHubSession

from .automation import SETTINGS_FILE, issue_of_branch
from .codeowners import CodeOwners
from .prcheck import PATH_REASONS, path_requirements
from .prreport import (
    LABEL_MAINTAINER,
    LABEL_PREFIXES,
    MARKER,
    FileProblem,
    FileReport,
    PrReport,
    owner_handles,
    render_markdown,
    status_description,
)

STATUS_CONTEXT = "kansrijk/pr-check"
STATES = {"geslaagd": "success", "afgekeurd": "failure", "open": "pending"}


class ApiUnavailable(Exception):
    """GitHub did not answer usefully after every retry."""


# What a command catches around a GitHub conversation; ``describe_api_failure`` words each for people.
API_FAILURES = (ApiUnavailable, github3.exceptions.GitHubError, requests.RequestException)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0


class RetryingSession(GitHubSession):
    """github3.py's session, with retries for rate limits and server errors."""

    def __init__(self, policy: RetryPolicy, sleep: Callable[[float], None] = time.sleep) -> None:
        super().__init__(default_connect_timeout=10, default_read_timeout=30)
        self.policy = policy
        self.sleep = sleep

    def request(self, method: str, url: str, *args: object, **kwargs: object) -> requests.Response:  # type: ignore[override]
        problem = ""
        for attempt in range(self.policy.attempts):
            try:
                response = super().request(method, url, *args, **kwargs)
            except (requests.ConnectionError, requests.Timeout) as exc:
                problem = f"geen verbinding ({type(exc).__name__})"
                wait = self.backoff(attempt)
            else:
                wait = self.retry_wait(response, attempt)
                if wait is None:
                    return response
                problem = f"HTTP {response.status_code}"
            if attempt + 1 < self.policy.attempts:
                self.sleep(wait)
        path = urlsplit(url).path
        raise ApiUnavailable(
            f"GitHub-API onbereikbaar: {method} {path} gaf na {self.policy.attempts} pogingen nog steeds {problem}. "
            "Probeer het later opnieuw (workflow opnieuw starten)."
        )

    def backoff(self, attempt: int) -> float:
        return min(self.policy.base_delay * (2**attempt), self.policy.max_delay)

    def retry_wait(self, response: requests.Response, attempt: int) -> float | None:
        """Seconds to wait before retrying, or None when the answer should be used as it is."""
        status = response.status_code
        headers = response.headers
        rate_limited = status == 429 or (
            status == 403 and (headers.get("X-RateLimit-Remaining") == "0" or "Retry-After" in headers)
        )
        if not rate_limited and status < 500:
            return None
        if "Retry-After" in headers and headers["Retry-After"].isdigit():
            return min(float(headers["Retry-After"]), self.policy.max_delay)
        reset = headers.get("X-RateLimit-Reset", "")
        if rate_limited and reset.isdigit():
            return min(max(float(reset) - time.time(), 0.0), self.policy.max_delay)
        return self.backoff(attempt)


def describe_api_failure(exc: Exception) -> str:
    """One Dutch line for a GitHub conversation that failed (see ``API_FAILURES``); never the token."""
    if isinstance(exc, github3.exceptions.GitHubError):
        return f"GitHub weigerde het verzoek (HTTP {exc.code}): {exc.msg}"
    if isinstance(exc, requests.RequestException):
        return f"verbinding met GitHub mislukt ({type(exc).__name__})"
    return str(exc)


def connect(api_url: str | None, token: str, policy: RetryPolicy):  # -> github3.GitHub
    """github.com, or GitHub Enterprise when ``api_url`` names another host (``…/api/v3`` may be included)."""
    import github3

    session = RetryingSession(policy)
    if not api_url or urlsplit(api_url).hostname == "api.github.com":
        return github3.GitHub(token=token, session=session)
    return github3.GitHubEnterprise(api_url.rstrip("/").removesuffix("/api/v3"), token=token, session=session)


def find_pull(repo, number: int | None, sha: str | None):
    """The PR by number, or the open PR whose head is ``sha`` (``workflow_run`` of a fork carries no PR list)."""
    if number is not None:
        return repo.pull_request(number)
    for pull in repo.pull_requests(state="open"):
        if pull.head.sha == sha:
            return repo.pull_request(pull.number)
    return None


_API_STATUS = {"added": "A", "removed": "D", "renamed": "R"}


def reconcile(report: PrReport, api_files: list[tuple[str, str, str | None]], codeowners: CodeOwners) -> None:
    """Make permissions depend on trusted data: the PR's own file list and the default branch's CODEOWNERS."""
    maintainers = owner_handles(codeowners.default_owners)
    by_path = {f.path: f for f in report.files}
    for filename, api_status, previous in api_files:
        entry = by_path.get(filename)
        if entry is None or not entry.change:
            entry = FileReport(path=filename, change=_API_STATUS.get(api_status, "M"), old_path=previous)
            entry.problems.append(
                FileProblem(
                    1,
                    1,
                    "fout",
                    "",
                    "rapport-onvolledig",
                    "dit bestand ontbreekt in het rapport van de controle; een beheerder moet deze PR bekijken",
                )
            )
            report.files.append(entry)
            by_path[filename] = entry
        change = _API_STATUS.get(api_status, "M")
        kept = [r for r in entry.requirements if r.reason not in PATH_REASONS.values()]
        for r in kept:  # grant steps and deleting a history: maintainers only
            r.any_of = list(maintainers)
        entry.requirements = path_requirements(codeowners, change, filename, previous or entry.old_path) + kept
    report.maintainers = maintainers
    report.files.sort(key=lambda f: f.path)


def verify_on_behalf_of(repo, pull, report: PrReport, automation: frozenset[str] | None) -> None:
    """Check, against the API and trusted settings only, that the report may judge the PR for someone else."""
    if report.on_behalf_of is None:
        return
    number = pull.number
    if automation is None:
        raise LookupError(
            f"het rapport beoordeelt PR #{number} namens @{report.on_behalf_of}, maar report-pr kreeg geen vertrouwde "
            f"{SETTINGS_FILE} (--settings); zonder die lijst van automatiseringsaccounts wordt dat niet geloofd"
        )
    author = pull.user.login
    if author.lower() not in automation:
        raise LookupError(
            f"PR #{number} is van {author!r}, geen automatiseringsaccount; een PR namens iemand anders wordt geweigerd"
        )
    head_repo = getattr(pull.head, "repository", None)
    if head_repo is None or head_repo.full_name.lower() != repo.full_name.lower():
        raise LookupError(f"de tak van PR #{number} staat niet in {repo.full_name}; een PR namens iemand anders moet daar staan")
    issue_number = issue_of_branch(pull.head.ref)
    if issue_number is None or issue_number != report.issue:
        raise LookupError(
            f"de tak {pull.head.ref!r} van PR #{number} hoort niet bij issue #{report.issue} (verwacht issue-{report.issue}-...)"
        )
    import github3

    try:
        issue = repo.issue(issue_number)
    except github3.exceptions.NotFoundError:
        issue = None
    if issue is None or issue.pull_request_urls:
        raise LookupError(f"#{issue_number} is geen issue in {repo.full_name}")
    if issue.user.login.lower() != report.on_behalf_of.lower():
        raise LookupError(
            f"issue #{issue_number} is ingediend door {issue.user.login!r}, niet door {report.on_behalf_of!r} zoals het rapport zegt"
        )


def team_member(gh, team: str, login: str) -> bool | None:
    """Active membership of ``login`` in ``org/team``: True, False (404), or None when the token may not look.

    The workflow's own GITHUB_TOKEN cannot read organisation teams; then the answer stays unknown
    and the status stays "pending" for a maintainer to decide, rather than guessing either way.
    """
    import github3

    org, slug = team.split("/", 1)
    response = gh.session.get(gh.session.build_url("orgs", org, "teams", slug, "memberships", login))
    if response.status_code == 404:
        return False
    if response.status_code in (401, 403):
        return None
    if response.status_code != 200:
        raise github3.exceptions.error_for(response)
    return response.json().get("state") == "active"


def upsert_comment(issue, body: str, bot_login: str, marker: str = MARKER) -> str:
    """Edit our earlier comment (found by its hidden marker) or create the first one; returns what was done."""
    for comment in issue.comments():
        if marker in (comment.body or "") and comment.user.login.lower() == bot_login.lower():
            if comment.body != body:
                comment.edit(body)
            return "bijgewerkt"
    issue.create_comment(body)
    return "geplaatst"


def set_labels(issue, wanted: list[str]) -> list[str]:
    """Replace only the labels this tool manages; leave maintainers' own labels alone."""
    current = [label.name for label in issue.labels()]
    kept = [name for name in current if not (name.startswith(LABEL_PREFIXES) or name == LABEL_MAINTAINER)]
    final = sorted(set(kept) | set(wanted))
    if sorted(current) != final:
        issue.replace_labels(final)
    return final


@dataclass
class Outcome:
    number: int
    verdict: str
    comment: str
    labels: list[str]


def publish(
    gh,
    full_name: str,
    report: PrReport,
    number: int | None,
    sha: str | None,
    codeowners: CodeOwners | None,
    bot_login: str,
    target_url: str | None,
    automation: frozenset[str] | None = None,
) -> Outcome:
    """Find the PR, recheck what must not be trusted, and write comment, labels and status."""
    owner, name = full_name.split("/", 1)
    repo = gh.repository(owner, name)
    if repo is None:
        raise LookupError(f"repository {full_name} niet gevonden")
    pull = find_pull(repo, number, sha)
    if pull is None:
        raise LookupError(f"geen PR gevonden voor {'nummer ' + str(number) if number is not None else 'head-commit ' + str(sha)}")
    head_sha = pull.head.sha
    if report.head is not None and report.head != head_sha:
        raise LookupError(
            f"het rapport hoort bij commit {report.head[:12]}, maar PR #{pull.number} staat op {head_sha[:12]}; wacht op de nieuwe controle"
        )
    if report.author.lower() != pull.user.login.lower():
        raise LookupError(f"het rapport noemt auteur {report.author!r}, maar PR #{pull.number} is van {pull.user.login!r}")
    verify_on_behalf_of(repo, pull, report, automation)
    if codeowners is not None:
        api_files = [(f.filename, f.status, getattr(f, "previous_filename", None)) for f in pull.files()]
        reconcile(report, api_files, codeowners)
    report.evaluate()
    asked = report.unresolved_teams()
    if asked:
        answers = {t.lower(): team_member(gh, t, report.actor) for t in asked}
        report.teams = sorted({t for t, member in answers.items() if member})
        report.evaluate()
        unknown = {t for t, member in answers.items() if member is None}
        for requirement in report.requirements():  # a "no" that hangs on a team we could not see stays open
            if requirement.met is False and unknown & {t.lower() for t in requirement.teams()}:
                requirement.met = None
        if unknown:
            report.notes.append(
                "Teamlidmaatschap kon niet worden opgevraagd (het token mag de teams niet zien); een beheerder beslist."
            )
    issue = repo.issue(pull.number)
    comment = upsert_comment(issue, render_markdown(report), bot_login)
    labels = set_labels(issue, report.labels())
    verdict = report.verdict()
    repo.create_status(
        head_sha, STATES[verdict], target_url=target_url, description=status_description(report), context=STATUS_CONTEXT
    )
    return Outcome(pull.number, verdict, comment, labels)
