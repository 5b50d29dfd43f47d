"""How the site shows a recognition (issue #12): every display case, rendered from real records.

The cases: a recorded end date ("erkend tot"), an end date derived from the recognition date, the
databank's own reassessment (with its source), the reassessment derived from the date (kept apart), a
level without a date (no databank name followed by an empty date) and no recognition at all. The pages
come from the real page generators on a copy of the repository, and once from a real ``mkdocs build``.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from kansrijk.checks.validate import validate
from kansrijk.records.model import Repository
from kansrijk.site.engine.build import build_pages
from support.site_support import copy_repository, mkdocs_build

DATABANK_PAGE = "https://www.nji.nl/interventies/home-start"
DATABANK_BADGE = "In herbeoordeling volgens de databank"
DERIVED_BADGE = "In herbeoordeling (berekend)"


def _edit(root: Path, key: str, old: str, new: str) -> None:
    path = root / "interventions" / f"{key}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (key, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def repo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped records, with one recorded end date and one databank reassessment added."""
    root = copy_repository(tmp_path_factory.mktemp("erkenning") / "repo")
    _edit(root, "stevig-ouderschap", "  datum: 2017-09-14\n", "  datum: 2017-09-14\n  geldig_tot: 2027-06-30\n")
    _edit(
        root,
        "home-start",
        "  datum: 2019-04-08\n",
        f"  datum: 2019-04-08\n  herbeoordeling:\n    vermeld_op: 2026-11-30\n    bron: {DATABANK_PAGE}\n",
    )
    return root


def _pages(root: Path, today: str) -> dict[str, str]:
    return {page.path: page.content for page in build_pages(root, datetime.date.fromisoformat(today))}


@pytest.fixture(scope="module")
def pages(repo_root: Path) -> dict[str, str]:
    return _pages(repo_root, "2026-12-01")


def _recognition_block(page: str) -> str:
    """The recognition paragraph and the notes under it, up to the description."""
    start = page.index('<p class="ks-erkenning">')
    return page[start : page.index('<h2 id="beschrijving">', start)]


def test_recorded_end_date_is_shown_as_is(pages: dict[str, str]) -> None:
    block = _recognition_block(pages["interventies/stevig-ouderschap.md"])
    assert "erkend op 14 september 2017; erkend tot 30 juni 2027</span>" in block
    assert "(berekend)" not in block  # the databank's end date wins over the five-year rule
    assert "In herbeoordeling" not in block


def test_end_date_derived_from_the_recognition_date_is_marked(repo_root: Path) -> None:
    before = _recognition_block(_pages(repo_root, "2026-09-30")["interventies/voorzorg.md"])
    after = _recognition_block(_pages(repo_root, "2026-10-01")["interventies/voorzorg.md"])
    assert "erkend op 30 september 2021; erkend tot 30 september 2026 (berekend)" in before
    assert "In herbeoordeling" not in before
    assert "in principe 5 jaar na de datum van erkenning" in re.sub(r"\s+", " ", before)
    assert DERIVED_BADGE in after
    assert DATABANK_BADGE not in after
    assert "staat niet in de bronnen van dit record" in re.sub(r"\s+", " ", after)


def test_databank_reassessment_is_shown_with_its_source(pages: dict[str, str]) -> None:
    block = _recognition_block(pages["interventies/home-start.md"])
    assert DATABANK_BADGE in block
    assert DERIVED_BADGE not in block  # the recognition is old too, but the databank's own word is shown instead
    assert f'<a href="{DATABANK_PAGE}"' in block
    assert "gezien op 30 november 2026" in block


def test_shipped_databank_reassessment_of_mim(pages: dict[str, str]) -> None:
    block = _recognition_block(pages["interventies/moeders-informeren-moeders.md"])
    assert DATABANK_BADGE in block
    assert '<a href="https://www.nji.nl/interventies/moeders-informeren-moeders-mim"' in block


def test_level_without_a_date_prints_no_empty_date(pages: dict[str, str]) -> None:
    block = _recognition_block(pages["interventies/nu-niet-zwanger.md"])
    assert '<span class="ks-erkenning-bron">Interventiedatabase Loket Gezond Leven (RIVM)</span>' in block
    assert "erkend op" not in block and "erkend tot" not in block
    assert "In herbeoordeling" not in block


def test_no_page_prints_a_databank_followed_by_an_empty_date(pages: dict[str, str]) -> None:
    for path, content in pages.items():
        for source in re.findall(r'<span class="ks-erkenning-bron">(.*?)</span>', content, re.DOTALL):
            assert source.strip() and not source.rstrip().endswith((",", ";")), (path, source)


def test_no_recognition_shows_only_its_badge(pages: dict[str, str]) -> None:
    block = _recognition_block(pages["interventies/centeringpregnancy.md"])
    assert '<span class="ks-badge ks-badge--geen">Geen erkenning</span>' in block
    assert "ks-erkenning-bron" not in block and "In herbeoordeling" not in block


def test_catalogue_keeps_the_two_kinds_apart(pages: dict[str, str]) -> None:
    catalogue = pages["interventies/index.md"]

    def item(key: str) -> str:
        return re.search(rf'<li class="ks-resultaat" data-id="{key}".*?</li>', catalogue, re.DOTALL).group(0)  # type: ignore[union-attr]

    assert DATABANK_BADGE in item("home-start") and DERIVED_BADGE not in item("home-start")
    assert DERIVED_BADGE in item("voorzorg") and DATABANK_BADGE not in item("voorzorg")
    assert "In herbeoordeling" not in item("stevig-ouderschap")
    assert "In herbeoordeling" not in item("nu-niet-zwanger")


def test_reassessment_without_its_source_is_refused_in_dutch(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo")
    _edit(root, "voorzorg", "  datum: 2021-09-30\n", "  datum: 2021-09-30\n  herbeoordeling:\n    vermeld_op: 2026-12-01\n")
    errors = validate(Repository(root)).errors
    assert len(errors) == 1
    problem = errors[0]
    assert problem.file.endswith("interventions/voorzorg.yaml")
    assert problem.field_path == ("erkenning", "herbeoordeling", "bron")
    assert "verplicht veld 'bron' ontbreekt" in problem.message
    assert problem.line > 1


@pytest.mark.xdist_group("site_build")
def test_real_mkdocs_build_shows_the_recognitions(repo_root: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = mkdocs_build(repo_root, site, today="2026-12-01")
    assert result.returncode == 0, result.stderr[-3000:]
    mim = (site / "interventies" / "moeders-informeren-moeders" / "index.html").read_text(encoding="utf-8")
    assert DATABANK_BADGE in mim and "bekijk de databank" in mim
    voorzorg = (site / "interventies" / "voorzorg" / "index.html").read_text(encoding="utf-8")
    assert "erkend tot 30 september 2026 (berekend)" in voorzorg and DERIVED_BADGE in voorzorg
    stevig = (site / "interventies" / "stevig-ouderschap" / "index.html").read_text(encoding="utf-8")
    assert "erkend tot 30 juni 2027</span>" in stevig
