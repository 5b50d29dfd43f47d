"""Coalition and municipality pages: labels from the code lists, the change link, the analysis counts, escaping."""

from __future__ import annotations

import datetime
import posixpath
import re
from pathlib import Path

import pytest

from kansrijk.records.model import Coalition, Intervention, Repository
from kansrijk.site.engine.build import build_pages
from kansrijk.site.engine.html import page_url
from support.site_support import REPO, TODAY, copy_repository

TODAY_DATE = datetime.date.fromisoformat(TODAY)
# Code list, code, original label, the label this test gives it.
RELABELLED = (
    ("coalitiefasen", "actief", "Actief", "Volop bezig"),
    ("planstatussen", "vastgesteld", "Vastgesteld", "Door de raad vastgesteld"),
    ("gebruiksstatussen", "in-uitvoering", "In uitvoering", "Loopt nu"),
    ("actielijnen", "na", "Na de geboorte", "Na de bevalling"),
)


@pytest.fixture(scope="module")
def shipped_pages() -> dict[str, str]:
    return {page.path: page.content for page in build_pages(REPO, TODAY_DATE)}


@pytest.fixture(scope="module")
def relabelled_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The shipped records with four labels changed in ``vocab/`` and nowhere else."""
    root = copy_repository(tmp_path_factory.mktemp("relabelled"))
    for codelist, code, old, new in RELABELLED:
        csv = root / "vocab" / f"{codelist}.csv"
        text = csv.read_text(encoding="utf-8")
        assert f"\n{code},{old}\n" in text
        csv.write_text(text.replace(f"\n{code},{old}\n", f"\n{code},{new}\n"), encoding="utf-8")
    return {page.path: page.content for page in build_pages(root, TODAY_DATE)}


def test_coalition_page_labels_come_from_the_code_lists(relabelled_pages: dict[str, str]) -> None:
    page = relabelled_pages["coalities/voorbeeld-apeldoorn.md"]
    assert '<span class="ks-badge">Volop bezig</span>' in page
    assert '<th scope="row">Fase</th><td>Volop bezig</td>' in page
    assert '<th scope="row">Plan van aanpak</th><td>Door de raad vastgesteld (1 september 2021) — <a href=' in page
    assert '<span class="ks-badge ks-badge--in-uitvoering">Loopt nu</span>' in page
    assert "<h3>Na de bevalling</h3>" in page and '<th scope="row">Na de bevalling</th>' in page
    assert "<h4>Na de bevalling</h4>" in page
    own = page.split('<h2 id="subsidies">')[0]  # the grant section is rounds.py's
    assert ">Actief<" not in own and ">In uitvoering<" not in own and "Na de geboorte" not in own


def test_overview_and_municipality_pages_take_the_same_labels(relabelled_pages: dict[str, str]) -> None:
    row = re.search(r'<tr><td><a href="voorbeeld-apeldoorn/">.*?</tr>', relabelled_pages["coalities/index.md"])
    assert row and "<td>Volop bezig</td><td>Door de raad vastgesteld</td>" in row.group(0)
    municipality = relabelled_pages["gemeenten/apeldoorn.md"]
    assert '<span class="ks-meta">Volop bezig</span>' in municipality


def test_change_link_opens_the_coalition_form_on_this_record(shipped_pages: dict[str, str]) -> None:
    for key in ("voorbeeld-apeldoorn", "voorbeeld-zeist"):
        path = f"coalities/{key}.md"
        link = re.search(
            r'<a class="md-button ks-wijzig" data-pagefind-ignore href="([^"?]+)\?wijzig=([^"]+)">Wijziging voorstellen</a>',
            shipped_pages[path],
        )
        assert link and link.group(2) == key
        target = posixpath.normpath(posixpath.join(page_url(path), link.group(1)))
        assert f"{target}.md" in shipped_pages, f"{path} links to {target}/, which is not generated"
        assert "formulier/bestaand/coalitie/" + key + ".json" in shipped_pages  # the record the form loads


def test_analysis_lists_the_first_suggestions_and_counts_the_rest(shipped_pages: dict[str, str]) -> None:
    """Known answer from the records: recognised, active interventions per line that Apeldoorn does not run."""
    repo = Repository(REPO)
    coalition = next(c for c in repo.valid(Coalition) if c.key == "voorbeeld-apeldoorn")
    running = {(line, e["interventie"]) for line, _i, e in coalition.interventions_in_use() if e.get("status") != "gestopt"}
    page = shipped_pages["coalities/voorbeeld-apeldoorn.md"].split('id="nog-niet-gebruikt"', 1)[1].split('id="subsidies"')[0]
    blocks = dict(re.findall(r"<h4>([^<]+)</h4>\s*(.*?)(?=<h4>|$)", page, re.DOTALL))
    labels = {"voor": "Voor de zwangerschap", "tijdens": "Tijdens de zwangerschap", "na": "Na de geboorte"}
    for line, label in labels.items():
        unused = [
            i.key
            for i in repo.valid(Intervention)
            if line in i.action_lines
            and not i.archived
            and i.recognition.get("niveau", "geen") != "geen"
            and (line, i.key) not in running
        ]
        listed = re.findall(r'<a href="\.\./\.\./interventies/([^/]+)/">', blocks.get(label, ""))
        assert set(listed) <= set(unused), line
        assert len(listed) == min(len(unused), 8), line
        more = re.search(r"En nog (\d+) andere", blocks.get(label, ""))
        assert (int(more.group(1)) if more else 0) == len(unused) - len(listed), line


def test_record_text_is_escaped_on_coalition_and_municipality_pages(tmp_path: Path) -> None:
    root = copy_repository(tmp_path)
    record = root / "coalitions" / "voorbeeld-apeldoorn" / "coalitie.yaml"
    text = record.read_text(encoding="utf-8")
    text = text.replace("naam: Voorbeeldcoalitie Kansrijke Start Apeldoorn", 'naam: "Apeldoorn <b>vet</b> & co"')
    text = text.replace("  - naam: Sociaal wijkteam (voorbeeld)", '  - naam: "Wijkteam <script>alert(1)</script>"')
    record.write_text(text, encoding="utf-8")
    pages = {page.path: page.content for page in build_pages(root, TODAY_DATE)}
    coalition = pages["coalities/voorbeeld-apeldoorn.md"]
    assert "<script>" not in coalition and "Wijkteam &lt;script&gt;alert(1)&lt;/script&gt;" in coalition
    for path in ("coalities/index.md", "gemeenten/apeldoorn.md", "gemeenten/index.md"):
        assert "Apeldoorn &lt;b&gt;vet&lt;/b&gt; &amp; co" in pages[path], path
        assert "<b>vet</b>" not in pages[path], path
