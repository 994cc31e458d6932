"""The staff JSON API under /api/v1/staff: every act of the workspace, on the same services.

Authentication: the session cookie with the CSRF token in `X-CSRF-Token` on every write, or
HTTP Basic (a script; no cookie, no CSRF token). Bodies are read by the input layer
(rules/schemas.py); refusals are `{"error", "message", "problems": [{code, message, where,
numbers}]}` with 404, 422, 403 or 409 (docs/web.md, "Staff API")."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request

from saylau.domain.appeals import AppealDecision, AppealId, NewAppeal
from saylau.domain.election import ContestId, NominationId, ProtocolId, SittingId
from saylau.rules.errors import InputError
from saylau.rules.protocol import check_protocol
from saylau.rules.schemas import read_correction, read_correction_item
from saylau.services import appeals, candidates, lots, protocols, results, sittings
from saylau.services.attendance import list_electors, record_attendance
from saylau.services.errors import InvalidInput, NotFound
from saylau.services.events import latest_event
from saylau.services.sign_in import SignedIn
from saylau.services.sitting_view import show_sitting
from saylau.services.views.encode import to_json
from saylau.services.views.workspace import workspace_contests
from saylau.web.api_schemas import STAFF_ERRORS
from saylau.web.auth.session import check_csrf, required_user
from saylau.web.database import DbSession
from saylau.web.staff.common import input_refused, real_now
from saylau.web.staff.context import contest_page
from saylau.web.staff.pages import _choice
from saylau.web.staff.sitting import _reachable, quorum

router = APIRouter(prefix="/api/v1/staff", tags=["staff"], responses=STAFF_ERRORS)

Reader = Annotated[SignedIn, Depends(required_user)]
JsonBody = Annotated[dict[str, Any], Body()]


def writer(request: Request, user: Reader) -> SignedIn:
    """The signed-in user of a write: a cookie session must send its CSRF token."""
    if not getattr(request.state, "basic_auth", False):
        check_csrf(request, None)
    return user


Writer = Annotated[SignedIn, Depends(writer)]


def _counts(body: Any) -> Any:
    try:
        return read_correction(body)
    except InputError as error:
        raise input_refused(error) from None


def _text(body: dict[str, Any], key: str) -> str:
    value = body.get(key, "")
    if not isinstance(value, str):
        raise InvalidInput.one("bad_value", f"{key}: expected text", where=key)
    return value


@router.get("/contests")
def list_contests(session: DbSession, user: Reader) -> Any:
    """The latest event's contests within the user's reach, with their sittings."""
    try:
        event_id = latest_event(session=session)
    except NotFound:
        return []
    return to_json(workspace_contests(session=session, principal=user.principal, event_id=event_id))


@router.get("/contests/{contest_id}")
def get_contest(contest_id: int, session: DbSession, user: Reader) -> Any:
    """A contest: result, candidates, rounds with every protocol version, appeals."""
    return to_json(contest_page(session, user.principal, ContestId(contest_id)))


@router.post("/nominations/{nomination_id}/register")
def register(nomination_id: int, session: DbSession, user: Writer) -> Any:
    candidates.register(
        session=session,
        principal=user.principal,
        nomination_id=NominationId(nomination_id),
        on=date.today(),
    )
    return {"registered": nomination_id}


@router.post("/nominations/{nomination_id}/refuse")
def refuse(nomination_id: int, body: JsonBody, session: DbSession, user: Writer) -> Any:
    """Body: `{"reason": TEXT}`."""
    candidates.refuse(
        session=session,
        principal=user.principal,
        nomination_id=NominationId(nomination_id),
        reason=_text(body, "reason"),
        on=date.today(),
    )
    return {"refused": nomination_id}


@router.get("/sittings/{sitting_id}")
def get_sitting(sitting_id: int, session: DbSession, user: Reader) -> Any:
    """A sitting, its electors (objects: deputy_id, full_name, at_opening and present:
    true/false/null, movements) and the quorum of those present now."""
    sid = SittingId(sitting_id)
    _reachable(session, user.principal, sid)
    view = show_sitting(session=session, sitting_id=sid)
    return {
        "sitting": to_json(view),
        "electors": to_json(list_electors(session=session, sitting_id=sid)),
        "quorum": to_json(quorum(session, view, view.present)),
    }


@router.post("/sittings/{sitting_id}/attendance")
def attendance(sitting_id: int, body: JsonBody, session: DbSession, user: Writer) -> Any:
    """Body: `{"present": [deputy id, ...]}`: those present, every other deputy absent."""
    sid = SittingId(sitting_id)
    present = body.get("present")
    if not isinstance(present, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in present
    ):
        raise InvalidInput.one(
            "bad_value", "present: expected a list of deputy ids", where="present"
        )
    roll = {
        e.deputy_id: e.deputy_id in present for e in list_electors(session=session, sitting_id=sid)
    }
    record_attendance(session=session, principal=user.principal, sitting_id=sid, roll=roll)
    return get_sitting(sitting_id, session, user)


@router.post("/sittings/{sitting_id}/open")
def open_sitting(sitting_id: int, session: DbSession, user: Writer) -> Any:
    sittings.open_sitting(
        session=session,
        principal=user.principal,
        sitting_id=SittingId(sitting_id),
        now=real_now(),
    )
    return get_sitting(sitting_id, session, user)


@router.post("/protocols/check")
def check(body: JsonBody, user: Reader) -> Any:
    """The control relations a count breaks (nothing stored): a protocol object's counts."""
    return {"violations": to_json(check_protocol(_counts(body)))}


@router.post("/contests/{contest_id}/rounds/{round_no}/protocol")
def submit(contest_id: int, round_no: int, body: JsonBody, session: DbSession, user: Writer) -> Any:
    """Body: a protocol object's counts and votes (docs/lifecycle.md). A rejected draft is
    stored and returned with its violations (`status: rejected`)."""
    done = protocols.submit_protocol(
        session=session,
        principal=user.principal,
        submission=protocols.ProtocolSubmission(ContestId(contest_id), round_no, _counts(body)),
        now=real_now(),
    )
    return to_json(done)


@router.post("/protocols/{protocol_id}/correct")
def correct(protocol_id: int, body: JsonBody, session: DbSession, user: Writer) -> Any:
    """Body: `{"reason": TEXT, "protocol": {counts and votes}}`; a `contest` (id or the post's
    KATO) or `round` the protocol object names must be the protocol's own (409 otherwise)."""
    try:
        item = read_correction_item(body.get("protocol"))
    except InputError as error:
        raise input_refused(error) from None
    done = protocols.correct_protocol(
        session=session,
        principal=user.principal,
        protocol_id=ProtocolId(protocol_id),
        counts=item.counts,
        reason=_text(body, "reason"),
        now=real_now(),
        contest=item.contest,
        round_no=item.round_no,
    )
    return to_json(done)


@router.post("/protocols/{protocol_id}/lot")
def draw_lot(protocol_id: int, body: JsonBody, session: DbSession, user: Writer) -> Any:
    """Body: `{"seed": DIGITS}`, or `{"winner": NOMINATION, "drawn_by": NAME, "witnesses":
    [NAME]}` for a recorded draw."""
    winner = body.get("winner")
    witnesses = body.get("witnesses", [])
    if not isinstance(witnesses, list) or not all(isinstance(w, str) for w in witnesses):
        raise InvalidInput.one(
            "bad_value", "witnesses: expected a list of names", where="witnesses"
        )
    done = lots.draw_lot(
        session=session,
        principal=user.principal,
        protocol_id=ProtocolId(protocol_id),
        draw=lots.LotDraw(
            seed=body.get("seed") if isinstance(body.get("seed"), str) else None,
            winner=winner if isinstance(winner, int) else None,
            drawn_by=body.get("drawn_by") if isinstance(body.get("drawn_by"), str) else None,
            witnesses=tuple(witnesses),
        ),
        now=real_now(),
    )
    return to_json(done)


@router.post("/protocols/{protocol_id}/sign")
def sign(protocol_id: int, session: DbSession, user: Writer) -> Any:
    results.sign_protocol(
        session=session,
        principal=user.principal,
        protocol_id=ProtocolId(protocol_id),
        now=real_now(),
    )
    return to_json(results.show_protocol(session=session, protocol_id=ProtocolId(protocol_id)))


@router.post("/protocols/{protocol_id}/publish")
def publish(protocol_id: int, session: DbSession, user: Writer) -> Any:
    results.publish_protocol(
        session=session,
        principal=user.principal,
        protocol_id=ProtocolId(protocol_id),
        now=real_now(),
    )
    return to_json(results.show_protocol(session=session, protocol_id=ProtocolId(protocol_id)))


@router.post("/appeals")
def file_appeal(body: JsonBody, session: DbSession, user: Writer) -> Any:
    """Body: `{"subject", "object_id", "appellant", "authority_kind", "authority", "grounds"}`
    (filed today)."""
    from saylau.domain.appeals import AppealSubject, AuthorityKind

    object_id = body.get("object_id")
    if not isinstance(object_id, int) or isinstance(object_id, bool):
        raise InvalidInput.one("bad_value", "object_id: expected an id", where="object_id")
    appeal_id = appeals.file_appeal(
        session=session,
        principal=user.principal,
        appeal=NewAppeal(
            subject=_choice(AppealSubject, _text(body, "subject"), "subject"),
            object_id=object_id,
            appellant=_text(body, "appellant"),
            filed_on=date.today(),
            authority_kind=_choice(AuthorityKind, _text(body, "authority_kind"), "authority_kind"),
            authority=_text(body, "authority"),
            grounds=_text(body, "grounds"),
        ),
        now=real_now(),
    )
    return to_json(appeals.get_appeal(session=session, appeal_id=appeal_id))


@router.post("/appeals/{appeal_id}/decide")
def decide_appeal(appeal_id: int, body: JsonBody, session: DbSession, user: Writer) -> Any:
    """Body: `{"outcome": upheld|rejected|left_without_consideration, "reason": TEXT}`."""
    from saylau.domain.appeals import AppealOutcome

    effect = appeals.decide_appeal(
        session=session,
        principal=user.principal,
        decision=AppealDecision(
            appeal_id=AppealId(appeal_id),
            outcome=_choice(AppealOutcome, _text(body, "outcome"), "outcome"),
            reason=_text(body, "reason"),
            decided_on=date.today(),
        ),
        now=real_now(),
    )
    return {
        "appeal": to_json(appeals.get_appeal(session=session, appeal_id=AppealId(appeal_id))),
        "effect": effect,
    }
