"""`saylau lot draw|check`: a tie settled by lot, drawn at the meeting and recomputable
(docs/lots.md)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer

from saylau.cli.auth import AsOption, authenticate
from saylau.cli.common import DbOption, JsonOption, now, print_json, say, service_call

lot_app = typer.Typer(
    help="Drawing lots between tied candidates: draw (seeded or recorded), check.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(lot_app, name="lot")


ProtocolArgument = Annotated[int, typer.Argument(help="The accepted protocol awaiting a lot.")]


@lot_app.command("draw")
def draw(
    protocol: ProtocolArgument,
    seed: Annotated[
        str | None,
        typer.Option(
            help="The public seed produced at the meeting: 20 to 100 digits (for example 20"
            " ten-sided dice); the winner follows from it (docs/lots.md).",
            show_default=False,
        ),
    ] = None,
    winner: Annotated[
        int | None,
        typer.Option(
            help="A physical draw's result: the winning nomination id (with --drawn-by and"
            " --witness).",
            show_default=False,
        ),
    ] = None,
    drawn_by: Annotated[
        str | None, typer.Option(help="Who drew the lot.", show_default=False)
    ] = None,
    witness: Annotated[
        list[str] | None,
        typer.Option(help="A witness of the draw. Repeatable.", show_default=False),
    ] = None,
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """Decide a protocol's tie by lot: with --seed the winner is computed from the seed (anyone
    can recompute it: saylau lot check); with --winner a physical draw is recorded."""
    from saylau.domain.election import ProtocolId
    from saylau.rules.decisions import decision_json
    from saylau.services import lots

    with service_call(db, json_) as session:
        done = lots.draw_lot(
            session=session,
            principal=authenticate(session, as_user),
            protocol_id=ProtocolId(protocol),
            draw=lots.LotDraw(
                seed=seed, winner=winner, drawn_by=drawn_by, witnesses=tuple(witness or ())
            ),
            now=now(),
        )
    if json_:
        print_json(
            {
                "protocol": done.protocol_id,
                "contest": done.contest_id,
                "round": done.round_no,
                "decision": decision_json(done.decision),
            }
        )
        return
    lot = done.decision.lot
    assert lot is not None
    how = f"seed {lot.seed}" if lot.seed else f"recorded, drawn by {lot.drawn_by}"
    say(
        f"protocol {done.protocol_id}: contest {done.contest_id} round {done.round_no} decided"
        f" by lot ({how}) between nominations {', '.join(lot.tied)}:"
        f" nomination {lot.winner} elected"
    )


@lot_app.command("check")
def check(protocol: ProtocolArgument, db: DbOption = None, json_: JsonOption = False) -> None:
    """Recompute a protocol's lot from its seed, contest, round and tied candidates; exits 1
    when anything stored disagrees."""
    from saylau.domain.election import ProtocolId
    from saylau.rules.lots import lot_json
    from saylau.services import lots

    with service_call(db, json_) as session:
        found = lots.check_lot(session=session, protocol_id=ProtocolId(protocol))
    if json_:
        print_json(
            {
                **{k: v for k, v in asdict(found).items() if k != "lot"},
                "lot": lot_json(found.lot),
                "ok": found.ok,
            }
        )
    else:
        for candidate, digest in found.hashes.items():
            say(f"nomination {candidate}: {digest}")
        if found.expected is None:
            say(f"recorded draw by {found.lot.drawn_by}: nomination {found.lot.winner}")
        else:
            say(f"smallest hash: nomination {found.expected}")
        say("lot checks out" if found.ok else "MISMATCH: " + "; ".join(found.mismatches))
    if not found.ok:
        raise typer.Exit(1)
