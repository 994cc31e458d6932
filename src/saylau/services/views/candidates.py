"""Candidate search: nominees of an event whose name contains a text, in any case, with the
post they stand for and whether they were elected (as the visibility allows)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from saylau.domain.election import CandidateStatus
from saylau.services.views.facts import Scope, load_facts
from saylau.services.views.results import DEFAULT_LIMIT, check_page, contest_view, listing
from saylau.services.views.values import CandidateListingView, Page, Visibility


def search_candidates(
    *,
    session: Session,
    event_id: int,
    text: str,
    visibility: Visibility,
    status: CandidateStatus | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> Page[CandidateListingView]:
    """Nominations whose person's full name contains `text` (Unicode case-insensitive: the
    names are matched in Python, so Kazakh and Russian letters fold on SQLite too), by name,
    then nomination id; `status` keeps one status only."""
    check_page(limit, offset)
    needle = text.strip().casefold()
    facts = load_facts(session, Scope(event_id), visibility, with_votes=False)
    contests = {c.id: c for c in facts.contests}
    found = sorted(
        (
            n
            for n in facts.nominations.values()
            if needle in n.full_name.casefold() and (status is None or n.status is status)
        ),
        key=lambda n: (n.full_name.casefold(), n.id),
    )
    shown = found[offset : offset + limit]
    winners = {
        v.elected.nomination_id
        for v in (contest_view(facts, contests[n.contest_id], visibility) for n in shown)
        if v.elected is not None
    }
    items = [listing(n, contests[n.contest_id], is_elected=n.id in winners) for n in shown]
    return Page(tuple(items), len(found), limit, offset)
