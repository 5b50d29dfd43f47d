"""Charts rendered at build time: inline SVG, each with the same figures as a table and a CSV file.

No chart library and no script: the SVG is plain markup in the page, so the site makes no
request to a third party and the charts work without JavaScript. Every chart is a ``Figure``:
the SVG (``role="img"`` with a title and a text summary), an HTML table with the same figures
for screen readers and copy-paste, and a CSV download with the raw numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..grants import euro
from .html import esc, href
from .pages import Page

INK = "#1a1a1a"
GRID = "#c4cdd1"
# Series colours: each has at least 3:1 contrast on white (WCAG 1.4.11); lines also differ by dash.
COLOURS = ("#0b5563", "#a34700", "#5b3a96", "#2d6a1f", "#9b1c4a", "#4a5a60", "#005a9e")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
REMAINING = "#e3e9eb"
WIDTH = 640
SCALE_TOPS = (0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 1.0)  # the y axis of a line chart ends at the first that fits


def percent(value: float) -> str:
    """0.4567 -> '45,7%' (Dutch decimal comma)."""
    return f"{value * 100:.1f}".replace(".", ",") + "%"


def number(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".")


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
    svg: str
    columns: tuple[Column, ...]
    rows: list[tuple[object, ...]]
    csv_path: str
    note: str = ""

    def html(self, page_path: str) -> str:
        head = "".join(f'<th scope="col">{esc(c.title)}</th>' for c in self.columns)
        body = "".join(
            "<tr>"
            + "".join(
                f'<th scope="row">{esc(FORMATS[c.kind](v))}</th>' if i == 0 else f"<td>{esc(FORMATS[c.kind](v))}</td>"
                for i, (c, v) in enumerate(zip(self.columns, row, strict=True))
            )
            + "</tr>"
            for row in self.rows
        )
        note = f'<p class="ks-meta">{esc(self.note)}</p>' if self.note else ""
        # Material centres figures at their content width; a chart should use the text column instead.
        return f"""<figure class="ks-figuur" id="figuur-{esc(self.key)}" style="display: block; width: 100%; margin: 1em 0;">
<figcaption><strong>{esc(self.title)}</strong></figcaption>
{self.svg}
<p>{esc(self.summary)}</p>
<details class="ks-cijfers" open><summary>Cijfers bij deze grafiek</summary>
<table class="ks-tabel"><caption>{esc(self.title)}</caption>
<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>
</details>
{note}<p><a href="{href(page_path, self.csv_path)}" download>Download de cijfers als CSV</a></p>
</figure>"""

    def csv_page(self) -> Page:
        return Page(self.csv_path, csv_text([c.title for c in self.columns], self.rows))


def csv_text(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """UTF-8 CSV with a header row, comma-separated, decimal point: the open-data convention."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([f"{v:.4f}" if isinstance(v, float) else v for v in row])
    return buffer.getvalue()


def _svg(chart_id: str, title: str, summary: str, height: int, inner: str) -> str:
    return (
        f'<svg class="ks-grafiek" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" style="max-width: 48rem; height: auto;" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif" font-size="12">'
        f'<title id="{chart_id}-t">{esc(title)}</title><desc id="{chart_id}-d">{esc(summary)}</desc>{inner}</svg>'
    )


def _tick_label(share: float) -> str:
    """Axis labels without needless decimals: 0%, 1,25%, 2,5%, 5%."""
    return f"{share * 100:.2f}".rstrip("0").rstrip(".").replace(".", ",") + "%"


def _short(label: str, limit: int = 32) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(
    chart_id: str, title: str, summary: str, items: Sequence[tuple[str, float]], shown: Callable[[float], str], maximum: float
) -> str:
    """Horizontal bars, one per item; ``maximum`` fixes the scale (e.g. 1.0 for shares)."""
    label_width, value_width, row = 250, 80, 26
    area = WIDTH - label_width - value_width
    parts = []
    for index, (label, value) in enumerate(items):
        y = 6 + index * row
        width = 0 if maximum <= 0 else max(0.0, min(1.0, value / maximum)) * area
        colour = COLOURS[0]
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" fill="{INK}">{esc(_short(label))}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{area}" height="18" fill="{REMAINING}"/>'
            f'<rect x="{label_width}" y="{y + 3}" width="{width:.1f}" height="18" fill="{colour}"/>'
            f'<text x="{label_width + area + 6}" y="{y + 16}" fill="{INK}">{esc(shown(value))}</text>'
        )
    return _svg(chart_id, title, summary, 12 + len(items) * row, "".join(parts))


def stacked_bar(chart_id: str, title: str, summary: str, parts: Sequence[tuple[str, int]], shown: Callable[[float], str]) -> str:
    """One bar split into parts (e.g. awarded and remaining budget), with a legend below it."""
    total = sum(value for _, value in parts) or 1
    x = 0.0
    bars, legend = [], []
    for index, (label, value) in enumerate(parts):
        width = WIDTH * value / total
        colour = COLOURS[index] if index < len(parts) - 1 else REMAINING
        stroke = f' stroke="{COLOURS[5]}"' if colour == REMAINING else ""
        bars.append(f'<rect x="{x:.1f}" y="4" width="{width:.1f}" height="32" fill="{colour}"{stroke}/>')
        x += width
        ly = 58 + index * 22
        legend.append(
            f'<rect x="2" y="{ly - 12}" width="14" height="14" fill="{colour}" stroke="{COLOURS[5]}"/>'
            f'<text x="24" y="{ly}" fill="{INK}">{esc(label)}: {esc(shown(value))} ({percent(value / total)})</text>'
        )
    return _svg(chart_id, title, summary, 48 + len(parts) * 22, "".join(bars) + "".join(legend))


def line_chart(
    chart_id: str, title: str, summary: str, years: Sequence[int], series: Sequence[tuple[str, Sequence[float]]]
) -> str:
    """Shares (0..1) per year, one line per series; lines differ by colour, dash and marker.

    The y axis ends at the smallest of ``SCALE_TOPS`` that holds every value, so low shares stay readable.
    """
    left, right, top, bottom = 48, 16, 10, 30
    legend_height = 22 * len(series)
    plot_h = 200
    height = top + plot_h + bottom + legend_height
    plot_w = WIDTH - left - right
    step = plot_w / max(1, len(years) - 1)

    highest = max((v for _, values in series for v in values), default=0.0)
    scale = next(top_share for top_share in SCALE_TOPS if highest <= top_share)

    def xy(index: int, value: float) -> tuple[float, float]:
        return left + index * step, top + plot_h * (1 - max(0.0, min(1.0, value / scale)))

    parts = []
    for quarter in range(5):
        tick = scale * quarter / 4
        y = top + plot_h * (1 - quarter / 4)
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{INK}">{esc(_tick_label(tick))}</text>'
        )
    for index, year in enumerate(years):
        x, _ = xy(index, 0)
        parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 18}" text-anchor="middle" fill="{INK}">{year}</text>')
    for number_, (label, values) in enumerate(series):
        colour, dash = COLOURS[number_ % len(COLOURS)], DASHES[number_ % len(DASHES)]
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in enumerate(values)))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>')
        parts.extend(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>' for x, y in (xy(i, v) for i, v in enumerate(values))
        )
        ly = top + plot_h + bottom + 16 + number_ * 22
        parts.append(
            f'<line x1="2" x2="30" y1="{ly - 4}" y2="{ly - 4}" stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
            f'<text x="38" y="{ly}" fill="{INK}">{esc(label)}</text>'
        )
    return _svg(chart_id, title, summary, height, "".join(parts))
