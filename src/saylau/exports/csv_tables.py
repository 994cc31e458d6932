"""An election cycle's record as CSV files, from the open-data read model: contests,
candidates, rounds, votes, councils and appeals (the column dictionary: docs/open-data.md).

UTF-8 without a byte-order mark, a header row, RFC 4180 quoting and line ends; rows in a
stable order (event, then KATO or id); empty cells for what is unknown or not yet published.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from enum import Enum
from fractions import Fraction
from typing import Any

from saylau.domain.election import COUNT_FIELDS
from saylau.services.views.opendata import OpenDataView

CONTESTS = (
    "event_id",
    "contest_id",
    "post_kato",
    "post_kind",
    "post_name_kk",
    "post_name_ru",
    "post_name_en",
    "council_kato",
    "region_kato",
    "status",
    "failure_reason",
    "num_candidates",
    "num_rounds",
    "vote_day",
    "elected_nomination_id",
    "elected_person_id",
    "elected_name",
    "elected_sex",
    "elected_age",
    "elected_is_incumbent",
    "margin",
    "protocol_id",
    "protocol_round",
    "protocol_version",
    "protocol_signed_by",
    "protocol_signed_at",
    "protocol_published_at",
    "repeat_of_contest_id",
    "repeat_contest_id",
)
CANDIDATES = (
    "event_id",
    "contest_id",
    "post_kato",
    "nomination_id",
    "person_id",
    "full_name",
    "sex",
    "birth_date",
    "is_incumbent",
    "status",
    "is_elected",
)
ROUNDS = (
    "event_id",
    "contest_id",
    "post_kato",
    "round_no",
    "protocol_id",
    "protocol_version",
    *COUNT_FIELDS,
    "decision",
    "reason",
    "votes_needed",
    "elected_nomination_id",
    "standing",
    "tied",
    "lot_method",
    "lot_seed",
)
VOTES = ("event_id", "contest_id", "post_kato", "round_no", "nomination_id", "votes")
COUNCILS = (
    "event_id",
    "council_id",
    "kato",
    "kind",
    "name_kk",
    "name_ru",
    "name_en",
    "region_kato",
    "num_seats",
    "deputies",
    "commission_staff",
    "vote_days",
    "posts",
    "candidates",
    "elected",
    "failed",
    "pending",
)
APPEALS = (
    "appeal_id",
    "event_id",
    "contest_id",
    "subject",
    "object_id",
    "filed_on",
    "authority_kind",
    "authority",
    "voting_day",
    "deadline",
    "is_at_once",
    "outcome",
    "decided_on",
    "effect",
)
TABLES: dict[str, tuple[str, ...]] = {
    "contests.csv": CONTESTS,
    "candidates.csv": CANDIDATES,
    "rounds.csv": ROUNDS,
    "votes.csv": VOTES,
    "councils.csv": COUNCILS,
    "appeals.csv": APPEALS,
}


def csv_files(view: OpenDataView) -> dict[str, bytes]:
    """Each file's name and content, in TABLES order."""
    rows = {
        "contests.csv": _contests(view),
        "candidates.csv": _candidates(view),
        "rounds.csv": _rounds(view),
        "votes.csv": _votes(view),
        "councils.csv": _councils(view),
        "appeals.csv": _appeals(view),
    }
    return {name: _encode(columns, rows[name]) for name, columns in TABLES.items()}


def _encode(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        assert len(row) == len(columns), (columns, row)
        writer.writerow([_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else f"{value}"
    if isinstance(value, tuple | list):
        return " ".join(_cell(v) for v in value)
    return str(value)


def _contests(view: OpenDataView) -> Iterator[Sequence[Any]]:
    repeat_of = {r.contest_id: r.failed_contest_id for r in view.repeat_elections}
    repeated_by = {r.failed_contest_id: r.contest_id for r in view.repeat_elections}
    for e in view.elections:
        for d in e.contests:
            c, el, p = d.contest, d.contest.elected, d.contest.protocol
            yield (
                e.event_id,
                c.id,
                c.post.kato,
                c.post.kind,
                c.post.names.kk,
                c.post.names.ru,
                c.post.names.en,
                c.council.kato,
                c.region.kato if c.region else None,
                c.status,
                c.failure_reason,
                c.num_candidates,
                c.num_rounds,
                c.vote_day,
                el.nomination_id if el else None,
                el.person_id if el else None,
                el.full_name if el else None,
                el.sex if el else None,
                el.age if el else None,
                el.is_incumbent if el else None,
                c.margin,
                p.id if p else None,
                p.round_no if p else None,
                p.version if p else None,
                p.signed_by if p else None,
                p.signed_at if p else None,
                p.published_at if p else None,
                repeat_of.get(c.id),
                repeated_by.get(c.id),
            )


def _candidates(view: OpenDataView) -> Iterator[Sequence[Any]]:
    for e in view.elections:
        for d in e.contests:
            for n in d.candidates:
                yield (
                    e.event_id,
                    d.contest.id,
                    d.contest.post.kato,
                    n.nomination_id,
                    n.person_id,
                    n.full_name,
                    n.sex,
                    n.birth_date,
                    n.is_incumbent,
                    n.status,
                    n.is_elected,
                )


def _rounds(view: OpenDataView) -> Iterator[Sequence[Any]]:
    for e in view.elections:
        for d in e.contests:
            for r in d.rounds:
                dec, lot = r.decision, r.decision.lot if r.decision else None
                yield (
                    e.event_id,
                    d.contest.id,
                    d.contest.post.kato,
                    r.round_no,
                    r.protocol.id,
                    r.protocol.version,
                    *(r.counts[f] for f in COUNT_FIELDS),
                    dec.kind if dec else None,
                    dec.reason if dec else None,
                    dec.votes_needed if dec else None,
                    dec.elected if dec else None,
                    dec.standing if dec else None,
                    dec.tied if dec else None,
                    lot.method if lot else None,
                    lot.seed if lot else None,
                )


def _votes(view: OpenDataView) -> Iterator[Sequence[Any]]:
    for e in view.elections:
        for d in e.contests:
            for r in d.rounds:
                for nid, _, n in sorted(r.votes):
                    yield (e.event_id, d.contest.id, d.contest.post.kato, r.round_no, nid, n)


def _councils(view: OpenDataView) -> Iterator[Sequence[Any]]:
    for c in view.councils:
        f, t = c.figures, c.territory
        yield (
            c.event_id,
            c.id,
            t.kato,
            t.kind,
            t.names.kk,
            t.names.ru,
            t.names.en,
            c.region.kato if c.region else None,
            c.num_seats,
            f.deputies,
            f.commission_staff,
            f.vote_dates,
            f.posts,
            f.candidates,
            f.elected,
            f.failed,
            f.pending + f.lot_required,
        )


def _appeals(view: OpenDataView) -> Iterator[Sequence[Any]]:
    for a in view.appeals:
        yield (
            a.id,
            a.event_id,
            a.contest_id,
            a.subject,
            a.object_id,
            a.filed_on,
            a.authority_kind,
            a.authority,
            a.voting_day,
            a.deadline,
            a.is_at_once,
            a.outcome,
            a.decided_on,
            a.effect,
        )
