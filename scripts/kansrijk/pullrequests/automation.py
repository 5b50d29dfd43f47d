"""Automation accounts: the few bots that may open a pull request on behalf of someone else.

``issue-to-pr`` opens pull requests as a bot (``github-actions[bot]``) for the
person who filed the issue form. ``check-pr`` and ``report-pr`` then judge the
permissions and the history actors for that person instead of the bot, but only
when the PR's author is declared here (and ``report-pr`` only when the PR is
exactly the bot's own work for that issue: :mod:`kansrijk.pullrequests.bot_pr`). The list lives in ``.github/kansrijk.yml``
rather than in code, because the account differs per installation (a GitHub App
is ``<app>[bot]``, GitHub Enterprise may use its own bot), and it lives under
``.github/`` so that CODEOWNERS gives it to maintainers only. Like CODEOWNERS it
is always read from a trusted commit (the base, or the default branch), never
from the PR: a PR cannot declare its own author an automation account.
"""

from __future__ import annotations

import re

import yaml

from kansrijk.github.names import LOGIN

SETTINGS_FILE = ".github/kansrijk.yml"
SETTINGS_KEY = "automatisering"
ISSUE_BRANCH = re.compile(r"issue-([1-9][0-9]{0,8})-")


class SettingsError(ValueError):
    """The settings file cannot be read as promised; nothing in it is trusted then."""


def automation_accounts(text: str | None, source: str = SETTINGS_FILE) -> frozenset[str]:
    """The declared automation logins (lower case); an absent file or key declares none."""
    if text is None:
        return frozenset()
    try:
        settings = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SettingsError(f"{source} is geen geldige YAML: {exc}") from None
    if settings is None:
        return frozenset()
    if not isinstance(settings, dict):
        raise SettingsError(f"{source} moet een lijst van sleutels zijn (zoals '{SETTINGS_KEY}:')")
    logins = settings.get(SETTINGS_KEY) or []
    if not isinstance(logins, list) or not all(isinstance(login, str) and LOGIN.fullmatch(login) for login in logins):
        raise SettingsError(f"{source}: '{SETTINGS_KEY}' moet een lijst van GitHub-namen zijn, zoals '- github-actions[bot]'")
    return frozenset(login.lower() for login in logins)


def issue_branch(number: int, *parts: str) -> str:
    """The branch issue-to-pr makes for an issue: ``issue-<N>-<kenmerk>``, at most 100 characters."""
    return "-".join((f"issue-{number}", *parts))[:100]


def issue_of_branch(branch: str) -> int | None:
    """The issue number in a branch name ``issue-<N>-<kenmerk>`` as issue-to-pr makes it, else None."""
    match = ISSUE_BRANCH.match(branch)
    return int(match[1]) if match else None
