"""Finding the repository a command works on, and the usage error every command raises."""

from __future__ import annotations

import argparse
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
