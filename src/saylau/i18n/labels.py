"""What each stored status, kind and role is called in front of a person, in any language.

A label is an English message marked with N_ (extracted into the catalogs) and translated when
shown: `label(ContestStatus.ELECTED, "kk")`. Every value of every enum here has a label; a test
fails when a new value is added without one.
"""

from __future__ import annotations

from enum import StrEnum

from saylau.domain.accounts import Role
from saylau.domain.appeals import AppealOutcome, AppealSubject, AuthorityKind, RepeatReason
from saylau.domain.election import (
    CandidateStatus,
    ContestStatus,
    NominatorKind,
    ProtocolStatus,
    RoundStatus,
    SittingStatus,
)
from saylau.domain.structure import CommissionRole, Sex, TerritoryKind
from saylau.i18n import N_, Language, gettext_for

LABELS: dict[type[StrEnum], dict[str, str]] = {
    ContestStatus: {
        "pending": N_("Awaiting the vote"),
        "voting": N_("Voting in progress"),
        "elected": N_("Elected"),
        "lot_required": N_("Lots to be drawn"),
        "repeat_election": N_("Repeat election"),
    },
    RoundStatus: {
        "open": N_("Open"),
        "decided": N_("Decided"),
        "cancelled": N_("Cancelled"),
    },
    ProtocolStatus: {
        "rejected": N_("Rejected draft"),
        "accepted": N_("Accepted"),
        "superseded": N_("Superseded by a correction"),
        "annulled": N_("Annulled"),
    },
    SittingStatus: {
        "scheduled": N_("Scheduled"),
        "open": N_("Open"),
    },
    CandidateStatus: {
        "nominated": N_("Nominated"),
        "registered": N_("Registered"),
        "refused": N_("Refused registration"),
        "withdrawn": N_("Withdrawn"),
    },
    NominatorKind: {
        "district_akim": N_("Nominated by the district akim"),
        "self": N_("Self-nominated"),
        "party": N_("Nominated by a party"),
    },
    Sex: {"female": N_("Woman"), "male": N_("Man")},
    TerritoryKind: {
        "region": N_("Region"),
        "district": N_("District"),
        "city_of_regional_significance": N_("City of regional significance"),
        "town_of_district_significance": N_("Town of district significance"),
        "rural_district": N_("Rural district"),
        "settlement": N_("Settlement"),
        "village": N_("Village"),
    },
    CommissionRole: {
        "chair": N_("Chair"),
        "deputy_chair": N_("Deputy chair"),
        "secretary": N_("Secretary"),
        "member": N_("Member"),
    },
    Role: {
        "cec-admin": N_("CEC administrator"),
        "regional": N_("Regional commission"),
        "chair": N_("Chair"),
        "secretary": N_("Secretary"),
        "member": N_("Member"),
        "observer": N_("Observer"),
    },
    AppealSubject: {
        "registration": N_("Registration of a candidate"),
        "refusal": N_("Refusal to register"),
        "sitting": N_("Conduct of a meeting of electors"),
        "protocol": N_("Protocol"),
    },
    AuthorityKind: {"commission": N_("Higher election commission"), "court": N_("Court")},
    AppealOutcome: {
        "upheld": N_("Upheld"),
        "rejected": N_("Rejected"),
        "left_without_consideration": N_("Left without consideration"),
    },
    RepeatReason: {
        "no_quorum": N_("No quorum"),
        "no_majority": N_("No majority"),
        "tie": N_("Tied votes"),
        "against_all": N_("Majority against all"),
        "too_few_candidates": N_("Too few candidates"),
    },
}


def label(value: StrEnum, lang: Language) -> str:
    """The label of a stored value in `lang`."""
    return gettext_for(lang)(LABELS[type(value)][value.value])
