"""Users: the bootstrap, scopes and member links, passwords, disabling, and the audit log."""

from __future__ import annotations

import pytest
from accounts_fixtures import (
    DISTRICT_A,
    DISTRICT_B,
    NOW,
    REGION_A,
    build_two_regions,
)
from sqlalchemy import text
from sqlalchemy.orm import Session

from saylau.domain.accounts import NewUser, Principal, Role, UserId
from saylau.domain.structure import CommissionRole
from saylau.services import users
from saylau.services.audit.read import list_entries
from saylau.services.audit.verify import verify_log
from saylau.services.errors import InvalidInput, NotFound, Refused

PASSWORD = "a long enough password"


def _bootstrap(session: Session) -> Principal:
    uid = users.add_user(
        session=session,
        principal=None,
        user=NewUser("admin", "Administrator", Role.CEC_ADMIN),
        password=PASSWORD,
        now=NOW,
    )
    return Principal(uid, Role.CEC_ADMIN)


def _codes(error: pytest.ExceptionInfo[Exception]) -> list[str]:
    assert isinstance(error.value, (Refused, InvalidInput))
    return [p.code for p in error.value.problems]


def test_bootstrap_once_and_only_for_a_cec_admin(session: Session) -> None:
    with pytest.raises(Refused) as refused:
        users.add_user(
            session=session,
            principal=None,
            user=NewUser("obs", "Observer", Role.OBSERVER),
            password=PASSWORD,
            now=NOW,
        )
    assert _codes(refused) == ["not_authenticated"]
    assert users.num_users(session=session) == 0
    admin = _bootstrap(session)
    assert admin.user_id == 1
    with pytest.raises(Refused) as refused:
        users.add_user(
            session=session,
            principal=None,
            user=NewUser("second", "Second", Role.CEC_ADMIN),
            password=PASSWORD,
            now=NOW,
        )
    assert _codes(refused) == ["not_authenticated"]
    (entry,) = list_entries(session=session, object_type="user")
    assert (entry.actor, entry.action, entry.object_id) == ("user:1", "user.add", "1")
    assert "password_hash" not in entry.state and entry.state["password_digest"]


def test_scopes_and_member_links_are_checked(session: Session) -> None:
    regions = build_two_regions(session)
    admin = _bootstrap(session)
    with pytest.raises((Refused, InvalidInput)) as refused:
        users.add_users(
            session=session,
            principal=admin,
            users=[
                NewUser("r", "R", Role.REGIONAL, DISTRICT_A),  # not a region
                NewUser("c", "C", Role.CHAIR, REGION_A),  # no council there
                NewUser("s", "S", Role.SECRETARY),  # no scope
                NewUser("o", "O", Role.OBSERVER, DISTRICT_A),  # national: no scope
                NewUser("x", "X", Role.MEMBER, "999999999"),
                NewUser("admin", "Again", Role.OBSERVER),
            ],
            now=NOW,
        )
    assert sorted(_codes(refused)) == ["scope_missing", "scope_not_allowed"]
    with pytest.raises(Refused) as refused:
        users.add_users(
            session=session,
            principal=admin,
            users=[
                NewUser("r", "R", Role.REGIONAL, DISTRICT_A),
                NewUser("c", "C", Role.CHAIR, REGION_A),
                NewUser("x", "X", Role.MEMBER, "999999999"),
                NewUser("admin", "Again", Role.OBSERVER),
            ],
            now=NOW,
        )
    assert _codes(refused) == ["not_a_region", "no_council", "unknown_territory", "duplicate_name"]
    ids = users.add_users(
        session=session,
        principal=admin,
        users=[
            NewUser("chair-b", "Chair B", Role.CHAIR, DISTRICT_B),
            NewUser("secretary-a", "Secretary A", Role.SECRETARY, DISTRICT_A),
            NewUser("member-a", "Member A", Role.MEMBER, DISTRICT_A),
            NewUser("regional-a", "Regional A", Role.REGIONAL, REGION_A),
        ],
        now=NOW,
    )
    listed = {u.name: u for u in users.list_users(session=session)}
    assert [listed[n].id for n in ("chair-b", "secretary-a", "member-a", "regional-a")] == ids
    assert listed["chair-b"].member_id == regions.members[(DISTRICT_B, CommissionRole.CHAIR)]
    assert (
        listed["secretary-a"].member_id == (regions.members[(DISTRICT_A, CommissionRole.SECRETARY)])
    )
    assert (listed["member-a"].member_id, listed["regional-a"].member_id) == (None, None)
    assert [u.has_password for u in listed.values()] == [True, False, False, False, False]


def test_only_a_cec_admin_manages_users(session: Session) -> None:
    build_two_regions(session)
    admin = _bootstrap(session)
    users.add_user(
        session=session,
        principal=admin,
        user=NewUser("regional-a", "Regional A", Role.REGIONAL, REGION_A),
        password=PASSWORD,
        now=NOW,
    )
    regional = users.authenticate(session=session, name="regional-a", password=PASSWORD)
    assert (regional.role, regional.scope) == (Role.REGIONAL, REGION_A)
    with pytest.raises(Refused) as refused:
        users.add_user(
            session=session,
            principal=regional,
            user=NewUser("chair-a", "Chair A", Role.CHAIR, DISTRICT_A),
            password=None,
            now=NOW,
        )
    assert _codes(refused) == ["forbidden"]
    with pytest.raises(Refused):
        users.disable_user(session=session, principal=regional, name="admin")
    for other in ("admin", "nobody"):  # an unknown name is refused alike: no NotFound
        with pytest.raises(Refused) as refused:
            users.set_password(session=session, principal=regional, name=other, password="x" * 12)
        assert _codes(refused) == ["forbidden"]
    # Its own password, though, a user may change.
    users.set_password(session=session, principal=regional, name="regional-a", password="y" * 12)
    assert (
        users.authenticate(session=session, name="regional-a", password="y" * 12).user_id
        == regional.user_id
    )


def test_wrong_password_unknown_user_no_password_and_disabled(session: Session) -> None:
    admin = _bootstrap(session)
    users.add_user(
        session=session,
        principal=admin,
        user=NewUser("obs", "Observer", Role.OBSERVER),
        password=None,
        now=NOW,
    )
    for name, password in (("admin", "wrong password!"), ("nobody", PASSWORD), ("obs", "")):
        with pytest.raises(Refused) as refused:
            users.authenticate(session=session, name=name, password=password)
        assert _codes(refused) == ["bad_credentials"]
    with pytest.raises(InvalidInput) as short:
        users.set_password(session=session, principal=admin, name="obs", password="short")
    assert _codes(short) == ["short_password"]
    users.set_password(session=session, principal=admin, name="obs", password=PASSWORD)
    assert users.authenticate(session=session, name="obs", password=PASSWORD).role is Role.OBSERVER
    with pytest.raises(Refused):
        users.disable_user(session=session, principal=admin, name="admin")  # not itself
    users.disable_user(session=session, principal=admin, name="obs")
    with pytest.raises(Refused) as refused:
        users.authenticate(session=session, name="obs", password=PASSWORD)
    assert _codes(refused) == ["user_disabled"]
    with pytest.raises(NotFound):
        users.disable_user(session=session, principal=admin, name="nobody")
    actions = [e.action for e in list_entries(session=session, object_type="user")]
    assert actions == ["user.disable", "user.passwd", "user.add", "user.add"]
    assert verify_log(session=session).is_ok


def test_a_password_hash_changed_behind_the_services_is_caught(session: Session) -> None:
    _bootstrap(session)
    assert verify_log(session=session).is_ok
    session.execute(text("UPDATE app_user SET password_hash = 'x' WHERE name = 'admin'"))
    session.commit()
    problem = verify_log(session=session).first_problem
    assert problem is not None and (problem.object_type, problem.object_id) == ("user", "1")


def test_actors_are_described_by_name_role_and_scope(session: Session) -> None:
    build_two_regions(session)
    admin = _bootstrap(session)
    users.add_user(
        session=session,
        principal=admin,
        user=NewUser("regional-a", "Regional A", Role.REGIONAL, REGION_A),
        password=None,
        now=NOW,
    )
    found = users.describe_actors(
        session=session,
        actors=["user:1", "user:2 past-act entered 2026-11-30T00:00:00+00:00", "cli:old"],
    )
    assert list(found.values()) == [
        "admin (cec-admin)",
        "regional-a (regional of 270000000)",
        "cli:old",
    ]
    assert UserId(2) == users.principal_of(session=session, name="regional-a").user_id


@pytest.mark.parametrize(
    ("user", "problem"),
    [
        (
            NewUser("ad\x00min", "Administrator", Role.OBSERVER),
            ("[0].name", "bad_text", "contains the control character U+0000"),
        ),
        (
            NewUser("x" * 101, "Administrator", Role.OBSERVER),
            ("[0].name", "bad_text", "101 characters; at most 100"),
        ),
        (
            NewUser("obs", "Obs\u202eerver", Role.OBSERVER),
            ("obs.display_name", "bad_text", "contains the control character U+202E"),
        ),
        (
            NewUser("obs", "O" * 201, Role.OBSERVER),
            ("obs.display_name", "bad_text", "201 characters; at most 200"),
        ),
        (
            NewUser("reg", "Regional", Role.REGIONAL, "27000000\u00b2"),
            ("reg.scope", "bad_kato", 'a KATO code: expected 9 digits 0-9, got "27000000\\u00b2"'),
        ),
    ],
)
def test_names_and_scopes_go_through_the_input_rules(
    session: Session, user: NewUser, problem: tuple[str, str, str]
) -> None:
    admin = _bootstrap(session)
    with pytest.raises(InvalidInput) as refused:
        users.add_user(session=session, principal=admin, user=user, password=None, now=NOW)
    assert [(p.where, p.code, p.message) for p in refused.value.problems] == [problem]
    assert users.num_users(session=session) == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("a long\x00 enough password", "contains the control character U+0000"),
        ("p" * 1025, "1,025 characters; at most 1024"),
    ],
)
def test_a_password_with_control_characters_or_too_long_is_refused(
    session: Session, password: str, message: str
) -> None:
    admin = _bootstrap(session)
    with pytest.raises(InvalidInput) as refused:
        users.set_password(session=session, principal=admin, name="admin", password=password)
    assert [(p.code, p.message) for p in refused.value.problems] == [("bad_text", message)]
    assert users.authenticate(session=session, name="admin", password=PASSWORD).user_id == 1


def test_a_name_that_is_no_text_names_no_user(session: Session) -> None:
    _bootstrap(session)
    with pytest.raises(Refused) as refused:
        users.authenticate(session=session, name="ad\x00min", password=PASSWORD)
    assert _codes(refused) == ["bad_credentials"]
    with pytest.raises(InvalidInput) as invalid:
        users.disable_user(
            session=session, principal=Principal(UserId(1), Role.CEC_ADMIN), name="a\x00"
        )
    assert _codes(invalid) == ["bad_text"]
