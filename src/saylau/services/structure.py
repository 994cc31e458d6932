"""Structure use cases: create territories, councils with deputies, commissions with members
and posts, in batches checked in bulk; each row gets its audit entry."""

from __future__ import annotations

from saylau.db.tables.structure import (
    CommissionMemberRow,
    CommissionRow,
    CouncilRow,
    DeputyRow,
    PostRow,
    TerritoryRow,
)
from saylau.services import audit

# Object types in the audit log: one per table, the state is the row.
TERRITORY, COUNCIL, DEPUTY = "territory", "council", "deputy"
COMMISSION, COMMISSION_MEMBER, POST = "commission", "commission_member", "post"

audit.register_table(TERRITORY, TerritoryRow)
audit.register_table(COUNCIL, CouncilRow)
audit.register_table(DEPUTY, DeputyRow)
audit.register_table(COMMISSION, CommissionRow)
audit.register_table(COMMISSION_MEMBER, CommissionMemberRow)
audit.register_table(POST, PostRow)
