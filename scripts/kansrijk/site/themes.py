"""Theme pages (``themas/``), as on the Pharos platform: interventions and activities grouped by theme."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import ACTION_LINE_LABELS, ACTION_LINES
from .agenda import activity_path, when
from .html import esc, example_badge, href, html_page
from .interventions import THEME_LABELS, intervention_path, recognition_badge
from .pages import GENERATORS, Page, SiteContext

THEMES_INDEX = "themas/index.md"
THEME_INTROS = {
    "preconceptiezorg": (
        "Gezond zwanger worden begint vóór de zwangerschap. Actielijn 1 van Kansrijke Start wil dat meer "
        "(aanstaande) ouders in een kwetsbare situatie goed voorbereid aan een zwangerschap beginnen, en dat er "
        "minder onbedoelde zwangerschappen zijn in kwetsbare gezinnen."
    ),
    "vroegsignalering": (
        "Tijdens de zwangerschap medische en sociale problemen eerder zien, zodat aanstaande ouders eerder de "
        "juiste hulp krijgen. Screeningsinstrumenten en het prenataal huisbezoek door de JGZ (een wettelijke taak "
        "sinds 1 juli 2022) horen bij dit thema."
    ),
    "rookvrije-start": (
        "Roken voor, tijdens en na de zwangerschap schaadt de gezondheid van het kind. Dit thema bundelt "
        "begeleiding bij stoppen met roken voor (aanstaande) ouders en het werk van de Taskforce Rookvrije Start."
    ),
    "opvoedondersteuning": (
        "Na de geboorte: ouders toerusten voor het ouderschap en de opvoeding, met steun thuis, in groepen of via "
        "ervaringsdeskundige vrijwilligers."
    ),
    "samenwerken-in-de-coalitie": (
        "Kansrijke Start werkt via lokale en regionale coalities: gemeente, JGZ, verloskunde, huisartsen, "
        "kraamzorg, sociaal domein en andere partners maken samen een plan van aanpak per actielijn."
    ),
}


def theme_path(theme: str) -> str:
    return f"themas/{theme}.md"


def theme_pages(ctx: SiteContext) -> Iterable[Page]:
    interventions = sorted(ctx.interventions.values(), key=lambda i: i.name.casefold())
    activities = sorted(ctx.repo.activities, key=lambda a: a.date, reverse=True)
    cards = []
    for theme, label in THEME_LABELS.items():
        path = theme_path(theme)
        members = [i for i in interventions if theme in i.get("themas", [])]
        sections = []
        for line in ACTION_LINES:
            in_line = [i for i in members if line in i.action_lines]
            if not in_line:
                continue
            items = "".join(
                f'<li><a href="{href(path, intervention_path(i.key))}">{esc(i.name)}</a>{example_badge(i.is_example)} '
                f"{recognition_badge(ctx, i)}</li>"
                for i in in_line
            )
            sections.append(f"<h3>{esc(ACTION_LINE_LABELS[line])}</h3><ul>{items}</ul>")
        events = [a for a in activities if theme in a.get("themas", [])]
        event_items = "".join(
            f'<li><a href="{href(path, activity_path(a.key))}">{esc(a.title)}</a>{example_badge(a.is_example)} '
            f'<span class="ks-meta">{esc(when(a))}</span></li>'
            for a in events
        )
        events_html = "<ul>" + event_items + "</ul>" if event_items else "<p>Geen activiteiten bij dit thema.</p>"
        body = f"""<p>{esc(THEME_INTROS[theme])}</p>
<h2 id="interventies">Interventies ({len(members)})</h2>
{"".join(sections) or "<p>Nog geen interventies bij dit thema.</p>"}
<h2 id="agenda">Activiteiten</h2>
{events_html}
<p class="ks-terug"><a href="{href(path, THEMES_INDEX)}">Alle thema's</a></p>"""
        yield Page(path, html_page(f"Thema: {label}", body))
        cards.append(
            f'<div class="ks-kaart"><h2><a href="{href(THEMES_INDEX, path)}">{esc(label)}</a></h2>'
            f"<p>{esc(THEME_INTROS[theme])}</p><p>{len(members)} interventies</p></div>"
        )
    body = f'<p>De kennisbank per thema, zoals op het Pharos-platform.</p><div class="ks-kaarten">{"".join(cards)}</div>'
    yield Page(THEMES_INDEX, html_page("Thema's", body))


GENERATORS.append(theme_pages)
