"""What every engine adapter shares: validating first, then building the context and the pages."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from kansrijk.checks.reporters import render_text
from kansrijk.checks.validate import validate
from kansrijk.records.kinds import RECORD_FOLDERS, SUPPORT_FOLDERS
from kansrijk.records.model import Repository
from kansrijk.site.engine.pages import Page, SiteContext, generate_pages

# Folders whose changes must rebuild the site (watched by ``mkdocs serve``).
WATCHED_DIRS = (*RECORD_FOLDERS, *SUPPORT_FOLDERS)
# Every path of the repository a site build reads (a copy of these builds the same site).
SITE_INPUTS = ("docs", *WATCHED_DIRS, "mkdocs.yml")
TODAY_VARIABLE = "KANSRIJK_TODAY"  # fixes "today" for reproducible builds and tests


class InvalidRepository(Exception):
    """The records have validation errors; the message is the Dutch report. Nothing is published."""


def site_today() -> datetime.date:
    fixed = os.environ.get(TODAY_VARIABLE)
    return datetime.date.fromisoformat(fixed) if fixed else datetime.date.today()


def build_context(root: Path, today: datetime.date | None = None, site_url: str = "") -> SiteContext:
    """Validate the whole repository and return the context; raise ``InvalidRepository`` on errors."""
    repo = Repository(root)
    report = validate(repo)
    if report.errors:
        text = render_text(report.errors, report.files_checked)
        raise InvalidRepository(f"De records bevatten fouten; de site wordt niet gebouwd.\n{text}")
    base = site_url if not site_url or site_url.endswith("/") else site_url + "/"
    return SiteContext(repo=repo, today=today or site_today(), site_url=base)


def build_pages(root: Path, today: datetime.date | None = None, site_url: str = "") -> list[Page]:
    """``site_url`` is only used where a URL must be absolute (the feed, calendar files); links stay relative."""
    return generate_pages(build_context(root, today, site_url))
