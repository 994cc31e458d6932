"""The map of the 14 regions of 2013 on the national summary: inline SVG from the outlines in
map/regions.json (built by tools/map_regions.py; source and credit in docs/web.md#the-map),
each region shaded by one measure of its figures."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from functools import cache
from importlib.resources import files
from typing import Any

from saylau.domain.structure import Names
from saylau.services.views.values import AreaView, FiguresView

SHADES = 5  # classes of the scale, lightest first


class Measure(StrEnum):
    PROGRESS = "progress"  # results published, of the posts
    CANDIDATES = "candidates"  # registered candidates per post
    WOMEN = "women"  # women, of the akims elected


def measure_value(measure: Measure, f: FiguresView) -> Fraction | None:
    if measure is Measure.PROGRESS:
        return Fraction(f.published, f.posts) if f.posts else None
    if measure is Measure.CANDIDATES:
        return Fraction(f.candidates, f.posts) if f.posts else None
    return Fraction(f.women_elected, f.elected) if f.elected else None


@dataclass(frozen=True)
class MapRegion:
    kato: str | None  # None: a city without akim elections (Astana, Almaty)
    code: str
    d: str
    names: Names | None
    value: Fraction | None
    shade: int | None  # 0…SHADES-1; None: no value


@dataclass(frozen=True)
class RegionMap:
    width: float
    height: float
    credit: str
    regions: tuple[MapRegion, ...]
    measure: Measure
    bounds: tuple[Fraction, ...]  # lower bound of each shade: equal steps from the lowest
    # region's value to the highest


@cache
def _outlines() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (files("saylau.web") / "map" / "regions.json").read_text(encoding="utf-8")
    )
    return data


def region_map(parts: tuple[AreaView, ...], measure: Measure) -> RegionMap:
    """The outlines with each region's value of `measure` and its shade."""
    data = _outlines()
    by_prefix = {p.territory.kato[:2]: p for p in parts}
    values = {prefix: measure_value(measure, part.figures) for prefix, part in by_prefix.items()}
    known = [v for v in values.values() if v is not None]
    low, high = (min(known), max(known)) if known else (Fraction(0), Fraction(0))
    step = (high - low) / SHADES
    regions = []
    for r in data["regions"]:
        part = by_prefix.get(r["kato_prefix"]) if r["kato_prefix"] else None
        value = values.get(r["kato_prefix"]) if part else None
        shade = None if value is None else min(SHADES - 1, int((value - low) / step) if step else 0)
        regions.append(
            MapRegion(
                kato=part.territory.kato if part else None,
                code=r["code"],
                d=r["d"],
                names=part.territory.names if part else None,
                value=value,
                shade=shade,
            )
        )
    return RegionMap(
        width=data["width"],
        height=data["height"],
        credit=data["credit"],
        regions=tuple(regions),
        measure=measure,
        bounds=tuple(low + step * i for i in range(SHADES)) if step else (low,),
    )
