"""An election cycle's published results as a NIST SP 1500-100 version 2 ElectionReport (JSON),
built from the open-data read model (services/views/opendata.py). docs/open-data.md gives the
mapping: one Election per event (a repeat event is a `special` election), one CandidateContest
per contest with each candidate's votes in every round (`Round`), ballot counts per round,
the contest's count status, and the report's status.

The output is deterministic: @ids come from KATO codes and stored ids, every list is sorted,
and the report's date is the latest publication it contains, so two exports of one database
are byte for byte the same.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from saylau.domain.election import CandidateStatus, ContestStatus
from saylau.exports.cdf_units import (
    COUNTRY_ID,
    gp_units,
    identifier,
    kato_identifier,
    label,
    names_text,
    office_id,
    offices,
    text,
    unit_id,
)
from saylau.rules.decide import DecisionKind
from saylau.rules.model import WinKind
from saylau.services.views.opendata import ElectionRecordView, OpenDataView, RepeatLinkView
from saylau.services.views.values import (
    CandidateListingView,
    ContestDetailView,
    RoundResultView,
)

ISSUER = "Central Election Commission of the Republic of Kazakhstan"
ISSUER_ABBREVIATION = "CEC"
# A contest's CountStatus: nothing published, a round published but no final result, final.
COUNT_STATUS = {
    ContestStatus.PENDING: "not-processed",
    ContestStatus.VOTING: "in-process",
    ContestStatus.LOT_REQUIRED: "in-process",
    ContestStatus.ELECTED: "completed",
    ContestStatus.REPEAT_ELECTION: "completed",
}
PRE_ELECTION = {
    CandidateStatus.NOMINATED: "filed",
    CandidateStatus.REGISTERED: "qualified",
    CandidateStatus.WITHDRAWN: "withdrawn",
}


def contest_id(event_id: int, kato: str) -> str:
    return f"con-{event_id}-{kato}"


def election_report(view: OpenDataView) -> dict[str, Any]:
    """The ElectionReport of the record (`view` read with public visibility for publication)."""
    statuses = [COUNT_STATUS[d.contest.status] for e in view.elections for d in e.contests]
    people = {
        c.person_id: c
        for e in view.elections
        for d in e.contests
        for c in d.candidates
        if c.status in PRE_ELECTION
    }
    return {
        "@type": "ElectionResults.ElectionReport",
        "Election": [_election(e, view) for e in view.elections],
        "Format": "summary-contest",
        "GeneratedDate": _iso(_generated_at(view)),
        "GpUnit": gp_units(view),
        "Issuer": ISSUER,
        "IssuerAbbreviation": ISSUER_ABBREVIATION,
        "Notes": "Published results as recorded by saylau; see docs/open-data.md for the mapping.",
        "Office": offices(view),
        "Person": [
            {
                "@id": f"per-{pid}",
                "@type": "ElectionResults.Person",
                "DateOfBirth": c.birth_date.isoformat(),
                "FullName": text(c.full_name),
                "Gender": c.sex,
            }
            for pid, c in sorted(people.items())
        ],
        "SequenceEnd": 1,
        "SequenceStart": 1,
        "Status": _report_status(statuses),
        "VendorApplicationId": f"saylau {_saylau_version()}",
    }


def to_bytes(report: dict[str, Any]) -> bytes:
    """The one serialisation: UTF-8, keys sorted, compact (json's C encoder: a tenth of the
    time an indented dump takes), a final newline."""
    text = json.dumps(report, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text + "\n").encode()


def _report_status(statuses: list[str]) -> str:
    """`certified` once every contest has its final, published (so signed) protocol;
    `unofficial-partial` while some have; `pre-election` before any result is published."""
    if statuses and all(s == "completed" for s in statuses):
        return "certified"
    if any(s != "not-processed" for s in statuses):
        return "unofficial-partial"
    return "pre-election"


def _generated_at(view: OpenDataView) -> datetime:
    """The latest publication in the record; the first event's creation before any."""
    published = [
        r.protocol.published_at
        for e in view.elections
        for d in e.contests
        for r in d.rounds
        if r.protocol.published_at is not None
    ]
    return max(published, default=view.elections[0].created_at)


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:  # SQLite returns naive UTC times
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _saylau_version() -> str:
    try:
        return version("saylau")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def _election(e: ElectionRecordView, view: OpenDataView) -> dict[str, Any]:
    days = [d.contest.vote_day for d in e.contests if d.contest.vote_day is not None]
    start = min(days, default=e.nomination_opens)
    statuses = {COUNT_STATUS[d.contest.status] for d in e.contests}
    repeats = {r.contest_id: r for r in view.repeat_elections}
    election: dict[str, Any] = {
        "@type": "ElectionResults.Election",
        "BallotCounts": [b for d in e.contests for b in _ballot_counts(d)],
        "Candidate": [
            _candidate(c, d) for d in e.contests for c in d.candidates if c.status in PRE_ELECTION
        ],
        "Contest": [_contest(d, e, repeats.get(d.contest.id)) for d in e.contests],
        "CountStatus": [_count_status(_overall(statuses))],
        "ElectionScopeId": COUNTRY_ID,
        "EndDate": max(days, default=start).isoformat(),
        "ExternalIdentifier": [identifier("saylau-event-id", str(e.event_id))],
        "Name": text(e.name),
        "StartDate": start.isoformat(),
        "Type": "general" if e.repeats is None else "special",
    }
    return election


def _overall(statuses: set[str]) -> str:
    if statuses == {"completed"}:
        return "completed"
    return "not-processed" if statuses <= {"not-processed"} else "in-process"


def _count_status(status: str) -> dict[str, Any]:
    return {"@type": "ElectionResults.CountStatus", "Status": status, "Type": "total"}


def _contest(
    d: ContestDetailView, e: ElectionRecordView, repeat: RepeatLinkView | None
) -> dict[str, Any]:
    c = d.contest
    first_win = e.rule_set.rule_for(1).win.kind
    ids = [
        kato_identifier(c.post.kato),
        identifier("saylau-contest-id", str(c.id)),
        identifier("saylau-status", c.status.value),
    ]
    if c.failure_reason is not None:
        ids.append(identifier("saylau-failure-reason", c.failure_reason.value))
    if repeat is not None:
        # The failed contest this repeat election fills the post after.
        ids.append(
            identifier(
                "saylau-repeat-of",
                contest_id(repeat.failed_event_id, c.post.kato),
                label=repeat.reason.value,
            )
        )
    if c.protocol is not None:
        ids.append(
            identifier(
                "saylau-protocol-id",
                str(c.protocol.id),
                label=f"round {c.protocol.round_no}, version {c.protocol.version}",
            )
        )
    contest: dict[str, Any] = {
        "@id": contest_id(e.event_id, c.post.kato),
        "@type": "ElectionResults.CandidateContest",
        "BallotTitle": names_text(c.post.names, c.post.kato, template="office"),
        "ContestSelection": _selections(d, e),
        "CountStatus": [_count_status(COUNT_STATUS[c.status])],
        "ElectionDistrictId": unit_id(c.post),
        "ExternalIdentifier": ids,
        "Name": label(c.post.names, c.post.kato),
        "NumberElected": 1,
        "OfficeIds": [office_id(c.post)],
        "VoteVariation": "majority" if first_win is WinKind.MAJORITY else "plurality",
        "VotesAllowed": 1,
    }
    return contest


def _selections(d: ContestDetailView, e: ElectionRecordView) -> list[dict[str, Any]]:
    """A selection per candidate who stood (their votes in each visible round), then the
    scattered votes as a write-in selection and the against-all line, where there are any."""
    gpu = unit_id(d.contest.post)
    votes: dict[int, list[tuple[int, int]]] = {}
    for r in d.rounds:
        for nid, _, n in r.votes:
            votes.setdefault(nid, []).append((r.round_no, n))
    standing = [
        c
        for c in d.candidates
        if c.status is CandidateStatus.REGISTERED or c.nomination_id in votes
    ]
    found = [
        {
            "@id": f"sel-{c.nomination_id}",
            "@type": "ElectionResults.CandidateSelection",
            "CandidateIds": [f"can-{c.nomination_id}"],
            "SequenceOrder": i,
            "VoteCounts": [
                _votes(n, gpu, round_no) for round_no, n in votes.get(c.nomination_id, [])
            ],
        }
        for i, c in enumerate(standing, start=1)
    ]
    base = contest_id(e.event_id, d.contest.post.kato).removeprefix("con-")
    lines = [("scattered", True)] + ([("against_all", False)] if e.rule_set.against_all else [])
    for field, is_write_in in lines:
        if field == "scattered" and not any(r.counts.get(field) for r in d.rounds):
            continue
        selection: dict[str, Any] = {
            "@id": f"sel-{base}-{field.replace('_', '-')}",
            "@type": "ElectionResults.CandidateSelection",
            "CandidateIds": [],
            "SequenceOrder": len(found) + 1,
            "VoteCounts": [_votes(r.counts.get(field, 0), gpu, r.round_no) for r in d.rounds],
        }
        if is_write_in:
            selection["IsWriteIn"] = True
        found.append(selection)
    return found


def _votes(count: int, gpu: str, round_no: int) -> dict[str, Any]:
    return {
        "@type": "ElectionResults.VoteCounts",
        "Count": count,
        "GpUnitId": gpu,
        "Round": round_no,
        "Type": "total",
    }


def _ballot_counts(d: ContestDetailView) -> list[dict[str, Any]]:
    """Each visible round: ballots cast and rejected (invalid), and the blank ones."""
    gpu = unit_id(d.contest.post)
    found = []
    for r in d.rounds:
        found.append(_ballots(gpu, r, "total", r.counts["ballots_cast"], r.counts["invalid"]))
        found.append(_ballots(gpu, r, "blank", r.counts["blank"], None))
    return found


def _ballots(
    gpu: str, r: RoundResultView, kind: str, cast: int, rejected: int | None
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "@type": "ElectionResults.BallotCounts",
        "BallotsCast": cast,
        "GpUnitId": gpu,
        "Round": r.round_no,
    }
    if kind == "total":
        found["Type"] = "total"
    else:
        found["Type"], found["OtherType"] = "other", kind
    if rejected is not None:
        found["BallotsRejected"] = rejected
    return found


def _candidate(c: CandidateListingView, d: ContestDetailView) -> dict[str, Any]:
    candidate: dict[str, Any] = {
        "@id": f"can-{c.nomination_id}",
        "@type": "ElectionResults.Candidate",
        "BallotName": text(c.full_name),
        "IsIncumbent": c.is_incumbent,
        "PersonId": f"per-{c.person_id}",
        "PreElectionStatus": PRE_ELECTION[c.status],
    }
    post = _post_election_status(c, d)
    if post is not None:
        candidate["PostElectionStatus"] = post
    return candidate


def _post_election_status(c: CandidateListingView, d: ContestDetailView) -> str | None:
    """winner / defeated once the contest's result is published; advanced-to-runoff for those
    standing again after a published round sent the contest to repeat voting."""
    if c.status is not CandidateStatus.REGISTERED:
        return None
    status = d.contest.status
    if status is ContestStatus.ELECTED:
        return "winner" if c.is_elected else "defeated"
    if status is ContestStatus.REPEAT_ELECTION:
        return "defeated"
    last = d.rounds[-1].decision if d.rounds else None
    if status is ContestStatus.VOTING and last and last.kind is DecisionKind.NEXT_ROUND:
        standing = last.standing or ()
        if standing:
            return "advanced-to-runoff" if str(c.nomination_id) in standing else "defeated"
    return None
