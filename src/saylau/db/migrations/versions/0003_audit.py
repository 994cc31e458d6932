"""Anchors of the audit log: commission_key, checkpoint, and the head at each protocol's
publication (protocol.published_head_seq, published_head_hash).

Revision ID: 0003_audit
Revises: 0002_election
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_audit"
down_revision: str | None = "0002_election"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "commission_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commission_id", sa.Integer(), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["commission_id"],
            ["commission.id"],
            name=op.f("fk_commission_key_commission_id_commission"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commission_key")),
        sa.UniqueConstraint("public_key", name=op.f("uq_commission_key_public_key")),
    )
    op.create_index(
        op.f("ix_commission_key_commission_id"), "commission_key", ["commission_id"], unique=False
    )
    op.create_table(
        "checkpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("commission", sa.String(length=300), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_id"], ["commission_key.id"], name=op.f("fk_checkpoint_key_id_commission_key")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkpoint")),
    )
    op.create_index(op.f("ix_checkpoint_key_id"), "checkpoint", ["key_id"], unique=False)
    with op.batch_alter_table("protocol") as batch:
        batch.add_column(sa.Column("published_head_seq", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("published_head_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("protocol") as batch:
        batch.drop_column("published_head_hash")
        batch.drop_column("published_head_seq")
    op.drop_index(op.f("ix_checkpoint_key_id"), table_name="checkpoint")
    op.drop_table("checkpoint")
    op.drop_index(op.f("ix_commission_key_commission_id"), table_name="commission_key")
    op.drop_table("commission_key")
