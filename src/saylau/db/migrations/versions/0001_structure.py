"""Structure (territory, council, deputy, commission, commission_member, post) and the audit
log (audit_entry, audit_head with its one row).

Revision ID: 0001_structure
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_structure"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS_HASH = "0" * 64


def _names() -> list[sa.Column[str]]:
    return [
        sa.Column(f"name_{lang}", sa.String(200), nullable=False) for lang in ("kk", "ru", "en")
    ]


def upgrade() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("object_type", sa.String(60), nullable=False),
        sa.Column("object_id", sa.String(100), nullable=False),
        sa.Column("state_digest", sa.String(64), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_entry")),
        sa.UniqueConstraint("entry_hash", name=op.f("uq_audit_entry_entry_hash")),
    )
    op.create_index("ix_audit_entry_object", "audit_entry", ["object_type", "object_id"])
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    assert head is not None
    op.bulk_insert(head, [{"id": 1, "seq": 0, "entry_hash": GENESIS_HASH}])

    op.create_table(
        "territory",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kato", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        *_names(),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["territory.id"], name=op.f("fk_territory_parent_id_territory")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_territory")),
        sa.UniqueConstraint("kato", name=op.f("uq_territory_kato")),
    )
    op.create_index(op.f("ix_territory_parent_id"), "territory", ["parent_id"])
    op.create_table(
        "commission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.ForeignKeyConstraint(
            ["territory_id"], ["territory.id"], name=op.f("fk_commission_territory_id_territory")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commission")),
        sa.UniqueConstraint("territory_id", name=op.f("uq_commission_territory_id")),
    )
    op.create_table(
        "council",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=False),
        sa.Column("num_seats", sa.Integer(), nullable=False),
        *_names(),
        sa.ForeignKeyConstraint(
            ["territory_id"], ["territory.id"], name=op.f("fk_council_territory_id_territory")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council")),
        sa.UniqueConstraint("territory_id", name=op.f("uq_council_territory_id")),
    )
    op.create_table(
        "commission_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commission_id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.ForeignKeyConstraint(
            ["commission_id"],
            ["commission.id"],
            name=op.f("fk_commission_member_commission_id_commission"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commission_member")),
    )
    op.create_index(
        op.f("ix_commission_member_commission_id"), "commission_member", ["commission_id"]
    )
    op.create_table(
        "deputy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("sex", sa.String(8), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("mandate_start", sa.Date(), nullable=False),
        sa.Column("mandate_end", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["council_id"], ["council.id"], name=op.f("fk_deputy_council_id_council")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deputy")),
    )
    op.create_index(op.f("ix_deputy_council_id"), "deputy", ["council_id"])
    op.create_table(
        "post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"], ["council.id"], name=op.f("fk_post_council_id_council")
        ),
        sa.ForeignKeyConstraint(
            ["territory_id"], ["territory.id"], name=op.f("fk_post_territory_id_territory")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post")),
        sa.UniqueConstraint("territory_id", name=op.f("uq_post_territory_id")),
    )
    op.create_index(op.f("ix_post_council_id"), "post", ["council_id"])


def downgrade() -> None:
    for table in ("post", "deputy", "commission_member", "council", "commission", "territory"):
        op.drop_table(table)
    op.drop_table("audit_head")
    op.drop_table("audit_entry")
