"""Appeals and repeat elections: the appeal and repeat_election tables.

Revision ID: 0005_appeals
Revises: 0004_accounts
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_appeals"
down_revision: str | None = "0004_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "appeal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("contest_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=20), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("appellant", sa.String(length=200), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("authority_kind", sa.String(length=20), nullable=False),
        sa.Column("authority", sa.String(length=200), nullable=False),
        sa.Column("grounds", sa.String(length=2000), nullable=False),
        sa.Column("voting_day", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("is_at_once", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=True),
        sa.Column("decision_reason", sa.String(length=2000), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("effect", sa.String(length=40), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contest_id"], ["contest.id"], name=op.f("fk_appeal_contest_id_contest")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["election_event.id"], name=op.f("fk_appeal_event_id_election_event")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeal")),
    )
    op.create_index(op.f("ix_appeal_contest_id"), "appeal", ["contest_id"])
    op.create_index("ix_appeal_event_outcome", "appeal", ["event_id", "outcome"])
    op.create_table(
        "repeat_election",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("failed_contest_id", sa.Integer(), nullable=False),
        sa.Column("contest_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("failed_on", sa.Date(), nullable=False),
        sa.Column("voting_day", sa.Date(), nullable=False),
        sa.Column("called_on", sa.Date(), nullable=False),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contest_id"], ["contest.id"], name=op.f("fk_repeat_election_contest_id_contest")
        ),
        sa.ForeignKeyConstraint(
            ["failed_contest_id"],
            ["contest.id"],
            name=op.f("fk_repeat_election_failed_contest_id_contest"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["election_event.id"],
            name=op.f("fk_repeat_election_event_id_election_event"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repeat_election")),
        sa.UniqueConstraint("contest_id", name=op.f("uq_repeat_election_contest_id")),
        sa.UniqueConstraint("failed_contest_id", name=op.f("uq_repeat_election_failed_contest_id")),
    )


def downgrade() -> None:
    op.drop_table("repeat_election")
    op.drop_index("ix_appeal_event_outcome", table_name="appeal")
    op.drop_index(op.f("ix_appeal_contest_id"), table_name="appeal")
    op.drop_table("appeal")
