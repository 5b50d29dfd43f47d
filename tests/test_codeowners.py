"""CODEOWNERS parsing and matching, after GitHub's documented rules."""

from __future__ import annotations

import pytest

from kansrijk.codeowners import CodeOwners, Owner, is_owner, parse_owner

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


def test_unsupported_syntax_is_reported_and_skipped() -> None:
    rules = CodeOwners.parse("* @a\n!secret @b\n[ab].txt @c\nx.txt @ok niet-geldig\n")
    assert [r.pattern for r in rules.rules] == ["*", "x.txt"]
    assert [p.line for p in rules.problems] == [2, 3, 4]
    assert handles(rules, "x.txt") == ["@ok"]
    assert handles(rules, "secret") == ["@a"]


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
