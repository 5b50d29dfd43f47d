"""The knowledge site: generated pages (safety, derived flags, links), the MkDocs build and the Zensical build."""

from __future__ import annotations

import datetime
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kansrijk.records.model import Activity, Coalition, Intervention, Repository
from kansrijk.site.engine.build import InvalidRepository, build_context, build_pages
from kansrijk.site.engine.html import asset_href, href, markdown_html, page_url
from kansrijk.site.parts.recognition import in_reassessment
from kansrijk.site.sections.interventions import facts_stale
from support.site_support import HOOK, REPO, TODAY, copy_repository, facets_in_use, mkdocs_build

FACETS = facets_in_use("interventie")

ABSOLUTE_LINK = re.compile(r'(?:href|src)="/(?!/)')
# Resources a browser would load from elsewhere (a canonical link or an ordinary <a> loads nothing).
THIRD_PARTY = re.compile(
    r'<(?:(?:script|img|iframe|audio|video|source)[^>]+src|link[^>]+rel="(?:stylesheet|icon|preload|modulepreload|prefetch|preconnect)"[^>]+href)="(?:https?:)?//',
    re.IGNORECASE,
)


def pages_by_path(root: Path, today: str = TODAY) -> dict[str, str]:
    return {page.path: page.content for page in build_pages(root, datetime.date.fromisoformat(today))}


@pytest.fixture(scope="module")
def shipped_pages() -> dict[str, str]:
    return pages_by_path(REPO)


def test_every_record_has_a_page_and_index_pages_exist(shipped_pages: dict[str, str]) -> None:
    repo = Repository(REPO)
    for intervention in repo.valid(Intervention):
        assert f"interventies/{intervention.key}.md" in shipped_pages
    for coalition in repo.valid(Coalition):
        assert f"coalities/{coalition.key}.md" in shipped_pages
    for activity in repo.valid(Activity):
        assert f"agenda/{activity.key}.md" in shipped_pages
        assert f"agenda/{activity.key}.ics" in shipped_pages
    for index in (
        "interventies/index.md",
        "coalities/index.md",
        "gemeenten/index.md",
        "agenda/index.md",
        "themas/index.md",
        "schemas/index.md",
    ):
        assert index in shipped_pages


def test_generated_links_are_relative_and_local(shipped_pages: dict[str, str]) -> None:
    for path, content in shipped_pages.items():
        assert not ABSOLUTE_LINK.search(content), path
        assert not THIRD_PARTY.search(content), path


def test_relative_links_between_pages() -> None:
    assert href("interventies/voorzorg.md", "coalities/voorbeeld-zeist.md") == "../../coalities/voorbeeld-zeist/"
    assert href("interventies/index.md", "interventies/voorzorg.md") == "voorzorg/"
    assert href("index.md", "gemeenten/index.md") == "gemeenten/"
    assert href("gemeenten/zeist.md", "gemeenten/zeist.md") == "./"
    assert href("impuls/r.md", "impuls/r-aanvragen.csv") == "../r-aanvragen.csv"
    assert asset_href("index.md", "assets/catalogus.js") == "assets/catalogus.js"
    assert asset_href("agenda/index.md", "agenda/x.ics") == "x.ics"


def test_links_match_posix_relpath_for_every_page_pair(shipped_pages: dict[str, str]) -> None:
    """The fast segment walk in ``href`` gives what ``posixpath.relpath`` gives, for the site's own paths."""
    paths = sorted(path for path in shipped_pages if path.endswith(".md"))
    sample = [*paths[:: max(1, len(paths) // 60)], "index.md", "impuls/r-aanvragen.csv"]
    for source in paths:
        source_dir = page_url(source).rstrip("/") or "."
        for target in sample:
            expected = posixpath.relpath(page_url(target) or ".", source_dir)
            suffix = "" if target.endswith(".csv") else "/"
            assert href(source, target) == ("./" if expected == "." else expected + suffix), (source, target)


def test_markdown_fields_cannot_inject_html() -> None:
    rendered = markdown_html(
        "<script>alert(1)</script>\n\n[klik](javascript:alert(1)) [ok](https://example.org) <img src=x onerror=alert(1)>"
    )
    assert "<script" not in rendered
    assert "<img" not in rendered
    assert 'href="javascript' not in rendered
    assert '<a href="https://example.org">ok</a>' in rendered


def test_record_text_is_escaped_on_every_page(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo")
    record = root / "interventions" / "voorzorg.yaml"
    text = record.read_text(encoding="utf-8")
    text = text.replace("naam: VoorZorg", "naam: VoorZorg <script>alert('naam')</script>")
    text = text.replace(
        "beschrijving: |\n", 'beschrijving: |\n  <iframe src="https://evil.example"></iframe> [x](javascript:alert(1))\n\n', 1
    )
    record.write_text(text, encoding="utf-8")
    pages = pages_by_path(root)
    combined = "\n".join(content for path, content in pages.items() if path.endswith(".md"))
    assert "<script>alert('naam')" not in combined
    assert "<iframe" not in combined
    assert "javascript:alert" not in re.sub(r"&[a-z]+;", "", "".join(re.findall(r'href="[^"]*"', combined)))
    assert "VoorZorg &lt;script&gt;" in pages["interventies/voorzorg.md"]


def test_recognition_older_than_five_years_is_in_reassessment() -> None:
    voorzorg = Repository(REPO).record("interventie", "voorzorg")
    assert voorzorg is not None and voorzorg.recognition["datum"] == "2021-09-30"
    assert not in_reassessment(voorzorg, datetime.date(2026, 9, 30))
    assert in_reassessment(voorzorg, datetime.date(2026, 10, 1))
    later = pages_by_path(REPO, "2026-10-01")["interventies/voorzorg.md"]
    earlier = pages_by_path(REPO, "2026-09-30")["interventies/voorzorg.md"]
    assert "In herbeoordeling" in later
    assert "In herbeoordeling" not in earlier


def test_facts_older_than_two_years_are_flagged() -> None:
    voorzorg = Repository(REPO).record("interventie", "voorzorg")
    assert voorzorg is not None
    checked = datetime.date.fromisoformat(voorzorg.data["gecontroleerd_op"])
    assert not facts_stale(voorzorg, checked.replace(year=checked.year + 2))
    assert facts_stale(voorzorg, checked.replace(year=checked.year + 2) + datetime.timedelta(days=1))


def test_intervention_page_shows_coalitions_sources_and_badge(shipped_pages: dict[str, str]) -> None:
    page = shipped_pages["interventies/voorzorg.md"]
    assert "Effectief volgens goede aanwijzingen" in page
    assert "Interventiedatabase Loket Gezond Leven" in page
    assert re.search(r"Gebruikt door \d+ coaliti", page)
    assert "../../coalities/voorbeeld-zeist/" in page
    assert "https://www.ncj.nl/voorzorg/ontwikkeling-onderzoek-voorzorg/" in page
    assert 'id="verwant"' in page


def test_example_records_are_marked(shipped_pages: dict[str, str]) -> None:
    assert "ks-badge--voorbeeld" in shipped_pages["coalities/voorbeeld-zeist.md"]
    assert "ks-voorbeeld-melding" in shipped_pages["coalities/voorbeeld-zeist.md"]
    catalogue_row = re.search(
        r'<a href="\.\./\.\./coalities/voorbeeld-zeist/">[^<]+</a>(<span[^>]+>)', shipped_pages["interventies/voorzorg.md"]
    )
    assert catalogue_row and "voorbeeld" in catalogue_row.group(1)


def test_coalition_analysis_lists_unused_recognised_interventions(shipped_pages: dict[str, str]) -> None:
    page = shipped_pages["coalities/voorbeeld-zeist.md"]
    assert 'id="analyse"' in page
    analysis = page.split('id="nog-niet-gebruikt"', 1)[1]
    assert "Stevig Ouderschap" in analysis  # recognised, same action lines, not used by the example coalition
    assert 'id="subsidies"' in page


def test_catalogue_counts_match_records(shipped_pages: dict[str, str]) -> None:
    repo = Repository(REPO)
    catalogue = shipped_pages["interventies/index.md"]
    assert catalogue.count('class="ks-resultaat"') == len(repo.valid(Intervention))
    during = sum(1 for i in repo.valid(Intervention) if "tijdens" in i.action_lines)
    assert re.search(rf'for="f-actielijn-tijdens">Tijdens de zwangerschap <span class="ks-aantal">\({during}\)', catalogue)
    # Databank layout: facets folded in one disclosure on phones, each result with its badge and action lines.
    assert catalogue.count('<fieldset class="ks-facet"') == len(FACETS) and 'details class="ks-filters"' in catalogue
    assert 'id="ks-wis"' in catalogue and "hide:" in catalogue
    voorzorg = re.search(r'<li class="ks-resultaat" data-id="voorzorg".*?</li></ul></div></li>', catalogue)
    assert voorzorg and "ks-badge--erkend" in voorzorg.group(0) and "<li>Tijdens de zwangerschap</li>" in voorzorg.group(0)


def test_municipality_index_lists_the_whole_register(shipped_pages: dict[str, str]) -> None:
    page = shipped_pages["gemeenten/index.md"]
    assert page.count('<tr id="gm') == 342
    zeist = re.search(r'<tr id="gm0355">.*?</tr>', page)
    assert zeist and "voorbeeld-zeist" in zeist.group(0)
    assert "nog geen coalitie" in page


def test_schema_reference_lists_every_field_with_labels(shipped_pages: dict[str, str]) -> None:
    repo = Repository(REPO)
    page = shipped_pages["schemas/interventie.md"]
    for name in repo.schemas["interventie"].properties:
        assert f"<code>{name}</code>" in page, name
    assert "<code>erkenning.niveau</code>" in page
    assert "<code>bronnen[].url</code>" in page
    assert "Effectief volgens goede aanwijzingen" in page  # label from vocab/erkenningsniveaus.csv
    assert "Jeugdverpleegkundige" in page  # label from vocab/beroepen.csv
    assert "schemas/interventie.schema.json" in shipped_pages


def test_agenda_lists_upcoming_first_and_archives_the_past(shipped_pages: dict[str, str]) -> None:
    agenda = shipped_pages["agenda/index.md"]
    upcoming, archive = agenda.split('id="archief"', 1)
    assert "voorbeeld-webinar-prenataal-huisbezoek" in upcoming  # 2027-01-19
    assert "voorbeeld-leerbijeenkomst-coalities" in archive  # 2026-09-15
    assert upcoming.index("voorbeeld-webinar-prenataal-huisbezoek") < upcoming.index("voorbeeld-netwerkdag-rookvrije-start")


def test_ics_file_is_valid_icalendar(shipped_pages: dict[str, str]) -> None:
    ics = shipped_pages["agenda/voorbeeld-webinar-prenataal-huisbezoek.ics"]
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;TZID=Europe/Amsterdam:20270119T153000\r\n" in ics
    assert "BEGIN:VTIMEZONE" in ics
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    all_day = shipped_pages["agenda/voorbeeld-netwerkdag-rookvrije-start.ics"]
    assert "DTSTART;VALUE=DATE:20270531" in all_day and "DTEND;VALUE=DATE:20270602" in all_day


def test_validation_errors_stop_the_context(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo")
    record = root / "interventions" / "voorzorg.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("status: actief", "status: misschien"), encoding="utf-8")
    with pytest.raises(InvalidRepository, match=r"interventions/voorzorg\.yaml:\d+:\d+: fout"):
        build_context(root)


@pytest.mark.xdist_group("site_build")
def test_mkdocs_build_publishes_records_without_nav_or_third_parties(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo")
    site = tmp_path / "site"
    result = mkdocs_build(root, site)
    assert result.returncode == 0, result.stderr
    assert (site / "interventies" / "voorzorg" / "index.html").is_file()
    assert (site / "coalities" / "voorbeeld-zeist" / "index.html").is_file()
    assert (site / "agenda" / "voorbeeld-netwerkdag-rookvrije-start.ics").is_file()
    assert (site / "nieuws" / "feed.xml").read_text(encoding="utf-8").count("<item>") >= 3
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert not (site / "search" / "search_index.json").exists()  # one search experience: Pagefind
    assert not list((REPO / "docs").glob("interventies/*.md")), "generated pages must never land in docs/"
    home = (site / "index.html").read_text(encoding="utf-8")
    nav = home.split('class="md-nav md-nav--primary', 1)[1].split('class="md-content"', 1)[0]
    assert "interventies/" in nav and "interventies/voorzorg/" not in nav
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html, page
        assert not THIRD_PARTY.search(html), page
        if page.name != "404.html":  # MkDocs roots the error page at site_url on purpose: it is served at any depth
            assert not ABSOLUTE_LINK.search(html), page
    voorzorg = (site / "interventies" / "voorzorg" / "index.html").read_text(encoding="utf-8")
    assert 'lang="nl"' in home and 'data-pagefind-filter="id:voorzorg"' in voorzorg


@pytest.mark.xdist_group("site_build")
def test_navigation_rendered_once_per_folder_matches_rendering_every_page(tmp_path: Path) -> None:
    """The hook renders the theme's navigation once per folder of record pages (``on_env``); a build whose hook
    module leaves that out must give every page byte for byte the same."""
    root = copy_repository(tmp_path / "repo")
    (root / "scripts" / "plain_hooks.py").write_text(
        "from kansrijk.site.engine.mkdocs_hooks import on_files, on_nav, on_page_content, on_page_markdown, on_post_build\n",
        encoding="utf-8",
    )
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert HOOK in config
    (root / "mkdocs.yml").write_text(config.replace(HOOK, "scripts/plain_hooks.py"), encoding="utf-8")
    plain = mkdocs_build(root, tmp_path / "plain")
    assert plain.returncode == 0, plain.stderr
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    cached = mkdocs_build(root, tmp_path / "cached")
    assert cached.returncode == 0, cached.stderr
    pages = sorted(path.relative_to(tmp_path / "plain") for path in (tmp_path / "plain").rglob("*.html"))
    assert len(pages) > 100 and Path("coalities/voorbeeld-zeist/index.html") in pages
    for page in pages:
        assert (tmp_path / "cached" / page).read_bytes() == (tmp_path / "plain" / page).read_bytes(), page


@pytest.mark.xdist_group("site_build")
def test_mkdocs_build_fails_with_dutch_report_on_invalid_records(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo")
    coalition = root / "coalitions" / "voorbeeld-zeist" / "coalitie.yaml"
    coalition.write_text(coalition.read_text(encoding="utf-8").replace("GM0355", "GM9999"), encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(root, site)
    assert result.returncode != 0
    assert "coalitions/voorbeeld-zeist/coalitie.yaml" in result.stderr + result.stdout
    assert "de site wordt niet gebouwd" in result.stderr + result.stdout
    assert not (site / "index.html").exists()


@pytest.mark.xdist_group("site_build")
def test_zensical_builds_the_rendered_site(tmp_path: Path) -> None:
    out = tmp_path / "render"
    rendered = subprocess.run(
        [sys.executable, "-m", "kansrijk.cli.main", "--root", str(REPO), "site", "render", "--out", str(out), "--today", TODAY],
        capture_output=True,
        text=True,
        check=False,
    )
    assert rendered.returncode == 0, rendered.stderr
    assert (out / "docs" / "interventies" / "voorzorg.md").is_file()
    assert "hooks:" not in (out / "mkdocs.yml").read_text(encoding="utf-8")
    zensical = shutil.which("zensical")
    assert zensical, "zensical is a test dependency"
    built = subprocess.run([zensical, "build"], cwd=out, capture_output=True, text=True, check=False, timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    page = out / "site" / "interventies" / "voorzorg" / "index.html"
    assert page.is_file()
    assert "Effectief volgens goede aanwijzingen" in page.read_text(encoding="utf-8")
    assert (out / "site" / "coalities" / "voorbeeld-zeist" / "index.html").is_file()
    assert (out / "site" / "agenda" / "voorbeeld-netwerkdag-rookvrije-start.ics").is_file()

    # The same pages at the same paths as MkDocs builds, the generated data files included.
    mkdocs_site = tmp_path / "mkdocs"
    assert mkdocs_build(copy_repository(tmp_path / "repo"), mkdocs_site).returncode == 0

    def published(site: Path) -> set[str]:
        return {
            path.relative_to(site).as_posix()
            for pattern in ("*.html", "*.json", "*.ics", "*.csv")
            for path in site.rglob(pattern)
            if not path.relative_to(site).as_posix().startswith(("assets/", "pagefind/", "search/"))
        } - {"search.json"}  # each engine's own search index (Zensical writes search.json)

    assert published(mkdocs_site) == published(out / "site")
    for path in ("schemas/soorten/index.html", "schemas/codelijsten/index.html", "formulier/interventie/index.html"):
        assert (out / "site" / path).is_file(), path
    assert (out / "site" / "zoeken" / "soorten.json").read_bytes() == (mkdocs_site / "zoeken" / "soorten.json").read_bytes()
    for site in (mkdocs_site, out / "site"):
        assert "?wijzig=voorzorg" in (site / "interventies" / "voorzorg" / "index.html").read_text(encoding="utf-8")


def test_render_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "iets.txt").write_text("x", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "kansrijk.cli.main", "--root", str(REPO), "site", "render", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "niet leeg" in result.stderr
