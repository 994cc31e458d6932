"""Election flow: election_event, voting_day, contest, person, nomination, sitting, attendance,
sitting_contest, round, protocol, protocol_vote.

Revision ID: 0002_election
Revises: 0001_structure
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_election"
down_revision: str | None = "0001_structure"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "election_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("rule_set_name", sa.String(length=100), nullable=True),
        sa.Column("rule_set", sa.JSON(), nullable=False),
        sa.Column("nomination_opens", sa.Date(), nullable=False),
        sa.Column("nomination_closes", sa.Date(), nullable=False),
        sa.Column("registration_deadline", sa.Date(), nullable=False),
        sa.Column("min_candidates", sa.Integer(), nullable=False),
        sa.Column("eligibility", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_election_event")),
        sa.UniqueConstraint("name", name=op.f("uq_election_event_name")),
    )
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("sex", sa.String(length=10), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("iin", sa.String(length=12), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("iin", name=op.f("uq_person_iin")),
    )
    op.create_table(
        "voting_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["election_event.id"], name=op.f("fk_voting_day_event_id_election_event")
        ),
        sa.ForeignKeyConstraint(
            ["territory_id"], ["territory.id"], name=op.f("fk_voting_day_territory_id_territory")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voting_day")),
        sa.UniqueConstraint(
            "event_id", "territory_id", name=op.f("uq_voting_day_event_id_territory_id")
        ),
    )
    op.create_table(
        "sitting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("members", sa.Integer(), nullable=True),
        sa.Column("present", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["council_id"], ["council.id"], name=op.f("fk_sitting_council_id_council")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["election_event.id"], name=op.f("fk_sitting_event_id_election_event")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sitting")),
        sa.UniqueConstraint(
            "event_id", "council_id", "day", name=op.f("uq_sitting_event_id_council_id_day")
        ),
    )
    op.create_table(
        "attendance",
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("deputy_id", sa.Integer(), nullable=False),
        sa.Column("is_present", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["deputy_id"], ["deputy.id"], name=op.f("fk_attendance_deputy_id_deputy")
        ),
        sa.ForeignKeyConstraint(
            ["sitting_id"], ["sitting.id"], name=op.f("fk_attendance_sitting_id_sitting")
        ),
        sa.PrimaryKeyConstraint("sitting_id", "deputy_id", name=op.f("pk_attendance")),
    )
    op.create_table(
        "contest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("failure_reason", sa.String(length=40), nullable=True),
        sa.Column("elected_nomination_id", sa.Integer(), nullable=True),
        sa.Column("decided_round", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["election_event.id"], name=op.f("fk_contest_event_id_election_event")
        ),
        sa.ForeignKeyConstraint(["post_id"], ["post.id"], name=op.f("fk_contest_post_id_post")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contest")),
        sa.UniqueConstraint("event_id", "post_id", name=op.f("uq_contest_event_id_post_id")),
    )
    op.create_table(
        "nomination",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("contest_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("nominated_by", sa.String(length=20), nullable=False),
        sa.Column("nominator", sa.String(length=200), nullable=False),
        sa.Column("is_incumbent", sa.Boolean(), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("refusal_reason", sa.String(length=500), nullable=True),
        sa.Column("nominated_on", sa.Date(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contest_id"], ["contest.id"], name=op.f("fk_nomination_contest_id_contest")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["election_event.id"], name=op.f("fk_nomination_event_id_election_event")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_nomination_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nomination")),
        sa.UniqueConstraint(
            "contest_id", "person_id", name=op.f("uq_nomination_contest_id_person_id")
        ),
    )
    op.create_index(op.f("ix_nomination_contest_id"), "nomination", ["contest_id"])
    op.create_index("ix_nomination_event_person", "nomination", ["event_id", "person_id"])
    # contest and nomination refer to each other: this key is added once both exist.
    with op.batch_alter_table("contest") as batch_op:
        batch_op.create_foreign_key(
            op.f("fk_contest_elected_nomination_id_nomination"),
            "nomination",
            ["elected_nomination_id"],
            ["id"],
        )

    op.create_table(
        "round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contest_id", sa.Integer(), nullable=False),
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("round_no", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("standing", sa.JSON(), nullable=False),
        sa.Column("decision", sa.JSON(), nullable=True),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contest_id"], ["contest.id"], name=op.f("fk_round_contest_id_contest")
        ),
        sa.ForeignKeyConstraint(
            ["sitting_id"], ["sitting.id"], name=op.f("fk_round_sitting_id_sitting")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round")),
        sa.UniqueConstraint("contest_id", "round_no", name=op.f("uq_round_contest_id_round_no")),
    )
    op.create_table(
        "sitting_contest",
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("contest_id", sa.Integer(), nullable=False),
        sa.Column("ballots_issued", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contest_id"], ["contest.id"], name=op.f("fk_sitting_contest_contest_id_contest")
        ),
        sa.ForeignKeyConstraint(
            ["sitting_id"], ["sitting.id"], name=op.f("fk_sitting_contest_sitting_id_sitting")
        ),
        sa.PrimaryKeyConstraint("sitting_id", "contest_id", name=op.f("pk_sitting_contest")),
    )
    op.create_table(
        "protocol",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("present", sa.Integer(), nullable=False),
        sa.Column("ballots_received", sa.Integer(), nullable=False),
        sa.Column("ballots_issued", sa.Integer(), nullable=False),
        sa.Column("ballots_cast", sa.Integer(), nullable=False),
        sa.Column("ballots_unused", sa.Integer(), nullable=False),
        sa.Column("ballots_spoiled", sa.Integer(), nullable=False),
        sa.Column("invalid", sa.Integer(), nullable=False),
        sa.Column("blank", sa.Integer(), nullable=False),
        sa.Column("against_all", sa.Integer(), nullable=False),
        sa.Column("scattered", sa.Integer(), nullable=False),
        sa.Column("lot_winner", sa.Integer(), nullable=True),
        sa.Column("violations", sa.JSON(), nullable=False),
        sa.Column("decision", sa.JSON(), nullable=True),
        sa.Column("correction_reason", sa.String(length=1000), nullable=True),
        sa.Column("submitted_by", sa.String(length=200), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signer_id", sa.Integer(), nullable=True),
        sa.Column("signed_by", sa.String(length=200), nullable=True),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by", sa.String(length=200), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"], ["round.id"], name=op.f("fk_protocol_round_id_round")
        ),
        sa.ForeignKeyConstraint(
            ["signer_id"],
            ["commission_member.id"],
            name=op.f("fk_protocol_signer_id_commission_member"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protocol")),
        sa.UniqueConstraint("round_id", "version", name=op.f("uq_protocol_round_id_version")),
    )
    op.create_table(
        "protocol_vote",
        sa.Column("protocol_id", sa.Integer(), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["nomination_id"],
            ["nomination.id"],
            name=op.f("fk_protocol_vote_nomination_id_nomination"),
        ),
        sa.ForeignKeyConstraint(
            ["protocol_id"], ["protocol.id"], name=op.f("fk_protocol_vote_protocol_id_protocol")
        ),
        sa.PrimaryKeyConstraint("protocol_id", "nomination_id", name=op.f("pk_protocol_vote")),
    )


def downgrade() -> None:
    op.drop_table("protocol_vote")
    op.drop_table("protocol")
    op.drop_table("sitting_contest")
    op.drop_table("round")
    with op.batch_alter_table("contest") as batch_op:
        batch_op.drop_constraint(
            op.f("fk_contest_elected_nomination_id_nomination"), type_="foreignkey"
        )
    op.drop_index("ix_nomination_event_person", table_name="nomination")
    op.drop_index(op.f("ix_nomination_contest_id"), table_name="nomination")
    op.drop_table("nomination")
    op.drop_table("contest")
    op.drop_table("attendance")
    op.drop_table("sitting")
    op.drop_table("voting_day")
    op.drop_table("person")
    op.drop_table("election_event")
