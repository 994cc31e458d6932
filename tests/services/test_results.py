"""Certification and publication of protocols; results; the audit trail of the whole flow."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from election_fixtures import (
    CEC,
    CITY_KATO,
    NOW,
    OTHER_DISTRICT_KATO,
    OpenSitting,
    Uralsk,
    commission_user,
    counts,
    open_uralsk_sitting,
)
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from saylau.db.engine import make_session_factory
from saylau.domain.accounts import Role
from saylau.domain.election import ContestStatus, ProtocolStatus
from saylau.services import protocols, results
from saylau.services.audit.read import list_entries
from saylau.services.audit.verify import verify_log
from saylau.services.errors import Conflict, NotFound, Refused
from saylau.services.protocols import ProtocolSubmission


@pytest.fixture
def opened(session: Session, uralsk: Uralsk, event_id: int) -> OpenSitting:
    return open_uralsk_sitting(session, uralsk, event_id, absent=2)


def _elect_first(session: Session, opened: OpenSitting) -> int:
    contest = opened.contests[0]
    votes = {str(n): v for n, v in zip(opened.candidates[contest], (10, 5, 2), strict=True)}
    done = protocols.submit_protocol(
        session=session,
        principal=CEC,
        submission=ProtocolSubmission(contest, 1, counts(17, votes)),
        now=NOW,
    )
    return done.protocol_id


def test_the_secretary_signs_then_the_result_is_published(
    session: Session, uralsk: Uralsk, event_id: int, opened: OpenSitting
) -> None:
    pid = _elect_first(session, opened)
    with pytest.raises(Refused) as refused:
        results.publish_protocol(session=session, principal=CEC, protocol_id=pid, now=NOW)
    assert [p.code for p in refused.value.problems] == ["not_signed"]
    with pytest.raises(Refused) as refused:
        results.sign_protocol(
            session=session,
            principal=commission_user(uralsk.member_id, Role.MEMBER),
            protocol_id=pid,
            now=NOW,
        )
    assert [p.code for p in refused.value.problems] == ["forbidden"]
    with pytest.raises(Refused) as refused:
        results.sign_protocol(session=session, principal=CEC, protocol_id=pid, now=NOW)
    assert [p.code for p in refused.value.problems] == ["forbidden"]
    secretary = commission_user(uralsk.secretary_id, Role.SECRETARY)
    results.sign_protocol(session=session, principal=secretary, protocol_id=pid, now=NOW)
    view = results.show_protocol(session=session, protocol_id=pid)
    assert (view.signed_by, view.signed_at) == ("Secretary B. (secretary)", NOW)
    with pytest.raises(Refused) as refused:
        results.sign_protocol(
            session=session,
            principal=commission_user(uralsk.chair_id, Role.CHAIR),
            protocol_id=pid,
            now=NOW,
        )
    assert [p.code for p in refused.value.problems] == ["already_signed"]
    assert list_entries(session=session, object_type="protocol", object_id=pid)[0].actor == (
        secretary.actor
    )
    (result,) = results.contest_results(
        session=session, event_id=event_id, contest_ids=[opened.contests[0]]
    )
    assert (result.is_signed, result.is_published) == (True, False)
    results.publish_protocol(session=session, principal=CEC, protocol_id=pid, now=NOW)
    (result,) = results.contest_results(
        session=session, event_id=event_id, contest_ids=[opened.contests[0]]
    )
    assert (result.status, result.is_signed, result.is_published) == (
        ContestStatus.ELECTED,
        True,
        True,
    )
    with pytest.raises(Refused):
        results.publish_protocol(session=session, principal=CEC, protocol_id=pid, now=NOW)


def test_only_the_contests_own_commission_signs(
    session: Session, uralsk: Uralsk, opened: OpenSitting
) -> None:
    pid = _elect_first(session, opened)
    other = session.execute(
        text(
            "INSERT INTO commission (level, territory_id, name) VALUES ('cec', NULL, 'CEC')"
            " RETURNING id"
        )
    ).scalar_one()
    secretary = session.execute(
        text(
            "INSERT INTO commission_member (commission_id, full_name, role)"
            " VALUES (:c, 'CEC Secretary', 'secretary') RETURNING id"
        ),
        {"c": other},
    ).scalar_one()
    session.commit()
    with pytest.raises(Refused) as refused:
        results.sign_protocol(
            session=session,
            principal=commission_user(secretary, Role.SECRETARY),
            protocol_id=pid,
            now=NOW,
        )
    assert [p.code for p in refused.value.problems] == ["not_commission_member"]
    # Uralsk's own secretary, were its user scoped to another district, is out of scope.
    elsewhere = commission_user(uralsk.secretary_id, Role.SECRETARY, scope=OTHER_DISTRICT_KATO)
    with pytest.raises(Refused) as refused:
        results.sign_protocol(session=session, principal=elsewhere, protocol_id=pid, now=NOW)
    assert [(p.code, p.where) for p in refused.value.problems] == [("out_of_scope", CITY_KATO)]
    with pytest.raises(NotFound):
        results.sign_protocol(
            session=session,
            principal=commission_user(uralsk.chair_id, Role.CHAIR),
            protocol_id=999,
            now=NOW,
        )


def test_a_changed_vote_count_is_named_by_verify(session: Session, opened: OpenSitting) -> None:
    pid = _elect_first(session, opened)
    assert verify_log(session=session).is_ok
    session.execute(
        text("UPDATE protocol_vote SET votes = votes + 1 WHERE protocol_id = :p AND votes = 5"),
        {"p": pid},
    )
    session.commit()
    report = verify_log(session=session)
    problem = report.first_problem
    assert problem is not None
    assert (problem.object_type, problem.object_id) == ("protocol", str(pid))


def test_a_superseded_version_is_neither_signed_nor_published(
    session: Session, uralsk: Uralsk, opened: OpenSitting
) -> None:
    pid = _elect_first(session, opened)
    first = results.show_protocol(session=session, protocol_id=pid)
    protocols.correct_protocol(
        session=session,
        principal=CEC,
        protocol_id=pid,
        counts=counts(17, {str(n): v for n, _name, v in first.votes}),
        reason="recount",
        now=NOW,
    )
    for act in (
        lambda: results.sign_protocol(
            session=session,
            principal=commission_user(uralsk.secretary_id, Role.SECRETARY),
            protocol_id=pid,
            now=NOW,
        ),
        lambda: results.publish_protocol(session=session, principal=CEC, protocol_id=pid, now=NOW),
    ):
        with pytest.raises(Refused) as refused:
            act()
        problems = [(p.code, p.message) for p in refused.value.problems]
        assert problems == [("not_accepted", "version 1 is superseded")]


def _submit_in_thread(
    engine: Engine, submission: ProtocolSubmission, barrier: threading.Barrier, out: list[Any]
) -> None:
    with make_session_factory(engine)() as session:
        barrier.wait()
        try:
            out.append(
                protocols.submit_protocol(
                    session=session, principal=CEC, submission=submission, now=NOW
                )
            )
        except Conflict as e:
            out.append(e)


def test_concurrent_submissions_of_one_round_exactly_one_wins(
    engine: Engine, session: Session, event_id: int, opened: OpenSitting
) -> None:
    contest = opened.contests[0]
    votes = {str(n): v for n, v in zip(opened.candidates[contest], (10, 5, 2), strict=True)}
    submission = ProtocolSubmission(contest, 1, counts(17, votes))
    for _attempt in range(3):
        out: list[Any] = []
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(target=_submit_in_thread, args=(engine, submission, barrier, out))
            for _ in range(2)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        accepted = [o for o in out if not isinstance(o, Conflict)]
        conflicts = [o for o in out if isinstance(o, Conflict)]
        assert len(out) == 2
        if _attempt == 0:
            assert len(accepted) == 1 and len(conflicts) == 1
            assert accepted[0].status is ProtocolStatus.ACCEPTED
        else:  # the round is decided: both later submissions conflict
            assert len(conflicts) == 2
        assert "accepted protocol" in conflicts[0].message
    versions = results.protocol_versions(session=session, contest_id=contest, round_no=1)
    assert [(p.version, p.status) for p in versions] == [(1, ProtocolStatus.ACCEPTED)]
    assert verify_log(session=session).is_ok


def test_verify_knows_every_type_whatever_was_imported(
    session: Session, database_url: str, opened: OpenSitting
) -> None:
    """The loader table is explicit: a process that imports only services.results (which
    records no person or nomination itself) still verifies a log holding those types."""
    import subprocess
    import sys

    _elect_first(session, opened)
    kinds = set(session.execute(text("SELECT DISTINCT object_type FROM audit_entry")).scalars())
    assert {"person", "nomination", "protocol", "sitting"} <= kinds
    session.close()
    probe = (
        "import sys\n"
        "import saylau.services.results\n"
        "from saylau.services.audit.verify import verify_log\n"
        "from saylau.db.engine import make_engine, make_session_factory\n"
        "assert 'saylau.services.candidates' not in sys.modules, 'candidates imported'\n"
        "engine = make_engine(sys.argv[1])\n"
        "with make_session_factory(engine)() as s:\n"
        "    r = verify_log(session=s)\n"
        "print(r.is_ok, r.num_entries, sorted({p.kind for p in r.problems}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, database_url], capture_output=True, text=True, check=True
    )
    num_entries = verify_log(session=session).num_entries
    assert done.stdout.split(maxsplit=2) == ["True", str(num_entries), "[]\n"]


def test_publication_stores_the_head_and_a_key_signs_a_checkpoint(
    session: Session, uralsk: Uralsk, opened: OpenSitting
) -> None:
    from saylau.audit.checkpoint import checkpoint_message, is_valid_signature, public_key_hex
    from saylau.services import checkpoints

    pid = _elect_first(session, opened)
    keys = checkpoints.create_keys(
        session=session, principal=CEC, commission_ids=[uralsk.commission_id], now=NOW
    )
    key = keys[uralsk.commission_id]
    results.sign_protocol(
        session=session,
        principal=commission_user(uralsk.secretary_id, Role.SECRETARY),
        protocol_id=pid,
        now=NOW,
        checkpoint_keys=[key],
    )
    after_sign = checkpoints.log_head(session=session)
    (signed,) = checkpoints.list_checkpoints(session=session)
    # The checkpoint signs the head just after the signature's entry; its own entry follows.
    assert (signed.seq + 1, signed.public_key) == (after_sign.seq, public_key_hex(key))
    message = checkpoint_message(
        commission=signed.commission,
        seq=signed.seq,
        entry_hash=signed.entry_hash,
        signed_at="2013-08-09T10:00:00.000000+00:00",  # NOW
    )
    assert is_valid_signature(signed.public_key, message, signed.signature)

    results.publish_protocol(session=session, principal=CEC, protocol_id=pid, now=NOW)
    view = results.show_protocol(session=session, protocol_id=pid)
    assert view.published_head == f"{after_sign.seq}:{after_sign.hash}"
    assert checkpoints.log_head(session=session).seq == after_sign.seq + 1
    assert verify_log(session=session).is_ok


def test_a_protocol_state_leaves_out_the_publication_head_until_there_is_one(
    session: Session, uralsk: Uralsk, opened: OpenSitting
) -> None:
    """Logs written before migration 0003 recorded protocols without the two columns it adds;
    while they are empty the state is what it was, so those logs still verify."""
    from saylau.services.audit.read import list_entries

    pid = _elect_first(session, opened)
    (submitted,) = list_entries(session=session, object_type="protocol", object_id=pid)
    assert not {"published_head_seq", "published_head_hash"} & set(submitted.state)
    results.sign_protocol(
        session=session,
        principal=commission_user(uralsk.secretary_id, Role.SECRETARY),
        protocol_id=pid,
        now=NOW,
    )
    results.publish_protocol(session=session, principal=CEC, protocol_id=pid, now=NOW)
    published = list_entries(session=session, object_type="protocol", object_id=pid)[0]
    (before,) = [e for e in list_entries(session=session) if e.seq == published.seq - 1]
    assert (published.action, published.state["published_head_seq"]) == (
        "protocol.publish",
        before.seq,
    )
    assert published.state["published_head_hash"] == before.entry_hash


def test_several_users_sign_in_one_batch_all_or_none(
    session: Session, uralsk: Uralsk, opened: OpenSitting
) -> None:
    pid = _elect_first(session, opened)
    contest = opened.contests[1]
    votes = {str(n): v for n, v in zip(opened.candidates[contest], (9, 6, 2), strict=True)}
    other = protocols.submit_protocol(
        session=session,
        principal=CEC,
        submission=ProtocolSubmission(contest, 1, counts(17, votes)),
        now=NOW,
    ).protocol_id
    secretary = commission_user(uralsk.secretary_id, Role.SECRETARY)
    member = commission_user(uralsk.member_id, Role.MEMBER)
    with pytest.raises(Refused) as refused:
        results.sign_protocols_each(
            session=session, signatures={secretary: [pid], member: [other]}, now=NOW
        )
    assert [(p.code, p.where) for p in refused.value.problems] == [("forbidden", "protocol.sign")]
    assert results.show_protocol(session=session, protocol_id=pid).signed_at is None
    chair = commission_user(uralsk.chair_id, Role.CHAIR)
    results.sign_protocols_each(
        session=session, signatures={secretary: [pid], chair: [other]}, now=NOW
    )
    signed = [results.show_protocol(session=session, protocol_id=i).signed_by for i in (pid, other)]
    assert signed == ["Secretary B. (secretary)", f"{_chair_name(session, uralsk)} (chair)"]
    actors = {
        e.object_id: e.actor
        for e in list_entries(session=session, object_type="protocol")
        if e.action == "protocol.sign"
    }
    assert actors == {str(pid): secretary.actor, str(other): chair.actor}


def _chair_name(session: Session, uralsk: Uralsk) -> str:
    return str(
        session.execute(
            text("SELECT full_name FROM commission_member WHERE id = :i"), {"i": uralsk.chair_id}
        ).scalar_one()
    )


def test_keys_and_checkpoints_are_authorized_like_every_write(
    session: Session, uralsk: Uralsk, opened: OpenSitting
) -> None:
    from saylau.services import checkpoints

    member = commission_user(uralsk.member_id, Role.MEMBER)
    with pytest.raises(Refused) as refused:
        checkpoints.create_keys(
            session=session, principal=member, commission_ids=[uralsk.commission_id], now=NOW
        )
    assert [(p.code, p.where) for p in refused.value.problems] == [("forbidden", "key.create")]
    secretary = commission_user(uralsk.secretary_id, Role.SECRETARY)
    elsewhere = commission_user(uralsk.secretary_id, Role.SECRETARY, scope="350000000")
    with pytest.raises(Refused) as refused:
        checkpoints.create_keys(
            session=session, principal=elsewhere, commission_ids=[uralsk.commission_id], now=NOW
        )
    assert [p.code for p in refused.value.problems] == ["out_of_scope"]
    assert checkpoints.list_keys(session=session) == []
    keys = checkpoints.create_keys(
        session=session, principal=secretary, commission_ids=[uralsk.commission_id], now=NOW
    )
    key = keys[uralsk.commission_id]
    for who, code in ((member, "forbidden"), (elsewhere, "out_of_scope")):
        with pytest.raises(Refused) as refused:
            checkpoints.sign_checkpoint(session=session, principal=who, key=key, now=NOW)
        assert [p.code for p in refused.value.problems] == [code]
    assert checkpoints.list_checkpoints(session=session) == []
    done = checkpoints.sign_checkpoint(session=session, principal=secretary, key=key, now=NOW)
    entries = list_entries(session=session, object_type="checkpoint")
    assert [(e.object_id, e.actor) for e in entries] == [(str(done.id), secretary.actor)]
    (created,) = list_entries(session=session, object_type="commission_key")
    assert created.actor == secretary.actor
    assert verify_log(session=session).is_ok


def test_only_an_everywhere_reach_keys_or_signs_for_the_cec(
    session: Session, uralsk: Uralsk, opened: OpenSitting
) -> None:
    """The CEC's commission has no territory: a scoped user's reach never covers it."""
    from saylau.domain.structure import CommissionId
    from saylau.services import checkpoints

    with session.begin():
        cec = CommissionId(
            session.execute(
                text(
                    "INSERT INTO commission (level, territory_id, name)"
                    " VALUES ('cec', NULL, 'Central Election Commission') RETURNING id"
                )
            ).scalar_one()
        )
    secretary = commission_user(uralsk.secretary_id, Role.SECRETARY)
    with pytest.raises(Refused) as refused:
        checkpoints.create_keys(session=session, principal=secretary, commission_ids=[cec], now=NOW)
    assert [(p.code, p.where) for p in refused.value.problems] == [("out_of_scope", "key.create")]
    key = checkpoints.create_keys(session=session, principal=CEC, commission_ids=[cec], now=NOW)[
        cec
    ]
    with pytest.raises(Refused) as refused:
        checkpoints.sign_checkpoint(session=session, principal=secretary, key=key, now=NOW)
    assert [p.code for p in refused.value.problems] == ["out_of_scope"]
    done = checkpoints.sign_checkpoint(session=session, principal=CEC, key=key, now=NOW)
    assert done.commission == "Central Election Commission"
