"""The municipality index (``gemeenten/``): every municipality in the register with its coalition(s)."""

from __future__ import annotations

from collections.abc import Iterable

from .coalitions import coalition_path
from .html import esc, example_badge, href, html_page
from .pages import GENERATORS, Page, SiteContext

MUNICIPALITIES = "gemeenten/index.md"


def municipality_pages(ctx: SiteContext) -> Iterable[Page]:
    register = sorted(ctx.repo.vocab.municipalities.values(), key=lambda m: m.naam.casefold())
    rows = []
    with_coalition = 0
    for municipality in register:
        coalitions = ctx.coalitions_by_municipality.get(municipality.code, [])
        if coalitions:
            with_coalition += 1
            cell = ", ".join(
                f'<a href="{href(MUNICIPALITIES, coalition_path(c.key))}">{esc(c.name)}</a>{example_badge(c.is_example)}'
                for c in coalitions
            )
        else:
            cell = '<span class="ks-meta">nog geen coalitie</span>'
        rows.append(
            f'<tr id="{esc(municipality.code.lower())}"><th scope="row">{esc(municipality.naam)}</th>'
            f"<td>{esc(municipality.code)}</td><td>{esc(municipality.provincie)}</td><td>{cell}</td></tr>"
        )
    body = f"""<p>Alle {len(register)} gemeenten uit het CBS-register, met de coalitie(s) waar zij aan meedoen.
{with_coalition} gemeenten hebben een coalitie in deze kennisbank. Zoek uw gemeente met Ctrl+F of in de tabel.</p>
<table class="ks-tabel">
<caption class="ks-sr">Gemeenten en hun coalities</caption>
<thead><tr><th scope="col">Gemeente</th><th scope="col">CBS-code</th><th scope="col">Provincie</th><th scope="col">Coalitie</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>"""
    yield Page(MUNICIPALITIES, html_page("Gemeenten", body))


GENERATORS.append(municipality_pages)
