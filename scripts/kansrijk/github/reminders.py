"""The reminder issues of ``kansrijk stale --open-issues``: one per owner group, found again by its marker.

``tools/stale.py`` decides what is stale and writes the text; this module is the part that talks to GitHub.
"""

from __future__ import annotations

import datetime as dt
import re

from kansrijk.tools.stale import MARKER, REMINDER_LABEL, OwnerGroup, reminder_body

# The marker of ``tools/stale.py`` with its key as the group to read back.
_MARKER = re.compile(re.escape(MARKER).replace(re.escape("{key}"), "(.*?)"))


def upsert_reminders(gh_repo, groups: list[OwnerGroup], cutoff: dt.date) -> list[tuple[str, int]]:
    """Open or update one reminder issue per group (github3.py repository); returns ``(action, number)`` pairs.

    An open issue with the group's marker is edited; otherwise a new one is opened. Groups with nothing
    stale any more get their open reminder closed with a short note.
    """
    existing: dict[str, object] = {}
    for issue in gh_repo.issues(state="open", labels=REMINDER_LABEL):
        match = _MARKER.search(issue.body or "")
        if match:
            existing.setdefault(match[1], issue)
    done: list[tuple[str, int]] = []
    for group in groups:
        body = reminder_body(group, cutoff)
        issue = existing.pop(group.key, None)
        if issue is None:
            created = gh_repo.create_issue(group.title, body=body, labels=[REMINDER_LABEL])
            done.append(("geopend", created.number))
        else:
            issue.edit(title=group.title, body=body)  # type: ignore[attr-defined]
            done.append(("bijgewerkt", issue.number))  # type: ignore[attr-defined]
    for issue in existing.values():
        issue.create_comment("Alle gegevens in deze herinnering zijn weer actueel. Dank je wel!")  # type: ignore[attr-defined]
        issue.close()  # type: ignore[attr-defined]
        done.append(("gesloten", issue.number))  # type: ignore[attr-defined]
    return done
