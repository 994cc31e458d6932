"""The sitting's life: when it closed, its adjournments, deputies arriving late or leaving.

Revision ID: 0006_sitting_life
Revises: 0005_appeals
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_sitting_life"
down_revision: str | None = "0005_appeals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sitting") as batch:
        batch.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "adjournment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("adjourned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=2000), nullable=False),
        sa.Column("resumed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["sitting_id"], ["sitting.id"], name=op.f("fk_adjournment_sitting_id_sitting")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adjournment")),
    )
    op.create_index(op.f("ix_adjournment_sitting_id"), "adjournment", ["sitting_id"])
    op.create_table(
        "movement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("deputy_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("is_present", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sitting_id"], ["sitting.id"], name=op.f("fk_movement_sitting_id_sitting")
        ),
        sa.ForeignKeyConstraint(
            ["deputy_id"], ["deputy.id"], name=op.f("fk_movement_deputy_id_deputy")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_movement")),
    )
    op.create_index(op.f("ix_movement_sitting_id"), "movement", ["sitting_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_movement_sitting_id"), table_name="movement")
    op.drop_table("movement")
    op.drop_index(op.f("ix_adjournment_sitting_id"), table_name="adjournment")
    op.drop_table("adjournment")
    with op.batch_alter_table("sitting") as batch:
        batch.drop_column("closed_at")
