"""`saylau protocol submit|correct|show|sign|publish`: round protocols from count to publication."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from saylau.cli.auth import AsOption, authenticate
from saylau.cli.common import (
    DbOption,
    EventOption,
    JsonOption,
    Lang,
    LangOption,
    OutputOption,
    event_id_of,
    input_refused,
    now,
    print_json,
    read_json,
    read_private_key,
    say,
    service_call,
    table,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from saylau.rules.decide import Decision
    from saylau.services.protocols import SubmissionResult
    from saylau.services.results import ProtocolView

protocol_app = typer.Typer(
    help="Round protocols: submit, correct, sign, publish, show, print (pdf), check-digest.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(protocol_app, name="protocol")


FileArgument = Annotated[
    Path, typer.Argument(help="Protocol JSON (docs/lifecycle.md); - for stdin.")
]
SomeProtocolsArgument = Annotated[
    list[int] | None,
    typer.Argument(help="Protocol ids (or --sitting).", show_default=False),
]
SittingOption = Annotated[
    int | None,
    typer.Option(
        "--sitting",
        help="Every protocol of this sitting ready for it, instead of ids (all or none).",
        show_default=False,
    ),
]


def _chosen(
    session: Session, protocols_: list[int] | None, sitting: int | None, for_publishing: bool
) -> list[int]:
    """The protocol ids given, or those of the sitting (services/sitting_protocols.py)."""
    from saylau.domain.election import SittingId
    from saylau.services import sitting_protocols
    from saylau.services.errors import InvalidInput

    if bool(protocols_) == (sitting is not None):
        raise InvalidInput.one(
            "protocols_or_sitting", "give protocol ids or --sitting, one of the two"
        )
    if sitting is None:
        return list(protocols_ or [])
    find = (
        sitting_protocols.protocols_to_publish
        if for_publishing
        else sitting_protocols.protocols_to_sign
    )
    return [int(p) for p in find(session=session, sitting_id=SittingId(sitting))]


CheckpointKeyOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--key",
        help="A commission's private key file: it then signs the log's head (a checkpoint)."
        " Repeatable.",
        show_default=False,
    ),
]


def describe_decision(
    decision: Decision | None, names: Mapping[str, str], next_round_no: int | None = None
) -> str:
    """A decision in words, candidates by name with their nomination ids (the text beside
    the one JSON encoding of saylau.rules.decisions)."""
    from saylau.rules.decide import DecisionKind

    if decision is None:
        return "no decision"

    def who(refs: Iterable[str]) -> str:
        refs = [str(r) for r in refs]
        label = "nomination" if len(refs) == 1 else "nominations"
        return f"{' and '.join(names.get(r, '?') for r in refs)} ({label} {', '.join(refs)})"

    match decision.kind:
        case DecisionKind.ELECTED:
            outcome = f"{who([decision.elected or '?'])} elected"
            if (lot := decision.lot) is not None:
                how = f"seed {lot.seed}" if lot.seed else f"recorded, drawn by {lot.drawn_by}"
                outcome += f" by lot ({how}) between {who(lot.tied)}"
        case DecisionKind.NEXT_ROUND:
            round_no = f" in round {next_round_no}" if next_round_no else ""
            outcome = f"repeat voting{round_no} between {who(decision.standing or ())}"
        case DecisionKind.FAILED:
            reason = decision.reason.value if decision.reason else "?"
            outcome = f"failed ({reason}): the contest needs a repeat election"
        case DecisionKind.LOT_REQUIRED:
            outcome = f"lots must be drawn between {who(decision.tied or ())}"
    needed = decision.votes_needed
    return outcome + (f"; votes needed {needed}" if needed else "")


def _names(session: Session, contest_ids: Iterable[int]) -> dict[str, str]:
    from saylau.domain.election import ContestId
    from saylau.services import candidates

    return {
        str(c.nomination_id): c.full_name
        for contest_id in sorted(set(contest_ids))
        for c in candidates.list_candidates(session=session, contest_id=ContestId(contest_id))
    }


def _report(done: list[SubmissionResult], names: Mapping[str, str], as_json: bool) -> None:
    from saylau.domain.election import ProtocolStatus

    rejected = [d for d in done if d.status is ProtocolStatus.REJECTED]
    if as_json:
        print_json(done)
    else:
        for d in done:
            head = (
                f"protocol {d.protocol_id}: contest {d.contest_id} round {d.round_no} v{d.version}"
            )
            if d.status is ProtocolStatus.REJECTED:
                say(f"{head} [bold red]REJECTED[/bold red], kept as a draft with its violations:")
                for v in d.violations:
                    say(f"  {v.code}: {v.message}")
                continue
            say(f"{head} accepted; {describe_decision(d.decision, names, d.next_round_no)}")
    if rejected:
        raise typer.Exit(1)


@protocol_app.command("submit")
def submit(
    file: FileArgument,
    event: EventOption = None,
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """Submit round protocols (one object or a list). Exit 1 when one is rejected: it is kept
    as a draft with its violations."""
    from saylau.rules.errors import InputError
    from saylau.rules.schemas import read_protocols
    from saylau.services import protocols, resolve

    data = read_json(file)
    with service_call(db, json_) as session:
        try:
            items = read_protocols(data)
        except InputError as error:
            raise input_refused(error, "protocol file") from None
        event_id = event_id_of(session, event)
        submissions = [
            protocols.ProtocolSubmission(
                resolve.find_contest(session=session, event_id=event_id, ref=item.contest),
                item.round_no,
                item.counts,
            )
            for item in items
        ]
        done = protocols.submit_protocols(
            session=session,
            principal=authenticate(session, as_user),
            submissions=submissions,
            now=now(),
        )
        names = _names(session, (d.contest_id for d in done))
    _report(done, names, json_)


@protocol_app.command("correct")
def correct(
    protocol: Annotated[int, typer.Argument(help="The accepted protocol to correct.")],
    file: FileArgument,
    reason: Annotated[str, typer.Option(help="Why the protocol is corrected.")],
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """A correction: a new version with its reason; the old one stays readable. A contest or
    round the file names must be the protocol's own (exit 1 otherwise)."""
    from saylau.domain.election import ProtocolId
    from saylau.rules.errors import InputError
    from saylau.rules.schemas import read_correction_item
    from saylau.services import protocols

    data = read_json(file)
    with service_call(db, json_) as session:
        try:
            item = read_correction_item(data)
        except InputError as error:
            raise input_refused(error, "protocol file") from None
        done = protocols.correct_protocol(
            session=session,
            principal=authenticate(session, as_user),
            protocol_id=ProtocolId(protocol),
            counts=item.counts,
            reason=reason,
            now=now(),
            contest=item.contest,
            round_no=item.round_no,
        )
        names = _names(session, [done.contest_id])
    _report([done], names, json_)


@protocol_app.command("sign")
def sign(
    protocols_: SomeProtocolsArgument = None,
    sitting: SittingOption = None,
    signer: Annotated[
        str | None,
        typer.Option(
            help="Check that you sign as this member (id or full name); a signature is always"
            " the signing user's own.",
            show_default=False,
        ),
    ] = None,
    key: CheckpointKeyOption = None,
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """Sign accepted protocols with your own signature, as the commission's secretary or chair
    (with --key, the commission also signs the log's head after them, in the same
    transaction). With --sitting, every accepted protocol of the sitting not yet signed."""
    from saylau.domain.election import ProtocolId
    from saylau.services import resolve, results
    from saylau.services.errors import Refused

    with service_call(db, json_) as session:
        keys = [read_private_key(k) for k in key or ()]
        principal = authenticate(session, as_user)
        if signer is not None:
            named = resolve.find_commission_member(session=session, ref=signer)
            if named != principal.member_id:
                raise Refused.one(
                    "not_own_signature",
                    f"--signer {signer} is not you: a signature is the signing user's own",
                    where="--signer",
                    member=named,
                )
        chosen = _chosen(session, protocols_, sitting, for_publishing=False)
        if chosen:
            results.sign_protocols(
                session=session,
                principal=principal,
                protocol_ids=[ProtocolId(p) for p in chosen],
                now=now(),
                checkpoint_keys=keys,
            )
    if json_:
        print_json({"signed": chosen, "signer": principal.member_id})
        return
    say(f"signed: protocol {', '.join(map(str, chosen))}" if chosen else "nothing to sign")


@protocol_app.command("publish")
def publish(
    protocols_: SomeProtocolsArgument = None,
    sitting: SittingOption = None,
    key: CheckpointKeyOption = None,
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """Publish signed protocols and the results they carry; each records the log's head it was
    published on (with --key, the commission also signs the head after them). With --sitting,
    every accepted protocol of the sitting not yet published."""
    from saylau.domain.election import ProtocolId
    from saylau.services import results

    with service_call(db, json_) as session:
        keys = [read_private_key(k) for k in key or ()]
        chosen = _chosen(session, protocols_, sitting, for_publishing=True)
        if chosen:
            results.publish_protocols(
                session=session,
                principal=authenticate(session, as_user),
                protocol_ids=[ProtocolId(p) for p in chosen],
                now=now(),
                checkpoint_keys=keys,
            )
    if json_:
        print_json({"published": chosen})
        return
    say(f"published: protocol {', '.join(map(str, chosen))}" if chosen else "nothing to publish")


@protocol_app.command("show")
def show(
    protocol: Annotated[int | None, typer.Argument(help="Protocol id.")] = None,
    contest: Annotated[
        str | None, typer.Option(help="Every version of a round: contest id, post KATO or name.")
    ] = None,
    round_: Annotated[int, typer.Option("--round", help="The round, with --contest.")] = 1,
    event: EventOption = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """A protocol version, or every version of a round (rejected and superseded included)."""
    from saylau.domain.election import ProtocolId
    from saylau.services import resolve, results
    from saylau.services.errors import InvalidInput

    with service_call(db, json_) as session:
        if protocol is not None:
            views = [results.show_protocol(session=session, protocol_id=ProtocolId(protocol))]
        elif contest is not None:
            cid = resolve.find_contest(
                session=session, event_id=event_id_of(session, event), ref=contest
            )
            views = results.protocol_versions(session=session, contest_id=cid, round_no=round_)
        else:
            raise InvalidInput("give a protocol id, or --contest and --round")
        names = _names(session, (v.contest_id for v in views))
    if json_:
        print_json(views)
        return
    for v in views:
        _print_protocol(v, names)


def _utc(at: datetime) -> str:
    # SQLite returns the stored UTC time without a zone, PostgreSQL in the session's zone.
    return f"{at.astimezone(UTC) if at.tzinfo else at:%Y-%m-%d %H:%M} UTC"


def _print_protocol(v: ProtocolView, names: Mapping[str, str]) -> None:
    signed = f"signed by {v.signed_by} at {_utc(v.signed_at)}" if v.signed_at else "unsigned"
    published = f"published at {_utc(v.published_at)}" if v.published_at else "unpublished"
    if v.published_head:
        published += f" on log head {v.published_head}"
    say(
        f"[bold]protocol {v.id}[/bold]: contest {v.contest_id}, round {v.round_no}, version"
        f" {v.version}, {v.status.value}; {signed}; {published}"
    )
    if v.correction_reason:
        say(f"correction by {v.submitted_by_name}: {v.correction_reason}")
    table("counts", ["count", "value"], [[k, n] for k, n in v.counts.items()])
    table("votes", ["nomination", "candidate", "votes"], [list(row) for row in v.votes])
    for viol in v.violations:
        say(f"  violation {viol['code']}: {viol['message']}")
    if v.decision:
        say(f"decision: {describe_decision(v.decision, names)}")


@protocol_app.command("pdf")
def pdf(
    protocol: Annotated[int, typer.Argument(help="Protocol id.")],
    lang: LangOption = Lang.KK,
    output: OutputOption = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            help="The public site the QR code points to (default: SAYLAU_PUBLIC_URL, else"
            " http://127.0.0.1:8000).",
            show_default=False,
        ),
    ] = None,
    public: Annotated[
        bool, typer.Option("--public", help="Refuse a protocol that is not published.")
    ] = False,
    db: DbOption = None,
) -> None:
    """The printed protocol as an A4 PDF with its QR code (docs/documents.md). A protocol not
    yet published prints marked "not published" (with --public it is refused)."""
    from saylau.documents.protocols import public_base_url, render_protocol_pdf
    from saylau.domain.election import ProtocolId
    from saylau.services.views.values import Visibility

    target = output or Path(f"protocol-{protocol}-{lang.value}.pdf")
    with service_call(db, False) as session:
        data = render_protocol_pdf(
            session=session,
            protocol_id=ProtocolId(protocol),
            lang=lang.value,
            base_url=public_base_url(base_url),
            visibility=Visibility.PUBLIC if public else Visibility.STAFF,
        )
    target.write_bytes(data)
    say(f"protocol {protocol}: {target} ({len(data):,} bytes)")


@protocol_app.command("check-digest")
def check_digest(
    protocol: Annotated[int, typer.Argument(help="Protocol id.")],
    digest: Annotated[
        str, typer.Argument(help="The SHA-256 printed on the paper (64 hex digits).")
    ],
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Check a printed protocol against the record: exit 0 when DIGEST is the SHA-256 of the
    protocol's canonical data, 1 when it is not."""
    from saylau.documents.protocols import protocol_digest
    from saylau.domain.election import ProtocolId
    from saylau.services.errors import InvalidInput, Refused

    given = digest.strip().lower()
    with service_call(db, json_) as session:
        if len(given) != 64 or any(ch not in "0123456789abcdef" for ch in given):
            raise InvalidInput.one(
                "bad_digest",
                f"digest: expected 64 hexadecimal digits (SHA-256), got {digest!r}",
                where="digest",
            )
        actual = protocol_digest(session=session, protocol_id=ProtocolId(protocol))
        if actual != given:
            raise Refused.one(
                "digest_mismatch",
                f"protocol {protocol}: the digest does not match: the record's data has SHA-256"
                f" {actual}, the paper gives {given}",
                where="digest",
                protocol=protocol,
            )
    if json_:
        print_json({"protocol": protocol, "digest": actual, "matches": True})
        return
    say(f"protocol {protocol}: the digest matches the record ({actual})")
