"""Every record kind with pages and a ``themas`` field appears on the theme pages, without a hand-kept list.

The kinds are found here from the kinds table and the schemas, independently of ``sections/themes.py``; for each,
one shipped record with themes is copied into a small repository, the site's generators render it, and the
record must be linked from its theme's page under a heading anchored at its kind's site section.
"""

from __future__ import annotations

import datetime
import shutil

from kansrijk.records.kinds import KINDS
from kansrijk.records.model import Record, Repository
from kansrijk.site.engine.html import href
from kansrijk.site.engine.pages import SiteContext, generate_pages
from kansrijk.site.engine.urls import record_page, theme_page
from support.minirepo import REPO_ROOT, MiniRepo


def _kinds_with_themes(repo: Repository) -> list[str]:
    return [
        kind.name
        for kind in KINDS.values()
        if kind.site_section and "themas" in repo.schemas[kind.name].document.get("properties", {})
    ]


def _shipped_record_with_a_theme(shipped: Repository, kind: str) -> Record:
    found = next((record for record in shipped.valid_records(kind) if record.data.get("themas")), None)
    assert found is not None, f"no shipped {kind} record has themes: add one so this guard can check the kind"
    return found


def test_every_kind_with_themes_is_listed_on_its_theme_pages(mini_repo: MiniRepo) -> None:
    shipped = Repository(REPO_ROOT)
    kinds = _kinds_with_themes(shipped)
    assert kinds, "no kind with pages has a themas field: the guard checks nothing"
    chosen = {kind: _shipped_record_with_a_theme(shipped, kind) for kind in kinds}
    for record in chosen.values():
        target = mini_repo.root / record.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO_ROOT / record.path, target)
    ctx = SiteContext(repo=Repository(mini_repo.root), today=datetime.date(2026, 11, 23))
    pages = {page.path: page.content for page in generate_pages(ctx)}
    for kind, record in chosen.items():
        path = theme_page(record.data["themas"][0])
        page = pages[path]
        assert f'id="{KINDS[kind].site_section}"' in page, f"theme page {path} has no section for kind {kind}"
        link = f'href="{href(path, record_page(kind, record.key))}"'
        assert link in page, f"theme page {path} does not list the {kind} record {record.key}"
