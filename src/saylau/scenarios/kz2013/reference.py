"""The figures published for August 2013, and their comparison with figures saylau computed.

`compare()` takes figures computed elsewhere (a query over stored records, never the
scenario's own counters) and returns rows: figure, 2013 value, saylau value, difference, kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

Value = int | Fraction | str


class FigureKind(StrEnum):
    STRUCTURAL = "structural"  # set up by the scenario: must match exactly
    OUTCOME = "outcome"  # produced by the simulation: near, not forced


@dataclass(frozen=True, slots=True)
class ReferenceFigure:
    key: str
    label: str
    value: Value
    kind: FigureKind
    source: str  # docs/kz2013-sources.md reference (E0–E16)


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    key: str
    label: str
    reference: Value
    computed: Value | None  # None: not computed
    difference: int | Fraction | None  # computed - reference, for numbers
    kind: FigureKind
    matches: bool  # equal (structural figures must match)


S, OUT = FigureKind.STRUCTURAL, FigureKind.OUTCOME
PRESS = "E0 press release 12 Aug 2013"

NATIONAL: tuple[ReferenceFigure, ...] = (
    ReferenceFigure("posts", "posts to fill", 2457, S, "E1 kapital.kz; national figures"),
    ReferenceFigure("posts_towns", "towns of district significance", 47, S, "E1"),
    ReferenceFigure("posts_rural_districts", "rural districts", 2101, S, "E1"),
    ReferenceFigure("posts_settlements", "settlements", 119, S, "E1"),
    ReferenceFigure("posts_villages", "villages", 190, S, "E1"),
    ReferenceFigure("nominated", "people nominated", 7162, S, "E1"),
    ReferenceFigure("candidates", "registered candidates", 6738, S, f"{PRESS}; E2"),
    ReferenceFigure(
        "candidates_per_post", "candidates per post", Fraction(6738, 2457), S, "E0 / E1"
    ),
    ReferenceFigure("councils", "maslikhats electing", 188, S, PRESS),
    ReferenceFigure("deputies", "deputies taking part", 2602, S, PRESS),
    ReferenceFigure("commission_staff", "commission staff", 1316, S, PRESS),
    ReferenceFigure("regions", "regions", 14, S, PRESS),
    ReferenceFigure("elected", "akims elected", 2454, OUT, f"{PRESS}; E3"),
    ReferenceFigure("failed", "posts with no winner", 3, OUT, "E3"),
    ReferenceFigure("failed_tie", "no winner: tied vote", 3, OUT, "E3 (2 Pavlodar, 1 Mangystau)"),
    ReferenceFigure("one_vote_wins", "won by one vote", 37, OUT, PRESS),
    ReferenceFigure("women_elected", "women elected", 280, OUT, PRESS),
    ReferenceFigure("women_elected_pct", "women elected, %", Fraction(114, 10), OUT, PRESS),
    ReferenceFigure("average_age", "average age of the newly elected", 47, OUT, PRESS),
    ReferenceFigure("youngest_age", "youngest elected, age", 25, OUT, PRESS),
    ReferenceFigure("youngest_region", "youngest elected, region", "KZ-PAV", OUT, PRESS),
    ReferenceFigure("incumbents_reelected", "incumbents re-elected", 1747, OUT, "E3"),
    ReferenceFigure(
        "repeat_elections", "repeat elections (28 August)", 3, OUT, "E3; kz2013-facts.md"
    ),
    ReferenceFigure("appeals", "appeals filed", 42, OUT, "E3"),
)

# Per region: posts, voting dates, registered candidates, deputies where published.
REGIONAL: dict[str, dict[str, Value]] = {
    "KZ-AKM": {"vote_dates": "2013-08-08"},
    "KZ-AKT": {"vote_dates": "2013-08-07"},
    "KZ-ALM": {"vote_dates": "2013-08-07"},
    "KZ-ATY": {"vote_dates": "2013-08-06", "posts": 72, "candidates": 214, "deputies": 104},
    "KZ-ZAP": {"vote_dates": "2013-08-07;2013-08-09", "posts": 151, "candidates": 467},
    "KZ-ZHA": {"vote_dates": "2013-08-09"},
    "KZ-KAR": {"vote_dates": "2013-08-08", "posts": 202, "candidates": 601, "deputies": 215},
    "KZ-KUS": {"vote_dates": "2013-08-07"},
    "KZ-KZY": {"vote_dates": "2013-08-07"},
    "KZ-MAN": {"vote_dates": "2013-08-07", "candidates": 141, "deputies": 89},
    "KZ-PAV": {"vote_dates": "2013-08-07", "failed_tie": 2},
    "KZ-SEV": {"vote_dates": "2013-08-07"},
    "KZ-YUZ": {"vote_dates": "2013-08-05"},
    "KZ-VOS": {"vote_dates": "2013-08-07;2013-08-08"},
}
REGIONAL_SOURCES = {
    "vote_dates": "E0 schedule; E7/E8 (West Kazakhstan)",
    "posts": "E5 (Karaganda), E7 (West Kazakhstan), E10 (Atyrau)",
    "candidates": "E0b (Karaganda), E7 (West Kazakhstan), E10 (Atyrau), E11 (Mangystau)",
    "deputies": "E0b (Karaganda), E10 (Atyrau), E11 (Mangystau)",
    "failed_tie": "E3",
}
REGIONAL_KINDS = {"vote_dates": S, "posts": S, "candidates": S, "deputies": S, "failed_tie": OUT}


def compare(
    computed: Mapping[str, Value], figures: tuple[ReferenceFigure, ...] = NATIONAL
) -> list[ComparisonRow]:
    """One row per reference figure, in the order of `figures`; extra keys are ignored."""
    return [_row(f.key, f.label, f.value, computed.get(f.key), f.kind) for f in figures]


def compare_regions(computed: Mapping[str, Mapping[str, Value]]) -> list[ComparisonRow]:
    """Rows `<region>.<figure>` for every published regional figure."""
    rows = []
    for code, figures in REGIONAL.items():
        mine = computed.get(code, {})
        for key, value in figures.items():
            rows.append(
                _row(f"{code}.{key}", f"{code} {key}", value, mine.get(key), REGIONAL_KINDS[key])
            )
    return rows


def _row(key: str, label: str, ref: Value, got: Value | None, kind: FigureKind) -> ComparisonRow:
    difference = None
    if isinstance(ref, int | Fraction) and isinstance(got, int | Fraction):
        difference = got - ref
    return ComparisonRow(key, label, ref, got, difference, kind, matches=got == ref)
