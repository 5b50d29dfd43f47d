"""A small GitHub REST stand-in, served over real HTTP on 127.0.0.1, for tests.

Why: ``report-pr`` (and later ``issue-to-pr``) talk to GitHub through
github3.py. Tests run them against this server instead of mocks, so the real
client, the real HTTP stack, retries and error paths are all exercised. The
server answers like GitHub Enterprise (API under ``/api/v3``), so github3.py's
``GitHubEnterprise(standin.url)`` points straight at it.

Usage::

    with GitHubStandIn(token="t0ken") as gh:
        repo = gh.add_repo("kansrijke-start", "kennisbank")
        gh.add_pull(repo, 7, head_sha="ab" * 20, author="zeist-ambtenaar")
        gh.add_team("kansrijke-start", "beheerders", members=["beheerder-an"])
        gh.add_issue(repo, 8, "zeist-ambtenaar", "Nieuwe coalitie: Zeist", body, ["type:coalitie"])
        gh.fail(502, times=1)                  # the next request answers 502 once
        ...run the code under test against gh.url...
        assert gh.state.repo("kansrijke-start", "kennisbank").comments

State is in memory (:class:`State`): repositories with issues and pull requests
(one number space, as on GitHub), issue comments, labels, commit statuses,
refs/branches, file contents per ref, who GitHub says made each commit and
whether it verified it (:class:`Authorship`), who edited each issue's text,
and organisation teams with members. Everything the server saw is in
``gh.requests`` as ``(method, path)``.

A repository can stand on a real git repository (``add_repo(..., git=path)``):
then refs are git's refs, the contents API reads git and writes real commits
(made by the token's user and verified, as GitHub signs the commits it makes
for a bot), a pull request's files and commits come from git, and a branch's
pull requests follow it when it moves. :meth:`GitHubStandIn.pushed` is a push
with plain git: the commit is the pusher's and unverified, unless a test says
otherwise.

Time is virtual (:class:`VirtualClock`, ``gh.clock``; it starts at 2027-01-29T00:00:00Z): rate-limit
windows, and the ``created_at`` of what is made through the API, follow it, so an hour passes in no time
(``gh.clock.advance(3600)``, ``gh.at("2027-01-29T10:00:00Z")``) and code that waits can be handed
``gh.clock.sleep``.

Rate limits, as GitHub documents them (``gh.limits``, :class:`Limits`), per credential:

- the primary limit: ``limits.primary`` REST requests an hour (5,000, an App installation's floor; a
  ``GITHUB_TOKEN`` has 1,000), ``limits.graphql`` GraphQL points an hour, a budget of its own (a query costs
  one point here), and ``limits.unauthenticated`` (60) shared by requests without valid credentials. A window
  starts at the budget's first request and ends an hour later. Every answer carries ``x-ratelimit-limit``,
  ``-remaining``, ``-used``, ``-reset`` (UTC epoch seconds, virtual) and ``-resource`` (``core`` or
  ``graphql``). A REST request that finds its budget spent gets ``limits.primary_status`` (403, or 429:
  GitHub uses both) with remaining 0; a GraphQL one gets 200 with a ``RATE_LIMITED`` error, as GitHub
  documents. A refused request is not executed and costs nothing; ``GET /rate_limit`` is free;
- secondary limits on content creation: at most ``limits.writes_per_minute`` (80) REST POST, PATCH, PUT
  and DELETE requests with credentials in any 60 seconds and ``limits.writes_per_hour`` (500) in any hour. Beyond that the answer
  is ``limits.secondary_status`` (403) with ``retry-after`` (seconds until the window frees a place) and
  "You have exceeded a secondary rate limit"; it is not executed, but it costs one from the primary budget,
  as any request GitHub answers does;
- conditional requests: every 200 answer to a GET carries a weak ``ETag`` of its body; a GET whose
  ``If-None-Match`` names the current one gets ``304 Not Modified`` without a body, which costs nothing.

Every answer is in ``gh.log`` (:class:`Logged`: method, path, status, cost, virtual time, resource, which
limit refused it); ``gh.spent()`` adds up the costs.

Fault injection: :meth:`GitHubStandIn.fail` queues answers that are given
instead of the real one (any status, optional headers such as
``X-RateLimit-Remaining: 0``, which replace the computed ones of that name), for a
number of requests or forever, optionally only for paths containing a given text.
A faulted answer costs one from the primary budget (GitHub counts the 5xx it
answers too); a request refused by a rate limit never reaches a fault. :meth:`GitHubStandIn.after` runs an
action once a matching request has been answered, e.g. to move a PR's head
between two calls, as a push during a run does.

GitHub's limits, as the real API has them: a comment body over 65,536
characters is refused with 422; ``pulls/N/files`` is paginated (30 a page by
default, at most 100) and lists at most 3,000 files, while the PR's
``changed_files`` counts them all; a team the token may not see answers 404
for the team and for every membership (as GitHub does), and a head repository
that was deleted is ``"repo": null``.

Covered endpoints (enough for github3.py's repository, issue, pull request,
comment, label, status, ref, branch, contents and team calls):

- ``GET /rate_limit`` (free: ``resources.core``, ``resources.graphql`` and ``rate``)
- ``GET /user``; ``GET /repos/{o}/{r}``
- ``GET|POST /repos/{o}/{r}/pulls``, ``GET /repos/{o}/{r}/pulls/{n}``, ``GET .../pulls/{n}/files``,
  ``GET .../pulls/{n}/commits`` (at most 250, as GitHub lists them; ``commits`` on the PR counts all)
- ``GET|POST /repos/{o}/{r}/issues``, ``GET|PATCH /repos/{o}/{r}/issues/{n}``
- ``GET|POST .../issues/{n}/comments``, ``GET|PATCH|DELETE .../issues/comments/{id}``
- ``GET|POST|PUT|DELETE .../issues/{n}/labels[/{name}]``, ``GET|POST /repos/{o}/{r}/labels``
- ``POST .../statuses/{sha}``, ``GET .../commits/{sha}/statuses``
- ``GET .../git/ref/{ref}``, ``GET .../git/refs/{ref}``, ``POST .../git/refs``, ``GET .../branches/{b}``
- ``GET|PUT .../contents/{path}?ref=``
- ``GET /orgs/{org}/teams/{slug}``, ``GET /orgs/{org}/teams/{slug}/memberships/{user}``,
  ``GET /teams/{id}/memberships/{user}``
- ``GET /repos/{o}/{r}/collaborators/{user}/permission`` (roles set with :meth:`GitHubStandIn.set_role`)
- ``POST /api/graphql`` (GitHub Enterprise's GraphQL address), for exactly one query: an issue's author and
  the editors of its text (``userContentEdits``). An edit through ``PATCH .../issues/{n}`` is the token
  user's; :meth:`GitHubStandIn.edit_issue_body` adds one by anyone. Any other query gets a GraphQL error.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import itertools
import json
import math
import os
import re
import subprocess
import tempfile
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

# The GraphQL queries the stand-in answers are the ones the client sends, compared token by token.
from kansrijk.github.client import ISSUE_EDITS_QUERY, OPEN_PULLS_QUERY

API = "/api/v3"
GRAPHQL = "/api/graphql"  # GitHub Enterprise's GraphQL address, next to the REST API
TIMESTAMP = "2024-01-01T00:00:00Z"  # the date of what a test sets up; what the API makes is dated by the clock
RATE_LIMIT = "/rate_limit"  # under API: GitHub's free look at the budgets
START = "2027-01-29T00:00:00Z"  # where a new virtual clock starts: a fixed moment, whatever day a test runs
HOUR = 3600
MINUTE = 60
WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})  # what GitHub's secondary limits count as content creation
RATE_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
_ids = itertools.count(1000)

# The token the shared ``standin`` fixture (tests/conftest.py) expects; tests assert it never appears in output.
TEST_TOKEN = "ghp_geheimTokenDatNooitInUitvoerMag123"
COMMENT_LIMIT = 65_536
FILE_LIST_CAP = 3_000
COMMIT_LIST_CAP = 250
# role_name -> the legacy "permission" GitHub returns next to it
_LEGACY_PERMISSION = {"admin": "admin", "maintain": "write", "write": "write", "triage": "read", "read": "read", "none": "none"}


@dataclass
class Team:
    org: str
    slug: str
    id: int
    members: set[str] = field(default_factory=set)
    visible: bool = True  # False: the token may not see this team (GitHub then answers 404 for everything)


@dataclass(frozen=True)
class Authorship:
    """Who GitHub says authored and committed a commit (logins, None: no account), and whether it verified it."""

    author: str | None
    committer: str | None
    verified: bool


@dataclass
class Repo:
    """One repository's state. Issues and pulls share ``issues`` (pulls carry ``pull`` data).

    With ``git``, the repository stands on that real git repository (see the module docstring).
    """

    owner: str
    name: str
    default_branch: str = "main"
    id: int = field(default_factory=lambda: next(_ids))
    issues: dict[int, dict] = field(default_factory=dict)
    comments: dict[int, dict] = field(default_factory=dict)
    labels: dict[str, dict] = field(default_factory=dict)
    statuses: dict[str, list[dict]] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)  # "heads/main" -> sha
    contents: dict[tuple[str, str], bytes] = field(default_factory=dict)  # (branch, path) -> bytes
    roles: dict[str, str] = field(default_factory=dict)  # login (lower case) -> admin, maintain, write, triage, read
    runs: list[dict] = field(default_factory=list)  # workflow runs: {"head_sha", "event", "created_at"}
    commits: dict[str, Authorship] = field(default_factory=dict)  # sha -> who made it, as GitHub reports it
    git: Path | None = None

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def next_number(self) -> int:
        return max(self.issues, default=0) + 1

    def comments_on(self, number: int) -> list[dict]:
        return [c for c in self.comments.values() if c["issue"] == number]


@dataclass
class State:
    repos: dict[tuple[str, str], Repo] = field(default_factory=dict)
    teams: dict[tuple[str, str], Team] = field(default_factory=dict)
    login: str = "kansrijk-bot"

    def repo(self, owner: str, name: str) -> Repo:
        return self.repos[(owner.lower(), name.lower())]


@dataclass
class Hook:
    path_contains: str
    action: Callable[[], None]


@dataclass
class Fault:
    status: int
    remaining: int | None  # None: forever
    path_contains: str | None
    headers: dict[str, str]
    body: dict


class NotFound(Exception):
    pass


def _epoch(moment: str | float) -> float:
    """Epoch seconds of an ISO 8601 moment with zone (``Z`` allowed) or of epoch seconds."""
    if isinstance(moment, int | float):
        return float(moment)
    parsed = dt.datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"{moment!r} has no zone; the virtual clock keeps UTC")
    return parsed.timestamp()


class VirtualClock:
    """The stand-in's time, moved only by the test: an hour's rate-limit window passes in no time, and no moment
    depends on the day a test runs. Thread-safe, as the server answers in threads."""

    def __init__(self, start: str | float = START) -> None:
        self._now = _epoch(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        """Epoch seconds (UTC)."""
        with self._lock:
            return self._now

    def iso(self) -> str:
        """Now as GitHub writes moments: ``2027-01-29T00:00:00Z``."""
        return dt.datetime.fromtimestamp(self.now(), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def advance(self, seconds: float) -> None:
        """Move on; never back, since rate-limit windows and ``created_at`` assume time only runs forward."""
        if seconds < 0:
            raise ValueError(f"the virtual clock does not run backwards ({seconds} s)")
        with self._lock:
            self._now += seconds

    def sleep(self, seconds: float) -> None:
        """``time.sleep`` for the code under test: waiting is moving the clock."""
        self.advance(seconds)


@dataclass
class Limits:
    """GitHub's documented rate limits; every credential has its own budgets. Tests change the fields."""

    primary: int = 5000  # REST requests an hour ("core"): an App installation's floor; a GITHUB_TOKEN has 1,000
    graphql: int = 5000  # GraphQL points an hour, a budget apart from REST's
    unauthenticated: int = 60  # an hour, shared by every request without valid credentials
    primary_status: int = 403  # GitHub answers a spent REST budget with 403 or 429
    writes_per_minute: int = 80  # content-generating requests (POST, PATCH, PUT, DELETE) in any 60 seconds
    writes_per_hour: int = 500  # and in any hour
    secondary_status: int = 403  # GitHub answers a secondary limit with 403 or 429


@dataclass(frozen=True)
class Logged:
    """One answered request, for tests and benchmarks that count what a run cost."""

    method: str
    path: str
    status: int
    cost: int  # taken from the primary budget: 1, or 0 (a 304, ``/rate_limit``, a refusal for a spent budget)
    at: float  # virtual epoch seconds when it arrived
    resource: str  # the budget it counted against: "core" or "graphql"
    limited: str | None = None  # "primary" or "secondary" when a rate limit refused it


@dataclass
class _Budget:
    """One credential's primary budget for one resource: a fixed window from its first request, an hour long."""

    used: int = 0
    reset: int = 0  # epoch seconds when the window ends; 0: no window yet


@dataclass
class _Ticket:
    """What the rate limits made of one request: whose budget, what it cost, and the refusal, if any."""

    credential: str  # the Authorization header; "" for the shared unauthenticated budget
    resource: str
    cost: int
    at: float
    limited: str | None = None
    refusal: tuple[int, dict, dict[str, str]] | None = None  # status, body, headers


def _matches(if_none_match: str | None, etag: str) -> bool:
    """Whether ``If-None-Match`` names ``etag``, compared weakly (``W/`` ignored) as HTTP prescribes for GET."""
    if not if_none_match:
        return False
    wanted = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in wanted or etag.removeprefix("W/") in wanted


def _tokens(query: str) -> list[str]:
    """A GraphQL query as its tokens, so that only its shape counts, not its layout."""
    return re.findall(r"[A-Za-z_$][A-Za-z0-9_]*|\d+|[^\sA-Za-z0-9_]", query)


class GitHubStandIn:
    """The HTTP server and its state; a context manager that serves on 127.0.0.1 in a thread."""

    def __init__(self, token: str | None = None, clock: VirtualClock | None = None) -> None:
        self.state = State()
        self.token = token
        self.clock = clock or VirtualClock()
        self.limits = Limits()
        self.requests: list[tuple[str, str]] = []
        self.log: list[Logged] = []
        self.faults: list[Fault] = []
        self.hooks: list[Hook] = []
        self._lock = threading.Lock()
        self._budgets: dict[tuple[str, str], _Budget] = {}
        self._writes: dict[str, deque[float]] = {}  # credential -> when its admitted writes arrived, oldest first
        self._server: ThreadingHTTPServer | None = None

    # ------------------------------------------------------------ life cycle

    def __enter__(self) -> GitHubStandIn:
        standin = self

        class Handler(_Handler):
            owner = standin

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # a short poll interval: shutdown() waits for the next poll, up to half a second by default
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        """The Enterprise URL to give github3.py (``GitHubEnterprise(url)``) or ``--api-url``."""
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api(self) -> str:
        return self.url + API

    # ------------------------------------------------------------ set-up helpers

    def add_repo(
        self, owner: str, name: str, default_branch: str = "main", head_sha: str = "0" * 40, git: Path | None = None
    ) -> Repo:
        """A repository; with ``git`` it stands on that real git repository, whose ``head_sha`` is a real commit."""
        repo = Repo(owner, name, default_branch, git=git)
        repo.refs[f"heads/{default_branch}"] = head_sha
        self.state.repos[(owner.lower(), name.lower())] = repo
        return repo

    def add_pull(
        self,
        repo: Repo,
        number: int,
        head_sha: str,
        author: str,
        head_ref: str = "wijziging",
        files: list[str | tuple[str, str] | tuple[str, str, str]] | None = None,
        fork: str | None = None,
        state: str = "open",
        head_repo_deleted: bool = False,
    ) -> dict:
        """A pull request; ``fork`` names the fork's owner when the head lives in a fork.

        ``files`` are paths, or ``(path, status)`` / ``(path, "renamed", previous)`` as GitHub lists them.
        """
        issue = {
            "number": number,
            "title": f"PR {number}",
            "body": "",
            "user": author,
            "state": state,
            "labels": [],
            "pull": {
                "head_sha": head_sha,
                "head_ref": head_ref,
                "head_owner": fork or repo.owner,
                "base_ref": repo.default_branch,
                "base_sha": repo.refs[f"heads/{repo.default_branch}"],
                "files": [(f, "modified") if isinstance(f, str) else tuple(f) for f in files or []],
                "head_repo_deleted": head_repo_deleted,
            },
        }
        repo.issues[number] = issue
        return issue

    def add_issue(
        self,
        repo: Repo,
        number: int,
        author: str,
        title: str,
        body: str,
        labels: list[str] | None = None,
        created_at: str = TIMESTAMP,
    ) -> dict:
        """An issue filed by ``author`` (for example through an issue form, with that form's labels)."""
        issue = {
            "number": number,
            "title": title,
            "body": body,
            "user": author,
            "state": "open",
            "labels": list(labels or []),
            "created_at": created_at,
            "edits": [],
        }
        repo.issues[number] = issue
        return issue

    def edit_issue_body(self, repo: Repo, number: int, body: str, editor: str | None) -> None:
        """``editor`` changes the issue's text, as GraphQL's ``userContentEdits`` then lists (None: a deleted account)."""
        issue = repo.issues[number]
        if issue["body"] != body:
            issue["body"] = body
            issue.setdefault("edits", []).append(editor)

    def pushed(self, repo: Repo, branch: str, sha: str, by: str, verified: bool = False, committer: str | None = None) -> None:
        """``by`` pushed commit ``sha`` (already in ``repo.git``) to ``branch`` with git: GitHub ties it to them, unsigned."""
        repo.commits[sha] = Authorship(by, committer or by, verified)
        self.move_branch(repo, branch, sha)

    def move_branch(self, repo: Repo, branch: str, sha: str) -> None:
        """The branch points at ``sha`` now, and so do the open pull requests from it, as on GitHub."""
        repo.refs[f"heads/{branch}"] = sha
        if repo.git is not None:
            _git(repo.git, "update-ref", f"refs/heads/{branch}", sha)
        for issue in repo.issues.values():
            pull = issue.get("pull")
            if pull and issue["state"] == "open" and pull["head_ref"] == branch and pull["head_owner"] == repo.owner:
                pull.setdefault("history", []).append(pull["head_sha"])
                pull["head_sha"] = sha
                if repo.git is not None:
                    pull["files"] = git_changed_files(repo.git, repo.refs[f"heads/{pull['base_ref']}"], sha)

    def add_team(self, org: str, slug: str, members: list[str], visible: bool = True) -> Team:
        team = Team(org, slug, next(_ids), set(m.lower() for m in members), visible)
        self.state.teams[(org.lower(), slug.lower())] = team
        return team

    def set_role(self, repo: Repo, login: str, role: str) -> None:
        """The person's repository role, as the collaborator permission endpoint reports it (default: read)."""
        repo.roles[login.lower()] = role

    def after(self, path_contains: str, action: Callable[[], None]) -> None:
        """Run ``action`` once, right after the first answered request whose path contains ``path_contains``."""
        with self._lock:
            self.hooks.append(Hook(path_contains, action))

    def run_hooks(self, path: str) -> None:
        with self._lock:
            due = [h for h in self.hooks if h.path_contains in path]
            self.hooks = [h for h in self.hooks if h not in due]
        for hook in due:
            hook.action()

    def fail(
        self,
        status: int,
        times: int | None = 1,
        path_contains: str | None = None,
        headers: dict[str, str] | None = None,
        message: str = "stand-in fault",
        body: dict | None = None,
    ) -> None:
        """Answer the next ``times`` matching requests (None: all of them) with ``status`` and ``body``."""
        with self._lock:
            self.faults.append(Fault(status, times, path_contains, dict(headers or {}), body or {"message": message}))

    def at(self, moment: str | float) -> None:
        """Move the clock to ``moment`` (ISO 8601 with zone, or epoch seconds); not back in time."""
        self.clock.advance(_epoch(moment) - self.clock.now())

    def spent(self, resource: str | None = None) -> int:
        """What the logged requests took from their primary budgets, all of them or one resource's."""
        return sum(entry.cost for entry in self.log if resource in (None, entry.resource))

    def reset_log(self) -> None:
        """Start counting afresh, e.g. between the phases of a benchmark; the budgets themselves are unchanged."""
        with self._lock:
            self.log.clear()

    # ------------------------------------------------------------ rate limits

    def _limit(self, credential: str, resource: str) -> int:
        if not credential:
            return self.limits.unauthenticated
        return self.limits.graphql if resource == "graphql" else self.limits.primary

    def _budget(self, credential: str, resource: str, start: bool) -> _Budget:
        """The budget, in a new window when the last one has ended; ``start`` opens the window if none is open."""
        now = self.clock.now()
        budget = self._budgets.setdefault((credential, resource), _Budget())
        if budget.reset and now >= budget.reset:
            budget.used, budget.reset = 0, 0
        if start and not budget.reset:
            budget.reset = math.ceil(now + HOUR)
        return budget

    def _secondary_wait(self, credential: str) -> int | None:
        """Seconds until a write is allowed again, or None when one is allowed now."""
        now = self.clock.now()
        writes = self._writes.setdefault(credential, deque())
        while writes and writes[0] <= now - HOUR:
            writes.popleft()
        waits = []
        for window, limit in ((MINUTE, self.limits.writes_per_minute), (HOUR, self.limits.writes_per_hour)):
            inside = [t for t in writes if t > now - window]
            if len(inside) >= limit:  # the one whose leaving brings the count below the limit
                waits.append(inside[len(inside) - limit] + window - now if limit > 0 else window)
        return max(1, math.ceil(max(waits))) if waits else None

    def admit(self, credential: str, resource: str, method: str, free: bool) -> _Ticket:
        """Count a request against its budgets, or refuse it; the refusal says why, as GitHub words it."""
        with self._lock:
            now = self.clock.now()
            budget = self._budget(credential, resource, start=not free)
            if free:
                return _Ticket(credential, resource, 0, now)
            if budget.used >= self._limit(credential, resource):
                who = "installation ID 1" if credential else "127.0.0.1"
                message = f"API rate limit exceeded for {who}."
                if resource == "graphql":  # GitHub's GraphQL API answers a spent budget with 200 and an error
                    refusal = 200, {"errors": [{"type": "RATE_LIMITED", "message": message}]}, {}
                else:
                    refusal = self.limits.primary_status, {"message": message, "documentation_url": RATE_DOCS}, {}
                return _Ticket(credential, resource, 0, now, "primary", refusal)
            budget.used += 1
            ticket = _Ticket(credential, resource, 1, now)
            # A GraphQL query creates nothing, and without credentials GitHub answers 401 before anything is made.
            if method in WRITES and resource == "core" and credential:
                wait = self._secondary_wait(credential)
                if wait is not None:
                    message = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
                    body = {"message": message, "documentation_url": RATE_DOCS + "#about-secondary-rate-limits"}
                    ticket.limited = "secondary"
                    ticket.refusal = self.limits.secondary_status, body, {"retry-after": str(wait)}
                else:
                    self._writes[credential].append(now)
            return ticket

    def settle(self, ticket: _Ticket, method: str, path: str, status: int) -> dict[str, str]:
        """Log the answer (a 304 gives its cost back) and return the rate-limit headers it carries."""
        with self._lock:
            budget = self._budget(ticket.credential, ticket.resource, start=False)
            if status == 304 and ticket.cost:
                ticket.cost = 0
                budget.used = max(budget.used - 1, 0)
            self.log.append(Logged(method, path, status, ticket.cost, ticket.at, ticket.resource, ticket.limited))
            return self._rate_headers(ticket.credential, ticket.resource, budget)

    def _rate_headers(self, credential: str, resource: str, budget: _Budget) -> dict[str, str]:
        limit = self._limit(credential, resource)
        return {
            "x-ratelimit-limit": str(limit),
            "x-ratelimit-remaining": str(max(limit - budget.used, 0)),
            "x-ratelimit-used": str(budget.used),
            "x-ratelimit-reset": str(budget.reset or math.ceil(self.clock.now() + HOUR)),
            "x-ratelimit-resource": resource,
        }

    def rate_status(self, credential: str) -> dict:
        """``GET /rate_limit``'s body: the credential's budgets as they stand, without opening a window."""
        with self._lock:
            resources = {}
            for resource in ("core", "graphql"):
                headers = self._rate_headers(credential, resource, self._budget(credential, resource, start=False))
                resources[resource] = {
                    key: int(headers[f"x-ratelimit-{key}"]) for key in ("limit", "remaining", "used", "reset")
                } | {"resource": resource}
            return {"resources": resources, "rate": resources["core"]}

    def take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.path_contains and fault.path_contains not in path:
                    continue
                if fault.remaining is not None:
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self.faults.remove(fault)
                return fault
        return None


# ---------------------------------------------------------------- JSON shapes github3.py expects


def _user_id(login: str) -> int:
    return int(hashlib.sha1(login.lower().encode()).hexdigest()[:6], 16)


def _user(base: str, login: str) -> dict:
    url = f"{base}/users/{login}"
    return {
        "login": login,
        "id": _user_id(login),
        "type": "User",
        "url": url,
        "html_url": f"{base}/{login}",
        "avatar_url": f"{base}/avatars/{login}",
        "gravatar_id": "",
        **{
            f"{k}_url": f"{url}/{k}"
            for k in (
                "events",
                "followers",
                "following",
                "gists",
                "organizations",
                "received_events",
                "repos",
                "starred",
                "subscriptions",
            )
        },
        "site_admin": False,
    }


_REPO_URLS = [
    "archive",
    "assignees",
    "blobs",
    "branches",
    "collaborators",
    "comments",
    "commits",
    "compare",
    "contents",
    "contributors",
    "deployments",
    "downloads",
    "events",
    "forks",
    "git_commits",
    "git_refs",
    "git_tags",
    "hooks",
    "issue_comment",
    "issue_events",
    "issues",
    "keys",
    "labels",
    "languages",
    "merges",
    "milestones",
    "notifications",
    "pulls",
    "releases",
    "stargazers",
    "statuses",
    "subscribers",
    "subscription",
    "tags",
    "teams",
    "trees",
]


def _repo(base: str, repo: Repo) -> dict:
    url = f"{base}/repos/{repo.full_name}"
    data = {f"{k}_url": f"{url}/{k}" for k in _REPO_URLS}
    data.update(
        {
            "id": repo.id,
            "name": repo.name,
            "full_name": repo.full_name,
            "owner": _user(base, repo.owner),
            "private": False,
            "fork": False,
            "description": "",
            "url": url,
            "html_url": f"{base}/{repo.full_name}",
            "archived": False,
            "clone_url": f"{base}/{repo.full_name}.git",
            "git_url": f"{base}/{repo.full_name}.git",
            "ssh_url": f"git@standin:{repo.full_name}.git",
            "svn_url": f"{base}/{repo.full_name}",
            "mirror_url": None,
            "homepage": None,
            "language": "Python",
            "default_branch": repo.default_branch,
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
            "pushed_at": TIMESTAMP,
            "size": 1,
            **dict.fromkeys(
                ("forks_count", "network_count", "open_issues_count", "stargazers_count", "subscribers_count", "watchers_count"),
                0,
            ),
            **dict.fromkeys(("has_downloads", "has_issues", "has_pages", "has_projects", "has_wiki"), True),
        }
    )
    return data


def _label(base: str, repo: Repo, name: str) -> dict:
    return {
        "id": 1,
        "name": name,
        "color": "ededed",
        "description": None,
        "url": f"{base}/repos/{repo.full_name}/labels/{name}",
        "default": False,
    }


def _issue(base: str, repo: Repo, issue: dict) -> dict:
    url = f"{base}/repos/{repo.full_name}/issues/{issue['number']}"
    data = {
        "id": issue["number"] + 10_000,
        "number": issue["number"],
        "title": issue["title"],
        "body": issue["body"],
        "body_html": "",
        "body_text": issue["body"],
        "user": _user(base, issue["user"]),
        "state": issue["state"],
        "labels": [_label(base, repo, n) for n in issue["labels"]],
        "assignee": None,
        "assignees": [],
        "milestone": None,
        "locked": False,
        "comments": len(repo.comments_on(issue["number"])),
        "closed_at": None,
        "closed_by": None,
        "created_at": issue.get("created_at", TIMESTAMP),
        "updated_at": issue.get("updated_at", issue.get("created_at", TIMESTAMP)),
        "url": url,
        "html_url": f"{base}/{repo.full_name}/issues/{issue['number']}",
        "comments_url": f"{url}/comments",
        "events_url": f"{url}/events",
        "labels_url": f"{url}/labels{{/name}}",
    }
    if "pull" in issue:
        data["pull_request"] = {"url": f"{base}/repos/{repo.full_name}/pulls/{issue['number']}"}
    return data


def _pull(base: str, repo: Repo, issue: dict, state: State) -> dict:
    pull = issue["pull"]
    number = issue["number"]
    url = f"{base}/repos/{repo.full_name}/pulls/{number}"
    head_repo = Repo(pull["head_owner"], repo.name) if pull["head_owner"] != repo.owner else repo

    def end(owner: str, ref: str, sha: str, r: Repo | None) -> dict:
        return {
            "label": f"{owner}:{ref}",
            "ref": ref,
            "sha": sha,
            "user": _user(base, owner),
            "repo": _repo(base, r) if r is not None else None,
        }

    return {
        "id": number + 20_000,
        "number": number,
        "title": issue["title"],
        "body": issue["body"],
        "body_html": "",
        "body_text": issue["body"],
        "state": issue["state"],
        "user": _user(base, issue["user"]),
        "url": url,
        "html_url": f"{base}/{repo.full_name}/pull/{number}",
        "diff_url": f"{url}.diff",
        "patch_url": f"{url}.patch",
        "issue_url": f"{base}/repos/{repo.full_name}/issues/{number}",
        "comments_url": f"{base}/repos/{repo.full_name}/issues/{number}/comments",
        "commits_url": f"{url}/commits",
        "review_comments_url": f"{url}/comments",
        "review_comment_url": f"{base}/repos/{repo.full_name}/pulls/comments{{/number}}",
        "statuses_url": f"{base}/repos/{repo.full_name}/statuses/{pull['head_sha']}",
        "_links": {k: {"href": url} for k in ("self", "html", "issue", "comments", "review_comments", "commits", "statuses")},
        "head": end(pull["head_owner"], pull["head_ref"], pull["head_sha"], None if pull["head_repo_deleted"] else head_repo),
        "base": end(repo.owner, pull["base_ref"], pull["base_sha"], repo),
        "assignee": None,
        "assignees": [],
        "active_lock_reason": None,
        "locked": False,
        "closed_at": None,
        "merged_at": None,
        "merge_commit_sha": None,
        "created_at": issue.get("created_at", TIMESTAMP),
        "updated_at": issue.get("updated_at", issue.get("created_at", TIMESTAMP)),
        "additions": 1,
        "deletions": 0,
        "changed_files": len(pull["files"]),
        "author_association": "CONTRIBUTOR",
        "comments": len(repo.comments_on(number)),
        "commits": len(pull_commit_shas(repo, pull)),
        "draft": False,
        "mergeable": True,
        "mergeable_state": "clean",
        "merged": False,
        "merged_by": None,
        "requested_reviewers": [],
        "requested_teams": [],
        "review_comments": 0,
        "labels": [_label(base, repo, name) for name in issue["labels"]],
    }


def _comment(base: str, repo: Repo, comment: dict) -> dict:
    return {
        "id": comment["id"],
        "body": comment["body"],
        "body_html": "",
        "body_text": comment["body"],
        "user": _user(base, comment["user"]),
        "author_association": "NONE",
        "created_at": comment.get("created_at", TIMESTAMP),
        "updated_at": comment.get("updated_at", comment.get("created_at", TIMESTAMP)),
        "url": f"{base}/repos/{repo.full_name}/issues/comments/{comment['id']}",
        "html_url": f"{base}/{repo.full_name}/issues/{comment['issue']}#issuecomment-{comment['id']}",
        "issue_url": f"{base}/repos/{repo.full_name}/issues/{comment['issue']}",
    }


def _status(base: str, repo: Repo, sha: str, status: dict, state: State) -> dict:
    return {
        **status,
        "url": f"{base}/repos/{repo.full_name}/statuses/{sha}",
        "created_at": status.get("created_at", TIMESTAMP),
        "updated_at": status.get("created_at", TIMESTAMP),
        "creator": _user(base, state.login),
    }


def _team(base: str, team: Team) -> dict:
    url = f"{base}/teams/{team.id}"
    return {
        "id": team.id,
        "name": team.slug,
        "slug": team.slug,
        "permission": "push",
        "url": url,
        "members_url": f"{url}/members{{/member}}",
        "repositories_url": f"{url}/repos",
        "members_count": len(team.members),
        "repos_count": 1,
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
        "organization": {"login": team.org, "id": 1, "url": f"{base}/orgs/{team.org}"},
    }


def _ref(base: str, repo: Repo, ref: str, sha: str) -> dict:
    return {
        "ref": f"refs/{ref}",
        "url": f"{base}/repos/{repo.full_name}/git/refs/{ref}",
        "object": {"sha": sha, "type": "commit", "url": f"{base}/repos/{repo.full_name}/git/commits/{sha}"},
    }


def _contents(base: str, repo: Repo, path: str, raw: bytes, branch: str) -> dict:
    sha = hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()
    url = f"{base}/repos/{repo.full_name}/contents/{path}?ref={branch}"
    return {
        "type": "file",
        "encoding": "base64",
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "sha": sha,
        "size": len(raw),
        "content": base64.b64encode(raw).decode(),
        "url": url,
        "html_url": f"{base}/{repo.full_name}/blob/{branch}/{path}",
        "git_url": f"{base}/repos/{repo.full_name}/git/blobs/{sha}",
        "download_url": f"{base}/raw/{repo.full_name}/{branch}/{path}",
        "_links": {"self": url, "git": url, "html": url},
    }


def _git_commit(
    base: str,
    repo: Repo,
    sha: str,
    message: str,
    parents: list[str],
    verified: bool = False,
    author: dict | None = None,
    committer: dict | None = None,
) -> dict:
    person = {"name": "Stand-in", "email": "standin@example.org", "date": TIMESTAMP}
    url = f"{base}/repos/{repo.full_name}/git/commits/{sha}"
    signature = "-----BEGIN PGP SIGNATURE-----\nstand-in\n-----END PGP SIGNATURE-----" if verified else None
    return {
        "sha": sha,
        "url": url,
        "html_url": url,
        "message": message,
        "author": author or person,
        "committer": committer or person,
        "tree": {"sha": sha, "url": url},
        "parents": [{"sha": p, "url": url} for p in parents],
        "verification": {
            "verified": verified,
            "reason": "valid" if verified else "unsigned",
            "signature": signature,
            "payload": None,
        },
    }


def _repo_commit(base: str, repo: Repo, sha: str) -> dict:
    """One entry of ``pulls/N/commits``: the git commit, with the accounts and the verification GitHub adds."""
    facts = repo.commits.get(sha, Authorship(None, None, False))
    message, parents, author, committer = "stand-in", [], None, None
    if repo.git is not None:
        fields = _git(repo.git, "log", "-1", "--format=%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%P%x00%B", sha)
        a_name, a_email, a_date, c_name, c_email, c_date, parent_list, message = fields.split("\0", 7)
        author = {"name": a_name, "email": a_email, "date": a_date}
        committer = {"name": c_name, "email": c_email, "date": c_date}
        parents = parent_list.split()
    url = f"{base}/repos/{repo.full_name}/commits/{sha}"
    return {
        "sha": sha,
        "node_id": f"C_{sha[:16]}",
        "url": url,
        "html_url": f"{base}/{repo.full_name}/commit/{sha}",
        "comments_url": f"{url}/comments",
        "commit": {**_git_commit(base, repo, sha, message, parents, facts.verified, author, committer), "comment_count": 0},
        "author": _user(base, facts.author) if facts.author else None,
        "committer": _user(base, facts.committer) if facts.committer else None,
        "parents": [{"sha": p, "url": f"{base}/repos/{repo.full_name}/commits/{p}"} for p in parents],
    }


# ---------------------------------------------------------------- a real git repository underneath


def _git(root: Path, *args: str, data: bytes | None = None, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=root, input=data, env=env, capture_output=True, check=True)
    return result.stdout.decode().strip()


def git_changed_files(root: Path, base: str, head: str) -> list[tuple[str, ...]]:
    """The files GitHub lists for a PR from ``base`` to ``head``: the three-dot diff, in the API's words, with each head blob."""
    statuses = {"A": "added", "M": "modified", "D": "removed"}
    files: list[tuple[str, ...]] = []
    for line in _git(root, "diff", "--name-status", "-M", f"{base}...{head}").splitlines():
        status, *paths = line.split("\t")
        blob = "" if status.startswith("D") else _blob(root, head, paths[-1])
        if status.startswith("R"):
            files.append((paths[1], "renamed", paths[0], blob))
        else:
            files.append((paths[0], statuses[status[0]], "", blob))
    return files


def _blob(root: Path, commit: str, path: str) -> str:
    """The blob id GitHub lists for a file; empty for a name git printed quoted (not UTF-8)."""
    found = subprocess.run(["git", "rev-parse", f"{commit}:{path}"], cwd=root, capture_output=True, text=True, check=False)
    return found.stdout.strip() if found.returncode == 0 else ""


def pull_commit_shas(repo: Repo, pull: dict) -> list[str]:
    """A PR's commits, oldest first: ``pull["commits"]`` when a test set it, else git's (on head, not on base).

    Without git underneath, or for a head git does not have (a made-up sha), that is the head alone.
    """
    if "commits" in pull:
        return list(pull["commits"])
    base = repo.refs[f"heads/{pull['base_ref']}"]
    if repo.git is not None:
        listed = subprocess.run(
            ["git", "rev-list", "--reverse", "--topo-order", pull["head_sha"], f"^{base}"],
            cwd=repo.git,
            capture_output=True,
            text=True,
            check=False,
        )
        if listed.returncode == 0:
            return listed.stdout.split()
    return [pull["head_sha"]]


def _read_file(repo: Repo, ref: str, path: str) -> bytes | None:
    """A file on a branch (or at a commit): git's when there is git underneath, else what the contents API wrote."""
    if repo.git is None:
        return repo.contents.get((ref, path))
    commit = repo.refs.get(f"heads/{ref}", ref)
    result = subprocess.run(["git", "cat-file", "blob", f"{commit}:{path}"], cwd=repo.git, capture_output=True, check=False)
    return result.stdout if result.returncode == 0 else None


def _commit_file(root: Path, parent: str, path: str, raw: bytes, message: str, login: str) -> str:
    """A real commit that puts ``raw`` at ``path`` on top of ``parent``, made by ``login``; nothing is checked out."""
    email = f"{_user_id(login)}+{login}@users.noreply.github.com"
    with tempfile.TemporaryDirectory(prefix="standin-index-") as tmp:
        env = {
            **os.environ,
            "GIT_INDEX_FILE": str(Path(tmp) / "index"),
            "GIT_AUTHOR_NAME": login,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": login,
            "GIT_COMMITTER_EMAIL": email,
        }
        _git(root, "read-tree", parent, env=env)
        blob = _git(root, "hash-object", "-w", "--stdin", data=raw, env=env)
        _git(root, "update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=env)
        tree = _git(root, "write-tree", env=env)
        return _git(root, "commit-tree", tree, "-p", parent, data=message.encode(), env=env)


# ---------------------------------------------------------------- request handling

_ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    (method, re.compile(pattern), handler)
    for method, pattern, handler in [
        ("GET", r"/user", "get_user"),
        ("GET", r"/repos/([^/]+)/([^/]+)", "get_repo"),
        ("GET", r"/repos/([^/]+)/([^/]+)/pulls", "list_pulls"),
        ("POST", r"/repos/([^/]+)/([^/]+)/pulls", "create_pull"),
        ("GET", r"/repos/([^/]+)/([^/]+)/pulls/(\d+)", "get_pull"),
        ("GET", r"/repos/([^/]+)/([^/]+)/pulls/(\d+)/files", "pull_files"),
        ("GET", r"/repos/([^/]+)/([^/]+)/pulls/(\d+)/commits", "pull_commits"),
        ("GET", r"/repos/([^/]+)/([^/]+)/issues", "list_issues"),
        ("POST", r"/repos/([^/]+)/([^/]+)/issues", "create_issue"),
        ("GET", r"/repos/([^/]+)/([^/]+)/issues/(\d+)", "get_issue"),
        ("PATCH", r"/repos/([^/]+)/([^/]+)/issues/(\d+)", "edit_issue"),
        ("GET", r"/repos/([^/]+)/([^/]+)/issues/(\d+)/comments", "list_comments"),
        ("POST", r"/repos/([^/]+)/([^/]+)/issues/(\d+)/comments", "create_comment"),
        ("GET", r"/repos/([^/]+)/([^/]+)/issues/comments/(\d+)", "get_comment"),
        ("PATCH", r"/repos/([^/]+)/([^/]+)/issues/comments/(\d+)", "edit_comment"),
        ("DELETE", r"/repos/([^/]+)/([^/]+)/issues/comments/(\d+)", "delete_comment"),
        ("GET", r"/repos/([^/]+)/([^/]+)/issues/(\d+)/labels", "issue_labels"),
        ("POST", r"/repos/([^/]+)/([^/]+)/issues/(\d+)/labels", "add_labels"),
        ("PUT", r"/repos/([^/]+)/([^/]+)/issues/(\d+)/labels", "replace_labels"),
        ("DELETE", r"/repos/([^/]+)/([^/]+)/issues/(\d+)/labels/(.+)", "remove_label"),
        ("GET", r"/repos/([^/]+)/([^/]+)/labels", "repo_labels"),
        ("POST", r"/repos/([^/]+)/([^/]+)/labels", "create_label"),
        ("POST", r"/repos/([^/]+)/([^/]+)/statuses/([0-9a-f]{40})", "create_status"),
        ("GET", r"/repos/([^/]+)/([^/]+)/commits/([0-9a-f]{40})/statuses", "list_statuses"),
        ("GET", r"/repos/([^/]+)/([^/]+)/commits/([0-9a-f]{40})/pulls", "pulls_of_commit"),
        ("GET", r"/repos/([^/]+)/([^/]+)/git/refs?/(.+)", "get_ref"),
        ("POST", r"/repos/([^/]+)/([^/]+)/git/refs", "create_ref"),
        ("GET", r"/repos/([^/]+)/([^/]+)/branches/(.+)", "get_branch"),
        ("GET", r"/repos/([^/]+)/([^/]+)/contents/(.+)", "get_contents"),
        ("PUT", r"/repos/([^/]+)/([^/]+)/contents/(.+)", "put_contents"),
        ("GET", r"/repos/([^/]+)/([^/]+)/collaborators/([^/]+)/permission", "collaborator_permission"),
        ("GET", r"/repos/([^/]+)/([^/]+)/actions/runs", "list_runs"),
        ("GET", r"/orgs/([^/]+)/teams/([^/]+)", "get_team"),
        ("GET", r"/orgs/([^/]+)/teams/([^/]+)/memberships/([^/]+)", "org_team_membership"),
        ("GET", r"/teams/(\d+)/memberships/([^/]+)", "team_membership"),
    ]
]


class _Handler(BaseHTTPRequestHandler):
    owner: GitHubStandIn
    next_link: str | None = None
    ticket: _Ticket  # the rate limits' verdict on the request being answered
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: without this, ~40 ms a request (delayed ACK)

    def log_message(self, *args: object) -> None:  # keep test output clean
        return

    def _dispatch(self, method: str) -> None:
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        self.owner.requests.append((method, split.path))
        given = self.headers.get("Authorization") or ""
        authorized = self.owner.token is None or given == f"token {self.owner.token}"
        resource = "graphql" if split.path == GRAPHQL else "core"
        free = method == "GET" and split.path == API + RATE_LIMIT
        self.ticket = self.owner.admit(given if authorized else "", resource, method, free)
        if self.ticket.refusal is not None:
            return self._send(*self.ticket.refusal)
        if not authorized:
            return self._send(401, {"message": "Bad credentials"})
        if free:
            return self._send(200, self.owner.rate_status(given))
        fault = self.owner.take_fault(split.path)
        if fault is not None:
            return self._send(fault.status, fault.body, fault.headers)
        body = json.loads(raw) if raw else None
        if method == "POST" and split.path == GRAPHQL:
            self._send(200, self.graphql(body))
            self.owner.run_hooks(split.path)
            return None
        if not split.path.startswith(API):
            return self._send(404, {"message": "Not Found"})
        path = unquote(split.path[len(API) :]).rstrip("/") or "/"
        query = {k: v[-1] for k, v in parse_qs(split.query).items()}
        for route_method, pattern, name in _ROUTES:
            match = pattern.fullmatch(path)
            if match and route_method == method:
                self.next_link = None
                try:
                    status, payload = getattr(self, name)(*match.groups(), query=query, body=body)
                except (NotFound, KeyError):
                    status, payload = 404, {"message": "Not Found"}
                self._send(status, payload, {"Link": f'<{self.next_link}>; rel="next"'} if self.next_link else None)
                self.owner.run_hooks(split.path)
                return None
        return self._send(404, {"message": "Not Found"})

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _send(self, status: int, payload: object, headers: dict[str, str] | None = None) -> None:
        """Answer, with an ETag on a GET's 200 (304 when the client has it already) and the rate-limit headers.

        Headers the caller gives (a fault's) replace computed ones of the same name, whatever their case.
        """
        data = b"" if status == 204 else json.dumps(payload).encode()
        extra = {"Content-Type": "application/json; charset=utf-8"}
        if self.command == "GET" and status == 200:
            extra["ETag"] = f'W/"{hashlib.sha256(data).hexdigest()[:32]}"'
            if _matches(self.headers.get("If-None-Match"), extra["ETag"]):
                status, data = 304, b""
        split = urlsplit(self.path)
        extra |= self.owner.settle(self.ticket, self.command, split.path, status)
        given = {key.lower() for key in headers or {}}
        extra = {key: value for key, value in extra.items() if key.lower() not in given} | (headers or {})
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        for key, value in extra.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    # ------------------------------------------------------------ helpers

    @property
    def base(self) -> str:
        return f"http://{self.headers.get('Host')}{API}"

    def repo(self, owner: str, name: str) -> Repo:
        try:
            return self.owner.state.repo(owner, name)
        except KeyError:
            raise NotFound from None

    def issue(self, repo: Repo, number: str) -> dict:
        try:
            return repo.issues[int(number)]
        except KeyError:
            raise NotFound from None

    def page(self, items: list, query: dict) -> list:
        """One page of ``items``; like GitHub, a ``Link: <...>; rel="next"`` header points at the next one."""
        per_page = min(int(query.get("per_page", 30)), 100)
        number = int(query.get("page", 1))
        start = (number - 1) * per_page
        if start + per_page < len(items):
            split = urlsplit(self.path)
            others = "&".join(f"{k}={v}" for k, v in query.items() if k not in ("page", "per_page"))
            self.next_link = (
                f"{self.base}{split.path[len(API) :]}?{others + '&' if others else ''}per_page={per_page}&page={number + 1}"
            )
        return items[start : start + per_page]

    # ------------------------------------------------------------ routes

    def get_user(self, query: dict, body: object) -> tuple[int, object]:
        return 200, _user(self.base, self.owner.state.login)

    def get_repo(self, owner: str, name: str, query: dict, body: object) -> tuple[int, object]:
        return 200, _repo(self.base, self.repo(owner, name))

    def list_pulls(self, owner: str, name: str, query: dict, body: object) -> tuple[int, object]:
        repo = self.repo(owner, name)
        wanted = query.get("state", "open")
        pulls = [i for _, i in sorted(repo.issues.items(), reverse=True) if "pull" in i and wanted in ("all", i["state"])]
        return 200, [_pull(self.base, repo, i, self.owner.state) for i in self.page(pulls, query)]

    def create_pull(self, owner: str, name: str, query: dict, body: dict) -> tuple[int, object]:
        repo = self.repo(owner, name)
        head_ref = body["head"].split(":")[-1]
        sha = repo.refs.get(f"heads/{head_ref}")
        if sha is None:
            return 422, {"message": "Validation Failed", "errors": [{"field": "head", "code": "invalid"}]}
        issue = self.owner.add_pull(repo, repo.next_number(), sha, self.owner.state.login, head_ref)
        issue["title"], issue["body"] = body.get("title", ""), body.get("body") or ""
        issue["created_at"] = self.owner.clock.iso()
        pull = issue["pull"]
        pull["base_ref"] = body.get("base", repo.default_branch)
        if repo.git is not None:
            pull["base_sha"] = repo.refs[f"heads/{pull['base_ref']}"]
            pull["files"] = git_changed_files(repo.git, pull["base_sha"], sha)
        return 201, _pull(self.base, repo, issue, self.owner.state)

    def get_pull(self, owner: str, name: str, number: str, query: dict, body: object) -> tuple[int, object]:
        repo = self.repo(owner, name)
        issue = self.issue(repo, number)
        if "pull" not in issue:
            raise NotFound
        return 200, _pull(self.base, repo, issue, self.owner.state)

    def pulls_of_commit(self, owner: str, name: str, sha: str, query: dict, body: object) -> tuple[int, object]:
        """``GET /repos/{o}/{r}/commits/{sha}/pulls``: for a commit not on the default branch, the open PRs with it."""
        repo = self.repo(owner, name)
        found = [
            issue
            for issue in repo.issues.values()
            if issue.get("pull")
            and issue["state"] == "open"
            and sha in (issue["pull"]["head_sha"], *issue["pull"].get("history", ()))  # earlier heads stay in the PR
        ]
        return 200, self.page([_pull(self.base, repo, issue, self.owner.state) for issue in found], query)

    def pull_files(self, owner: str, name: str, number: str, query: dict, body: object) -> tuple[int, object]:
        repo = self.repo(owner, name)
        files = self.issue(repo, number)["pull"]["files"][:FILE_LIST_CAP]  # GitHub lists no more than 3,000
        url = f"{self.base}/repos/{repo.full_name}"
        listed = []
        for entry in self.page(files, query):
            filename, status = entry[0], entry[1]
            item = {
                "filename": filename,
                "status": status,
                "sha": entry[3] if len(entry) > 3 and entry[3] else "0" * 40,  # the blob at the head
                "additions": 1,
                "deletions": 0,
                "changes": 1,
                "blob_url": f"{url}/blob/{filename}",
                "raw_url": f"{url}/raw/{filename}",
                "contents_url": f"{url}/contents/{filename}",
                "patch": "",
            }
            if len(entry) > 2 and entry[2]:
                item["previous_filename"] = entry[2]
            listed.append(item)
        return 200, listed

    def pull_commits(self, owner: str, name: str, number: str, query: dict, body: object) -> tuple[int, object]:
        repo = self.repo(owner, name)
        issue = self.issue(repo, number)
        if "pull" not in issue:
            raise NotFound
        shas = pull_commit_shas(repo, issue["pull"])[:COMMIT_LIST_CAP]  # GitHub lists no more than 250
        return 200, [_repo_commit(self.base, repo, sha) for sha in self.page(shas, query)]

    def list_issues(self, owner: str, name: str, query: dict, body: object) -> tuple[int, object]:
        repo = self.repo(owner, name)
        issues = [i for _, i in sorted(repo.issues.items(), reverse=True) if query.get("state", "open") in ("all", i["state"])]
        return 200, [_issue(self.base, repo, i) for i in self.page(issues, query)]

    def create_issue(self, owner: str, name: str, query: dict, body: dict) -> tuple[int, object]:
        repo = self.repo(owner, name)
        number = repo.next_number()
        repo.issues[number] = {
            "number": number,
            "title": body["title"],
            "body": body.get("body") or "",
            "user": self.owner.state.login,
            "state": "open",
            "labels": list(body.get("labels") or []),
            "created_at": self.owner.clock.iso(),
        }
        return 201, _issue(self.base, repo, repo.issues[number])

    def get_issue(self, owner: str, name: str, number: str, query: dict, body: object) -> tuple[int, object]:
        repo = self.repo(owner, name)
        return 200, _issue(self.base, repo, self.issue(repo, number))

    def edit_issue(self, owner: str, name: str, number: str, query: dict, body: dict) -> tuple[int, object]:
        repo = self.repo(owner, name)
        issue = self.issue(repo, number)
        if "body" in body:
            self.owner.edit_issue_body(repo, int(number), body["body"], self.owner.state.login)
        for key in ("title", "state"):
            if key in body:
                issue[key] = body[key]
        if "labels" in body:
            issue["labels"] = list(body["labels"])
        issue["updated_at"] = self.owner.clock.iso()
        return 200, _issue(self.base, repo, issue)

    def list_comments(self, owner: str, name: str, number: str, query: dict, body: object) -> tuple[int, object]:
        repo = self.repo(owner, name)
        self.issue(repo, number)
        comments = sorted(repo.comments_on(int(number)), key=lambda c: c["id"])
        return 200, [_comment(self.base, repo, c) for c in self.page(comments, query)]

    @staticmethod
    def too_long(body: dict) -> tuple[int, object] | None:
        """GitHub's answer to a comment body over 65,536 characters."""
        if len(body.get("body") or "") <= COMMENT_LIMIT:
            return None
        error = {
            "resource": "IssueComment",
            "code": "unprocessable",
            "field": "data",
            "message": "Body is too long (maximum is 65536 characters)",
        }
        return 422, {"message": "Validation Failed", "errors": [error]}

    def create_comment(self, owner: str, name: str, number: str, query: dict, body: dict) -> tuple[int, object]:
        repo = self.repo(owner, name)
        self.issue(repo, number)
        if refused := self.too_long(body):
            return refused
        comment = {
            "id": next(_ids),
            "issue": int(number),
            "body": body["body"],
            "user": self.owner.state.login,
            "edits": 0,
            "created_at": self.owner.clock.iso(),
        }
        repo.comments[comment["id"]] = comment
        return 201, _comment(self.base, repo, comment)

    def get_comment(self, owner: str, name: str, comment_id: str, query: dict, body: object) -> tuple[int, object]:
        repo = self.repo(owner, name)
        return 200, _comment(self.base, repo, repo.comments[int(comment_id)])

    def edit_comment(self, owner: str, name: str, comment_id: str, query: dict, body: dict) -> tuple[int, object]:
        repo = self.repo(owner, name)
        comment = repo.comments[int(comment_id)]
        if refused := self.too_long(body):
            return refused
        comment["body"] = body["body"]
        comment["edits"] += 1
        comment["updated_at"] = self.owner.clock.iso()
        return 200, _comment(self.base, repo, comment)

    def delete_comment(self, owner: str, name: str, comment_id: str, query: dict, body: object) -> tuple[int, object]:
        del self.repo(owner, name).comments[int(comment_id)]
        return 204, None

    def _labels(self, repo: Repo, issue: dict) -> list[dict]:
        return [_label(self.base, repo, n) for n in issue["labels"]]

    def _known(self, repo: Repo, names: list[str]) -> None:
        for label in names:  # like GitHub, labels that do not exist yet are created on the fly
            repo.labels.setdefault(label, {"name": label})

    def issue_labels(self, owner: str, name: str, number: str, query: dict, body: object) -> tuple[int, object]:
        repo = self.repo(owner, name)
        return 200, self._labels(repo, self.issue(repo, number))

    @staticmethod
    def _names(body: object) -> list[str]:
        names = body.get("labels", []) if isinstance(body, dict) else body
        return [n if isinstance(n, str) else n["name"] for n in names or []]

    def add_labels(self, owner: str, name: str, number: str, query: dict, body: object) -> tuple[int, object]:
        repo = self.repo(owner, name)
        issue = self.issue(repo, number)
        names = self._names(body)
        self._known(repo, names)
        issue["labels"] += [n for n in names if n not in issue["labels"]]
        return 200, self._labels(repo, issue)

    def replace_labels(self, owner: str, name: str, number: str, query: dict, body: object) -> tuple[int, object]:
        repo = self.repo(owner, name)
        issue = self.issue(repo, number)
        names = self._names(body)
        self._known(repo, names)
        issue["labels"] = list(dict.fromkeys(names))
        return 200, self._labels(repo, issue)

    def remove_label(self, owner: str, name: str, number: str, label: str, query: dict, body: object) -> tuple[int, object]:
        repo = self.repo(owner, name)
        issue = self.issue(repo, number)
        if label not in issue["labels"]:
            raise NotFound
        issue["labels"].remove(label)
        return 200, self._labels(repo, issue)

    def repo_labels(self, owner: str, name: str, query: dict, body: object) -> tuple[int, object]:
        repo = self.repo(owner, name)
        return 200, [_label(self.base, repo, n) for n in self.page(sorted(repo.labels), query)]

    def create_label(self, owner: str, name: str, query: dict, body: dict) -> tuple[int, object]:
        repo = self.repo(owner, name)
        if body["name"] in repo.labels:
            return 422, {"message": "Validation Failed", "errors": [{"code": "already_exists"}]}
        repo.labels[body["name"]] = {"name": body["name"]}
        return 201, _label(self.base, repo, body["name"])

    def create_status(self, owner: str, name: str, sha: str, query: dict, body: dict) -> tuple[int, object]:
        repo = self.repo(owner, name)
        if body.get("state") not in ("error", "failure", "pending", "success"):
            return 422, {"message": "Validation Failed"}
        if len(body.get("description") or "") > 140:
            return 422, {"message": "description is too long (maximum is 140 characters)"}
        status = {
            "id": next(_ids),
            "state": body["state"],
            "context": body.get("context", "default"),
            "description": body.get("description"),
            "target_url": body.get("target_url"),
            "created_at": self.owner.clock.iso(),
        }
        repo.statuses.setdefault(sha, []).insert(0, status)
        return 201, _status(self.base, repo, sha, status, self.owner.state)

    def list_statuses(self, owner: str, name: str, sha: str, query: dict, body: object) -> tuple[int, object]:
        repo = self.repo(owner, name)
        return 200, [_status(self.base, repo, sha, s, self.owner.state) for s in self.page(repo.statuses.get(sha, []), query)]

    def get_ref(self, owner: str, name: str, ref: str, query: dict, body: object) -> tuple[int, object]:
        repo = self.repo(owner, name)
        return 200, _ref(self.base, repo, ref, repo.refs[ref])

    def create_ref(self, owner: str, name: str, query: dict, body: dict) -> tuple[int, object]:
        repo = self.repo(owner, name)
        ref = body["ref"].removeprefix("refs/")
        if ref in repo.refs:
            return 422, {"message": "Reference already exists"}
        repo.refs[ref] = body["sha"]
        if repo.git is not None:
            _git(repo.git, "update-ref", f"refs/{ref}", body["sha"])
        return 201, _ref(self.base, repo, ref, body["sha"])

    def get_branch(self, owner: str, name: str, branch: str, query: dict, body: object) -> tuple[int, object]:
        repo = self.repo(owner, name)
        sha = repo.refs[f"heads/{branch}"]
        url = f"{self.base}/repos/{repo.full_name}/branches/{branch}"
        commit = _git_commit(self.base, repo, sha, "stand-in", [])
        return 200, {
            "name": branch,
            "commit": {
                "sha": sha,
                "url": commit["url"],
                "html_url": commit["url"],
                "comments_url": commit["url"] + "/comments",
                "commit": {**commit, "comment_count": 0},
                "author": _user(self.base, self.owner.state.login),
                "committer": _user(self.base, self.owner.state.login),
                "parents": [],
                "files": [],
                "stats": {"additions": 0, "deletions": 0, "total": 0},
            },
            "_links": {"self": url, "html": url},
            "protected": False,
            "protection": {"enabled": False, "required_status_checks": {"enforcement_level": "off", "contexts": []}},
            "protection_url": url + "/protection",
        }

    def get_contents(self, owner: str, name: str, path: str, query: dict, body: object) -> tuple[int, object]:
        repo = self.repo(owner, name)
        branch = query.get("ref", repo.default_branch)
        raw = _read_file(repo, branch, path)
        if raw is None:
            raise NotFound
        return 200, _contents(self.base, repo, path, raw, branch)

    def put_contents(self, owner: str, name: str, path: str, query: dict, body: dict) -> tuple[int, object]:
        """Create or update a file on a branch in a new commit by the token's user, which GitHub signs (verified).

        With git underneath the commit is real; else its sha is made up. The branch and its PRs move to it.
        """
        repo = self.repo(owner, name)
        branch = body.get("branch", repo.default_branch)
        raw = base64.b64decode(body["content"])
        old = _read_file(repo, branch, path)
        if old is not None and body.get("sha") != _contents(self.base, repo, path, old, branch)["sha"]:
            return 409, {"message": "sha does not match"}
        repo.contents[(branch, path)] = raw
        parent = repo.refs.get(f"heads/{branch}", "0" * 40)
        login = self.owner.state.login
        message = body.get("message", "")
        if repo.git is not None:
            sha = _commit_file(repo.git, parent, path, raw, message, login)
        else:
            sha = hashlib.sha1(f"{parent}{path}{body['content']}".encode()).hexdigest()
        repo.commits[sha] = Authorship(login, login, verified=True)
        self.owner.move_branch(repo, branch, sha)
        return (200 if old is not None else 201), {
            "content": _contents(self.base, repo, path, raw, branch),
            "commit": _git_commit(self.base, repo, sha, message, [parent], verified=True),
        }

    def list_runs(self, owner: str, name: str, query: dict, body: object) -> tuple[int, object]:
        """``GET /repos/{o}/{r}/actions/runs``, filtered by ``head_sha`` and ``event`` as GitHub does."""
        repo = self.repo(owner, name)
        runs = [
            {"id": index + 1, **run}
            for index, run in enumerate(repo.runs)
            if all(run.get(key) == query[key] for key in ("head_sha", "event") if key in query)
        ]
        return 200, {"total_count": len(runs), "workflow_runs": self.page(runs, query)}

    def collaborator_permission(self, owner: str, name: str, user: str, query: dict, body: object) -> tuple[int, object]:
        repo = self.repo(owner, name)
        role = repo.roles.get(user.lower(), "read")
        return 200, {"permission": _LEGACY_PERMISSION[role], "role_name": role, "user": _user(self.base, user)}

    def _team_of(self, org: str, slug: str) -> Team:
        team = self.owner.state.teams.get((org.lower(), slug.lower()))
        if team is None or not team.visible:
            raise NotFound
        return team

    def get_team(self, org: str, slug: str, query: dict, body: object) -> tuple[int, object]:
        return 200, _team(self.base, self._team_of(org, slug))

    def _membership(self, team: Team, user: str) -> tuple[int, object]:
        if user.lower() not in team.members:
            raise NotFound
        url = f"{self.base}/teams/{team.id}/memberships/{user}"
        return 200, {"url": url, "role": "member", "state": "active"}

    def org_team_membership(self, org: str, slug: str, user: str, query: dict, body: object) -> tuple[int, object]:
        return self._membership(self._team_of(org, slug), user)

    def graphql(self, body: object) -> dict:
        """The one query GitHub's GraphQL API is asked here: an issue's author and the editors of its text."""
        query = body.get("query", "") if isinstance(body, dict) else ""
        variables = (body.get("variables") or {}) if isinstance(body, dict) else {}
        if _tokens(query) == _tokens(OPEN_PULLS_QUERY):
            return self.open_pulls(variables)
        if _tokens(query) != _tokens(ISSUE_EDITS_QUERY):
            return {"errors": [{"message": "the stand-in answers only the issue-edits and open-pulls queries"}]}
        owner, name, number = variables.get("owner", ""), variables.get("name", ""), variables.get("number")
        try:
            repo = self.owner.state.repo(owner, name)
        except KeyError:
            message = f"Could not resolve to a Repository with the name '{owner}/{name}'."
            return {"data": {"repository": None}, "errors": [{"type": "NOT_FOUND", "message": message}]}
        issue = repo.issues.get(number) if isinstance(number, int) else None
        if issue is None or "pull" in issue:
            message = f"Could not resolve to an Issue with the number of {number}."
            return {"data": {"repository": {"issue": None}}, "errors": [{"type": "NOT_FOUND", "message": message}]}
        edits = issue.get("edits", [])
        nodes = [{"editor": {"login": editor} if editor else None} for editor in edits[:100]]
        issue_data = {
            "author": {"login": issue["user"]},
            "userContentEdits": {"totalCount": len(edits), "nodes": nodes},
        }
        return {"data": {"repository": {"issue": issue_data}}}

    def open_pulls(self, variables: dict) -> dict:
        """Open PRs, 100 per page after an opaque cursor, each with its head's status contexts (newest per context)."""
        repo = self.owner.state.repo(variables.get("owner", ""), variables.get("name", ""))
        pulls = sorted((i for i in repo.issues.values() if i.get("pull") and i["state"] == "open"), key=lambda i: i["number"])
        start = int(variables.get("cursor") or 0)
        page = pulls[start : start + 100]
        nodes = []
        for issue in page:
            pull = issue["pull"]
            contexts: dict[str, dict] = {}
            for status in repo.statuses.get(pull["head_sha"], []):  # newest first
                contexts.setdefault(status["context"], status)
            owner = pull["head_owner"]
            nodes.append(
                {
                    "number": issue["number"],
                    "headRefOid": pull["head_sha"],
                    "baseRefName": pull["base_ref"],
                    "headRepository": None if pull["head_repo_deleted"] else {"nameWithOwner": f"{owner}/{repo.name}"},
                    "commits": {
                        "nodes": [
                            {
                                "commit": {
                                    "status": {
                                        "contexts": [
                                            {"context": c, "state": st["state"].upper(), "description": st["description"]}
                                            for c, st in contexts.items()
                                        ]
                                    }
                                    if contexts
                                    else None
                                }
                            }
                        ]
                    },
                }
            )
        more = start + 100 < len(pulls)
        info = {"hasNextPage": more, "endCursor": str(start + 100) if more else None}
        return {"data": {"repository": {"pullRequests": {"pageInfo": info, "nodes": nodes}}}}

    def team_membership(self, team_id: str, user: str, query: dict, body: object) -> tuple[int, object]:
        team = next((t for t in self.owner.state.teams.values() if t.id == int(team_id)), None)
        if team is None or not team.visible:
            raise NotFound
        return self._membership(team, user)
