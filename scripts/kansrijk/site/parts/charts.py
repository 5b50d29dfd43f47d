"""Charts rendered at build time: inline SVG, each with the same figures as a table and a CSV file.

No chart library and no script: the SVG is plain markup in the page, so the site makes no
request to a third party and the charts work without JavaScript. Every chart is a ``Figure``:
the SVG (``role="img"`` with a title and a text summary), an HTML table with the same figures
for screen readers and copy-paste, and a CSV download with the raw numbers.

This module computes the geometry; the markup is in ``templates/grafiek_*.svg`` and
``templates/grafiek_figuur.html``. The helpers return ``Markup`` because round and monitor
pages embed the charts in their own templates.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from kansrijk.nlformat import euro, number, percent, percent_short
from kansrijk.opendata.export import spreadsheet_text
from kansrijk.site.engine.pages import Page
from kansrijk.site.engine.templating import render

INK = "#1a1a1a"
GRID = "#c4cdd1"
# Series colours: each has at least 3:1 contrast on white (WCAG 1.4.11); lines also differ by dash.
COLOURS = ("#0b5563", "#a34700", "#5b3a96", "#2d6a1f", "#9b1c4a", "#4a5a60", "#005a9e")
OUTLINE = COLOURS[5]  # the border of the light "remaining" part and of legend swatches
DASHES = ("", "6 3", "2 3", "8 3 2 3")
REMAINING = "#e3e9eb"
WIDTH = 640
SCALE_TOPS = (0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 1.0)  # the y axis of a line chart ends at the first that fits


# Column kinds: how a raw value is shown in the HTML table. The CSV keeps the raw value.
FORMATS: dict[str, Callable[[object], str]] = {
    "tekst": str,
    "aantal": lambda v: number(float(v)),  # type: ignore[arg-type]
    "euro": lambda v: euro(int(v)),  # type: ignore[call-overload]
    "aandeel": lambda v: percent(float(v)),  # type: ignore[arg-type]
}


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "tekst"


@dataclass(frozen=True)
class Figure:
    """One chart with its table and CSV. ``key`` is unique on its page; ``csv_path`` is docs-relative."""

    key: str
    title: str
    summary: str
    svg: Markup
    columns: tuple[Column, ...]
    rows: list[tuple[object, ...]]
    csv_path: str
    note: str = ""

    def html(self, page_path: str) -> Markup:
        """The figure with its caption, summary, table (first cell of a row is its header) and CSV link."""
        cells = [[FORMATS[column.kind](value) for column, value in zip(self.columns, row, strict=True)] for row in self.rows]
        return Markup(render("_parts/charts/figure.html", figure=self, cells=cells, page_path=page_path))

    def csv_page(self) -> Page:
        return Page(self.csv_path, csv_text([c.title for c in self.columns], self.rows))


def csv_text(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """UTF-8 CSV with a header row, comma-separated, decimal point: the open-data convention. Text that a spreadsheet
    would run as a formula gets the open data's apostrophe (``spreadsheet_text``); numbers stay numbers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([spreadsheet_text(title) for title in header])
    for row in rows:
        writer.writerow([f"{v:.4f}" if isinstance(v, float) else spreadsheet_text(v) if isinstance(v, str) else v for v in row])
    return buffer.getvalue()


def _chart(template: str, chart_id: str, title: str, summary: str, height: int, **geometry: object) -> Markup:
    """One ``grafiek_*.svg`` template, which extends the frame (title, summary, size) shared in ``grafiek_svg.svg``."""
    return Markup(
        render(
            template,
            chart_id=chart_id,
            title=title,
            summary=summary,
            width=WIDTH,
            height=height,
            ink=INK,
            grid=GRID,
            remaining=REMAINING,
            outline=OUTLINE,
            **geometry,
        )
    )


def _short(label: str, limit: int = 32) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


@dataclass(frozen=True)
class Bar:
    y: int
    length: float
    label: str
    value: str


def bar_chart(
    chart_id: str, title: str, summary: str, items: Sequence[tuple[str, float]], shown: Callable[[float], str], maximum: float
) -> Markup:
    """Horizontal bars, one per item; ``maximum`` fixes the scale (e.g. 1.0 for shares)."""
    label_width, value_width, row = 250, 80, 26
    area = WIDTH - label_width - value_width
    bars = [
        Bar(
            y=6 + index * row,
            length=0 if maximum <= 0 else max(0.0, min(1.0, value / maximum)) * area,
            label=_short(label),
            value=shown(value),
        )
        for index, (label, value) in enumerate(items)
    ]
    return _chart(
        "_parts/charts/bars.svg", chart_id, title, summary, 12 + len(items) * row,
        bars=bars, label_width=label_width, area=area, colour=COLOURS[0],
    )  # fmt: skip


@dataclass(frozen=True)
class Part:
    x: float
    width: float
    colour: str
    outlined: bool
    legend_y: int
    label: str
    value: str
    share: str


def stacked_bar(
    chart_id: str, title: str, summary: str, parts: Sequence[tuple[str, int]], shown: Callable[[float], str]
) -> Markup:
    """One bar split into parts (e.g. awarded and remaining budget), with a legend below it."""
    total = sum(value for _, value in parts) or 1
    x = 0.0
    drawn = []
    for index, (label, value) in enumerate(parts):
        width = WIDTH * value / total
        colour = COLOURS[index] if index < len(parts) - 1 else REMAINING
        drawn.append(Part(x, width, colour, colour == REMAINING, 58 + index * 22, label, shown(value), percent(value / total)))
        x += width
    return _chart("_parts/charts/stacked.svg", chart_id, title, summary, 48 + len(parts) * 22, parts=drawn)


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    dash: str
    points: list[tuple[float, float]]
    legend_y: int


def line_chart(
    chart_id: str, title: str, summary: str, years: Sequence[int], series: Sequence[tuple[str, Sequence[float]]]
) -> Markup:
    """Shares (0..1) per year, one line per series; lines differ by colour, dash and marker.

    The y axis ends at the smallest of ``SCALE_TOPS`` that holds every value, so low shares stay readable.
    """
    left, right, top, bottom = 48, 16, 10, 30
    plot_h = 200
    height = top + plot_h + bottom + 22 * len(series)
    step = (WIDTH - left - right) / max(1, len(years) - 1)

    highest = max((v for _, values in series for v in values), default=0.0)
    scale = next(top_share for top_share in SCALE_TOPS if highest <= top_share)

    def xy(index: int, value: float) -> tuple[float, float]:
        return left + index * step, top + plot_h * (1 - max(0.0, min(1.0, value / scale)))

    gridlines = [(top + plot_h * (1 - quarter / 4), percent_short(scale * quarter / 4)) for quarter in range(5)]
    year_labels = [(xy(index, 0)[0], year) for index, year in enumerate(years)]
    lines = [
        Series(
            label=label,
            colour=COLOURS[number_ % len(COLOURS)],
            dash=DASHES[number_ % len(DASHES)],
            points=[xy(i, v) for i, v in enumerate(values)],
            legend_y=top + plot_h + bottom + 16 + number_ * 22,
        )
        for number_, (label, values) in enumerate(series)
    ]
    return _chart(
        "_parts/charts/lines.svg", chart_id, title, summary, height,
        left=left, right_edge=WIDTH - right, axis_y=top + plot_h + 18,
        gridlines=gridlines, year_labels=year_labels, lines=lines,
    )  # fmt: skip
