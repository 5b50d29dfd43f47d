"""Site search with Pagefind: a chunked, Dutch-stemmed index built after the HTML.

Chosen over Material's built-in search by measurement (see ``docs/techniek/zoeken.md``):
Material downloads its whole index on the first search, Pagefind only the chunks a query needs.
Only the article is indexed (``data-pagefind-body`` in ``docs/overrides/main.html``): navigation, header and
footer would match every query. Technical pages (schemas, techniek, open data) are left out there too: they
matched topic words such as "stress" and pushed the interventions down.

Professionals search with their own words ("tienermoeder", "jeugdgezondheidszorg", "depressie") where the
records say "jonge moeders", "JGZ" or "psychische problemen". ``vocab/zoekwoorden.csv`` keeps those synonyms
as data; each intervention page carries the words that apply to it as hidden, weighted text for Pagefind.
"""

from __future__ import annotations

import csv
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
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


# --- the search-word list ----------------------------------------------------------------------------

SEARCH_WORDS = "zoekwoorden.csv"
# Pagefind weighs h1 7, h2 6, h3 5, text 1. A synonym weighs 4.5, a synonym of a word in the page's name ("JGZ" in
# "Prenataal huisbezoek door de JGZ") 6.5, so that page comes first. Both are unique, so zoeken.js can tell a hit
# that only matched the hidden words (docs/zoeken.md, data-keyword-weights) and show the summary instead.
KEYWORD_WEIGHT = 4.5
NAME_KEYWORD_WEIGHT = 6.5
SUBJECT_FIELDS = {"doelgroep": "doelgroepen", "thema": "themas", "uitvoerder": "uitvoerders"}


@dataclass(frozen=True)
class SearchWords:
    """``vocab/zoekwoorden.csv``: subject (``kind:code`` or ``woord:text``) -> synonyms and lay terms."""

    by_subject: dict[str, tuple[str, ...]]

    def for_record(self, key: str, data: Mapping[str, object], text: str) -> tuple[list[str], list[str]]:
        """The words for one intervention, as (synonyms of words in its name, all other words): its own, those of its
        themes, target groups and professions, and those of every listed word in its text (whole word, case as
        written: "JGZ")."""
        name = str(data.get("naam", ""))
        in_name = [s for s in self.by_subject if s.startswith("woord:") and _says(name, s[6:])]
        subjects = [f"interventie:{key}"]
        for kind, field_name in SUBJECT_FIELDS.items():
            values = data.get(field_name) or []
            subjects += [f"{kind}:{value}" for value in values if isinstance(value, str)]
        subjects += [s for s in self.by_subject if s.startswith("woord:") and s not in in_name and _says(text, s[6:])]
        name_words = self._words(in_name, [])
        return name_words, self._words(subjects, name_words)

    def _words(self, subjects: list[str], already: list[str]) -> list[str]:
        words: list[str] = []
        for subject in subjects:
            words += [w for w in self.by_subject.get(subject, ()) if w not in words and w not in already]
        return words


def _says(text: str, word: str) -> bool:
    return re.search(rf"\b{re.escape(word)}", text) is not None


def search_words(vocab_dir: Path) -> SearchWords:
    """The list, read once per version of the file (``mkdocs serve`` rebuilds when it changes)."""
    path = vocab_dir / SEARCH_WORDS
    return _read_search_words(path, path.stat().st_mtime_ns)


@cache
def _read_search_words(path: Path, _version: int) -> SearchWords:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return SearchWords({row["onderwerp"]: tuple(w.strip() for w in row["zoekwoorden"].split(";") if w.strip()) for row in rows})


def keyword_groups(name_words: list[str], words: list[str]) -> list[tuple[float, list[str]]]:
    """The page's hidden search words with their Pagefind weight (``_macros.html`` ``search_keywords``); empty groups
    are left out."""
    return [(weight, group) for weight, group in ((NAME_KEYWORD_WEIGHT, name_words), (KEYWORD_WEIGHT, words)) if group]
