"""Derive the project's own compact map of the municipalities from the CBS / Kadaster (PDOK) boundaries.

The source is the generalised 2023 municipal boundaries as TopoJSON in RD New metres (``../shared/data/
gemeenten-2023.topojson``, see its ``.SOURCE.md``). The site draws maps as inline SVG, so what it needs is
small: one SVG path per municipality in a fixed grid, plus the province borders and the country outline for
the locator on each municipality page. This module simplifies every shared arc once (Douglas-Peucker, so
neighbours keep a common border), snaps it to a grid of ``CELL`` metres and writes relative SVG paths to
``vocab/kaart-gemeenten-2023.json``. Regenerate with::

    python -m kansrijk.mapdata --source ../shared/data/gemeenten-2023.topojson

``tests/test_maps.py`` checks that the committed file equals a fresh derivation when the source is present.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

CELL = 400  # metres per map unit: the whole country is about 660 x 780 units
TOLERANCE = 450.0  # Douglas-Peucker tolerance in metres
MIN_X, MAX_Y = 13_565, 619_172  # the source's south-west x and north y (RD New), see .SOURCE.md
MAP_FILE = "vocab/kaart-gemeenten-2023.json"
SOURCE_NOTE = {
    "bron": "CBS / Kadaster (PDOK), gegeneraliseerde gemeentegrenzen 2023, via cartomap/nl "
    "(rd/gemeente_2023.topojson, commit 7234d7f822d98610d144184dbcd74a9ac5c6d730)",
    "licentie": "CC BY 4.0",
    "naamsvermelding": "Kaartgegevens: CBS / Kadaster (PDOK), 2023",
    "afgeleid": "vereenvoudigd (Douglas-Peucker, 450 m) en gekwantiseerd op 400 m met python -m kansrijk.tools.mapdata",
}

Point = tuple[int, int]


def _decode_arcs(topology: dict) -> list[list[Point]]:
    """Absolute RD coordinates of every arc (the source is delta-encoded and quantised)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker, iterative; the end points always stay, so shared borders still meet."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5
        worst, worst_index = 0.0, -1
        for index in range(first + 1, last):
            px, py = points[index]
            if length == 0:
                distance = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            else:
                distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            if distance > worst:
                worst, worst_index = distance, index
        if worst > tolerance:
            keep[worst_index] = True
            stack += [(first, worst_index), (worst_index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _grid(point: Point) -> Point:
    """RD metres -> map units, y pointing down as in SVG."""
    return round((point[0] - MIN_X) / CELL), round((MAX_Y - point[1]) / CELL)


def _arc_in_grid(arc: list[Point]) -> list[Point]:
    snapped: list[Point] = []
    for point in _simplify(arc, TOLERANCE):
        cell = _grid(point)
        if not snapped or snapped[-1] != cell:
            snapped.append(cell)
    return snapped


def _ring(arcs: list[list[Point]], indexes: list[int]) -> list[Point]:
    """One closed ring from arc indexes (a negative index ~i means arc i reversed, TopoJSON's convention)."""
    ring: list[Point] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def _path(rings: list[list[Point]]) -> str:
    """Relative SVG path data: short integer deltas compress well."""
    parts = []
    for ring in rings:
        if len(ring) < 4:  # a ring that collapsed to a line at this scale
            continue
        (x, y), rest = ring[0], ring[1:-1]
        steps = []
        for nx, ny in rest:
            steps.append(f"{nx - x} {ny - y}".replace(" -", "-"))
            x, y = nx, ny
        parts.append(f"M{ring[0][0]} {ring[0][1]}l" + " ".join(steps) + "z")
    return "".join(parts)


def _lines(arcs: list[list[Point]], chosen: list[int]) -> str:
    """Open polylines for a set of arcs (province borders, coast), joined where one ends and the next begins."""
    parts = []
    for index in chosen:
        points = arcs[index]
        if len(points) < 2:
            continue
        (x, y), steps = points[0], []
        for nx, ny in points[1:]:
            steps.append(f"{nx - x} {ny - y}".replace(" -", "-"))
            x, y = nx, ny
        parts.append(f"M{points[0][0]} {points[0][1]}l" + " ".join(steps))
    return "".join(parts)


def derive(topology: dict, provinces: dict[str, str]) -> dict:
    """The compact map: per municipality a path and a label point; province borders; the outline."""
    arcs = [_arc_in_grid(arc) for arc in _decode_arcs(topology)]
    geometries = next(iter(topology["objects"].values()))["geometries"]
    users: dict[int, set[str]] = defaultdict(set)
    municipalities = {}
    for geometry in geometries:
        code = geometry["properties"]["statcode"]
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [_ring(arcs, ring) for polygon in polygons for ring in polygon]
        for polygon in polygons:
            for ring in polygon:
                for index in ring:
                    users[index if index >= 0 else ~index].add(code)
        outer = max((ring for ring in rings if len(ring) > 2), key=len)
        xs, ys = [p[0] for p in outer], [p[1] for p in outer]
        municipalities[code] = {
            "naam": geometry["properties"]["statnaam"],
            "d": _path(rings),
            "punt": [round(sum(xs) / len(xs)), round(sum(ys) / len(ys))],
        }
    coast = [index for index, codes in sorted(users.items()) if len(codes) == 1]
    province_borders = [index for index, codes in sorted(users.items()) if len({provinces.get(code, code) for code in codes}) > 1]
    width = max(x for arc in arcs for x, _ in arc)
    height = max(y for arc in arcs for _, y in arc)
    return {
        **SOURCE_NOTE,
        "breedte": width,
        "hoogte": height,
        "buitengrens": _lines(arcs, coast),
        "provinciegrenzen": _lines(arcs, province_borders),
        "gemeenten": dict(sorted(municipalities.items())),
    }


def provinces_of(register_csv: Path) -> dict[str, str]:
    import csv

    with register_csv.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["provincie"] for row in csv.DictReader(handle)}


def render_json(data: dict) -> str:
    """One municipality per line: readable diffs when the source or the parameters change."""
    head = {key: value for key, value in data.items() if key != "gemeenten"}
    lines = [json.dumps(head, ensure_ascii=False)[:-1] + ', "gemeenten": {']
    items = list(data["gemeenten"].items())
    for number, (code, entry) in enumerate(items):
        comma = "," if number < len(items) - 1 else ""
        lines.append(f"{json.dumps(code)}: {json.dumps(entry, ensure_ascii=False)}{comma}")
    lines.append("}}")
    return "\n".join(lines) + "\n"


def derive_file(source: Path, root: Path) -> str:
    topology = json.loads(source.read_text(encoding="utf-8"))
    return render_json(derive(topology, provinces_of(root / "vocab" / "gemeenten.csv")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Leid de compacte gemeentekaart af uit de CBS/Kadaster-grenzen.")
    parser.add_argument("--source", type=Path, default=Path("../shared/data/gemeenten-2023.topojson"))
    parser.add_argument("--root", type=Path, default=Path("."))
    args = parser.parse_args(argv)
    if not args.source.is_file():
        print(f"{args.source}: bestand niet gevonden; geef het TopoJSON-bestand met --source.", file=sys.stderr)
        return 2
    text = derive_file(args.source, args.root)
    target = args.root / MAP_FILE
    target.write_text(text, encoding="utf-8")
    print(f"{target}: {len(text.encode()):,} bytes geschreven.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
