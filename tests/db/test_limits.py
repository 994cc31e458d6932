"""The input layer's text limits (domain/limits.py, docs/input.md) are the columns' lengths, so
what it lets through fits every database."""

from __future__ import annotations

import pytest
from sqlalchemy import String

from saylau.db.base import Base
from saylau.db.tables.accounts import UserRow
from saylau.db.tables.election import ElectionEventRow, NominationRow, PersonRow, ProtocolRow
from saylau.db.tables.structure import (
    CommissionMemberRow,
    CommissionRow,
    CouncilRow,
    DeputyRow,
    TerritoryRow,
)
from saylau.domain import limits


@pytest.mark.parametrize(
    ("row", "column", "limit"),
    [
        (TerritoryRow, "name_ru", limits.NAME),
        (CouncilRow, "name_kk", limits.NAME),
        (DeputyRow, "full_name", limits.NAME),
        (CommissionRow, "name", limits.COMMISSION_NAME),
        (CommissionMemberRow, "full_name", limits.NAME),
        (ElectionEventRow, "name", limits.NAME),
        (PersonRow, "full_name", limits.NAME),
        (NominationRow, "nominator", limits.NAME),
        (NominationRow, "refusal_reason", limits.REFUSAL_REASON),
        (ProtocolRow, "correction_reason", limits.REASON),
        (UserRow, "name", limits.USER_NAME),
        (UserRow, "display_name", limits.NAME),
    ],
)
def test_text_limits_are_the_column_lengths(row: type[Base], column: str, limit: int) -> None:
    kind = row.__table__.c[column].type
    assert isinstance(kind, String)
    assert kind.length == limit


def test_counts_fit_a_32_bit_integer_column() -> None:
    assert max(limits.MAX_COUNT, limits.MAX_SEATS, limits.MAX_ROUNDS) <= limits.MAX_STORED_INT
