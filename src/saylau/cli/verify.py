"""`saylau verify`: recompute the audit log's hash chain and compare every object's latest
digest with its stored rows, exit 1 naming the first entry that does not match; `saylau head`
prints the head to keep; `saylau log` lists the entries."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from saylau.cli.common import (
    EXIT_BAD_INPUT,
    DbOption,
    JsonOption,
    open_session,
    print_json,
    service_call,
)
from saylau.cli.language import _, number, say_error

EXIT_MISMATCH = 1


def register(app: typer.Typer) -> None:
    app.command("head")(head_command)
    app.command("verify")(verify_command)
    app.command("log")(log_command)


ExpectHeadOption = Annotated[
    str | None,
    typer.Option(
        "--expect-head",
        help="N:HASH printed by `saylau head` earlier: fail unless entry N is still HASH.",
        show_default=False,
    ),
]


def head_command(db: DbOption = None, json_: JsonOption = False) -> None:
    """The log's head, to keep or publish: N:HASH (--json: {"seq": N, "hash": "..."})."""
    from saylau.services.checkpoints import log_head

    with open_session(db) as session:
        head = log_head(session=session)
    if json_:
        # Exactly this shape: other tools read it.
        sys.stdout.write(json.dumps({"seq": head.seq, "hash": head.hash}) + "\n")
    else:
        sys.stdout.write(f"{head}\n")


def verify_command(
    expect_head: ExpectHeadOption = None, db: DbOption = None, json_: JsonOption = False
) -> None:
    """Check the audit log against the stored rows, its signed checkpoints and, with
    --expect-head, a head kept earlier (docs/audit.md says what this proves)."""
    from saylau.audit.chain import parse_head
    from saylau.services.audit.verify import verify_log

    expected = None
    if expect_head is not None:
        try:
            expected = parse_head(expect_head)
        except ValueError as error:
            say_error(f"--expect-head: {error}")
            raise typer.Exit(EXIT_BAD_INPUT) from None
    with open_session(db) as session:
        report = verify_log(session=session, expect_head=expected, parallel=True)
    if json_:
        payload = {
            "ok": report.is_ok,
            "num_entries": report.num_entries,
            "num_objects": report.num_objects,
            "problems": [
                {
                    "kind": p.kind,
                    "seq": p.seq,
                    "action": p.action,
                    "object_type": p.object_type,
                    "object_id": p.object_id,
                    "message": p.message,
                    "expected": p.expected,
                    "found": p.found,
                    "differences": list(p.differences),
                }
                for p in report.problems
            ],
        }
        print_json(payload)
    elif report.is_ok:
        sys.stdout.write(
            _("ok: %(entries)s entries, chain intact, %(objects)s objects match")
            % {"entries": number(report.num_entries), "objects": number(report.num_objects)}
            + "\n"
        )
    else:
        first = report.problems[0]
        where = _("entry %(seq)s") % {"seq": first.seq} if first.seq is not None else _("no entry")
        action = f" ({first.action})" if first.action else ""
        subject = f" {first.object_type} {first.object_id}".rstrip()
        lines = [
            _("FAILED: %(where)s: %(message)s")
            % {
                "where": f"{where}{action}{',' + subject if subject else ''}",
                "message": first.message,
            }
        ]
        lines += [f"  {d}" for d in first.differences]
        if first.kind in ("chain", "expected_head", "checkpoint"):
            lines.append(
                "  "
                + _("expected %(expected)s, found %(found)s")
                % {"expected": first.expected, "found": first.found}
            )
        if len(report.problems) > 1:
            lines.append(
                "  "
                + _("(%(num)s more problem(s); --json lists them all)")
                % {"num": number(len(report.problems) - 1)}
            )
        sys.stdout.write("\n".join(lines) + "\n")
    if not report.is_ok:
        raise typer.Exit(EXIT_MISMATCH)


def log_command(
    object_type: Annotated[
        str | None, typer.Option("--type", help="Only this object type.")
    ] = None,
    object_id: Annotated[str | None, typer.Option("--id", help="Only this object id.")] = None,
    actor: Annotated[str | None, typer.Option(help="Only entries by this actor.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many entries (newest first).")] = 50,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """The audit log, newest first: who did what to which object, and the state it left."""
    from saylau.services.audit.read import list_entries

    with service_call(db, json_) as session:
        entries = list_entries(
            session=session, object_type=object_type, object_id=object_id, actor=actor, limit=limit
        )
    if json_:
        payload = [
            {
                "seq": e.seq,
                "at": e.at.isoformat(),
                "actor": e.actor,
                "action": e.action,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "state": e.state,
                "state_digest": e.state_digest,
                "entry_hash": e.entry_hash,
            }
            for e in entries
        ]
        print_json(payload)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title=_("audit log: %(num)s entries, newest first") % {"num": number(len(entries))}
    )
    for column in (
        "seq",
        _("at (UTC)"),
        _("actor"),
        _("action"),
        _("object"),
        _("entry hash"),
    ):
        table.add_column(column)
    for e in entries:
        at = e.at.strftime("%Y-%m-%d %H:%M:%S")
        obj = f"{e.object_type} {e.object_id}"
        table.add_row(str(e.seq), at, e.actor, e.action, obj, e.entry_hash[:12])
    Console().print(table)
