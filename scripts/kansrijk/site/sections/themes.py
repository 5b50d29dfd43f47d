"""Theme pages (``themas/``), as on the Pharos platform: interventions, activities and trainings by theme.

The themes, their labels and their introductions are the code list ``vocab/themas.csv``; the markup is
in ``templates/thema_*.html``.
"""

from __future__ import annotations

from collections.abc import Iterable

from kansrijk.records.model import ACTION_LINES, Activity
from kansrijk.site.engine.html import html_page
from kansrijk.site.engine.pages import GENERATORS, Page, SiteContext
from kansrijk.site.engine.templating import render
from kansrijk.site.engine.urls import THEMES_INDEX, TRAININGS_INDEX, activity_page, intervention_page, theme_page, training_page
from kansrijk.site.parts.recognition import recognition_context
from kansrijk.site.sections.agenda import when


def theme_pages(ctx: SiteContext) -> Iterable[Page]:
    themes = ctx.codelists["themas"]
    intros = themes.column("inleiding")
    action_lines = ctx.codelists["actielijnen"]
    interventions = sorted(ctx.interventions.values(), key=lambda i: i.name.casefold())
    activities = list(reversed(sorted(ctx.repo.valid(Activity), key=lambda a: a.date)))
    cards = []
    for theme, label in themes.labels.items():
        path = theme_page(theme)
        members = [i for i in interventions if theme in i.get("themas", [])]
        sections = [
            {
                "title": action_lines.label(line),
                "interventions": [
                    {
                        "page": intervention_page(i.key),
                        "name": i.name,
                        "is_example": i.is_example,
                        "recognition": recognition_context(ctx, i),
                    }
                    for i in members
                    if line in i.action_lines
                ],
            }
            for line in ACTION_LINES
        ]
        events = [
            {"page": activity_page(a.key), "title": a.title, "is_example": a.is_example, "when": when(a)}
            for a in activities
            if theme in a.get("themas", [])
        ]
        trainings = [
            {"page": training_page(t.key), "name": t.name, "is_example": t.is_example}
            for t in ctx.trainings
            if theme in t.get("themas", [])
        ]
        body = render(
            "themes/page.html",
            path=path,
            index_path=THEMES_INDEX,
            intro=intros[theme],
            member_count=len(members),
            sections=[section for section in sections if section["interventions"]],
            events=events,
            trainings=trainings,
            trainings_index=TRAININGS_INDEX,
        )
        yield Page(path, html_page(f"Thema: {label}", body))
        cards.append({"page": path, "label": label, "intro": intros[theme], "count": len(members)})
    yield Page(THEMES_INDEX, html_page("Thema's", render("themes/index.html", index_path=THEMES_INDEX, cards=cards)))


GENERATORS.append(theme_pages)
