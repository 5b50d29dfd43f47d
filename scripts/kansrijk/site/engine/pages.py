"""The engine-agnostic page framework: record data in, Markdown/HTML pages out.

Nothing here imports MkDocs. A generator is a function ``SiteContext -> Iterable[Page]``;
the MkDocs hook adds the pages as in-memory files and ``kansrijk site render`` writes
them to disk, so any engine that reads ``docs/`` can build the same site.

Features extend the site here without touching each other's modules: the grant pages
(``site/sections/rounds.py``) also fill the "Subsidies" section of coalition pages through
``COALITION_SECTIONS["subsidies"]``. A section never imports another section: what two of them share (the
per-build indexes, the form data) lives in ``site/parts/``. To add pages: write ``def my_pages(ctx: SiteContext) -> Iterable[Page]`` in your module, append it to
``GENERATORS`` at import time (``GENERATORS.append(my_pages)``); ``load_generators`` imports every module of
``site/sections/``, so nothing else needs an edit. Generated pages are never committed into ``docs/``.
"""

from __future__ import annotations

import datetime
import importlib
import pkgutil
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar, cast

from kansrijk.records.codelists import CodeList, load_codelists
from kansrijk.records.model import Activity, Coalition, Intervention, Repository, Training


@dataclass(frozen=True)
class Page:
    """One generated page. ``path`` is docs-relative, e.g. ``interventies/voorzorg.md``."""

    path: str
    content: str


IndexT = TypeVar("IndexT")


@dataclass
class SiteContext:
    """Everything a generator needs, with indexes computed once for the whole build (not per page)."""

    repo: Repository
    today: datetime.date
    site_url: str = ""  # absolute base URL ("" for relative only): the feed and calendar files need it
    _indexes: dict[object, object] = field(default_factory=dict, init=False, repr=False)

    def index(self, build: Callable[[SiteContext], IndexT]) -> IndexT:
        """The build's one instance of a page module's index class (``build(ctx)``), made on first use.

        A page module keeps its own typed index (``InterventionIndex``, ``GrantFacts``...) without this
        module importing it; the cache is keyed by the class, so the type checker knows what comes back.
        """
        found = self._indexes.get(build)
        if found is None:
            found = self._indexes[build] = build(self)
        return cast(IndexT, found)

    @cached_property
    def interventions(self) -> dict[str, Intervention]:
        return {record.key: record for record in self.repo.valid(Intervention)}

    @cached_property
    def coalitions(self) -> dict[str, Coalition]:
        return {record.key: record for record in self.repo.valid(Coalition)}

    @cached_property
    def coalitions_by_intervention(self) -> dict[str, list[Coalition]]:
        """Intervention key -> coalitions that list it (any action line, any status), each once, in key order."""
        users: dict[str, list[Coalition]] = defaultdict(list)
        for coalition in self.coalitions.values():
            seen: set[str] = set()
            for _line, _index, entry in coalition.interventions_in_use():
                key = entry.get("interventie")
                if key and key not in seen:
                    seen.add(key)
                    users[key].append(coalition)
        return users

    @cached_property
    def coalitions_by_municipality(self) -> dict[str, list[Coalition]]:
        """CBS code -> coalitions that include the municipality."""
        members: dict[str, list[Coalition]] = defaultdict(list)
        for coalition in self.coalitions.values():
            for code in coalition.municipalities:
                members[code].append(coalition)
        return members

    @cached_property
    def codelists(self) -> dict[str, CodeList]:
        """Every code list of ``vocab/`` (declared once in its ``datapackage.json``)."""
        return load_codelists(self.repo.vocab.vocab_dir)

    @cached_property
    def labels(self) -> dict[str, dict[str, str]]:
        """Code -> label for every code list."""
        return {name: codelist.labels for name, codelist in self.codelists.items()}

    @cached_property
    def activities(self) -> list[Activity]:
        """The agenda in date order (then key), computed once for the agenda pages."""
        return sorted(self.repo.valid(Activity), key=lambda activity: (activity.date, activity.key))

    @cached_property
    def trainings(self) -> list[Training]:
        """The trainings by name, for the training section."""
        return sorted(self.repo.valid(Training), key=lambda t: t.name.casefold())

    def label(self, code_list: str, code: str) -> str:
        return self.labels.get(code_list, {}).get(code, code)


Generator = Callable[[SiteContext], Iterable[Page]]
CoalitionSection = Callable[[SiteContext, Coalition], str]

# Page generators. Every module of ``site/sections/`` appends its own on import; ``load_generators`` imports them all.
GENERATORS: list[Generator] = []
SECTIONS_PACKAGE = "kansrijk.site.sections"

# Sections of each coalition page after the built-in ones: name -> function returning an HTML fragment
# (with its own <h2>) or "" to leave it out. ``site/sections/rounds.py`` fills "subsidies".
COALITION_SECTIONS: dict[str, CoalitionSection] = {}


def load_generators() -> list[Generator]:
    """Import every section module once (each registers its generators) and return the registry.

    The sections are found, not listed: a new module in ``site/sections/`` takes part without an edit here.
    """
    package = importlib.import_module(SECTIONS_PACKAGE)
    for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda found: found.name):
        importlib.import_module(f"{SECTIONS_PACKAGE}.{module.name}")
    return GENERATORS


def generate_pages(ctx: SiteContext) -> list[Page]:
    """Every generated page of the site; duplicate paths are a programming error."""
    pages: list[Page] = []
    seen: set[str] = set()
    for generator in load_generators():
        for page in generator(ctx):
            if page.path in seen:
                raise ValueError(f"two generators wrote {page.path}")
            seen.add(page.path)
            pages.append(page)
    return pages
