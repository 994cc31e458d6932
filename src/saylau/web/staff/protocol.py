"""Entering a round's count and what follows it: the protocol form (filled in with what the
sitting knows), the live check of its control relations, submission, a correction with its
reason, the drawing of lots, signature and publication (docs/web.md)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from saylau.domain.election import COUNT_FIELDS, ContestId, ProtocolId, ProtocolStatus
from saylau.i18n import Language
from saylau.rules.errors import InputError
from saylau.rules.protocol import Violation, check_protocol
from saylau.rules.schemas import read_correction, read_correction_item
from saylau.services import lots, protocols, results
from saylau.services.errors import NotFound, Problem, ServiceError
from saylau.services.sign_in import SignedIn
from saylau.services.sitting_figures import contest_round_figures
from saylau.web.auth.session import User, check_csrf
from saylau.web.database import DbSession
from saylau.web.errors import status_of
from saylau.web.language import request_language
from saylau.web.staff.common import (
    Shown,
    counts_form,
    input_refused,
    page,
    real_now,
    see_other,
)
from saylau.web.staff.context import ContestPage, RoundPage, contest_page
from saylau.web.staff.pages import contest_response

router = APIRouter(prefix="/staff", include_in_schema=False)

# What a correction names besides its counts (rules/schemas.py's read_correction_item): the
# form shows the protocol's own contest (its post's KATO) and round.
NAMED = ("contest", "round")


def _round(view: ContestPage, round_no: int) -> RoundPage:
    found = next((r for r in view.rounds if r.round.round_no == round_no), None)
    if found is None:
        raise NotFound.one(
            "unknown_round", f"no round {round_no} in contest {view.contest_id}", where="round"
        )
    return found


def _known(session: Any, view: ContestPage, round_no: int) -> dict[str, str]:
    """What the sitting knows of the round's count: members, present and ballots issued, as
    `protocol submit` fills them in when left out (services/sitting_figures.py)."""
    figures = contest_round_figures(session=session, contest_id=view.contest_id, round_no=round_no)
    if figures is None:
        return {}
    return {
        "members": str(figures.members),
        "present": str(figures.present),
        "ballots_issued": str(figures.ballots_issued),
    }


def _form_page(
    request: Request,
    session: Any,
    user: SignedIn,
    view: ContestPage,
    rnd: RoundPage,
    values: Mapping[str, str],
    shown: Shown | None = None,
    status_code: int = 200,
    correcting: int | None = None,
) -> HTMLResponse:
    standing = [c for c in view.candidates if c.nomination_id in rnd.round.standing]
    return page(
        request,
        "staff/protocol.html",
        user,
        status_code=status_code,
        view=view,
        rnd=rnd,
        standing=standing,
        fields=COUNT_FIELDS,
        values=values,
        shown=shown or Shown(request_language(request)),
        correcting=correcting,
    )


@router.get("/contests/{contest_id}/rounds/{round_no}/protocol", response_class=HTMLResponse)
def protocol_form(
    request: Request, contest_id: int, round_no: int, session: DbSession, user: User
) -> HTMLResponse:
    view = contest_page(session, user.principal, ContestId(contest_id))
    return _form_page(
        request, session, user, view, _round(view, round_no), _known(session, view, round_no)
    )


def _violations(form: Mapping[str, str], standing: tuple[int, ...], lang: Language) -> Shown:
    """The control relations the count breaks, by field (nothing stored)."""
    try:
        counts = read_correction(counts_form(form, standing))
    except InputError as error:
        return Shown(lang).add(input_refused(error).problems, _field_names(standing))
    return Shown(lang).add(_problems(check_protocol(counts)), _field_names(standing))


def _problems(violations: Iterable[Violation]) -> list[Problem]:
    """Violated control relations as problems, with their numbers (which tell them in the
    page's language)."""
    return [Problem(v.code, v.message, v.field, dict(v.numbers)) for v in violations]


def _field_names(standing: tuple[int, ...]) -> tuple[str, ...]:
    return (*COUNT_FIELDS, *(f"vote_{n}" for n in standing))


@router.post("/contests/{contest_id}/rounds/{round_no}/check", response_class=HTMLResponse)
async def check(
    request: Request, contest_id: int, round_no: int, session: DbSession, user: User
) -> HTMLResponse:
    """The htmx check while the count is typed: the violated relations with their numbers."""
    form = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(request, form.get("csrf_token"))
    view = contest_page(session, user.principal, ContestId(contest_id))
    shown = _violations(form, _round(view, round_no).round.standing, request_language(request))
    return page(request, "staff/checks.html", user, shown=shown, checked=True)


@router.post("/contests/{contest_id}/rounds/{round_no}/protocol", response_class=HTMLResponse)
async def submit(
    request: Request, contest_id: int, round_no: int, session: DbSession, user: User
) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(request, form.get("csrf_token"))
    view = contest_page(session, user.principal, ContestId(contest_id))
    rnd = _round(view, round_no)
    names = _field_names(rnd.round.standing)
    try:
        try:
            counts = read_correction(counts_form(form, rnd.round.standing))
        except InputError as error:
            raise input_refused(error) from None
        done = protocols.submit_protocol(
            session=session,
            principal=user.principal,
            submission=protocols.ProtocolSubmission(ContestId(contest_id), round_no, counts),
            now=real_now(),
        )
    except ServiceError as error:
        shown = Shown.of(error, names, request_language(request))
        return _form_page(request, session, user, view, rnd, form, shown, status_of(error))
    if done.status is ProtocolStatus.REJECTED:
        shown = Shown(request_language(request)).add(_problems(done.violations), names)
        view = contest_page(session, user.principal, ContestId(contest_id))
        return _form_page(request, session, user, view, _round(view, round_no), form, shown, 422)
    return see_other(f"/staff/contests/{contest_id}#round-{round_no}")


@router.get("/protocols/{protocol_id}/correct", response_class=HTMLResponse)
def correction_form(
    request: Request, protocol_id: int, session: DbSession, user: User
) -> HTMLResponse:
    shown = results.show_protocol(session=session, protocol_id=ProtocolId(protocol_id))
    view = contest_page(session, user.principal, ContestId(shown.contest_id))
    values = {k: str(v) for k, v in shown.counts.items()}
    values |= {f"vote_{n}": str(v) for n, _name, v in shown.votes}
    values |= {"contest": view.staff.detail.contest.post.kato, "round": str(shown.round_no)}
    rnd = _round(view, shown.round_no)
    return _form_page(request, session, user, view, rnd, values, correcting=protocol_id)


@router.post("/protocols/{protocol_id}/correct", response_class=HTMLResponse)
async def correct(request: Request, protocol_id: int, session: DbSession, user: User) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(request, form.get("csrf_token"))
    old = results.show_protocol(session=session, protocol_id=ProtocolId(protocol_id))
    view = contest_page(session, user.principal, ContestId(old.contest_id))
    rnd = _round(view, old.round_no)
    names = (*_field_names(rnd.round.standing), *NAMED, "reason")
    try:
        try:
            item = read_correction_item(counts_form(form, rnd.round.standing, NAMED))
        except InputError as error:
            raise input_refused(error) from None
        # The contest and round the form names are checked by the service, as a file's are.
        done = protocols.correct_protocol(
            session=session,
            principal=user.principal,
            protocol_id=ProtocolId(protocol_id),
            counts=item.counts,
            reason=form.get("reason", ""),
            now=real_now(),
            contest=item.contest,
            round_no=item.round_no,
        )
    except ServiceError as error:
        shown = Shown.of(error, names, request_language(request))
        return _form_page(
            request, session, user, view, rnd, form, shown, status_of(error), protocol_id
        )
    if done.status is ProtocolStatus.REJECTED:
        shown = Shown(request_language(request)).add(_problems(done.violations), names)
        return _form_page(request, session, user, view, rnd, form, shown, 422, protocol_id)
    return see_other(f"/staff/contests/{old.contest_id}#round-{old.round_no}")


async def _protocol_act(request: Request, session: Any, user: SignedIn, protocol_id: int) -> Any:
    """The form's fields (CSRF checked) and the protocol acted on."""
    form = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(request, form.get("csrf_token"))
    return form, results.show_protocol(session=session, protocol_id=ProtocolId(protocol_id))


def _after(
    request: Request,
    session: Any,
    user: SignedIn,
    shown_protocol: Any,
    act: str,
    error: ServiceError | None,
    fields: tuple[str, ...] = (),
) -> Response:
    if error is None:
        return see_other(
            f"/staff/contests/{shown_protocol.contest_id}#round-{shown_protocol.round_no}"
        )
    # A refusal of what the role may not do at all is shown at the top (no form is offered).
    key = "top" if status_of(error) == 403 else f"{act}-{shown_protocol.id}"
    shown = Shown.of(error, fields, request_language(request))
    return contest_response(
        request,
        session,
        user,
        shown_protocol.contest_id,
        shown={key: shown},
        status_code=status_of(error),
    )


@router.post("/protocols/{protocol_id}/sign", response_class=HTMLResponse)
async def sign(request: Request, protocol_id: int, session: DbSession, user: User) -> Response:
    _form, shown = await _protocol_act(request, session, user, protocol_id)
    try:
        results.sign_protocol(
            session=session,
            principal=user.principal,
            protocol_id=ProtocolId(protocol_id),
            now=real_now(),
        )
    except ServiceError as error:
        return _after(request, session, user, shown, "sign", error)
    return _after(request, session, user, shown, "sign", None)


@router.post("/protocols/{protocol_id}/publish", response_class=HTMLResponse)
async def publish(request: Request, protocol_id: int, session: DbSession, user: User) -> Response:
    _form, shown = await _protocol_act(request, session, user, protocol_id)
    try:
        results.publish_protocol(
            session=session,
            principal=user.principal,
            protocol_id=ProtocolId(protocol_id),
            now=real_now(),
        )
    except ServiceError as error:
        return _after(request, session, user, shown, "publish", error)
    return _after(request, session, user, shown, "publish", None)


@router.post("/protocols/{protocol_id}/lot", response_class=HTMLResponse)
async def draw_lot(request: Request, protocol_id: int, session: DbSession, user: User) -> Response:
    """A seeded (verifiable) draw, or a recorded physical one with who drew and a witness."""
    form, shown = await _protocol_act(request, session, user, protocol_id)
    seed = form.get("seed", "").strip() or None
    winner = form.get("winner", "").strip()
    witnesses = tuple(w for w in form.get("witnesses", "").splitlines() if w.strip())
    try:
        lots.draw_lot(
            session=session,
            principal=user.principal,
            protocol_id=ProtocolId(protocol_id),
            draw=lots.LotDraw(
                seed=seed,
                winner=int(winner) if winner.isascii() and winner.isdigit() else None,
                drawn_by=form.get("drawn_by") or None,
                witnesses=witnesses,
            ),
            now=real_now(),
        )
    except ServiceError as error:
        return _after(
            request, session, user, shown, "lot", error, ("seed", "winner", "drawn_by", "witnesses")
        )
    return _after(request, session, user, shown, "lot", None)
