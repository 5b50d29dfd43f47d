"""The pre-commit hook patterns, generated from the kinds table (the way check-jsonschema generates its hooks).

The ``files:`` regex of the ``kansrijk-validate`` and ``kansrijk-fmt`` hooks in ``.pre-commit-hooks.yaml``
(for data repositories) and ``.pre-commit-config.yaml`` (this repository) must name every record folder.
Written by hand they drifted (``agenda/`` was missing); ``kansrijk schemas --write`` now rewrites them and
``kansrijk schemas`` (and the test suite) fails while they are stale. Only those ``files:`` lines change,
so comments and everything else in the files stay as written.
"""

from __future__ import annotations

import re
from pathlib import Path

from kansrijk.records.kinds import hook_files_pattern

HOOK_FILES = (".pre-commit-hooks.yaml", ".pre-commit-config.yaml")
# Hook id -> the file pattern it must have: validate reads .yaml and .yml, fmt only writes .yaml.
PATTERNS = {
    "kansrijk-validate": hook_files_pattern(r"\.ya?ml"),
    "kansrijk-fmt": hook_files_pattern(r"\.yaml"),
}
_HOOK_ID = re.compile(r"^\s*- id: (\S+)\s*$")
_FILES = re.compile(r"^(\s*)files: .*$")


def generated_text(text: str) -> str:
    """``text`` with the ``files:`` line of every kansrijk record hook set to its generated pattern."""
    lines = text.splitlines(keepends=True)
    hook = None
    for index, line in enumerate(lines):
        started = _HOOK_ID.match(line)
        if started:
            hook = started[1]
            continue
        match = _FILES.match(line)
        if match and hook in PATTERNS:
            lines[index] = f"{match[1]}files: {PATTERNS[hook]}\n"
    return "".join(lines)


def stale_hook_files(root: Path, *, write: bool) -> list[str]:
    """Hook files whose record patterns differ from the kinds table; rewrite them if ``write``."""
    stale = []
    for name in HOOK_FILES:
        path = root / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        wanted = generated_text(text)
        if wanted != text:
            stale.append(name)
            if write:
                path.write_text(wanted, encoding="utf-8")
    return stale
