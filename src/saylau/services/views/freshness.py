"""How fresh a rendered public page is: the audit log's head seq, read in one cheap statement.

Every write (a publication, a correction, an annulment) appends to the audit log, so a page
cached under the head seq it was rendered at is stale exactly when the seq has moved on."""

from __future__ import annotations

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from saylau.db.tables.audit import AuditHeadRow

_HEAD = select(AuditHeadRow.seq).order_by(AuditHeadRow.id).limit(1)


def audit_head_seq(*, session: Session | Connection) -> int:
    """The seq of the last audit entry (0 for an empty log); a Connection will do (the web's
    cache reads it on every request)."""
    found = session.scalar(_HEAD)
    return int(found or 0)
