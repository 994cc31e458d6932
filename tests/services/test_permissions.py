"""The permission matrix: every role on every action, in and out of its scope; past acts; the
generated docs/permissions.md."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from accounts_fixtures import (
    DISTRICT_A,
    DISTRICT_B,
    REGION_A,
    TwoRegions,
    build_two_regions,
)
from sqlalchemy.orm import Session

from saylau.domain.accounts import COMMISSION_ROLES, NATIONAL_ROLES, Principal, Role, UserId
from saylau.services.errors import Refused
from saylau.services.permissions import MATRIX, Action, Reach, authorize, reach

ROOT = Path(__file__).resolve().parents[2]

# What the matrix must say, written out independently of it: (role, action) -> reach.
_E, _S = Reach.EVERYWHERE, Reach.IN_SCOPE
COMMISSION_WORK = {
    Action.CANDIDATE_NOMINATE,
    Action.CANDIDATE_DECIDE,
    Action.CANDIDATE_WITHDRAW,
    Action.SITTING_SCHEDULE,
    Action.SITTING_ATTENDANCE,
    Action.SITTING_OPEN,
    Action.SITTING_CONDUCT,
    Action.PROTOCOL_SUBMIT,
    Action.PROTOCOL_CORRECT,
    Action.LOT_DRAW,
    Action.APPEAL_FILE,
}
EXPECTED: dict[Role, dict[Action, Reach]] = {
    Role.CEC_ADMIN: {a: _E for a in Action if a is not Action.PROTOCOL_SIGN},
    Role.REGIONAL: dict.fromkeys(
        [
            *COMMISSION_WORK,
            Action.PROTOCOL_PUBLISH,
            Action.PUBLISHED_CORRECT,
            Action.PAST_ACT,
            Action.CHECKPOINT_SIGN,
            Action.APPEAL_DECIDE,
            Action.REPEAT_CALL,
        ],
        _S,
    ),
    Role.CHAIR: dict.fromkeys(
        [
            *COMMISSION_WORK,
            Action.PROTOCOL_SIGN,
            Action.PROTOCOL_PUBLISH,
            Action.PAST_ACT,
            Action.KEY_CREATE,
            Action.CHECKPOINT_SIGN,
        ],
        _S,
    ),
    Role.SECRETARY: dict.fromkeys(
        [*COMMISSION_WORK, Action.PROTOCOL_SIGN, Action.KEY_CREATE, Action.CHECKPOINT_SIGN], _S
    ),
    Role.MEMBER: dict.fromkeys([Action.SITTING_ATTENDANCE, Action.PROTOCOL_SUBMIT], _S),
    Role.OBSERVER: {},
}


def principal(role: Role) -> Principal:
    if role in NATIONAL_ROLES:
        return Principal(UserId(7), role)
    return Principal(UserId(7), role, scope=REGION_A if role is Role.REGIONAL else DISTRICT_A)


@pytest.fixture
def regions(session: Session) -> TwoRegions:
    return build_two_regions(session)


def _allowed(session: Session, who: Principal, action: Action, territory: int) -> bool:
    try:
        actor = authorize(
            session=session, principal=who, action=action, territories=lambda: [territory]
        )
    except Refused as refused:
        codes = [p.code for p in refused.problems]
        assert codes and set(codes) <= {"forbidden", "out_of_scope"}
        return False
    assert actor == who.actor
    return True


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_every_role_on_every_action_in_and_out_of_scope(
    session: Session, regions: TwoRegions, role: Role, action: Action
) -> None:
    expected = EXPECTED[role].get(action)
    assert reach(role, action) == expected
    who = principal(role)
    inside = _allowed(session, who, action, regions.territory[DISTRICT_A])
    outside = _allowed(session, who, action, regions.territory[DISTRICT_B])
    assert (inside, outside) == (expected is not None, expected is Reach.EVERYWHERE)


@pytest.mark.parametrize("role", list(Role))
def test_a_past_act_needs_the_past_act_permission_too(
    session: Session, regions: TwoRegions, role: Role
) -> None:
    from datetime import UTC, datetime

    who = principal(role).entering_past_act(datetime(2026, 11, 30, tzinfo=UTC))
    allowed = _allowed(session, who, Action.PROTOCOL_SUBMIT, regions.territory[DISTRICT_A])
    may_submit = Action.PROTOCOL_SUBMIT in EXPECTED[role]
    assert allowed == (may_submit and Action.PAST_ACT in EXPECTED[role])
    assert who.actor == "user:7 past-act entered 2026-11-30T00:00:00+00:00"


def test_out_of_scope_names_the_territory(session: Session, regions: TwoRegions) -> None:
    with pytest.raises(Refused) as refused:
        authorize(
            session=session,
            principal=principal(Role.REGIONAL),
            action=Action.SITTING_OPEN,
            territories=lambda: [regions.territory[DISTRICT_B], regions.territory[DISTRICT_A]],
        )
    assert [(p.code, p.where) for p in refused.value.problems] == [("out_of_scope", DISTRICT_B)]


def test_matrix_covers_every_role_and_only_known_actions() -> None:
    assert set(MATRIX) == set(Role)
    assert COMMISSION_ROLES | NATIONAL_ROLES | {Role.REGIONAL} == set(Role)


def test_permissions_page_matches_the_matrix() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "permissions_docs.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
