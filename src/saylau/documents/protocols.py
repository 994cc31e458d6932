"""The printed round protocol: an A4 sheet with the counts and their control relations, the
votes, the decision, the commission's signature lines, the audit head at publication and a QR
code carrying the public URL and the digest of the protocol's canonical data
(docs/documents.md). A protocol not yet published prints only for staff, marked as such."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from saylau.documents.pdf import html_to_pdf
from saylau.documents.templating import render
from saylau.domain.election import ProtocolId, ProtocolStatus
from saylau.i18n import N_, Language, format_date, format_number, gettext_for, pick_name
from saylau.i18n.labels import label
from saylau.rules import protocol as relations
from saylau.rules.decide import Decision, DecisionKind, FailureReason
from saylau.rules.lots import LotMethod
from saylau.services.views import protocol_sheets
from saylau.services.views.protocol_sheets import ProtocolSheetView
from saylau.services.views.values import Visibility

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
BASE_URL_VARIABLE = "SAYLAU_PUBLIC_URL"

# The lines of the protocol, numbered as printed (domain.election.COUNT_FIELDS).
COUNT_LABELS: Mapping[str, str] = {
    "members": N_("Members of the maslikhat (electors)"),
    "present": N_("Electors present at the meeting"),
    "ballots_received": N_("Ballots received by the commission"),
    "ballots_issued": N_("Ballots issued to electors"),
    "ballots_cast": N_("Ballots found in the ballot box"),
    "ballots_unused": N_("Unused ballots"),
    "ballots_spoiled": N_("Spoiled ballots, cancelled"),
    "invalid": N_("Invalid ballots"),
    "blank": N_("Blank ballots"),
    "against_all": N_("Ballots against all candidates"),
    "scattered": N_("Votes for persons not on the ballot"),
}

LOT_METHODS: Mapping[LotMethod, str] = {
    LotMethod.SEED: N_("a verifiable draw from a public seed"),
    LotMethod.RECORDED: N_("a physical draw at the meeting, recorded"),
}


def public_base_url(given: str | None = None) -> str:
    """The site the QR code points to: `given`, else $SAYLAU_PUBLIC_URL, else the local one."""
    return (given or os.environ.get(BASE_URL_VARIABLE) or DEFAULT_BASE_URL).rstrip("/")


def protocol_url(base_url: str, protocol_id: int) -> str:
    return f"{base_url.rstrip('/')}/protocols/{protocol_id}"


def qr_payload(base_url: str, protocol_id: int, digest: str) -> str:
    """What the QR code holds: the public URL, with the digest as its fragment (a phone opens
    the page; the fragment never reaches the server)."""
    return f"{protocol_url(base_url, protocol_id)}#sha256={digest}"


def protocol_digest(*, session: Session, protocol_id: ProtocolId) -> str:
    """SHA-256 (hex) of the protocol's canonical data (services.views.protocol_sheets)."""
    return protocol_sheets.protocol_digest(session=session, protocol_id=protocol_id)


def render_protocol_pdf(
    *,
    session: Session,
    protocol_id: ProtocolId,
    lang: Language,
    base_url: str,
    visibility: Visibility = Visibility.PUBLIC,
) -> bytes:
    """The PDF of one protocol. In public (the web), a protocol not yet published is NotFound;
    staff get it marked "not published"."""
    sheet = protocol_sheets.protocol_sheet(
        session=session, protocol_id=protocol_id, visibility=visibility
    )
    return sheet_pdf(sheet, lang=lang, base_url=base_url)


def sheet_pdf(sheet: ProtocolSheetView, *, lang: Language, base_url: str) -> bytes:
    return html_to_pdf(sheet_html(sheet, lang=lang, base_url=base_url), css="protocol.css")


def sheet_html(sheet: ProtocolSheetView, *, lang: Language, base_url: str) -> str:
    _ = gettext_for(lang)
    payload = qr_payload(base_url, sheet.id, sheet.digest)
    return render(
        "protocol.html",
        lang,
        sheet=sheet,
        region=pick_name(sheet.region.names, lang) if sheet.region else "",
        council=pick_name(sheet.council.names, lang),
        post=pick_name(sheet.post.names, lang),
        post_kind=label(sheet.post.kind, lang),
        day=format_date(sheet.sitting_day, lang),
        status=label(sheet.status, lang),
        counts=[
            (_(COUNT_LABELS[name]), format_number(value, lang))
            for name, value in sheet.counts.items()
        ],
        relations=control_relations(sheet, lang),
        votes=[(v.full_name, format_number(v.votes, lang)) for v in sheet.votes],
        decision=decision_lines(sheet.decision, _names(sheet), lang),
        members=[(label(m.role, lang), m.full_name) for m in sheet.members],
        signer=(
            f"{sheet.signer.full_name} ({label(sheet.signer.role, lang)})"
            if sheet.signer
            else sheet.signed_by
        ),
        signed_at=_moment(sheet.signed_at, lang),
        published_at=_moment(sheet.published_at, lang),
        watermark=watermark(sheet, lang),
        url=protocol_url(base_url, sheet.id),
        qr=qr_data_uri(payload),
    )


def watermark(sheet: ProtocolSheetView, lang: Language) -> str | None:
    """Across the sheet: "not published" before publication; a version no longer current
    says so (superseded, annulled) even when it was published."""
    if sheet.status in (ProtocolStatus.SUPERSEDED, ProtocolStatus.ANNULLED):
        return label(sheet.status, lang)
    if not sheet.is_published:
        return gettext_for(lang)("Not published")
    return None


def qr_data_uri(payload: str) -> str:
    import segno

    uri: str = segno.make(payload, error="m").svg_data_uri(scale=4, border=4)
    return uri


@dataclass(frozen=True)
class Relation:
    text: str  # what must hold, in words
    numbers: str  # the relation with the protocol's numbers
    holds: bool


def control_relations(sheet: ProtocolSheetView, lang: Language) -> list[Relation]:
    """The control relations of rules/protocol.py, each with its numbers and whether it holds
    (a stored accepted protocol satisfies all; a rejected draft shows which it breaks)."""
    _ = gettext_for(lang)
    c = sheet.counts

    def n(value: int) -> str:
        return format_number(value, lang)

    votes = sum(v.votes for v in sheet.votes)

    def rel(text: str, found: relations.Violation | None, ok: str, broken: str) -> Relation:
        return Relation(_(text), broken if found else ok, found is None)

    present, members, issued = c["present"], c["members"], c["ballots_issued"]
    cast, received = c["ballots_cast"], c["ballots_received"]
    unused, spoiled = c["ballots_unused"], c["ballots_spoiled"]
    parts = (c["invalid"], c["blank"], c["against_all"], c["scattered"], votes)
    total = " + ".join(n(p) for p in parts)
    return [
        rel(
            N_("Electors present do not outnumber the members of the maslikhat"),
            relations.check_present_within_members(members, present),
            f"{n(present)} ≤ {n(members)}",
            f"{n(present)} > {n(members)}",
        ),
        rel(
            N_("One ballot is issued to each elector present"),
            relations.check_issued_equals_present(present, issued),
            f"{n(issued)} = {n(present)}",
            f"{n(issued)} ≠ {n(present)}",
        ),
        rel(
            N_("Ballots received = issued + unused + spoiled"),
            relations.check_ballots_balance(
                received=received, issued=issued, unused=unused, spoiled=spoiled
            ),
            f"{n(received)} = {n(issued)} + {n(unused)} + {n(spoiled)}",
            f"{n(received)} ≠ {n(issued)} + {n(unused)} + {n(spoiled)}",
        ),
        rel(
            N_("Ballots in the box do not outnumber the ballots issued"),
            relations.check_cast_within_issued(cast, issued),
            f"{n(cast)} ≤ {n(issued)}",
            f"{n(cast)} > {n(issued)}",
        ),
        rel(
            N_(
                "Ballots in the box = invalid + blank + against all + persons not on the"
                " ballot + votes for the candidates"
            ),
            relations.check_cast_sum(
                ballots_cast=cast,
                invalid=parts[0],
                blank=parts[1],
                against_all=parts[2],
                scattered=parts[3],
                votes={str(v.nomination_id): v.votes for v in sheet.votes},
            ),
            f"{n(cast)} = {total}",
            f"{n(cast)} ≠ {total}",
        ),
    ]


def _names(sheet: ProtocolSheetView) -> dict[str, str]:
    return {str(v.nomination_id): v.full_name for v in sheet.votes}


def decision_lines(
    decision: Decision | None, names: Mapping[str, str], lang: Language
) -> list[str]:
    """The decision in words, one line per fact: who is elected (and how a lot decided it),
    who stands in the repeat voting, why the contest failed, and the votes needed."""
    _ = gettext_for(lang)
    if decision is None:
        return [_("No decision: the protocol is a rejected draft.")]

    def who(ids: Sequence[str] | None) -> str:
        return ", ".join(names.get(i, i) for i in ids or ())

    lines: list[str] = []
    match decision.kind:
        case DecisionKind.ELECTED:
            lines.append(_("Elected akim: %(name)s") % {"name": who([decision.elected or ""])})
            if (lot := decision.lot) is not None:
                lines.append(_("Elected by lot between %(names)s") % {"names": who(lot.tied)})
                lines.append(
                    _("Method of the draw: %(method)s") % {"method": _(LOT_METHODS[lot.method])}
                )
                if lot.seed:
                    lines.append(_("Seed of the draw: %(seed)s") % {"seed": lot.seed})
                if lot.drawn_by:
                    lines.append(_("Drawn by: %(name)s") % {"name": lot.drawn_by})
                if lot.witnesses:
                    lines.append(_("Witnesses: %(names)s") % {"names": ", ".join(lot.witnesses)})
        case DecisionKind.NEXT_ROUND:
            lines.append(_("Repeat voting between %(names)s") % {"names": who(decision.standing)})
        case DecisionKind.FAILED:
            lines.append(
                _("No one is elected (%(reason)s): a repeat election is to be held")
                % {"reason": _reason(decision.reason, lang)}
            )
        case DecisionKind.LOT_REQUIRED:
            lines.append(
                _("Lots are to be drawn between %(names)s") % {"names": who(decision.tied)}
            )
    if decision.votes_needed:
        needed = format_number(decision.votes_needed, lang)
        lines.append(_("Votes needed to be elected: %(votes)s") % {"votes": needed})
    return lines


def _reason(reason: FailureReason | None, lang: Language) -> str:
    from saylau.domain.appeals import RepeatReason

    # A failed contest's reason is the repeat election's reason (the same stored values).
    return label(RepeatReason(reason.value), lang) if reason else "?"


def _moment(at: datetime | None, lang: Language) -> str | None:
    """A stored time in UTC (SQLite gives it without a zone) as a date and HH:MM UTC."""
    if at is None:
        return None
    utc = at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)
    return f"{format_date(utc.date(), lang)}, {utc:%H:%M} UTC"
