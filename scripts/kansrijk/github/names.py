"""The shapes of GitHub names, declared once: logins, teams, repositories, branches and commit hashes.

Every command that takes a name from outside (a flag, the API, a settings file)
checks it against these patterns before using it, so a name can never carry
Markdown, a path or a shell word. GitHub's own rules: a login is 1-39
characters of letters, digits and hyphens, starting with a letter or digit; a
GitHub App's account adds ``[bot]``; a team is ``org/slug``. CODEOWNERS writes users and
teams with a leading ``@``; :mod:`kansrijk.codeowners` matches these same patterns after it.

The login pattern also admits the double and trailing hyphens that accounts made before
GitHub's current sign-up rule still carry (``foo-``, ``0----0``; see
shinnn/github-username-regex issues 4 and 7), so no existing account is refused.
"""

from __future__ import annotations

import re

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})"

PERSON_LOGIN = re.compile(_NAME)
LOGIN = re.compile(rf"{_NAME}(?:\[bot\])?")
TEAM = re.compile(rf"(?P<org>{_NAME})/(?P<slug>[A-Za-z0-9][A-Za-z0-9_.-]{{0,99}})")
REPOSITORY = re.compile(rf"{_NAME}/[A-Za-z0-9._-]{{1,100}}")
BRANCH = re.compile(r"[A-Za-z0-9._/-]{1,100}")  # plus: no ".." (checked where a branch is taken)
COMMIT_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
