"""GitHub's CODEOWNERS file: parsing and matching, with GitHub's own rules.

Ownership decides who may change which record, so it must match what GitHub
itself enforces in reviews. GitHub's documentation ("About code owners") is the
authority; where it is silent, gitignore's rules apply, as it says CODEOWNERS
follows "most of the same rules used in gitignore files".

- one rule per line: a pattern followed by owners; ``#`` starts a comment at the
  start of a line or after white space; the LAST matching rule wins, and a rule
  without owners means "no owners" for its paths;
- owners are users (``@login``), teams (``@org/team``) or e-mail addresses;
  logins and team names compare case-insensitively;
- patterns: ``*`` and ``?`` never cross ``/``; ``**`` spans folders; a leading
  ``/`` or a ``/`` inside the pattern anchors it at the root, otherwise it
  matches at any depth; a trailing ``/`` matches folders only; a pattern that
  names a folder covers everything below it, except ``dir/*`` which covers only
  the files directly inside (as GitHub documents);
- a backslash makes the next character literal: ``\\ `` (a space inside the
  pattern), ``\\*``, ``\\?``, ``\\#``, ``\\[`` and ``\\]``;
- lines GitHub skips are skipped whole, each with a :class:`SkippedLine` naming
  the line and the reason: ``!`` negation and unescaped ``[`` ``]`` (GitHub:
  "both [ and ] must be escaped"), a pattern that starts with ``\\#`` (the docs:
  that escape "does not work"), and any owner that is no user, team or address
  ("If any line ... contains invalid syntax, that line will be skipped").

Choices where peer implementations disagree and GitHub's documentation is
silent (the "disputed" vectors of ``../shared/conformance/codeowners-cases.json``;
``tests/test_codeowners.py`` pins each choice):

- a ``/`` inside a pattern anchors it at the root (``docs/*`` does not match
  ``a/docs/x.md``, ``internal/README.md`` not ``docs/internal/README.md``), as
  gitignore and git check-ignore do; GitLab and some ports match at any depth;
- ``/*`` covers only the files at the root, the reading GitHub documents for
  ``docs/*`` (plain gitignore would also cover everything in root folders);
- ``foo/**/`` needs a folder below ``foo``: it does not match the file
  ``foo/bar`` (git's reading).

GitHub reads the first of ``.github/CODEOWNERS``, ``CODEOWNERS`` and
``docs/CODEOWNERS``; :data:`LOCATIONS` keeps that order, and :func:`read_codeowners`
is the one place that applies it. Callers only say how a file is fetched: ``stale``
from the working tree, ``check-pr`` from the base commit (never from the PR's head).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from kansrijk.github.names import PERSON_LOGIN, TEAM

LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
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
    """``@org/team``, ``@login`` or an e-mail address as an :class:`Owner`; None for anything else."""
    if token.startswith("@") and TEAM.fullmatch(token, 1):
        return Owner("team", token[1:])
    if token.startswith("@") and PERSON_LOGIN.fullmatch(token, 1):
        return Owner("user", token[1:])
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
class SkippedLine:
    """A line GitHub skips as invalid: where it stands, what it says, and why (in Dutch)."""

    line: int
    text: str
    reason: str

    @property
    def message(self) -> str:
        """One sentence for a contributor: what was skipped and why (the caller names file and line)."""
        return f"{self.text.strip()!r} wordt overgeslagen, net als GitHub doet: {self.reason}"


def split_line(raw: str) -> list[str]:
    """The tokens of one line as written (escapes kept), up to a comment.

    White space separates tokens unless escaped; ``#`` at the start of a token begins a comment.
    """
    tokens: list[str] = []
    current = ""
    index = 0
    while index < len(raw):
        char = raw[index]
        if char == "\\" and index + 1 < len(raw):
            current += raw[index : index + 2]
            index += 2
            continue
        if char in " \t":
            if current:
                tokens.append(current)
            current = ""
        elif char == "#" and not current:
            break
        else:
            current += char
        index += 1
    if current:
        tokens.append(current)
    return tokens


def _pieces(segment: str) -> list[tuple[str, bool]]:
    """The characters of a pattern segment, each with whether it was escaped."""
    out: list[tuple[str, bool]] = []
    index = 0
    while index < len(segment):
        if segment[index] == "\\" and index + 1 < len(segment):
            out.append((segment[index + 1], True))
            index += 2
        else:
            out.append((segment[index], False))
            index += 1
    return out


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
        piece = "".join(
            re.escape(ch) if escaped else "[^/]*" if ch == "*" else "[^/]" if ch == "?" else re.escape(ch)
            for ch, escaped in _pieces(segment)
        )
        out.append(piece if last else piece + "/")
    regex = "".join(out)
    if not anchored:
        regex = "(?:[^/]+/)*" + regex
    if directory_only:
        regex += "/.+"
    elif segments[-1] == "*" and (len(segments) > 1 or pattern.startswith("/")):
        pass  # "dir/*" (and "/*"): only the files directly inside dir
    elif segments[-1] != "**":
        regex += "(?:/.+)?"
    return re.compile(regex)


def _unsupported(pattern: str) -> str | None:
    if pattern.startswith("!"):
        return "een uitroepteken (!) om een patroon om te keren werkt niet in CODEOWNERS"
    if pattern.startswith("\\#"):
        return "een patroon dat met \\# begint werkt niet in CODEOWNERS (GitHub leest het niet als '#')"
    if any(ch in "[]" and not escaped for ch, escaped in _pieces(pattern)):
        return "tekenreeksen tussen [ ] werken niet in CODEOWNERS; schrijf \\[ en \\] voor de tekens zelf"
    if pattern.endswith("\\") and not pattern.endswith("\\\\"):
        return "een losse backslash aan het eind van het patroon betekent niets; haal hem weg"
    return None


@dataclass
class CodeOwners:
    """A parsed CODEOWNERS file; ``owners_of(path)`` applies GitHub's last-match-wins rule.

    ``skipped`` lists the lines GitHub would skip; check-pr and report-pr show each one as a warning.
    """

    rules: list[Rule]
    skipped: list[SkippedLine]
    source: str = ""

    @classmethod
    def parse(cls, text: str, source: str = "") -> CodeOwners:
        rules: list[Rule] = []
        skipped: list[SkippedLine] = []
        for number, raw in enumerate(text.splitlines(), start=1):
            tokens = split_line(raw)
            if not tokens:
                continue
            pattern, *owner_tokens = tokens
            reason = _unsupported(pattern)
            owners = [parse_owner(token) for token in owner_tokens]
            if reason is None and None in owners:
                bad = owner_tokens[owners.index(None)]
                reason = f"eigenaar {bad!r} is geen @gebruiker, @organisatie/team of e-mailadres"
            if reason:
                skipped.append(SkippedLine(number, raw, reason))
                continue
            rules.append(Rule(pattern, tuple(o for o in owners if o is not None), number, pattern_regex(pattern)))
        return cls(rules, skipped, source)

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


def read_codeowners(read: Callable[[str], bytes | None]) -> CodeOwners:
    """The CODEOWNERS file GitHub would use: the first of :data:`LOCATIONS` that ``read`` returns, parsed.

    ``read(location)`` gives a file's bytes, or None when it is not there. Bytes that are no UTF-8
    become U+FFFD instead of stopping the run (an owner holding one is skipped as invalid, a pattern
    holding one matches no path). With no file at all the result has no rules and names the first
    location, where one would go.
    """
    for location in LOCATIONS:
        raw = read(location)
        if raw is not None:
            return CodeOwners.parse(raw.decode("utf-8", "replace"), location)
    return CodeOwners([], [], LOCATIONS[0])


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
