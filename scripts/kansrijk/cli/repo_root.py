"""Finding the repository a command works on, and the usage error every command raises."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path


class UsageError(Exception):
    """Wrong arguments or environment: the command exits with status 2."""


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds ``schemas/`` and ``vocab/``."""
    for candidate in (start, *start.parents):
        if (candidate / "schemas").is_dir() and (candidate / "vocab").is_dir():
            return candidate
    raise UsageError(f"geen Kansrijk-repository gevonden vanaf {start}; geef --root op")


def root_from_args(args: argparse.Namespace) -> Path:
    """``--root`` exactly as given, else the repository around the current directory."""
    given = getattr(args, "root", None)
    if not given:
        return find_root(Path.cwd())
    root = Path(given).resolve()
    if not ((root / "schemas").is_dir() and (root / "vocab").is_dir()):
        raise UsageError(f"{given} is geen Kansrijk-repository (schemas/ en vocab/ ontbreken)")
    return root


def parse_moment(value: str | None, option: str) -> dt.datetime | None:
    """A moment given as GitHub gives it (``2026-12-07T09:30:00Z``); a moment without a zone is refused, not guessed."""
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{option} {value!r} is geen tijdstip zoals 2026-12-07T09:30:00Z") from None
    if moment.tzinfo is None:
        raise UsageError(f"{option} {value!r} mist de tijdzone; geef het tijdstip zoals GitHub het geeft (…Z)")
    return moment
