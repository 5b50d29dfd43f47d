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
    return find_root(Path(args.root).resolve() if getattr(args, "root", None) else Path.cwd())
