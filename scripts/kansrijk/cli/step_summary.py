"""The step summary of a GitHub Actions job: the whole report, but never more than GitHub keeps.

GitHub keeps at most 1 MiB of summary per step and drops a larger one entirely, so the
report is rendered with a limit that shrinks until its UTF-8 bytes fit.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

SUMMARY_BYTES = 1024 * 1024 - 24 * 1024  # GitHub's 1 MiB per step, with room for what other steps append


def bounded(render: Callable[[int | None], str], max_bytes: int = SUMMARY_BYTES) -> str:
    """``render(limit)`` with the largest character limit whose UTF-8 text stays within ``max_bytes``."""
    text = render(None)
    size = len(text.encode("utf-8"))
    limit = len(text)
    while size > max_bytes:
        limit = max(1000, int(limit * max_bytes / size * 0.95))
        text = render(limit)
        size = len(text.encode("utf-8"))
        if limit == 1000:
            break
    return text


def append_summary(path: str | None, text: str, command: str) -> None:
    """Append ``text`` to the summary file; a failure is said on stderr and never stops the command."""
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        print(f"kansrijk {command}: kan de samenvatting {path} niet schrijven: {exc.strerror}", file=sys.stderr)
