"""Read models over a small hand-built election (Uralsk, 9 August 2013): exact figures, what
public and staff callers see, and a number of statements that does not grow with the data."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

import pytest
from election_fixtures import (
    CALENDAR,
    CEC,
    CITY_KATO,
    NOW,
    OTHER_DISTRICT_KATO,
    POST_KATOS,
    REGION_KATO,
    URALSK_DAY,
    OpenSitting,
    Uralsk,
    commission_user,
    counts,
    open_uralsk_sitting,
)
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from saylau.domain.accounts import Role
from saylau.domain.election import CandidateStatus, ContestStatus, Eligibility
from saylau.domain.structure import TerritoryKind
from saylau.rules.decide import DecisionKind, FailureReason
from saylau.services import events, protocols, results
from saylau.services.errors import InvalidInput, NotFound
from saylau.services.protocols import ProtocolSubmission
from saylau.services.views.calendar import calendar_view
from saylau.services.views.candidates import search_candidates
from saylau.services.views.encode import to_json
from saylau.services.views.results import contest_detail, results_view
from saylau.services.views.values import FiguresView, Visibility

PUBLIC, STAFF = Visibility.PUBLIC, Visibility.STAFF


@dataclass(frozen=True)
class Held:
    """The meeting's protocols: A elected round 1 (10-5-2); B repeat voting, then elected by
    one vote (9-8); C tied twice (8-8), failed. A and B's round 1 are published; all signed."""

    opened: OpenSitting
    a: int
    b1: int
    b2: int
    c1: int
    c2: int


def _submit(session: Session, contest: int, round_no: int, votes: dict[str, int], **kw: int) -> int:
    done = protocols.submit_protocol(
        session=session,
        principal=CEC,
        submission=ProtocolSubmission(contest, round_no, counts(17, votes, **kw)),
        now=NOW,
    )
    return int(done.protocol_id)


def _votes(ids: list[int], numbers: tuple[int, ...]) -> dict[str, int]:
    return {str(i): n for i, n in zip(ids, numbers, strict=True)}


@pytest.fixture
def held(session: Session, uralsk: Uralsk, event_id: int) -> Held:
    opened = open_uralsk_sitting(session, uralsk, event_id, absent=2)
    a_, b_, c_ = (opened.candidates[c] for c in opened.contests)
    ca, cb, cc = opened.contests
    a = _submit(session, ca, 1, _votes(a_, (10, 5, 2)))
    b1 = _submit(session, cb, 1, _votes(b_, (7, 6, 4)))
    b2 = _submit(session, cb, 2, _votes(b_[:2], (9, 8)))
    c1 = _submit(session, cc, 1, _votes(c_, (8, 8, 1)))
    c2 = _submit(session, cc, 2, _votes(c_[:2], (8, 8)), blank=1)
    results.sign_protocols(
        session=session,
        principal=commission_user(uralsk.secretary_id, Role.SECRETARY),
        protocol_ids=[a, b1, b2, c1, c2],
        now=NOW,
    )
    results.publish_protocols(session=session, principal=CEC, protocol_ids=[a, b1], now=NOW)
    return Held(opened, a, b1, b2, c1, c2)


def _outcome(f: FiguresView) -> dict[str, object]:
    return {
        "elected": f.elected,
        "failed": f.failed,
        "failed_by_reason": dict(f.failed_by_reason),
        "pending": f.pending,
        "repeat_voting": f.repeat_voting,
        "one_vote_wins": f.one_vote_wins,
        "margins": dict(f.margins),
        "women_elected": f.women_elected,
        "average_age": f.average_age,
        "signed": f.signed,
        "published": f.published,
    }


def test_staff_figures_of_the_whole_meeting(session: Session, event_id: int, held: Held) -> None:
    view = results_view(session=session, event_id=event_id, visibility=STAFF)
    f = view.figures
    assert (f.posts, dict(f.posts_by_kind)) == (
        4,
        {TerritoryKind.RURAL_DISTRICT: 1, TerritoryKind.SETTLEMENT: 3},
    )
    assert (f.nominated, f.candidates, f.women_candidates, f.withdrawn, f.refused) == (
        9,
        9,
        5,
        0,
        0,
    )
    assert (f.councils, f.deputies, f.commission_staff, f.vote_dates) == (1, 19, 3, (URALSK_DAY,))
    assert _outcome(f) == {
        "elected": 2,
        "failed": 1,
        "failed_by_reason": {FailureReason.TIE: 1},
        "pending": 1,  # the Terekti post: no meeting yet
        "repeat_voting": 2,
        "one_vote_wins": 1,
        "margins": {1: 1, 5: 1},
        "women_elected": 1,  # Candidate 01
        "average_age": Fraction(48),  # both born in March 1965, elected on 9 August 2013
        "signed": 3,
        "published": 1,
    }
    assert (f.incumbents_reelected, f.ties_broken, f.lot_required, f.oldest_age) == (0, 0, 0, 48)
    assert f.youngest is not None and f.youngest.elected is not None
    # Candidate 04 (born 5 March 1965) is younger than Candidate 01 (2 March).
    assert (f.youngest.elected.full_name, f.youngest.elected.age) == ("Candidate 04", 48)
    (region,) = view.parts
    assert (region.territory.kato, region.territory.names.en) == (REGION_KATO, "West Kazakhstan")
    assert region.figures == f
    assert view.contests.total == 4
    assert [c.post.kato for c in view.contests.items] == [*POST_KATOS, "273430000"]


def test_a_contest_in_staff_and_public_view(session: Session, event_id: int, held: Held) -> None:
    ca, cb, cc = held.opened.contests
    staff = {
        c.id: c
        for c in results_view(session=session, event_id=event_id, visibility=STAFF).contests.items
    }
    public = {
        c.id: c
        for c in results_view(session=session, event_id=event_id, visibility=PUBLIC).contests.items
    }
    b = staff[cb]
    assert (b.status, b.margin, b.num_rounds, b.num_candidates) == (ContestStatus.ELECTED, 1, 2, 3)
    assert b.decision is not None and (b.decision.kind, b.decision.round) == (
        DecisionKind.ELECTED,
        2,
    )
    assert b.protocol is not None
    assert (b.protocol.id, b.protocol.signed_by, b.protocol.published_at) == (
        held.b2,
        "Secretary B. (secretary)",
        None,
    )
    assert b.elected is not None and b.elected.full_name == "Candidate 04"
    # In public, B's round 2 is unpublished: voting, no decision, nobody elected; C unknown.
    pb = public[cb]
    assert (pb.status, pb.decision, pb.elected, pb.protocol, pb.num_rounds) == (
        ContestStatus.VOTING,
        None,
        None,
        None,
        1,
    )
    assert (public[cc].status, public[cc].failure_reason) == (ContestStatus.PENDING, None)
    assert (staff[cc].status, staff[cc].failure_reason) == (
        ContestStatus.REPEAT_ELECTION,
        FailureReason.TIE,
    )
    assert public[ca].protocol is not None and public[ca].protocol.published_at == NOW
    assert public[ca].council.names.en == "Uralsk"


def test_public_sees_only_published_results_and_publishing_makes_them_appear(
    session: Session, event_id: int, held: Held
) -> None:
    before = results_view(session=session, event_id=event_id, visibility=PUBLIC).figures
    assert _outcome(before) == {
        "elected": 1,
        "failed": 0,
        "failed_by_reason": {},
        "pending": 3,
        "repeat_voting": 1,  # B's round 1 is published
        "one_vote_wins": 0,
        "margins": {5: 1},
        "women_elected": 1,
        "average_age": Fraction(48),
        "signed": 1,
        "published": 1,
    }
    # Registrations are public acts: the same in both views.
    assert (before.candidates, before.nominated) == (9, 9)
    results.publish_protocols(
        session=session, principal=CEC, protocol_ids=[held.b2, held.c1, held.c2], now=NOW
    )
    after = results_view(session=session, event_id=event_id, visibility=PUBLIC).figures
    assert _outcome(after) == {
        **_outcome(results_view(session=session, event_id=event_id, visibility=STAFF).figures),
        "published": 3,
    }
    assert (after.elected, after.failed, after.one_vote_wins) == (2, 1, 1)


def test_results_of_a_region_and_of_a_town(session: Session, event_id: int, held: Held) -> None:
    region = results_view(session=session, event_id=event_id, visibility=STAFF, area=REGION_KATO)
    assert region.area is not None and region.area.kind is TerritoryKind.REGION
    assert [(p.territory.kato, p.figures.posts, p.figures.elected) for p in region.parts] == [
        (CITY_KATO, 3, 2),
        (OTHER_DISTRICT_KATO, 1, 0),
    ]
    town = results_view(session=session, event_id=event_id, visibility=STAFF, area=CITY_KATO)
    assert (town.parts, town.figures.posts, town.figures.deputies) == ((), 3, 19)
    other = results_view(
        session=session, event_id=event_id, visibility=STAFF, area=OTHER_DISTRICT_KATO
    )
    assert (other.figures.posts, other.figures.councils, other.figures.deputies) == (1, 0, 0)
    with pytest.raises(InvalidInput, match="without a council"):
        results_view(session=session, event_id=event_id, visibility=STAFF, area=POST_KATOS[0])
    with pytest.raises(NotFound):
        results_view(session=session, event_id=event_id, visibility=STAFF, area="999999999")


def test_contests_paginate(session: Session, event_id: int, held: Held) -> None:
    second = results_view(session=session, event_id=event_id, visibility=STAFF, limit=2, offset=2)
    assert (second.contests.total, second.contests.limit, second.contests.offset) == (4, 2, 2)
    assert [c.post.kato for c in second.contests.items] == [POST_KATOS[2], "273430000"]
    with pytest.raises(InvalidInput, match="limit"):
        results_view(session=session, event_id=event_id, visibility=STAFF, limit=5000)


def test_contest_detail_shows_the_visible_rounds(
    session: Session, event_id: int, held: Held
) -> None:
    cb = held.opened.contests[1]
    staff = contest_detail(session=session, event_id=event_id, contest_id=cb, visibility=STAFF)
    assert [(r.round_no, [v for _n, _name, v in r.votes]) for r in staff.rounds] == [
        (1, [7, 6, 4]),
        (2, [9, 8]),
    ]
    assert staff.rounds[1].counts["present"] == 17
    assert [c.full_name for c in staff.candidates if c.is_elected] == ["Candidate 04"]
    public = contest_detail(session=session, event_id=event_id, contest_id=cb, visibility=PUBLIC)
    assert [r.round_no for r in public.rounds] == [1]
    assert [c.full_name for c in public.candidates if c.is_elected] == []


def test_calendar_progress_by_day(session: Session, event_id: int, held: Held) -> None:
    cal = calendar_view(session=session, event_id=event_id, visibility=STAFF)
    assert (cal.nomination_opens, cal.registration_deadline) == (
        CALENDAR.nomination_opens,
        CALENDAR.registration_deadline,
    )
    assert [(d.day, d.contests, d.elected, d.failed, d.pending, d.published) for d in cal.days] == [
        (date(2013, 8, 7), 1, 0, 0, 1, 0),  # Terekti: the region's day, no meeting yet
        (URALSK_DAY, 3, 2, 1, 0, 1),
    ]
    public = calendar_view(session=session, event_id=event_id, visibility=PUBLIC)
    assert [(d.elected, d.failed, d.pending) for d in public.days] == [(0, 0, 1), (1, 0, 2)]


def test_candidate_search(session: Session, event_id: int, held: Held) -> None:
    found = search_candidates(
        session=session, event_id=event_id, text="candidate 0", visibility=STAFF, limit=3
    )
    assert (found.total, [c.full_name for c in found.items]) == (
        9,
        ["Candidate 01", "Candidate 02", "Candidate 03"],
    )
    assert [c.is_elected for c in found.items] == [True, False, False]
    four = search_candidates(session=session, event_id=event_id, text="DATE 04", visibility=PUBLIC)
    assert [(c.full_name, c.is_elected, c.status) for c in four.items] == [
        ("Candidate 04", False, CandidateStatus.REGISTERED)
    ]


def test_views_encode_to_json(session: Session, event_id: int, held: Held) -> None:
    view = results_view(session=session, event_id=event_id, visibility=STAFF, limit=1, offset=1)
    data = to_json(view)
    assert isinstance(data, dict)
    figures = data["figures"]
    assert isinstance(figures, dict)
    assert (figures["average_age"], figures["margins"], figures["failed_by_reason"]) == (
        48,
        {"1": 1, "5": 1},
        {"tie": 1},
    )
    contests = data["contests"]
    assert isinstance(contests, dict)
    (b,) = contests["items"]  # type: ignore[misc]
    assert b["decision"] == {  # type: ignore[index]
        "round": 2,
        "kind": "elected",
        "votes_needed": None,  # round 2: plurality
        "elected": str(held.opened.candidates[held.opened.contests[1]][0]),
        "standing": None,
        "tied": None,
        "reason": None,
    }
    assert b["post"]["names"] == {"kk": "Zachagansk", "ru": "Zachagansk", "en": "Zachagansk"}  # type: ignore[index]


# --- statements ----------------------------------------------------------------------------


@contextmanager
def _statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _num_statements(engine: Engine, session: Session, read) -> int:  # type: ignore[no-untyped-def]
    session.expire_all()
    with _statements(engine) as seen:
        read()
    return len(seen)


def test_no_view_issues_a_query_per_row(
    engine: Engine, session: Session, event_id: int, held: Held
) -> None:
    # A second event with one contest and no rounds: few objects, against the first event's
    # four contests, nine candidates, five rounds and their votes.
    small = events.create_event(
        session=session,
        principal=CEC,
        name="One post",
        rules="kz-akim-2013",
        calendar=CALENDAR,
        voting_days={REGION_KATO: date(2013, 8, 7)},
        post_katos=[POST_KATOS[0]],
        min_candidates=2,
        eligibility=Eligibility(),
        now=NOW,
    )
    cb = held.opened.contests[1]
    small_contest = events.find_contest(session=session, event_id=small, ref=POST_KATOS[0])
    for visibility in (PUBLIC, STAFF):
        reads = {
            "results": lambda e, _c, v=visibility: results_view(
                session=session, event_id=e, visibility=v
            ),
            "region": lambda e, _c, v=visibility: results_view(
                session=session, event_id=e, visibility=v, area=REGION_KATO
            ),
            "contest": lambda e, c, v=visibility: contest_detail(
                session=session, event_id=e, contest_id=c, visibility=v
            ),
            "calendar": lambda e, _c, v=visibility: calendar_view(
                session=session, event_id=e, visibility=v
            ),
            "search": lambda e, _c, v=visibility: search_candidates(
                session=session, event_id=e, text="", visibility=v
            ),
        }
        for name, read in reads.items():
            few = _num_statements(engine, session, lambda r=read: r(small, small_contest))
            many = _num_statements(engine, session, lambda r=read: r(event_id, cb))
            assert (name, visibility, many) == (name, visibility, few)
            assert few <= 10
