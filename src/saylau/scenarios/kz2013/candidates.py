"""Nominations of 2013: 7,162 people nominated by district akims, 6,738 registered.

Published totals are pinned (E0, E0b, E7-E11); the people are synthetic and seeded. The model's
parameters are documented in docs/scenario-kz2013.md, "Candidates".
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from saylau.domain.election import CandidateStatus
from saylau.domain.structure import Sex
from saylau.scenarios.kz2013.apportion import apportion
from saylau.scenarios.kz2013.people import PersonName, birth_date_for_age, draw_name, draw_sex
from saylau.scenarios.kz2013.specs import NationalStructure, PostSpec

NATIONAL_NOMINATED = 7162
NATIONAL_REGISTERED = 6738
MIN_PER_POST = 2  # Decree 555: at least two candidates per post
MAX_PER_POST = 6
REGION_REGISTERED_PINS = {"KZ-KAR": 601, "KZ-ZAP": 467, "KZ-ATY": 214, "KZ-MAN": 141}
# E8: West Kazakhstan, 189 candidates for the 62 posts of 7 August.
DATE_GROUP_REGISTERED_PINS = {("KZ-ZAP", dt.date(2013, 8, 7)): 189}
# E9: Uralsk 9 candidates for 3 posts; E11: Zhanaozen 6 for 3.
COUNCIL_REGISTERED_PINS = {"council-271000000": 9, "council-471800000": 6}
# Nominated but not standing: WKO 6 withdrew before registration (E7); Karaganda 1 withdrew
# after registration (E0b). The rest of the 424 fall on the other regions.
REGION_DROPPED_PINS = {"KZ-ZAP": 6, "KZ-KAR": 1, "KZ-ATY": 0, "KZ-MAN": 0}
# E1: Kostanay had the least competition (about 2 a post): a quarter of the usual extra weight.
EXTRA_WEIGHT = {"KZ-KUS": Fraction(1, 4)}

P_INCUMBENT_STANDS = 0.80
P_FEMALE_INCUMBENT = 0.07
P_FEMALE_CHALLENGER = 0.22
INCUMBENT_AGE = (50, 7)  # mean, standard deviation in years on voting day
CHALLENGER_AGE = (42, 8)
MIN_AGE, MAX_AGE = 25, 65  # Decree 555: a candidate is at least 25 on voting day
P_REFUSED = 0.6  # of those nominated who do not stand, the rest withdraw


class DropReason(StrEnum):
    INCOMPLETE_DOCUMENTS = "incomplete_documents"
    UNDER_AGE = "under_age"
    NOT_RESIDENT = "not_resident"
    OWN_REQUEST = "own_request"


@dataclass(frozen=True, slots=True)
class NominationSpec:
    nomination_id: str
    post_id: str
    council_id: str
    region_code: str
    name: PersonName
    sex: Sex
    birth_date: dt.date
    is_incumbent: bool
    nominated_by: str  # the akim of the district (or city) whose maslikhat votes
    status: CandidateStatus
    reason: DropReason | None


def build_nominations(structure: NationalStructure, seed: int = 2013) -> tuple[NominationSpec, ...]:
    """All nominations, post by post in the structure's order; the same seed, the same people."""
    rng = random.Random(f"{seed}/candidates")
    dates = {c.council_id: c.vote_date for c in structure.councils}
    names = {d.kato: d.name_en for d in structure.districts}
    registered = _registered_per_post(rng, structure.posts, dates)
    dropped = _dropped_per_post(rng, structure.posts)
    result: list[NominationSpec] = []
    for post in structure.posts:
        day = dates[post.council_id]
        if day is None:
            raise ValueError(f"{post.post_id}: its council holds no vote")
        akim = f"akim of {names[post.council_id.removeprefix('council-')]}"
        n_reg = registered[post.post_id]
        has_incumbent = rng.random() < P_INCUMBENT_STANDS
        statuses = [CandidateStatus.REGISTERED] * n_reg + [
            _drop_status(rng) for _ in range(dropped[post.post_id])
        ]
        for i, status in enumerate(statuses, start=1):
            is_incumbent = has_incumbent and i == 1
            result.append(
                _nominee(rng, post, f"{post.post_id}-n{i}", day, akim, status, is_incumbent)
            )
    return tuple(result)


def _drop_status(rng: random.Random) -> CandidateStatus:
    return CandidateStatus.REFUSED if rng.random() < P_REFUSED else CandidateStatus.WITHDRAWN


def _nominee(
    rng: random.Random,
    post: PostSpec,
    nomination_id: str,
    day: dt.date,
    akim: str,
    status: CandidateStatus,
    is_incumbent: bool,
) -> NominationSpec:
    reason: DropReason | None = None
    if status is CandidateStatus.WITHDRAWN:
        reason = DropReason.OWN_REQUEST
    elif status is CandidateStatus.REFUSED:
        reason = rng.choice(
            (DropReason.INCOMPLETE_DOCUMENTS, DropReason.UNDER_AGE, DropReason.NOT_RESIDENT)
        )
    sex = draw_sex(rng, P_FEMALE_INCUMBENT if is_incumbent else P_FEMALE_CHALLENGER)
    if reason is DropReason.UNDER_AGE:
        age = rng.randint(22, MIN_AGE - 1)
    else:
        mean, sd = INCUMBENT_AGE if is_incumbent else CHALLENGER_AGE
        age = min(MAX_AGE, max(MIN_AGE, round(rng.gauss(mean, sd))))
    return NominationSpec(
        nomination_id=nomination_id,
        post_id=post.post_id,
        council_id=post.council_id,
        region_code=post.region_code,
        name=draw_name(rng, sex),
        sex=sex,
        birth_date=birth_date_for_age(rng, day, age),
        is_incumbent=is_incumbent,
        nominated_by=akim,
        status=status,
        reason=reason,
    )


def _registered_per_post(
    rng: random.Random, posts: Sequence[PostSpec], dates: dict[str, dt.date | None]
) -> dict[str, int]:
    by_region: dict[str, list[PostSpec]] = defaultdict(list)
    for p in posts:
        by_region[p.region_code].append(p)
    free = sorted(code for code in by_region if code not in REGION_REGISTERED_PINS)
    parts = apportion(
        NATIONAL_REGISTERED - sum(REGION_REGISTERED_PINS.values()),
        [len(by_region[c]) * EXTRA_WEIGHT.get(c, Fraction(1)) for c in free],
        [MIN_PER_POST * len(by_region[c]) for c in free],
    )
    region_totals = REGION_REGISTERED_PINS | dict(zip(free, parts, strict=True))
    counts: dict[str, int] = {}
    for code in sorted(by_region):
        for group, total in _groups(code, by_region[code], region_totals[code], dates):
            counts.update(_spread(rng, group, total, MIN_PER_POST))
    return counts


def _groups(
    code: str, posts: list[PostSpec], total: int, dates: dict[str, dt.date | None]
) -> list[tuple[list[PostSpec], int]]:
    """Split a region's posts where a sub-total is published (a council, a voting day)."""
    groups: list[tuple[list[PostSpec], int]] = []
    rest = list(posts)
    for council_id, n in COUNCIL_REGISTERED_PINS.items():
        group = [p for p in rest if p.council_id == council_id]
        if group:
            groups.append((group, n))
            rest = [p for p in rest if p.council_id != council_id]
            total -= n
    for (region, day), n in DATE_GROUP_REGISTERED_PINS.items():
        if region == code:
            groups.append(([p for p in rest if dates[p.council_id] == day], n))
            rest = [p for p in rest if dates[p.council_id] != day]
            total -= n
    groups.append((rest, total))
    return groups


def _spread(rng: random.Random, posts: list[PostSpec], total: int, floor: int) -> dict[str, int]:
    """`floor` each, then one more at a time to a random post below MAX_PER_POST."""
    counts = {p.post_id: floor for p in posts}
    extra = total - floor * len(posts)
    if extra < 0 or extra > (MAX_PER_POST - floor) * len(posts):
        raise ValueError(f"cannot spread {total} over {len(posts)} posts")
    open_ids = [p.post_id for p in posts]
    for _ in range(extra):
        i = rng.randrange(len(open_ids))
        post_id = open_ids[i]
        counts[post_id] += 1
        if counts[post_id] == MAX_PER_POST:
            open_ids[i] = open_ids[-1]
            open_ids.pop()
    return counts


def _dropped_per_post(rng: random.Random, posts: Sequence[PostSpec]) -> dict[str, int]:
    by_region: dict[str, list[PostSpec]] = defaultdict(list)
    for p in posts:
        by_region[p.region_code].append(p)
    free = sorted(code for code in by_region if code not in REGION_DROPPED_PINS)
    parts = apportion(
        NATIONAL_NOMINATED - NATIONAL_REGISTERED - sum(REGION_DROPPED_PINS.values()),
        [len(by_region[c]) for c in free],
    )
    totals = REGION_DROPPED_PINS | dict(zip(free, parts, strict=True))
    counts: dict[str, int] = {}
    for code in sorted(by_region):
        counts.update(_spread(rng, by_region[code], totals[code], 0))
    return counts
