"""Guards that tie the site to the kinds table: search labels and filters, change links, generated folders in MkDocs.

Each would fail, naming the kind or folder, when a new kind or section is added in one place but not the others.
"""

from __future__ import annotations

import datetime
import json
import posixpath

import pathspec
import pytest
import yaml

from kansrijk.records.kinds import KINDS
from kansrijk.records.model import Repository
from kansrijk.site.engine.build import build_pages
from kansrijk.site.engine.html import href
from kansrijk.site.engine.pages import load_generators
from kansrijk.site.engine.urls import SEARCH_KIND_LABELS, form_page, record_page, section_index
from support.site_support import REPO

TODAY = datetime.date(2026, 11, 23)
PAGE_KINDS = [name for name, kind in KINDS.items() if kind.site_section]


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return {page.path: page.content for page in build_pages(REPO, TODAY)}


def _record_pages(kind: str, pages: dict[str, str]) -> list[tuple[str, str]]:
    """``(key, page)`` of every valid record of the kind."""
    records = Repository(REPO).valid_records(kind)
    assert records, f"{kind}: the repository has no record to check its pages with"
    return [(record.key, pages[record_page(kind, record.key)]) for record in records]


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_kind_with_pages_has_a_search_label_and_its_pages_a_soort_filter(kind: str, pages: dict[str, str]) -> None:
    labels = json.loads(pages[SEARCH_KIND_LABELS])
    assert labels.get(kind) == KINDS[kind].title, f"{kind}: missing from the search page's kind labels"
    for key, page in _record_pages(kind, pages):
        assert f'data-pagefind-filter="soort:{kind}"' in page, f"{kind} {key}: its page gives Pagefind no soort filter"


def test_the_search_script_reads_its_kind_labels_from_the_build() -> None:
    script = (REPO / "docs" / "assets" / "zoeken.js").read_text(encoding="utf-8")
    assert not [kind.title for kind in KINDS.values() if f'"{kind.title}"' in script], "zoeken.js keeps kind labels"
    search_page = (REPO / "docs" / "zoeken.md").read_text(encoding="utf-8")
    relative = posixpath.relpath(SEARCH_KIND_LABELS, "zoeken")  # docs/zoeken.md is served at zoeken/
    assert f'data-kind-labels="{relative}"' in search_page


def _form_kinds() -> list[str]:
    load_generators()
    from kansrijk.site.sections.forms import FORM_KINDS

    return [kind for kind in FORM_KINDS if KINDS[kind].site_section]


@pytest.mark.parametrize("kind", _form_kinds())
def test_every_record_page_of_a_kind_with_a_form_links_to_its_form(kind: str, pages: dict[str, str]) -> None:
    for key, page in _record_pages(kind, pages):
        link = f'href="{href(record_page(kind, key), form_page(kind))}?wijzig={key}"'
        assert link in page, f"{kind} {key}: the record page has no change link to its form"
        assert f"data-pagefind-ignore {link}" in page, f"{kind} {key}: the change link's words would show in search excerpts"


def _not_in_nav_or_nav(config: dict) -> tuple[set[str], pathspec.PathSpec]:
    listed: set[str] = set()

    def visit(node: object) -> None:
        if isinstance(node, str):
            listed.add(node)
        elif isinstance(node, dict):
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(config.get("nav", []))
    return listed, pathspec.GitIgnoreSpec.from_lines(str(config.get("not_in_nav", "")).splitlines())


class _AnyTagLoader(yaml.SafeLoader):
    """mkdocs.yml's ``!!python/name:`` tags are for MkDocs; here they only need to load."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def test_every_generated_folder_is_in_the_nav_or_in_not_in_nav(pages: dict[str, str]) -> None:
    """MkDocs reports a page outside both only as INFO, even with ``--strict``; Zensical reads the same ``mkdocs.yml``."""
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    in_nav, not_in_nav = _not_in_nav_or_nav(config)
    stray = sorted(
        {
            posixpath.dirname(path) or "."
            for path in pages
            if path.endswith(".md") and path not in in_nav and not not_in_nav.match_file("/" + path)
        }
    )
    assert not stray, f"generated folders neither in the nav nor in not_in_nav of mkdocs.yml: {', '.join(stray)}"


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_the_index_of_every_kind_with_pages_is_in_the_nav(kind: str) -> None:
    """A section's records are listed in ``not_in_nav``; its index page (catalogue or overview) is what readers
    find in the navigation, so a new section without its nav line would be reachable only by search."""
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    in_nav, _not_in_nav = _not_in_nav_or_nav(config)
    assert section_index(kind) in in_nav, f"mkdocs.yml: add the section {section_index(kind)} to nav"
