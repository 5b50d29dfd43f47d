"""CODEOWNERS parsing and matching, after GitHub's documented rules."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kansrijk.pullrequests.codeowners import LOCATIONS, CodeOwners, Owner, is_owner, parse_owner, read_codeowners

SHARED = Path(os.environ.get("KANSRIJK_SHARED", Path(__file__).resolve().parents[3] / "shared"))

EXAMPLE = """\
# Kop: commentaar
*       @org/beheer
*.js    @js-owner   # commentaar na de eigenaren
/build/logs/ @doctocat
docs/*  docs@example.com
apps/   @octocat
/docs/  @doctocat
/scripts/ @doctocat @octocat
**/logs @logs-owner
/apps/github
/src/**/*.md @md-owner
/config/app?.yaml @config-owner
"""


@pytest.fixture(scope="module")
def owners() -> CodeOwners:
    return CodeOwners.parse(EXAMPLE, ".github/CODEOWNERS")


def handles(owners: CodeOwners, path: str) -> list[str]:
    return [o.handle for o in owners.owners_of(path)]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("README.md", ["@org/beheer"]),
        ("src/app.js", ["@js-owner"]),
        ("deep/er/app.js", ["@js-owner"]),
        ("build/logs/x.txt", ["@logs-owner"]),  # "**/logs" comes later and wins
        ("docs/getting-started.md", ["@doctocat"]),  # "/docs/" comes after "docs/*"
        ("apps/readme.md", ["@octocat"]),
        ("some/apps/readme.md", ["@octocat"]),  # "apps/" without leading slash: any depth
        ("apps/github/x.rb", []),  # a rule without owners: no owners
        ("scripts/run.sh", ["@doctocat", "@octocat"]),
        ("a/logs", ["@logs-owner"]),
        ("a/b/logs/c/d.txt", ["@logs-owner"]),
        ("src/x/y/z.md", ["@md-owner"]),
        ("src/top.md", ["@md-owner"]),  # "/**/" matches zero folders too
        ("config/app1.yaml", ["@config-owner"]),
        ("config/app10.yaml", ["@org/beheer"]),  # "?" is exactly one character
    ],
)
def test_last_matching_rule_wins(owners: CodeOwners, path: str, expected: list[str]) -> None:
    assert handles(owners, path) == expected


def test_dir_star_covers_only_direct_children() -> None:
    rules = CodeOwners.parse("* @all\ndocs/* @docs-team\n")
    assert handles(rules, "docs/a.md") == ["@docs-team"]
    assert handles(rules, "docs/build/b.md") == ["@all"]


def test_anchoring_and_trailing_slash() -> None:
    rules = CodeOwners.parse("/coalitions/zeist/ @zeist\nkaart @kaart\n")
    assert handles(rules, "coalitions/zeist/coalitie.yaml") == ["@zeist"]
    assert handles(rules, "x/coalitions/zeist/coalitie.yaml") == []
    assert handles(rules, "coalitions/zeist") == []  # a trailing slash matches folders only
    assert handles(rules, "a/kaart") == ["@kaart"]
    assert handles(rules, "a/kaart/b.txt") == ["@kaart"]  # a named folder covers what is inside
    assert handles(rules, "a/kaarten") == []


def test_stars_do_not_cross_folders() -> None:
    rules = CodeOwners.parse("/coalitions/*.yaml @x\n/coalitions/** @y\n/coalitions/*/aanvraag-*.yaml @z\n")
    assert handles(rules, "coalitions/a/aanvraag-r.yaml") == ["@z"]
    assert handles(rules, "coalitions/a/coalitie.yaml") == ["@y"]
    assert handles(CodeOwners.parse("/coalitions/*.yaml @x\n"), "coalitions/a/b.yaml") == []


def test_default_owners_are_the_maintainers(owners: CodeOwners) -> None:
    assert [o.handle for o in owners.default_owners] == ["@org/beheer"]
    assert CodeOwners.parse("/docs/ @a\n").default_owners == ()


def test_lines_github_skips_are_skipped_whole_with_a_reason() -> None:
    text = "* @a\n!secret @b\n[ab].txt @c\nx.txt @ok niet-geldig\n\\#notes.txt @d\nkapot\\\n"
    rules = CodeOwners.parse(text)
    assert [r.pattern for r in rules.rules] == ["*"]
    assert [(s.line, s.text) for s in rules.skipped] == [
        (2, "!secret @b"),
        (3, "[ab].txt @c"),
        (4, "x.txt @ok niet-geldig"),
        (5, "\\#notes.txt @d"),
        (6, "kapot\\"),
    ]
    reasons = [s.reason for s in rules.skipped]
    assert "uitroepteken" in reasons[0] and "[ ]" in reasons[1] and "'niet-geldig'" in reasons[2]
    assert "\\#" in reasons[3] and "backslash" in reasons[4]
    assert handles(rules, "x.txt") == ["@a"]  # the invalid owner drops the whole rule, as GitHub does
    assert handles(rules, "secret") == ["@a"]
    assert handles(rules, "#notes.txt") == ["@a"]
    assert rules.skipped[2].message.startswith("'x.txt @ok niet-geldig' wordt overgeslagen, net als GitHub doet")


@pytest.mark.parametrize(
    ("line", "pattern", "path", "matches"),
    [
        ("foo\\ bar/ @a", "foo\\ bar/", "foo bar/x.md", True),  # an escaped space stays in the pattern
        ("foo\\ bar/ @a", "foo\\ bar/", "foo/x.md", False),
        ("f\\*o @a", "f\\*o", "f*o", True),  # an escaped star is a star
        ("f\\*o @a", "f\\*o", "foo", False),
        ("f\\?o @a", "f\\?o", "f?o", True),
        ("f\\?o @a", "f\\?o", "fxo", False),
        ("nota\\#1.md @a", "nota\\#1.md", "nota#1.md", True),  # inside a pattern \\# is a plain '#'
        ("met\\[haken\\].md @a", "met\\[haken\\].md", "met[haken].md", True),
        ("met\\[haken\\].md @a", "met\\[haken\\].md", "meth.md", False),
        ("notes#1.md @a", "notes#1.md", "notes#1.md", True),  # '#' inside a token starts no comment
    ],
)
def test_backslash_escapes(line: str, pattern: str, path: str, matches: bool) -> None:
    rules = CodeOwners.parse(line + "\n")
    assert rules.skipped == []
    assert [r.pattern for r in rules.rules] == [pattern]
    assert rules.rules[0].matches(path) is matches
    assert [o.handle for o in rules.rules[0].owners] == ["@a"]


def test_comments_start_at_a_line_or_after_white_space() -> None:
    rules = CodeOwners.parse("# kop\n  # ingesprongen\n*.md @a # uitleg #meer\n*.txt @b\t#tab\n")
    assert [(r.pattern, [o.handle for o in r.owners]) for r in rules.rules] == [("*.md", ["@a"]), ("*.txt", ["@b"])]
    assert rules.skipped == []


def test_disputed_readings_are_pinned() -> None:
    """The choices documented in the module docstring, where peers disagree and GitHub is silent."""
    assert not CodeOwners.parse("docs/* @a\n").rules[0].matches("a/docs/x.md")  # an inner '/' anchors
    assert not CodeOwners.parse("internal/README.md @a\n").rules[0].matches("docs/internal/README.md")
    root_star = CodeOwners.parse("/* @a\n").rules[0]
    assert root_star.matches("README.md") and not root_star.matches("docs/x.md")  # like docs/*
    globstar_dir = CodeOwners.parse("foo/**/ @a\n").rules[0]
    assert globstar_dir.matches("foo/bar/x") and not globstar_dir.matches("foo/bar")


CASES_FILE = SHARED / "conformance" / "codeowners-cases.json"


@pytest.mark.skipif(not CASES_FILE.is_file(), reason=f"the CODEOWNERS vectors are not at {CASES_FILE}")
def test_peer_and_github_vectors() -> None:
    """Every counted vector passes; disputed ones are run and must give the documented choice or the other."""
    cases = json.loads(CASES_FILE.read_text(encoding="utf-8"))
    failures: list[str] = []
    counted = 0
    for case in cases["pattern_cases"]:
        if case["status"] == "excluded":
            continue
        rules = CodeOwners.parse(case["pattern"] + " @o\n")
        got = bool(rules.rules) and rules.rules[0].matches(case["path"])
        if case["status"] == "counted":
            counted += 1
            if got != case["match"]:
                failures.append(f"pattern {case['pattern']!r} on {case['path']!r}: {got}")
    for case in cases["file_cases"]:
        if case["status"] != "counted":
            continue
        counted += 1
        owners = CodeOwners.parse(cases["codeowners_files"][case["codeowners"]]).owners_of(case["path"].lstrip("/"))
        got = [o.handle for o in owners]
        if (sorted(got) if case.get("any_order") else got) != (
            sorted(case["owners"]) if case.get("any_order") else case["owners"]
        ):
            failures.append(f"file {case['codeowners']} on {case['path']!r}: {got}")
    for case in cases["parse_cases"]:
        if case["status"] != "counted":
            continue
        counted += 1
        rules = CodeOwners.parse(case["line"] + "\n")
        if case["problem"]:
            right = not rules.rules and len(rules.skipped) == 1
        else:
            right = not rules.skipped and [(r.pattern, [o.handle for o in r.owners]) for r in rules.rules] == [
                (case["pattern"], case["owners"])
            ]
        if not right:
            failures.append(f"parse {case['line']!r}: {rules}")
    assert counted == 397
    assert failures == []


@pytest.mark.parametrize(
    ("token", "owner"),
    [
        ("@Octo-Cat", Owner("user", "Octo-Cat")),
        ("@org/team.name_2", Owner("team", "org/team.name_2")),
        ("docs@example.com", Owner("email", "docs@example.com")),
        ("@-bad", None),
        ("plain", None),
    ],
)
def test_owner_tokens(token: str, owner: Owner | None) -> None:
    assert parse_owner(token) == owner


def test_membership_is_case_insensitive_and_may_be_undecided() -> None:
    owners = (Owner("user", "Alice"), Owner("team", "Org/Beheer"), Owner("email", "a@example.org"))
    assert is_owner(owners, "alice", set()) is True
    assert is_owner(owners, "bob", {"org/beheer"}) is True
    assert is_owner(owners, "bob", set()) is False
    assert is_owner(owners, "bob", None) is None  # depends on team membership nobody knows yet
    assert is_owner((Owner("email", "bob@example.org"),), "bob", None) is False  # an address never matches a login


def test_read_codeowners_takes_the_first_location_github_reads() -> None:
    files = {"docs/CODEOWNERS": b"* @docs-eigenaar\n", "CODEOWNERS": b"* @wortel-eigenaar\n"}
    owners = read_codeowners(files.get)
    assert owners.source == "CODEOWNERS" and [o.handle for o in owners.default_owners] == ["@wortel-eigenaar"]
    files[".github/CODEOWNERS"] = b"* @github-eigenaar\n"
    assert read_codeowners(files.get).source == ".github/CODEOWNERS"
    assert [read_codeowners({location: b"* @a\n"}.get).source for location in LOCATIONS] == list(LOCATIONS)


def test_read_codeowners_without_a_file_or_with_bytes_that_are_no_utf8() -> None:
    empty = read_codeowners(lambda _location: None)
    assert empty.rules == [] and empty.source == LOCATIONS[0]
    broken = read_codeowners({".github/CODEOWNERS": b"* @a\n/x/ @b\xff\n"}.get)
    assert [r.pattern for r in broken.rules] == ["*"]
    assert [line.line for line in broken.skipped] == [2]  # the broken owner is a skipped line, not a crash
