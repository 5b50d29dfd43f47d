"""Site search with Pagefind: a chunked, Dutch-stemmed index built after the HTML.

Chosen over Material's built-in search by measurement (see ``docs/techniek/zoeken.md``):
Material downloads its whole index on the first search, Pagefind only the chunks a query needs.
Only the article is indexed (``data-pagefind-body`` in ``docs/overrides/main.html``): navigation, header and
footer would match every query.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


class SearchIndexError(Exception):
    """Pagefind failed; the message carries its output."""


def pagefind_command() -> list[str]:
    """The Pagefind binary itself, found the way ``python -m pagefind`` finds it (``PAGEFIND_BINARY_PATH``, the
    ``pagefind_bin`` wheels, ``PATH``), without starting a second Python first: that start-up cost 0.15 s a build."""
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None:
        raise SearchIndexError("Pagefind is niet gevonden: installeer het met `pip install 'pagefind[bin]'`.")
    return [str(binary)]


def run_pagefind(site_dir: Path) -> None:
    """Index ``site_dir`` into ``site_dir/pagefind`` with Dutch stemming."""
    command = [*pagefind_command(), "--site", str(site_dir), "--force-language", "nl", "--silent"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind kon de zoekindex niet bouwen:\n{result.stdout}{result.stderr}")
