"""Uralsk's meeting of electors ready to run in the workspace: the structure of
docs/lifecycle.md's worked example (and a second region), an event whose rule set settles a tie
by lot (docs/lots.md), nine registered candidates, the meeting scheduled on `day`, and users of
every role with passwords. Built through the services, as the CLI would.

The calendar is placed before `day` (the browser test runs the meeting today); the nominations
and registrations are the CEC administrator's past acts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from saylau.domain.accounts import NewUser, Principal, Role
from saylau.domain.election import (
    Calendar,
    ContestId,
    Eligibility,
    EventId,
    NominationId,
    NominationRequest,
    NominatorKind,
    PersonData,
    SittingId,
)
from saylau.domain.structure import CouncilId
from saylau.services import candidates, events, imports, resolve, sittings, users

REGION, URALSK, OTHER_REGION = "270000000", "271010000", "350000000"
POSTS = {"271033000": "Derkul", "271035000": "Zachagansk", "271037000": "Krugloozerny"}
PASSWORD = "a long test password"  # every user's
USERS = {
    "admin": (Role.CEC_ADMIN, None),
    "chair": (Role.CHAIR, URALSK),
    "secretary": (Role.SECRETARY, URALSK),
    "member": (Role.MEMBER, URALSK),
    "regional": (Role.REGIONAL, REGION),
    "other-regional": (Role.REGIONAL, OTHER_REGION),
    "observer": (Role.OBSERVER, None),
}


def bundle() -> dict[str, Any]:
    return {
        "territories": [
            {
                "kato": REGION,
                "kind": "region",
                "name_en": "West Kazakhstan Region",
                "name_kk": "Батыс Қазақстан облысы",
                "name_ru": "Западно-Казахстанская область",
            },
            {
                "kato": URALSK,
                "kind": "city_of_regional_significance",
                "parent_kato": REGION,
                "name_en": "Uralsk",
                "name_kk": "Орал",
                "name_ru": "Уральск",
            },
            *[
                {"kato": k, "kind": "settlement", "parent_kato": URALSK, "name_en": n}
                for k, n in POSTS.items()
            ],
            {"kato": OTHER_REGION, "kind": "region", "name_en": "Karaganda Region"},
        ],
        "councils": [{"territory_kato": URALSK, "num_seats": 19, "name_en": "Uralsk maslikhat"}],
        "deputies": [
            {
                "council_kato": URALSK,
                "full_name": f"Deputy {n:02d}",
                "sex": "female" if n % 3 == 0 else "male",
                "birth_date": f"{1955 + n}-05-01",
                "mandate_start": "2012-01-15",
            }
            for n in range(1, 20)
        ],
        "commissions": [
            {
                "level": "district",
                "territory_kato": URALSK,
                "name": "Uralsk city election commission",
                "members": [
                    {"full_name": "Chair Amanov", "role": "chair"},
                    {"full_name": "Secretary Zhaksylykova", "role": "secretary"},
                    {"full_name": "Member Ospanov", "role": "member"},
                ],
            }
        ],
        "posts": [{"territory_kato": k, "council_kato": URALSK} for k in POSTS],
    }


def lot_rules() -> dict[str, Any]:
    """kz-akim-2013 with `tie: lot` (docs/lots.md)."""
    preset = resources.files("saylau.rules").joinpath("presets/kz-akim-2013.json")
    rules: dict[str, Any] = json.loads(preset.read_text("utf-8"))
    return rules | {"name": "kz-akim-2013-lot", "tie": "lot"}


@dataclass(frozen=True)
class Meeting:
    event_id: EventId
    contests: dict[str, ContestId]  # by post KATO
    sitting_id: SittingId
    nominations: dict[str, NominationId]  # by full name
    day: date


def build(
    session: Session, folder: Path, day: date, *, register: bool = True, lot: bool = True
) -> Meeting:
    """The meeting on `day`; `lot` False keeps the shipped kz-akim-2013 (a tie fails), whose
    appeal procedure saylau knows."""
    now = datetime.now(UTC)
    users.add_user(
        session=session,
        principal=None,
        user=NewUser("admin", "CEC admin", Role.CEC_ADMIN),
        password=PASSWORD,
        now=now,
    )
    admin = users.principal_of(session=session, name="admin")
    path = folder / "bundle.json"
    path.write_text(json.dumps(bundle(), ensure_ascii=False), encoding="utf-8")
    imports.import_file(
        session=session,
        principal=admin,
        kind=imports.ImportKind.BUNDLE,
        path=path,
        on=date(2013, 7, 1),
    )
    for name, (role, scope) in USERS.items():
        if name != "admin":
            users.add_user(
                session=session,
                principal=admin,
                user=NewUser(name, name.replace("-", " ").title(), role, scope),
                password=PASSWORD,
                now=now,
            )
    calendar = Calendar(day - timedelta(days=30), day - timedelta(days=20), day - timedelta(days=5))
    event_id = events.create_event(
        session=session,
        principal=admin,
        name="Akim elections",
        rules=lot_rules() if lot else "kz-akim-2013",
        calendar=calendar,
        voting_days={REGION: day, URALSK: day},
        post_katos=list(POSTS),
        min_candidates=2,
        eligibility=Eligibility(min_age=25, required_documents=("identity_document", "consent")),
        now=now,
    )
    contests = {k: resolve.find_contest(session=session, event_id=event_id, ref=k) for k in POSTS}
    past = admin.entering_past_act(now)
    nominated = {}
    for i, kato in enumerate(POSTS):
        for j in range(3):
            n = 3 * i + j + 1
            nominated[f"Candidate {n}"] = candidates.nominate(
                session=session,
                principal=past,
                on=calendar.nomination_opens,
                request=NominationRequest(
                    ContestId(contests[kato]),
                    PersonData(
                        f"Candidate {n}", "female" if n % 4 == 0 else "male", date(1960 + n, 2, 11)
                    ),
                    NominatorKind.DISTRICT_AKIM,
                    "Akim of Uralsk",
                    ("identity_document", "consent"),
                ),
            )
    if register:
        for nomination in nominated.values():
            candidates.register(
                session=session,
                principal=past,
                nomination_id=nomination,
                on=calendar.registration_deadline,
            )
    council = resolve.find_council(session=session, ref=URALSK)
    sitting = sittings.schedule_sitting(
        session=session,
        principal=admin,
        request=sittings.SittingRequest(
            event_id, CouncilId(council), day, tuple(contests[k] for k in POSTS)
        ),
    )
    return Meeting(event_id, contests, sitting, nominated, day)


def principal(session: Session, name: str) -> Principal:
    return users.principal_of(session=session, name=name)


def csrf_of(client: TestClient, page: str = "/login") -> str:
    """The CSRF token a page's forms carry."""
    text = client.get(page).text
    marker = 'name="csrf_token" value="'
    start = text.index(marker) + len(marker)
    return text[start : text.index('"', start)]


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> None:
    response = client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
