"""What a contest's workspace page shows, read once for the page and for the API: the contest
(within the user's reach), its candidates, its rounds with every protocol version, its appeals."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from saylau.domain.accounts import Principal
from saylau.domain.appeals import Appeal
from saylau.domain.election import ContestId, ProtocolStatus, RoundStatus
from saylau.services import candidates, results
from saylau.services.appeals import list_appeals
from saylau.services.candidates import CandidateView
from saylau.services.results import ProtocolView, RoundView
from saylau.services.views.workspace import StaffContest, staff_contest


@dataclass(frozen=True)
class RoundPage:
    round: RoundView
    versions: tuple[ProtocolView, ...]  # oldest first

    @property
    def accepted(self) -> ProtocolView | None:
        return next((v for v in self.versions if v.status is ProtocolStatus.ACCEPTED), None)

    @property
    def is_open(self) -> bool:
        return self.round.status == RoundStatus.OPEN and self.accepted is None


@dataclass(frozen=True)
class ContestPage:
    staff: StaffContest
    candidates: tuple[CandidateView, ...]
    rounds: tuple[RoundPage, ...]
    appeals: tuple[Appeal, ...]

    @property
    def names(self) -> dict[str, str]:
        return {str(c.nomination_id): c.full_name for c in self.candidates}

    @property
    def contest_id(self) -> ContestId:
        return self.staff.detail.contest.id


def contest_page(session: Session, principal: Principal, contest_id: ContestId) -> ContestPage:
    staff = staff_contest(session=session, principal=principal, contest_id=contest_id)
    rounds = results.list_rounds(session=session, contest_id=contest_id)
    return ContestPage(
        staff=staff,
        candidates=tuple(candidates.list_candidates(session=session, contest_id=contest_id)),
        rounds=tuple(
            RoundPage(
                r,
                tuple(
                    results.protocol_versions(
                        session=session, contest_id=contest_id, round_no=r.round_no
                    )
                ),
            )
            for r in rounds
        ),
        appeals=tuple(
            a
            for a in list_appeals(session=session, event_id=staff.event_id)
            if a.contest_id == contest_id
        ),
    )
