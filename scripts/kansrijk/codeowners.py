"""GitHub's CODEOWNERS file: parsing and matching, with GitHub's own rules.

Ownership decides who may change which record, so it must match what GitHub
itself enforces in reviews:

- one rule per line: a gitignore-like pattern followed by owners; ``#`` starts a
  comment (at the start of a line, or after whitespace); the LAST matching rule
  wins, and a rule without owners means "no owners" for its paths;
- owners are users (``@login``), teams (``@org/team``) or e-mail addresses;
  logins and team names compare case-insensitively;
- patterns: ``*`` and ``?`` never cross ``/``; ``**`` spans folders; a leading
  ``/`` or a ``/`` inside the pattern anchors it at the root, otherwise it
  matches at any depth; a trailing ``/`` matches folders only; a pattern that
  names a folder covers everything below it, except ``dir/*`` which covers only
  the files directly inside (as GitHub documents);
- what GitHub does not support (``!`` negation, ``[...]`` ranges, ``\\#``
  escapes) is reported and the line skipped, as GitHub skips it too.

GitHub reads the first of ``.github/CODEOWNERS``, ``CODEOWNERS`` and
``docs/CODEOWNERS``; :data:`LOCATIONS` keeps that order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
_LOGIN = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})"
_USER = re.compile(rf"@({_LOGIN})")
_TEAM = re.compile(rf"@({_LOGIN})/([A-Za-z0-9][A-Za-z0-9_.-]*)")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class Owner:
    """One owner as written in CODEOWNERS; ``kind`` is ``user``, ``team`` or ``email``."""

    kind: str
    name: str

    @property
    def handle(self) -> str:
        """How GitHub shows the owner: ``@login``, ``@org/team`` or the address."""
        return self.name if self.kind == "email" else f"@{self.name}"

    @property
    def key(self) -> str:
        """Comparison key: GitHub logins and team slugs are case-insensitive."""
        return self.name.lower()


def parse_owner(token: str) -> Owner | None:
    if match := _TEAM.fullmatch(token):
        return Owner("team", f"{match[1]}/{match[2]}")
    if match := _USER.fullmatch(token):
        return Owner("user", match[1])
    if _EMAIL.fullmatch(token):
        return Owner("email", token)
    return None


@dataclass(frozen=True)
class Rule:
    """One CODEOWNERS line: its pattern, its owners and where it stands."""

    pattern: str
    owners: tuple[Owner, ...]
    line: int
    regex: re.Pattern[str] = field(compare=False, repr=False)

    def matches(self, path: str) -> bool:
        return self.regex.fullmatch(path) is not None


@dataclass(frozen=True)
class SyntaxProblem:
    """A line GitHub would flag as invalid (and skip, or keep without the bad owner)."""

    line: int
    message: str


def pattern_regex(pattern: str) -> re.Pattern[str]:
    """Translate a CODEOWNERS pattern into a regular expression over repository-relative paths."""
    directory_only = pattern.endswith("/")
    body = pattern.strip("/") if directory_only else pattern.lstrip("/")
    anchored = pattern.startswith("/") or "/" in body
    segments = body.split("/")
    out: list[str] = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "**":
            # "**/" spans zero or more folders; a final "/**" everything below.
            out.append(".*" if last else "(?:[^/]+/)*")
            continue
        piece = "".join("[^/]*" if ch == "*" else "[^/]" if ch == "?" else re.escape(ch) for ch in segment)
        out.append(piece if last else piece + "/")
    regex = "".join(out)
    if not anchored:
        regex = "(?:[^/]+/)*" + regex
    if directory_only:
        regex += "/.+"
    elif segments[-1] == "*" and len(segments) > 1:
        pass  # "dir/*": only the files directly inside dir
    elif segments[-1] != "**":
        regex += "(?:/.+)?"
    return re.compile(regex)


def _unsupported(pattern: str) -> str | None:
    if pattern.startswith("!"):
        return "een uitroepteken (!) om een patroon om te keren werkt niet in CODEOWNERS"
    if "[" in pattern or "]" in pattern:
        return "tekenreeksen tussen [ ] werken niet in CODEOWNERS"
    if pattern.startswith("\\#"):
        return "een patroon dat met \\# begint werkt niet in CODEOWNERS"
    return None


@dataclass
class CodeOwners:
    """A parsed CODEOWNERS file; ``owners_of(path)`` applies GitHub's last-match-wins rule."""

    rules: list[Rule]
    problems: list[SyntaxProblem]
    source: str = ""

    @classmethod
    def parse(cls, text: str, source: str = "") -> CodeOwners:
        rules: list[Rule] = []
        problems: list[SyntaxProblem] = []
        for number, raw in enumerate(text.splitlines(), start=1):
            line = re.sub(r"(^|\s)#.*$", "", raw).strip()
            if not line:
                continue
            pattern, *tokens = line.split()
            reason = _unsupported(pattern)
            if reason:
                problems.append(SyntaxProblem(number, f"patroon {pattern!r} overgeslagen: {reason}"))
                continue
            owners: list[Owner] = []
            for token in tokens:
                owner = parse_owner(token)
                if owner is None:
                    problems.append(
                        SyntaxProblem(number, f"eigenaar {token!r} is geen @gebruiker, @organisatie/team of e-mailadres")
                    )
                else:
                    owners.append(owner)
            rules.append(Rule(pattern, tuple(owners), number, pattern_regex(pattern)))
        return cls(rules, problems, source)

    def rule_for(self, path: str) -> Rule | None:
        """The last rule matching ``path``; None when no rule matches."""
        for rule in reversed(self.rules):
            if rule.matches(path):
                return rule
        return None

    def owners_of(self, path: str) -> tuple[Owner, ...]:
        rule = self.rule_for(path)
        return rule.owners if rule else ()

    @cached_property
    def default_owners(self) -> tuple[Owner, ...]:
        """Owners of the last ``*`` rule: the maintainers of the whole repository."""
        for rule in reversed(self.rules):
            if rule.pattern in ("*", "/**", "**"):
                return rule.owners
        return ()


def is_owner(owners: tuple[Owner, ...] | list[Owner], login: str, teams: set[str] | None) -> bool | None:
    """Whether ``login`` is one of ``owners``: True, False, or None when it hangs on unknown team membership.

    ``teams`` are the author's teams as ``org/team`` in lower case, or None when unknown.
    """
    login_key = login.lower()
    undecided = False
    for owner in owners:
        if owner.kind == "user" and owner.key == login_key:
            return True
        if owner.kind == "team":
            if teams is None:
                undecided = True
            elif owner.key in teams:
                return True
    return None if undecided else False
