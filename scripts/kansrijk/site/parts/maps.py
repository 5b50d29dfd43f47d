"""Maps of the municipalities, drawn at build time as SVG: visible without JavaScript, one link per municipality.

The shapes come from the project's own compact map (``vocab/kaart-gemeenten-2023.json``, derived from the
CBS / Kadaster boundaries by ``kansrijk.mapdata``). They are written once per build into one shared file,
``assets/kaart-gemeenten-2023.svg``, which every map references with ``<use>``: a page with a map carries only
the links, names and fills (a few KB), and a second map or a second page costs no geometry at all. That keeps
342 municipality pages with a locator and a monitor with four maps small.

Colour is never the only cue: each category has its own pattern (hatching, dots) as well as a colour from a
colour-blind-safe set, the legend repeats the pattern, and every shape has a name such as "Zeist: coalitie actief".
The table next to each map stays; the map adds no figure that is not in it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markupsafe import Markup

from kansrijk.records.register import Vocabularies
from kansrijk.site.engine.html import asset_href, href
from kansrijk.site.engine.pages import Page, SiteContext
from kansrijk.site.engine.templating import render
from kansrijk.site.engine.urls import municipality_page
from kansrijk.tools.mapdata import MAP_FILE

GEOMETRY_FILE = "assets/kaart-gemeenten-2023.svg"
ATTRIBUTION = "Kaartgegevens: CBS / Kadaster (PDOK), 2023"


@dataclass(frozen=True)
class Category:
    """One class of a map: its key, the words in the legend and in each shape's name, its colour and pattern."""

    key: str
    label: str
    fill: str
    pattern: str = ""  # "", "streep" (diagonal hatching), "stip" (dots), "kruis" (cross-hatching)


# Colours from the Okabe-Ito set (safe for the common colour-vision deficiencies), darkest for "most done".
NONE = "#f1f1f1"
ORANGE, BLUE, GREEN, GREY, TEAL = "#e69f00", "#56b4e9", "#009e73", "#8c8c8c", "#0b5563"


@dataclass(frozen=True)
class MapData:
    width: int
    height: int
    outline: str
    province_borders: str
    shapes: dict[str, str]  # code -> path data
    points: dict[str, tuple[int, int]]


@cache
def _load(path: Path) -> MapData:
    data = json.loads(path.read_text(encoding="utf-8"))
    return MapData(
        width=data["breedte"],
        height=data["hoogte"],
        outline=data["buitengrens"],
        province_borders=data["provinciegrenzen"],
        shapes={code: entry["d"] for code, entry in data["gemeenten"].items()},
        points={code: tuple(entry["punt"]) for code, entry in data["gemeenten"].items()},  # type: ignore[misc]
    )


def map_data(ctx: SiteContext) -> MapData:
    return _load(ctx.repo.vocab.vocab_dir / Path(MAP_FILE).name)


def current_codes(vocab: Vocabularies, code: str, _depth: int = 0) -> tuple[str, ...]:
    """The current municipalities a code stands for: itself, or the successors of an ended municipality."""
    if code in vocab.municipalities:
        return (code,)
    ended = vocab.ended_municipalities.get(code)
    if ended is None or _depth > 5:
        return ()
    return tuple(c for successor in ended.opvolgers for c in current_codes(vocab, successor, _depth + 1))


def geometry_page(ctx: SiteContext) -> Page:
    """The shared shapes: one ``<path id="GM....">`` per municipality plus the outline for the locator."""
    data = map_data(ctx)
    content = render(
        "_parts/maps/geometry.svg",
        width=data.width,
        height=data.height,
        shapes=data.shapes,
        province_borders=data.province_borders,
        outline=data.outline,
    )
    return Page(GEOMETRY_FILE, content + "\n")


def choropleth(
    ctx: SiteContext,
    page_path: str,
    map_id: str,
    title: str,
    categories: tuple[Category, ...],
    category_of: Mapping[str, str],
    examples: frozenset[str] = frozenset(),
) -> Markup:
    """A map of every municipality by category (``category_of``: code -> category key; missing = the first).

    ``examples``: municipalities whose category comes only from example records; they get a dashed outline and
    "(voorbeeld)" in their name.
    """
    register = ctx.repo.vocab.municipalities
    by_key = {category.key: category for category in categories}
    groups: dict[str, list[dict[str, object]]] = {key: [] for key in by_key}
    for code, municipality in sorted(register.items(), key=lambda item: item[1].naam.casefold()):
        category = by_key[category_of.get(code, categories[0].key)]
        example = code in examples and category is not categories[0]
        groups[category.key].append(
            {
                "href": href(page_path, municipality_page(ctx.repo.vocab.municipalities[code].naam)),
                "name": f"{municipality.naam}: {category.label}" + (" (voorbeeld)" if example else ""),
                "code": code,
                "example": example,
            }
        )
    return _render_map(
        ctx,
        page_path,
        "_parts/maps/map.html",
        map_id=map_id,
        title=title,
        categories=categories,
        counts={key: len(shapes) for key, shapes in groups.items()},
        groups=groups,
        has_examples=any(shape["example"] for shapes in groups.values() for shape in shapes),
    )


def locator(ctx: SiteContext, page_path: str, code: str) -> Markup:
    """A small map of the country with the municipality filled in and a dot on it (a few hundred bytes a page)."""
    municipality = ctx.repo.vocab.municipalities[code]
    x, y = map_data(ctx).points[code]
    return _render_map(
        ctx, page_path, "_parts/maps/locator.html", name=municipality.naam, province=municipality.provincie, code=code, x=x, y=y
    )


def _render_map(ctx: SiteContext, page_path: str, template: str, **context: object) -> Markup:
    """A map template with what every map needs: the grid size, the shared geometry file and the attribution."""
    data = map_data(ctx)
    return Markup(
        render(
            template,
            width=data.width,
            height=data.height,
            geometry=asset_href(page_path, GEOMETRY_FILE),
            attribution=ATTRIBUTION,
            **context,
        )
    )
