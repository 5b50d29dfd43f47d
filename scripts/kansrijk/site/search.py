"""Site search with Pagefind: a chunked, Dutch-stemmed index built after the HTML.

Chosen over Material's built-in search by measurement (see ``docs/techniek/zoeken.md``):
Material downloads its whole index on the first search, Pagefind only the chunks a query needs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Only the article is indexed: navigation, header and footer would match every query.
ROOT_SELECTOR = "[data-pagefind-body]"


class SearchIndexError(Exception):
    """Pagefind failed; the message carries its output."""


def run_pagefind(site_dir: Path) -> None:
    """Index ``site_dir`` into ``site_dir/pagefind`` with Dutch stemming."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--force-language", "nl", "--silent"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind kon de zoekindex niet bouwen:\n{result.stdout}{result.stderr}")
