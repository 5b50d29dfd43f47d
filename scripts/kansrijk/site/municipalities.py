"""The municipality index (``gemeenten/``) and a page per municipality, with a locator map and its coalitions.

Each map on the site links every shape to one of these pages. The page says which coalitions the municipality
takes part in and which ended municipalities went into it, so records with an old code still lead here.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Coalition
from .coalitions import PHASE_LABELS
from .html import esc, example_badge, href, html_page
from .maps import current_codes, geometry_page, locator
from .pages import GENERATORS, Page, SiteContext
from .templating import render
from .urls import MUNICIPALITIES_INDEX, coalition_page, municipality_page


def coalitions_by_current_code(ctx: SiteContext) -> dict[str, list[Coalition]]:
    """Current CBS code -> the coalitions that list it, or an ended municipality that went into it (each once).

    Computed once per build: asking every coalition for each of the 342 pages made this quadratic."""
    members: dict[str, list[Coalition]] = {}
    for coalition in ctx.coalitions.values():
        codes = {code for listed in coalition.municipalities for code in current_codes(ctx.repo.vocab, listed)}
        for code in codes:
            members.setdefault(code, []).append(coalition)
    return members


def build_municipality_page(ctx: SiteContext, code: str, merged: list[str], coalitions: list[Coalition]) -> Page:
    municipality = ctx.repo.vocab.municipalities[code]
    path = municipality_page(ctx.repo.vocab.municipalities[code].naam)
    body = render(
        "kaart_gemeente.html",
        path=path,
        index=MUNICIPALITIES_INDEX,
        municipality=municipality,
        locator=locator(ctx, path, code),
        coalitions=[(c, href(path, coalition_page(c.key)), PHASE_LABELS.get(c.data.get("fase", ""), "")) for c in coalitions],
        merged=merged,
    )
    return Page(path, html_page(municipality.naam, f'<div data-pagefind-filter="soort:gemeente">\n{body}\n</div>'))


def municipality_pages(ctx: SiteContext) -> Iterable[Page]:
    vocab = ctx.repo.vocab
    register = sorted(vocab.municipalities.values(), key=lambda m: m.naam.casefold())
    merged_into: dict[str, list[str]] = {}
    for ended in sorted(vocab.ended_municipalities.values(), key=lambda m: m.naam.casefold()):
        for successor in current_codes(vocab, ended.code):
            merged_into.setdefault(successor, []).append(ended.naam)
    members = coalitions_by_current_code(ctx)
    rows = []
    with_coalition = 0
    for municipality in register:
        coalitions = ctx.coalitions_by_municipality.get(municipality.code, [])
        if coalitions:
            with_coalition += 1
            cell = ", ".join(
                f'<a href="{href(MUNICIPALITIES_INDEX, coalition_page(c.key))}">{esc(c.name)}</a>{example_badge(c.is_example)}'
                for c in coalitions
            )
        else:
            cell = '<span class="ks-meta">nog geen coalitie</span>'
        rows.append(
            f'<tr id="{esc(municipality.code.lower())}"><th scope="row">'
            f'<a href="{href(MUNICIPALITIES_INDEX, municipality_page(ctx.repo.vocab.municipalities[municipality.code].naam))}">{esc(municipality.naam)}</a></th>'
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
    yield Page(MUNICIPALITIES_INDEX, html_page("Gemeenten", body))
    yield geometry_page(ctx)
    for municipality in register:
        yield build_municipality_page(
            ctx, municipality.code, merged_into.get(municipality.code, []), members.get(municipality.code, [])
        )


GENERATORS.append(municipality_pages)
