"""Candidates: nomination, registration, refusal, withdrawal, and what each refuses."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from election_fixtures import (
    CEC,
    NOMINATION_DAY,
    POST_KATOS,
    REGISTRATION_DAY,
    URALSK_DAY,
    request,
)
from sqlalchemy.orm import Session

from saylau.domain import limits
from saylau.domain.election import CandidateStatus
from saylau.services import candidates, resolve
from saylau.services.errors import NotFound, Refused


def _contest(session: Session, event_id: int, n: int = 0) -> int:
    return resolve.find_contest(session=session, event_id=event_id, ref=POST_KATOS[n])


def _statuses(session: Session, event_id: int) -> dict[str, CandidateStatus]:
    return {
        c.full_name: c.status
        for c in candidates.list_candidates(session=session, event_id=event_id)
    }


def test_nominate_then_register(session: Session, event_id: int) -> None:
    contest = _contest(session, event_id)
    ids = candidates.nominate_many(
        session=session,
        principal=CEC,
        requests=[request(contest, 1), request(contest, 2)],
        on=NOMINATION_DAY,
    )
    assert len(ids) == 2
    candidates.register_many(
        session=session, principal=CEC, nomination_ids=ids, on=REGISTRATION_DAY
    )
    listed = candidates.list_candidates(session=session, contest_id=contest)
    assert [(c.full_name, c.status, c.post_kato) for c in listed] == [
        ("Candidate 01", CandidateStatus.REGISTERED, POST_KATOS[0]),
        ("Candidate 02", CandidateStatus.REGISTERED, POST_KATOS[0]),
    ]
    assert listed[0].documents == ("identity_document", "consent")


@pytest.mark.parametrize(
    ("on", "code", "date_named"),
    [
        (date(2013, 7, 4), "nomination_not_open", "2013-07-05"),
        (date(2013, 7, 20), "nomination_closed", "2013-07-19"),
    ],
)
def test_nomination_outside_its_period_is_refused(
    session: Session, event_id: int, on: date, code: str, date_named: str
) -> None:
    with pytest.raises(Refused) as refused:
        candidates.nominate(
            session=session, principal=CEC, request=request(_contest(session, event_id), 1), on=on
        )
    (problem,) = refused.value.problems
    assert problem.code == code
    assert date_named in problem.message
    assert _statuses(session, event_id) == {}


def test_one_person_cannot_stand_for_two_posts(session: Session, event_id: int) -> None:
    first = _contest(session, event_id, 0)
    second = _contest(session, event_id, 1)
    candidates.nominate(
        session=session,
        principal=CEC,
        request=request(first, 1, iin="650301300123"),
        on=NOMINATION_DAY,
    )
    with pytest.raises(Refused) as refused:
        candidates.nominate(
            session=session,
            principal=CEC,
            request=request(second, 1, iin="650301300123"),
            on=NOMINATION_DAY,
        )
    assert [p.code for p in refused.value.problems] == ["already_standing"]
    assert refused.value.problems[0].numbers == {"contest": first}
    # The same name and birth date without an IIN is the same person too, even within a batch.
    with pytest.raises(Refused):
        candidates.nominate_many(
            session=session,
            principal=CEC,
            requests=[request(first, 2), request(second, 2)],
            on=NOMINATION_DAY,
        )
    assert list(_statuses(session, event_id)) == ["Candidate 01"]


def test_a_bad_item_refuses_the_whole_batch(session: Session, event_id: int) -> None:
    contest = _contest(session, event_id)
    bad = request(contest, 3)
    bad = type(bad)(**{**bad.__dict__, "nominated_by": "mayor"})  # type: ignore[arg-type]
    with pytest.raises(Refused) as refused:
        candidates.nominate_many(
            session=session, principal=CEC, requests=[request(contest, 1), bad], on=NOMINATION_DAY
        )
    assert [(p.code, p.where) for p in refused.value.problems] == [
        ("bad_nominator", "nominations[1]")
    ]
    assert _statuses(session, event_id) == {}


def test_registration_checks_age_on_voting_day_and_documents(
    session: Session, event_id: int
) -> None:
    contest = _contest(session, event_id)
    # 25 on the day before Uralsk's voting day: eligible; 25 the day after: not.
    old_enough = request(contest, 1, born=date(1988, 8, 8))
    too_young = request(contest, 2, born=date(1988, 8, 10))
    no_consent = request(contest, 3)
    no_consent = type(no_consent)(**{**no_consent.__dict__, "documents": ("identity_document",)})
    ids = candidates.nominate_many(
        session=session,
        principal=CEC,
        requests=[old_enough, too_young, no_consent],
        on=NOMINATION_DAY,
    )
    with pytest.raises(Refused) as refused:
        candidates.register_many(
            session=session, principal=CEC, nomination_ids=ids, on=REGISTRATION_DAY
        )
    found = {(p.code, p.where): p for p in refused.value.problems}
    assert set(found) == {
        ("under_age", f"nomination {ids[1]}"),
        ("documents_missing", f"nomination {ids[2]}"),
    }
    assert found[("under_age", f"nomination {ids[1]}")].numbers == {"age": 24, "min_age": 25}
    assert "consent" in found[("documents_missing", f"nomination {ids[2]}")].message
    # Nothing was registered; the consent filed at registration makes the third eligible.
    candidates.register(
        session=session,
        principal=CEC,
        nomination_id=ids[2],
        on=REGISTRATION_DAY,
        documents=["consent"],
    )
    candidates.register(session=session, principal=CEC, nomination_id=ids[0], on=REGISTRATION_DAY)
    assert _statuses(session, event_id) == {
        "Candidate 01": CandidateStatus.REGISTERED,
        "Candidate 02": CandidateStatus.NOMINATED,
        "Candidate 03": CandidateStatus.REGISTERED,
    }


def test_refusal_needs_a_reason_and_the_deadline(session: Session, event_id: int) -> None:
    contest = _contest(session, event_id)
    (nid,) = candidates.nominate_many(
        session=session, principal=CEC, requests=[request(contest, 1)], on=NOMINATION_DAY
    )
    with pytest.raises(Refused) as refused:
        candidates.refuse(
            session=session, principal=CEC, nomination_id=nid, reason=" ", on=REGISTRATION_DAY
        )
    assert [p.code for p in refused.value.problems] == ["no_reason"]
    with pytest.raises(Refused) as refused:
        candidates.refuse(
            session=session,
            principal=CEC,
            nomination_id=nid,
            reason="no consent",
            on=date(2013, 7, 25),
        )
    assert [p.code for p in refused.value.problems] == ["registration_closed"]
    assert "2013-07-24" in refused.value.problems[0].message
    candidates.refuse(
        session=session, principal=CEC, nomination_id=nid, reason="no consent", on=REGISTRATION_DAY
    )
    (view,) = candidates.list_candidates(session=session, contest_id=contest)
    assert (view.status, view.refusal_reason) == (CandidateStatus.REFUSED, "no consent")
    with pytest.raises(Refused) as refused:
        candidates.register(session=session, principal=CEC, nomination_id=nid, on=REGISTRATION_DAY)
    assert [p.code for p in refused.value.problems] == ["already_decided"]


def test_withdrawal_is_possible_until_the_day_before_voting(
    session: Session, event_id: int
) -> None:
    contest = _contest(session, event_id)
    ids = candidates.nominate_many(
        session=session,
        principal=CEC,
        requests=[request(contest, 1), request(contest, 2)],
        on=NOMINATION_DAY,
    )
    with pytest.raises(Refused) as refused:
        candidates.withdraw(session=session, principal=CEC, nomination_id=ids[0], on=URALSK_DAY)
    assert [p.code for p in refused.value.problems] == ["withdrawal_closed"]
    assert "2013-08-09" in refused.value.problems[0].message
    candidates.withdraw(session=session, principal=CEC, nomination_id=ids[0], on=date(2013, 8, 8))
    assert _statuses(session, event_id)["Candidate 01"] is CandidateStatus.WITHDRAWN
    # Withdrawn, the person may be nominated again (here for another post).
    candidates.nominate(
        session=session,
        principal=CEC,
        request=request(_contest(session, event_id, 1), 1),
        on=NOMINATION_DAY,
    )
    with pytest.raises(Refused):
        candidates.withdraw(
            session=session, principal=CEC, nomination_id=ids[0], on=date(2013, 8, 1)
        )


def test_unknown_nomination_is_not_found(session: Session, event_id: int) -> None:
    with pytest.raises(NotFound):
        candidates.register(session=session, principal=CEC, nomination_id=999, on=REGISTRATION_DAY)


def test_every_bad_text_of_a_batch_is_listed_with_its_field(
    session: Session, event_id: int
) -> None:
    """Texts that cannot be stored (a control character, a name too long) are each listed with
    the request and the field, documents by their position; nothing is nominated."""
    contest = _contest(session, event_id)
    good = request(contest, 1)
    bad = replace(
        request(contest, 2),
        nominator="Akim\x07",
        documents=(*good.documents, "consent\x00"),
    )
    long_name = replace(good, person=replace(good.person, full_name="N" * (limits.NAME + 1)))
    with pytest.raises(Refused) as refused:
        candidates.nominate_many(
            session=session, principal=CEC, requests=[good, bad, long_name], on=NOMINATION_DAY
        )
    found = [(p.code, p.where) for p in refused.value.problems]
    assert ("bad_text", "nominations[1].nominator") in found
    assert ("bad_text", f"nominations[1].documents[{len(good.documents)}]") in found
    assert ("bad_text", "nominations[2].full_name") in found
    assert not [w for c, w in found if c == "bad_text" and w.startswith("nominations[0]")]
    assert _statuses(session, event_id) == {}
