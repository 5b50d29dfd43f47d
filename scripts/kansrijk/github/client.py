"""GitHub through github3.py: a retrying session, and the few calls the trusted jobs make.

The calls here answer questions only GitHub can answer truthfully: which pull
request has a given head commit, which files and commits it holds (and whether
GitHub signed those commits), who edited an issue's text (GraphQL: REST does not
say), whether a person holds a role in the repository or is a member of a team. Nothing in this module reads
anything a pull request wrote; ``trusted_check`` puts the answers together.
The writes are the bot's own: a comment found again by its marker, the labels
this tool manages, and for ``issue-to-pr`` a file on its own branch.

The HTTP session retries rate limits (403/429 with rate-limit headers) and 5xx
answers with exponential backoff, and fails with a clear message when GitHub
stays down. The token is only ever put in the Authorization header.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urlsplit

import github3.exceptions
import requests
from github3.session import GitHubSession

from kansrijk.pullrequests.report import LABEL_MAINTAINER, LABEL_PREFIXES, MARKER


class ApiUnavailable(Exception):
    """GitHub did not answer usefully after every retry."""


class RateLimitSpent(Exception):
    """The hourly budget is spent and resets later than a run should wait: stop, and leave it to the sweep.

    Waiting out the reset in a workflow run would hold a runner for up to an hour; retrying would only
    spend the next budget's requests sooner. ``reset_at`` is GitHub's ``x-ratelimit-reset`` (epoch seconds).
    """

    def __init__(self, reset_at: float) -> None:
        super().__init__(f"GitHub-limiet bereikt tot {reset_at:.0f}")
        self.reset_at = reset_at


# What a command catches around a GitHub conversation; ``describe_api_failure`` words each for people.
API_FAILURES = (ApiUnavailable, RateLimitSpent, github3.exceptions.GitHubError, requests.RequestException)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0


@dataclass
class Budget:
    """What GitHub's last answer said about the primary budget (``x-ratelimit-*``); None before any answer."""

    limit: int | None = None
    remaining: int | None = None
    reset_at: float | None = None


class RetryingSession(GitHubSession):
    """github3.py's session, with retries for server errors and GitHub's rate limits, and a view of the budget.

    A secondary limit (``retry-after``) is waited out and retried. A spent primary budget is only
    waited for when it resets within ``policy.max_delay``; otherwise :class:`RateLimitSpent` stops
    the run at once. ``clock`` and ``sleep`` are injectable so that a day of hours can run on a
    virtual clock.
    """

    def __init__(
        self,
        policy: RetryPolicy,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(default_connect_timeout=10, default_read_timeout=30)
        self.policy = policy
        self.sleep = sleep
        self.clock = clock
        self.budget = Budget()

    def request(self, method: str, url: str, *args: object, **kwargs: object) -> requests.Response:  # type: ignore[override]
        problem = ""
        for attempt in range(self.policy.attempts):
            try:
                response = super().request(method, url, *args, **kwargs)
            except (requests.ConnectionError, requests.Timeout) as exc:
                problem = f"geen verbinding ({type(exc).__name__})"
                wait = self.backoff(attempt)
            else:
                self.note_budget(response)
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

    def note_budget(self, response: requests.Response) -> None:
        headers = response.headers
        for name, attribute in (("X-RateLimit-Limit", "limit"), ("X-RateLimit-Remaining", "remaining")):
            if headers.get(name, "").isdigit():
                setattr(self.budget, attribute, int(headers[name]))
        if headers.get("X-RateLimit-Reset", "").isdigit():
            self.budget.reset_at = float(headers["X-RateLimit-Reset"])

    def backoff(self, attempt: int) -> float:
        return min(self.policy.base_delay * (2**attempt), self.policy.max_delay)

    def retry_wait(self, response: requests.Response, attempt: int) -> float | None:
        """Seconds to wait before retrying, or None when the answer should be used as it is."""
        status = response.status_code
        headers = response.headers
        retry_after = headers.get("Retry-After", "")
        spent = headers.get("X-RateLimit-Remaining") == "0"
        rate_limited = status == 429 or (status == 403 and (spent or bool(retry_after)))
        if not rate_limited and status < 500:
            return None
        if retry_after.isdigit():  # a secondary limit, or GitHub's own advice: wait that long
            return float(retry_after)
        reset = headers.get("X-RateLimit-Reset", "")
        if rate_limited and reset.isdigit():
            wait = max(float(reset) - self.clock(), 0.0) + 1
            if spent and wait > self.policy.max_delay:
                raise RateLimitSpent(float(reset))
            return min(wait, self.policy.max_delay)
        return self.backoff(attempt)


def describe_api_failure(exc: Exception) -> str:
    """One Dutch line for a GitHub conversation that failed (see ``API_FAILURES``); never the token."""
    if isinstance(exc, github3.exceptions.GitHubError):
        return f"GitHub weigerde het verzoek (HTTP {exc.code}): {exc.msg}"
    if isinstance(exc, requests.RequestException):
        return f"verbinding met GitHub mislukt ({type(exc).__name__})"
    if isinstance(exc, RateLimitSpent):
        moment = dt.datetime.fromtimestamp(exc.reset_at, dt.UTC).strftime("%H:%M UTC")
        return f"GitHub-limiet bereikt: het uurbudget van verzoeken is op tot {moment}"
    return str(exc)


def connect(
    api_url: str | None,
    token: str,
    policy: RetryPolicy,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
):  # -> github3.GitHub
    """github.com, or GitHub Enterprise when ``api_url`` names another host (``…/api/v3`` may be included)."""
    import github3

    session = RetryingSession(policy, sleep, clock)
    if not api_url or urlsplit(api_url).hostname == "api.github.com":
        return github3.GitHub(token=token, session=session)
    return github3.GitHubEnterprise(api_url.rstrip("/").removesuffix("/api/v3"), token=token, session=session)


class PullFile(NamedTuple):
    """One entry of ``pulls/N/files``: the name, GitHub's status word, the old name of a rename, the blob at the head."""

    filename: str
    status: str
    previous: str | None
    blob: str | None


def list_pull_files(pull) -> list[PullFile]:
    """Every page of ``pulls/N/files`` (GitHub stops at 3,000)."""
    return [PullFile(f.filename, f.status, getattr(f, "previous_filename", None), getattr(f, "sha", None)) for f in pull.files()]


def changed_files_count(pull) -> int | None:
    """The ``changed_files`` GitHub counts for the PR (github3.py keeps it only in the raw data)."""
    count = pull.as_dict().get("changed_files")
    return count if isinstance(count, int) else None


# GitHub lists at most this many commits of a pull request (``pulls/N/commits``).
PULL_COMMITS_CAP = 250


@dataclass(frozen=True)
class CommitFacts:
    """What GitHub says about one commit of a PR: the accounts it ties to it, and whether it verified the signature.

    ``author`` and ``committer`` are GitHub logins, None when GitHub ties no account to the commit's e-mail
    address. A pusher can write any name and e-mail address into a commit, but not GitHub's own signature.
    """

    sha: str
    author: str | None
    committer: str | None
    verified: bool


def commit_count(pull) -> int | None:
    """The ``commits`` GitHub counts for the PR (github3.py keeps it only in the raw data)."""
    count = pull.as_dict().get("commits")
    return count if isinstance(count, int) else None


def _login(user: object) -> str | None:
    """The login in a user object of GitHub's JSON (REST or GraphQL); None for ``null`` (no or a deleted account)."""
    name = user.get("login") if isinstance(user, dict) else None
    return name if isinstance(name, str) else None


def list_pull_commits(pull) -> list[CommitFacts]:
    """Every page of ``pulls/N/commits``, oldest first (GitHub stops at :data:`PULL_COMMITS_CAP`)."""
    facts = []
    for commit in pull.commits():
        data = commit.as_dict()
        verification = (data.get("commit") or {}).get("verification") or {}
        facts.append(
            CommitFacts(
                data["sha"], _login(data.get("author")), _login(data.get("committer")), verification.get("verified") is True
            )
        )
    return facts


class GraphQLError(Exception):
    """GitHub's GraphQL API answered with errors, or without the data asked for; the message says which."""


ISSUE_EDITS_QUERY = """
query($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) {
    issue(number: $number) {
      author { login }
      userContentEdits(first: 100) { totalCount nodes { editor { login } } }
    }
  }
}
"""


@dataclass(frozen=True)
class IssueEdits:
    """Who wrote an issue's text and who edited it since; an editor is None for a deleted account.

    ``editors`` holds at most the first 100 edits; ``total`` counts them all.
    """

    author: str | None
    editors: tuple[str | None, ...]
    total: int


def graphql_url(gh) -> str:
    """GitHub's GraphQL endpoint next to the REST API: ``<api>/graphql``, or ``<host>/api/graphql`` on Enterprise."""
    base = gh.session.base_url.rstrip("/")
    return base.removesuffix("/v3") + "/graphql" if base.endswith("/api/v3") else base + "/graphql"


def graphql(gh, query: str, variables: dict[str, object]) -> dict:
    """The ``data`` of one GraphQL query, through the same retrying session as every REST call."""
    response = gh.session.post(graphql_url(gh), json={"query": query, "variables": variables})
    if response.status_code != 200:
        raise GraphQLError(f"HTTP {response.status_code}")
    try:
        body = response.json()
    except ValueError:
        raise GraphQLError("het antwoord is geen JSON") from None
    errors = body.get("errors") if isinstance(body, dict) else None
    if errors:
        messages = [str(e.get("message", "")) if isinstance(e, dict) else str(e) for e in errors]
        raise GraphQLError("; ".join(messages)[:300])
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise GraphQLError("het antwoord bevat geen gegevens")
    return data


def issue_edits(gh, full_name: str, number: int) -> IssueEdits:
    """The author and the editors of issue ``number``'s text: REST's issue events do not list body edits."""
    owner, name = full_name.split("/", 1)
    data = graphql(gh, ISSUE_EDITS_QUERY, {"owner": owner, "name": name, "number": number})
    repository = data.get("repository")
    issue = repository.get("issue") if isinstance(repository, dict) else None
    if not isinstance(issue, dict):
        raise GraphQLError(f"issue #{number} niet gevonden")
    edits = issue.get("userContentEdits")
    nodes, total = (edits.get("nodes"), edits.get("totalCount")) if isinstance(edits, dict) else (None, None)
    if not isinstance(nodes, list) or not isinstance(total, int):
        raise GraphQLError(f"het antwoord over issue #{number} mist de lijst van bewerkingen")
    editors = tuple(_login(node.get("editor")) if isinstance(node, dict) else None for node in nodes)
    return IssueEdits(_login(issue.get("author")), editors, total)


OPEN_PULLS_QUERY = """
query($owner: String!, $name: String!, $cursor: String) {
  repository(owner: $owner, name: $name) {
    pullRequests(states: OPEN, first: 100, after: $cursor) {
      pageInfo { hasNextPage endCursor }
      nodes {
        number
        headRefOid
        baseRefName
        headRepository { nameWithOwner }
        commits(last: 1) { nodes { commit { status { contexts { context state description } } } } }
      }
    }
  }
}
"""


@dataclass(frozen=True)
class OpenHead:
    """An open pull request's head commit and what our status context says on it (None: nothing yet)."""

    number: int
    sha: str
    head_repository: str | None
    base_ref: str
    state: str | None
    description: str | None


def open_pull_heads(gh, full_name: str, context: str) -> list[OpenHead]:
    """Every open PR's head and its ``context`` status, 100 PRs per GraphQL query instead of one request each."""
    owner, name = full_name.split("/", 1)
    heads: list[OpenHead] = []
    cursor: str | None = None
    while True:
        data = graphql(gh, OPEN_PULLS_QUERY, {"owner": owner, "name": name, "cursor": cursor})
        pulls = ((data.get("repository") or {}).get("pullRequests")) or {}
        for node in pulls.get("nodes") or []:
            commits = ((node.get("commits") or {}).get("nodes")) or [{}]
            status = ((commits[-1].get("commit") or {}).get("status")) or {}
            ours = next((c for c in status.get("contexts") or [] if c.get("context") == context), None)
            heads.append(
                OpenHead(
                    number=int(node["number"]),
                    sha=str(node["headRefOid"]),
                    head_repository=(node.get("headRepository") or {}).get("nameWithOwner"),
                    base_ref=str(node.get("baseRefName")),
                    state=ours["state"].lower() if ours else None,
                    description=ours.get("description") if ours else None,
                )
            )
        page = pulls.get("pageInfo") or {}
        if not page.get("hasNextPage"):
            return heads
        cursor = page.get("endCursor")


# Repository roles that may approve anything: they can change branch protection and CODEOWNERS anyway.
MAINTAINER_ROLES = frozenset({"admin", "maintain"})


def repository_role(gh, full_name: str, login: str) -> str | None:
    """The person's role in the repository (``admin``, ``maintain``, ``write``, ...), or None when GitHub does not say.

    The collaborator permission endpoint needs only read access to the repository's metadata,
    which the workflow's own token has.
    """
    import github3

    owner, name = full_name.split("/", 1)
    response = gh.session.get(gh.session.build_url("repos", owner, name, "collaborators", login, "permission"))
    if response.status_code in (401, 403, 404):
        return None
    if response.status_code != 200:
        raise github3.exceptions.error_for(response)
    data = response.json()
    role = data.get("role_name") or data.get("permission")
    return role if isinstance(role, str) else None


def team_member(gh, team: str, login: str) -> bool | None:
    """Active membership of ``login`` in ``org/team``: True, False, or None when the token may not look.

    GitHub answers 404 both for "not a member" and for a team the token may not see, so after a 404
    the team itself is looked up: only when it is visible does the 404 mean "no". A member costs one
    request. The workflow's own GITHUB_TOKEN cannot read organisation teams; then the answer stays
    unknown and a maintainer decides, rather than guessing either way.
    """
    import github3

    org, slug = team.split("/", 1)
    response = gh.session.get(gh.session.build_url("orgs", org, "teams", slug, "memberships", login))
    if response.status_code == 200:
        return response.json().get("state") == "active"
    if response.status_code in (401, 403):
        return None
    if response.status_code != 404:
        raise github3.exceptions.error_for(response)
    seen = gh.session.get(gh.session.build_url("orgs", org, "teams", slug))  # 404 above: no member, or no sight?
    if seen.status_code in (401, 403, 404):
        return None
    if seen.status_code != 200:
        raise github3.exceptions.error_for(seen)
    return False


def upsert_comment(issue, body: str, bot_login: str, marker: str = MARKER) -> str:
    """Edit our earlier comment (found by its hidden marker) or create the first one; returns what was done."""
    for comment in issue.comments():
        if marker in (comment.body or "") and comment.user.login.lower() == bot_login.lower():
            if comment.body != body:
                comment.edit(body)
            return "bijgewerkt"
    issue.create_comment(body)
    return "geplaatst"


def merged_labels(current: list[str], wanted: list[str]) -> list[str]:
    """The labels this tool manages replaced by ``wanted``; maintainers' own labels stay."""
    kept = [name for name in current if not (name.startswith(LABEL_PREFIXES) or name == LABEL_MAINTAINER)]
    return sorted(set(kept) | set(wanted))


class RepositoryApi:
    """The REST calls ``report-pr`` makes for every push, each as cheap as GitHub allows.

    On a deadline day every request counts against an hourly budget (1,000 for a workflow's
    ``GITHUB_TOKEN``), so: one page of 100 where GitHub pages, a conditional request (``If-None-Match``)
    where the answer may not have changed (a 304 costs nothing), and no request for what an earlier
    answer already said (the pull request carries its labels and its comment count).
    """

    def __init__(self, gh, full_name: str) -> None:
        owner, name = full_name.split("/", 1)
        self.session = gh.session
        self.full_name = full_name
        self.url = gh.session.build_url("repos", owner, name)

    def _check(self, response: requests.Response, *expected: int) -> requests.Response:
        if response.status_code not in expected:
            raise github3.exceptions.error_for(response)
        return response

    def _pages(self, url: str) -> list[dict]:
        """Every item of a paged list, 100 per page, following GitHub's ``Link: rel="next"``."""
        items: list[dict] = []
        next_url: str | None = url
        params: dict | None = {"per_page": 100}
        while next_url:
            response = self._check(self.session.get(next_url, params=params), 200)
            items.extend(response.json())
            next_url = response.links.get("next", {}).get("url")
            params = None  # the next link carries them
        return items

    def repository(self) -> dict:
        return self._check(self.session.get(self.url), 200).json()

    def pull(self, number: int, etag: str | None = None) -> tuple[dict | None, str | None]:
        """The pull request and its ETag; ``(None, etag)`` when it did not change since ``etag`` (a free 304)."""
        headers = {"If-None-Match": etag} if etag else None
        response = self.session.get(f"{self.url}/pulls/{number}", headers=headers)
        if response.status_code == 304:
            return None, etag
        if response.status_code == 404:
            return None, None
        return self._check(response, 200).json(), response.headers.get("ETag")

    def pulls_of_commit(self, sha: str) -> list[dict]:
        """The pull requests GitHub associates with a commit (open ones for a commit not on the default branch)."""
        return self._check(self.session.get(f"{self.url}/commits/{sha}/pulls", params={"per_page": 100}), 200).json()

    def files(self, number: int) -> list[PullFile]:
        return [
            PullFile(f["filename"], f["status"], f.get("previous_filename"), f.get("sha"))
            for f in self._pages(f"{self.url}/pulls/{number}/files")
        ]

    def received_at(self, sha: str, event: str = "pull_request") -> dt.datetime | None:
        """When GitHub received the push of ``sha``: the creation of its first workflow run for ``event``."""
        response = self.session.get(f"{self.url}/actions/runs", params={"head_sha": sha, "event": event, "per_page": 100})
        try:
            runs = response.json().get("workflow_runs", []) if response.status_code == 200 else []
        except (ValueError, AttributeError):
            return None
        moments = []
        for run in runs:
            try:
                moments.append(dt.datetime.fromisoformat(str(run.get("created_at")).replace("Z", "+00:00")))
            except (ValueError, AttributeError):
                continue
        return min(moments) if moments else None

    def create_status(self, sha: str, state: str, description: str, context: str, target_url: str | None) -> None:
        body = {"state": state, "description": description, "context": context, "target_url": target_url}
        self._check(self.session.post(f"{self.url}/statuses/{sha}", json=body), 201)

    def upsert_comment(self, number: int, body: str, bot_login: str, known_comments: int | None) -> str:
        """Edit our earlier comment or create the first; a PR GitHub says has no comments is not searched."""
        if known_comments != 0:
            for comment in self._pages(f"{self.url}/issues/{number}/comments"):
                user = (comment.get("user") or {}).get("login", "")
                if MARKER in (comment.get("body") or "") and user.lower() == bot_login.lower():
                    if comment.get("body") == body:
                        return "ongewijzigd"
                    self._check(self.session.patch(f"{self.url}/issues/comments/{comment['id']}", json={"body": body}), 200)
                    return "bijgewerkt"
        self._check(self.session.post(f"{self.url}/issues/{number}/comments", json={"body": body}), 201)
        return "geplaatst"

    def set_labels(self, number: int, current: list[str], wanted: list[str]) -> list[str]:
        """One call at most: the PR's labels as GitHub gave them, with ours replaced."""
        final = merged_labels(current, wanted)
        if sorted(current) != final:
            self._check(self.session.put(f"{self.url}/issues/{number}/labels", json={"labels": final}), 200)
        return final


def absent_is_none(lookup, *args: object, **kwargs: object):
    """github3.py raises on 404 for some lookups and returns None for others; here absence is always None."""
    try:
        return lookup(*args, **kwargs)
    except github3.exceptions.NotFoundError:
        return None


def open_pull_from_branch(gh_repo, prefix: str):
    """The open PR whose head is a branch of this same repository starting with ``prefix``, or None."""
    for pull in gh_repo.pull_requests(state="open"):
        head_repo = getattr(pull.head, "repository", None)
        if pull.head.ref.startswith(prefix) and head_repo is not None and head_repo.full_name == gh_repo.full_name:
            return pull
    return None


def put_file(gh_repo, branch: str, base: str, path: str, content: bytes, message: str) -> str:
    """Create ``branch`` from the head of ``base`` if needed and put ``content`` at ``path`` on it.

    Returns what changed: ``aangemaakt``, ``bijgewerkt`` or ``ongewijzigd`` (then nothing is committed).
    """
    if absent_is_none(gh_repo.ref, f"heads/{branch}") is None:
        head = absent_is_none(gh_repo.branch, base)
        if head is None:
            raise LookupError(f"basistak '{base}' bestaat niet")
        gh_repo.create_ref(f"refs/heads/{branch}", head.commit.sha)
    existing = absent_is_none(gh_repo.file_contents, path, ref=branch)
    if existing is None:
        gh_repo.create_file(path, message, content, branch=branch)
        return "aangemaakt"
    if existing.decoded == content:
        return "ongewijzigd"
    existing.update(message, content, branch=branch)
    return "bijgewerkt"
