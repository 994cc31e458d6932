"""Builds src/saylau/web/map/regions.json, the outlines of the 14 regions of 2013 that the
national summary draws as inline SVG (docs/web.md#the-map), from a regions GeoJSON (property
`region_code`, e.g. KZ-AKM) and its regions CSV (`region_code`, `kato_region_prefix_2013`).

    python tools/map_regions.py REGIONS.geojson REGIONS.csv

Each ring is simplified with Douglas-Peucker at TOLERANCE degrees, projected equirectangularly
(longitude scaled by the cosine of 48°N, the country's middle), scaled to SCALE SVG units per
degree of latitude and rounded to 0.1 unit; rings that shrink below three points are dropped.
The source is the geokz package's COD-AB outlines (CC BY 4.0): the credit travels in the output.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

TOLERANCE = 0.03  # degrees, about 3 km
SCALE = 12.0  # SVG units per degree of latitude
MIDDLE_LATITUDE = 48.0
CREDIT = "geokz (A. Rodionov), OCHA COD-AB; CC BY 4.0"
OUT = Path(__file__).resolve().parent.parent / "src/saylau/web/map/regions.json"

Point = tuple[float, float]


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker, iterative."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            x, y = points[i]
            d = (
                abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm
                if norm
                else math.hypot(x - x1, y - y1)
            )
            if d > worst:
                worst, index = d, i
        if index >= 0 and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def main(geojson: str, regions_csv: str) -> None:
    with open(regions_csv, encoding="utf-8") as rows:
        prefixes = {
            row["region_code"]: row["kato_region_prefix_2013"] for row in csv.DictReader(rows)
        }
    features = json.loads(Path(geojson).read_text(encoding="utf-8"))["features"]
    rings_of: dict[str, list[list[Point]]] = {}
    for f in features:
        g = f["geometry"]
        polygons = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        rings = [
            simplify([(p[0], p[1]) for p in ring], TOLERANCE) for poly in polygons for ring in poly
        ]
        rings_of[f["properties"]["region_code"]] = [r for r in rings if len(r) >= 4]
    every = [p for rings in rings_of.values() for r in rings for p in r]
    west, north = min(p[0] for p in every), max(p[1] for p in every)
    kx = SCALE * math.cos(math.radians(MIDDLE_LATITUDE))

    def xy(p: Point) -> str:
        return f"{(p[0] - west) * kx:.1f} {(north - p[1]) * SCALE:.1f}"

    def path(rings: list[list[Point]]) -> str:
        return "".join("M" + "L".join(xy(p) for p in r[:-1]) + "Z" for r in rings)

    east, south = max(p[0] for p in every), min(p[1] for p in every)
    regions = [
        {"code": code, "kato_prefix": prefixes.get(code), "d": path(rings)}
        for code, rings in rings_of.items()
    ]
    out = {
        "credit": CREDIT,
        "tolerance_degrees": TOLERANCE,
        "width": round((east - west) * kx, 1),
        "height": round((north - south) * SCALE, 1),
        "regions": regions,
    }
    OUT.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{OUT}: {sum(len(r['d']) for r in regions)} characters of paths")


if __name__ == "__main__":
    main(*sys.argv[1:3])
