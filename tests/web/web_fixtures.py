"""A small election with published results for the web tests: the Uralsk meeting of the service
tests (tests/services/election_fixtures), with a correction and an unpublished contest."""

from __future__ import annotations

from dataclasses import dataclass

from election_fixtures import (
    CEC,
    NOW,
    build_uralsk,
    commission_user,
    counts,
    create_event,
    open_uralsk_sitting,
)

from saylau.db.engine import make_engine, make_session_factory
from saylau.domain.accounts import Role
from saylau.services import protocols, results
from saylau.services.protocols import ProtocolSubmission


@dataclass(frozen=True)
class Published:
    """Uralsk, 9 August 2013: contest A elected in round 1 (published, then corrected and the
    correction published); B to a repeat voting, elected by one vote (both published); C tied
    twice (signed, never published: the public must not see it)."""

    url: str
    event_id: int
    contests: tuple[int, int, int]
    a: int  # A's first protocol (superseded)
    a2: int  # A's correction
    b1: int
    b2: int
    c1: int


def _submit(session, contest: int, round_no: int, votes: dict[str, int], **kw: int) -> int:  # type: ignore[no-untyped-def]
    done = protocols.submit_protocol(
        session=session,
        principal=CEC,
        submission=ProtocolSubmission(contest, round_no, counts(17, votes, **kw)),
        now=NOW,
    )
    return int(done.protocol_id)


def _votes(ids: list[int], numbers: tuple[int, ...]) -> dict[str, int]:
    return {str(i): n for i, n in zip(ids, numbers, strict=True)}


def build_published(url: str) -> Published:
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        uralsk = build_uralsk(session)
        event_id = create_event(session)
        opened = open_uralsk_sitting(session, uralsk, event_id, absent=2)
        a_, b_, c_ = (opened.candidates[c] for c in opened.contests)
        ca, cb, cc = opened.contests
        a = _submit(session, ca, 1, _votes(a_, (10, 5, 2)))
        b1 = _submit(session, cb, 1, _votes(b_, (7, 6, 4)))
        b2 = _submit(session, cb, 2, _votes(b_[:2], (9, 8)))
        c1 = _submit(session, cc, 1, _votes(c_, (8, 8, 1)))
        secretary = commission_user(uralsk.secretary_id, Role.SECRETARY)
        results.sign_protocols(
            session=session, principal=secretary, protocol_ids=[a, b1, b2, c1], now=NOW
        )
        results.publish_protocols(session=session, principal=CEC, protocol_ids=[a, b1, b2], now=NOW)
        a2 = correct_and_publish(session, a, a_, secretary)
    engine.dispose()
    return Published(url, event_id, (ca, cb, cc), a, a2, b1, b2, c1)


def correct_and_publish(session, protocol_id: int, ids: list[int], secretary) -> int:  # type: ignore[no-untyped-def]
    """A correction of an accepted, published protocol, signed and published in turn."""
    done = protocols.correct_protocol(
        session=session,
        principal=CEC,
        protocol_id=protocol_id,
        counts=counts(17, _votes(ids, (11, 4, 2))),
        reason="a vote for Candidate 02 belonged to Candidate 01",
        now=NOW,
    )
    pid = int(done.protocol_id)
    results.sign_protocols(session=session, principal=secretary, protocol_ids=[pid], now=NOW)
    results.publish_protocols(session=session, principal=CEC, protocol_ids=[pid], now=NOW)
    return pid
