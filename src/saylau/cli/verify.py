"""`saylau verify`: recompute the audit log's hash chain and compare every object's latest
digest with its stored rows; exit 1 naming the first entry that does not match."""

from __future__ import annotations

import json
import sys

import typer

from saylau.cli.db import DbOption, JsonOption, open_session
from saylau.cli.main import app

EXIT_MISMATCH = 1


@app.command("verify")
def verify_command(db: DbOption = None, json_: JsonOption = False) -> None:
    """Check the audit log against the stored rows (docs/audit.md says what this proves)."""
    import saylau.services.registry  # noqa: F401  (every object type's state loader)
    from saylau.services.audit import verify_log

    with open_session(db) as session:
        report = verify_log(session)
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
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    elif report.is_ok:
        sys.stdout.write(
            f"ok: {report.num_entries} entries, chain intact, {report.num_objects} objects match\n"
        )
    else:
        first = report.problems[0]
        where = f"entry {first.seq}" if first.seq is not None else "no entry"
        action = f" ({first.action})" if first.action else ""
        subject = f" {first.object_type} {first.object_id}".rstrip()
        lines = [f"FAILED: {where}{action},{subject}: {first.message}"]
        lines += [f"  {d}" for d in first.differences]
        if first.kind == "chain":
            lines.append(f"  expected {first.expected}, found {first.found}")
        if len(report.problems) > 1:
            lines.append(f"  ({len(report.problems) - 1} more problem(s); --json lists them all)")
        sys.stdout.write("\n".join(lines) + "\n")
    if not report.is_ok:
        raise typer.Exit(EXIT_MISMATCH)
