"""A refusal's problems in any language: a message template per problem code, filled from the
problem's numbers (docs/i18n.md#refusals).

The services refuse in English: each Problem has a stable `code`, an English `message` and the
`numbers` involved. A template here says the same in words a catalog translates, with the numbers
as its `%(name)s` placeholders. A code may have several templates, the fullest first: the first
whose placeholders are all among the problem's numbers is used. Where none fits, or the code has
none, the service's own English message is shown, so nothing a service says is ever lost.
tests/i18n/test_problems.py fails when a code raised in services/ or rules/ has no template.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Protocol

from saylau.i18n import N_, Language, gettext_for, ngettext_for

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
_COUNTED = re.compile(r"\d+ ")


class ProblemLike(Protocol):
    """What a template needs of a problem (saylau.services.errors.Problem is one)."""

    @property
    def code(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def numbers(self) -> Mapping[str, int | str]: ...


# code → templates, the one with the most placeholders first. Where a service's English message
# names a value its numbers do not carry (the value given, a stored status), the template says
# the same without it: the problem's `where` (printed before it) points at the value.
TEMPLATES: dict[str, tuple[str, ...]] = {
    # Ids that name nothing stored (services/errors.py unknown_ids, resolve.py).
    "unknown_protocol": (N_("no protocol %(id)s"), N_("no such protocol")),
    "unknown_sitting": (N_("no sitting %(id)s"),),
    "unknown_nomination": (N_("no nomination %(id)s"),),
    "unknown_election_event": (N_("no election event %(id)s"),),
    "unknown_commission": (N_("no commission %(id)s"), N_("no such commission is stored")),
    "unknown_contest": (
        N_("no contest %(contest)s in event %(event)s"),
        N_("no contest %(id)s"),
        N_("no such contest"),
    ),
    "unknown_council": (N_("no council of KATO %(kato)s is stored"), N_("no such council")),
    "unknown_kato": (N_("no territory with KATO %(kato)s"), N_("no such territory")),
    "unknown_territory": (N_("no territory with this KATO code is stored"),),
    "unknown_parent": (N_("no territory with this KATO code is stored or in this batch"),),
    "unknown_round": (N_("contest %(contest)s has no round %(round)s"),),
    "unknown_appeal": (N_("no appeal %(id)s"),),
    "unknown_user": (N_("no user named %(name)s"),),
    "unknown_candidate": (N_("no single candidate of contest %(contest)s has this id or name"),),
    "unknown_key": (N_("this public key belongs to no commission member"),),
    "not_found": (N_("not found"),),
    "no_event": (N_("no election event yet: saylau event create FILE"),),
    # Input of the wrong form.
    "bad_text": (
        N_("the text is too long or holds control characters (at most %(length)s allowed)"),
        N_("the text is empty, too long or holds control characters"),
    ),
    "bad_kato": (N_("expected a KATO code of 9 digits"),),
    "bad_kind": (N_("an unknown kind of territory"),),
    "bad_level": (N_("an unknown commission level"),),
    "bad_role": (N_("an unknown role"),),
    "bad_sex": (N_("expected female or male"),),
    "bad_nominator": (N_("expected district_akim, self or party"),),
    "bad_name": (N_("expected a printable name without surrounding spaces"),),
    "bad_birth_date": (N_("the birth date is outside the possible range"),),
    "bad_mandate_end": (N_("the mandate ends before it starts"),),
    "bad_num_seats": (N_("not an allowed number of seats: %(num_seats)s"),),
    "bad_limit": (N_("limit %(limit)s is outside the allowed range"),),
    "bad_offset": (N_("offset %(offset)s is below 0"),),
    "bad_minimum": (N_("min_candidates must be at least 1"),),
    "bad_reason": (N_("the reason is too long or holds control characters"),),
    "bad_row": (N_("this line does not have as many fields as the header"),),
    "bad_parent_kind": (N_("the parent territory is of the wrong kind"),),
    "bad_council_territory": (N_("a council sits on a district or a town of regional rank"),),
    "bad_commission_territory": (N_("this kind of territory has no commission of this level"),),
    "bad_post_territory": (
        N_("an elected akim heads a town, settlement, village or rural district"),
    ),
    "missing_name": (N_("a name is needed"),),
    "missing_parent": (N_("this territory needs its parent territory"),),
    "missing_territory": (N_("this commission needs the KATO code of its territory"),),
    "empty_field": (N_("this field is empty"),),
    "empty_name": (N_("a name is needed"),),
    "region_has_parent": (N_("a region has no parent territory"),),
    "cec_has_territory": (N_("the CEC has no territory"),),
    "scope_missing": (N_("this role needs --scope (a territory's KATO)"),),
    "scope_not_allowed": (N_("this role acts nationally: no --scope"),),
    "short_password": (N_("the password is too short (characters: %(length)s)"),),
    "unknown_format": (N_("the format is csv or json (a bundle is JSON)"),),
    "no_file": (N_("no such file"),),
    "unreadable_file": (N_("the file cannot be read"),),
    "no_protocol": (N_("no protocol given: expected one protocol object or a list of them"),),
    "no_reason": (N_("a reason is needed"),),
    "no_posts": (N_("an event fills at least one post"),),
    "no_contests": (N_("a sitting votes in at least one contest"),),
    "no_voting_day": (N_("no voting day"),),
    "round_twice": (N_("round %(round)s of contest %(contest)s is given twice in one submission"),),
    "candidate_twice": (N_("nomination %(nomination)s is given twice; name each candidate once"),),
    "decided_twice": (N_("an appeal is decided twice in one batch"),),
    "duplicate_protocol": (N_("a protocol is given twice in one batch of signatures"),),
    "duplicate_kato": (N_("this KATO code is given twice in the batch"),),
    "duplicate_council": (N_("this council is given twice in the batch"),),
    "duplicate_commission": (N_("this commission is given twice in the batch"),),
    "duplicate_post": (N_("a post is given twice"),),
    "lot_by_draw": (
        N_(
            "a protocol records the votes only; a tie is decided by lot afterwards with"
            " saylau lot draw PROTOCOL"
        ),
    ),
    "lot_method": (N_("give either a seed (a verifiable draw) or a winner (recorded)"),),
    "lot_unwitnessed": (N_("a recorded draw names who drew and at least one witness"),),
    "not_tied": (N_("candidate %(winner)s is not among the tied"),),
    # Stored already, or in another state.
    "kato_exists": (N_("a territory with this KATO code is already stored"),),
    "council_exists": (N_("this council is already stored"),),
    "commission_exists": (N_("this commission is already stored"),),
    "post_exists": (N_("this post is already stored"),),
    "duplicate_event": (N_("an event of this name exists"),),
    "duplicate_name": (N_("a user of this name exists already"),),
    "role_taken": (N_("the commission already has a member in this role"),),
    "two_roles": (N_("this person already holds a role in the commission; one person holds one"),),
    "too_many_deputies": (
        N_(
            "seats in the council: %(num_seats)s; sitting deputies %(num_sitting)s"
            " and new ones %(num_new)s exceed them"
        ),
    ),
    "council_not_above": (N_("the territory is not within the council that would elect its akim"),),
    "not_a_region": (N_("a regional user's scope is a region"),),
    "no_council": (
        N_(
            "KATO %(kato)s has no council: give a region,"
            " or a district or town whose council elects akims"
        ),
        N_("this territory has no council (maslikhat) to serve"),
    ),
    "no_commission_member": (
        N_("members of the commission in this role: %(found)s; the user is exactly one of them"),
    ),
    "disable_self": (N_("a user cannot disable itself (another cec-admin can)"),),
    "bad_credentials": (N_("unknown user or wrong password"),),
    "user_disabled": (N_("the user is disabled"),),
    "other_round": (
        N_(
            "the correction names another contest or round: this protocol is the protocol of"
            " contest %(contest)s round %(round)s"
        ),
    ),
    "session_ended": (N_("the session has ended: sign in again"),),
    # The sitting's life (services/attendance.py, sitting_life.py).
    "already_present": (N_("the deputy is present already"),),
    "not_present": (N_("the deputy is not present"),),
    "before_opening": (N_("this time is before the sitting opened"),),
    "out_of_order": (N_("this time is before the last step recorded"),),
    "round_open": (
        N_("contest %(contest)s round %(round)s is open: its protocol is not accepted"),
    ),
    "sitting_not_open": (N_("the sitting is not open for this step"),),
    "sitting_adjourned": (
        N_("sitting %(sitting)s is adjourned: nothing is voted or drawn until it resumes"),
        N_("the sitting is adjourned"),
    ),
    "not_authenticated": (N_("no user given"),),
    "forbidden": (N_("this role may not do this"),),
    "out_of_scope": (N_("outside the user's territory"),),
    "concurrent_change": (
        N_("the database changed during the import; nothing was stored, run it again"),
    ),
    "concurrent_submission": (N_("another submission of the same round won"),),
    "no_appeal_rules": (N_("saylau has no appeal rules for this rule set"),),
    "no_repeat_rules": (N_("saylau has no repeat-election rules for rule set %(rule_set)s"),),
    # Candidates and the calendar.
    "already_standing": (N_("this person already stands in contest %(contest)s of this event"),),
    "contest_closed": (N_("the contest no longer takes candidates"),),
    "already_decided": (N_("this has already been decided"),),
    "not_standing": (
        N_("votes for a nomination that does not stand in this round: %(votes)s"),
        N_("the candidate no longer stands"),
    ),
    "voting_started": (N_("voting has started"),),
    "under_age": (N_("age on voting day: %(age)s; at least %(min_age)s required"),),
    "nomination_not_open": (N_("nominations are not open yet (days left: %(days)s)"),),
    "nomination_closed": (N_("nominations are closed (days since: %(days)s)"),),
    "registration_not_open": (N_("registration is not open yet (days left: %(days)s)"),),
    "registration_closed": (N_("registration is closed (days since: %(days)s)"),),
    "withdrawal_closed": (N_("withdrawal is possible until the day before voting day"),),
    "calendar_order": (N_("the calendar's dates are out of order"),),
    "called_too_late": (N_("a repeat election is called before its nominations open"),),
    "repeat_day_out_of_range": (
        N_(
            "days from the failed vote to the repeat voting day: %(days)s; the rules allow"
            " %(min_days)s to %(max_days)s"
        ),
    ),
    # Sittings.
    "already_open": (N_("the sitting is already open"),),
    "already_scheduled": (N_("the contest is already on a sitting"),),
    "contest_not_pending": (N_("the contest is not awaiting a vote"),),
    "other_council": (N_("the contest is voted by another council"),),
    "other_event": (N_("the contest is of another election event"),),
    "not_voting_day": (N_("the sitting is not on the contest's voting day"),),
    "not_elector": (N_("not a deputy of the sitting's council in office on its day"),),
    # Attendance's refusal has no numbers; a step of the sitting's life names the sitting.
    "sitting_open": (
        N_("sitting %(sitting)s is open: it has no adjournment to end"),
        N_("attendance is fixed once the sitting opens"),
    ),
    "sitting_scheduled": (N_("sitting %(sitting)s has not opened yet"),),
    "sitting_closed": (N_("sitting %(sitting)s is closed: nothing more is done at it"),),
    "no_quorum": (N_("deputies present: %(present)s of %(members)s; the quorum is %(quorum)s"),),
    "too_few_candidates": (
        N_("registered candidates: %(registered)s; at least %(min_candidates)s are needed to vote"),
    ),
    # Protocols: the control relations (rules/protocol.py) and the sitting's records.
    "negative_count": (N_("a count cannot be negative"),),
    "present_exceeds_members": (N_("present %(present)s > members %(members)s"),),
    "issued_not_present": (N_("ballots issued %(ballots_issued)s ≠ present %(present)s"),),
    "ballots_unbalanced": (
        N_(
            "ballots received %(ballots_received)s ≠ issued %(ballots_issued)s + unused"
            " %(ballots_unused)s + spoiled %(ballots_spoiled)s"
        ),
    ),
    "cast_exceeds_issued": (
        N_("ballots cast %(ballots_cast)s > ballots issued %(ballots_issued)s"),
    ),
    "cast_exceeds_present": (
        N_("ballots cast %(ballots_cast)s + abstain %(abstain)s > present %(present)s"),
    ),
    "cast_not_sum": (
        N_(
            "ballots cast %(ballots_cast)s ≠ invalid %(invalid)s + blank %(blank)s + against all"
            " %(against_all)s + scattered %(scattered)s + votes %(votes)s"
        ),
    ),
    "members_not_roll": (N_("members %(members)s ≠ deputies in office %(roll)s"),),
    "present_not_roll": (N_("present %(present)s ≠ deputies registered present %(roll)s"),),
    "not_current": (
        N_("protocol %(protocol)s (version %(version)s) is not the accepted version of its round"),
    ),
    "later_round_decided": (
        N_(
            "the correction changes the decision of round %(round)s, but round %(later_round)s"
            " already has an accepted protocol; correct round %(later_round)s first"
        ),
    ),
    "later_round_accepted": (
        N_("round %(round)s of the contest has an accepted protocol; annul it first"),
    ),
    "not_accepted": (
        N_(
            "protocol %(protocol)s is not accepted:"
            " only the accepted version of a round is annulled"
        ),
        N_("this version of the protocol is not the accepted one"),
    ),
    "no_lot": (N_("protocol %(protocol)s records no drawing of lots"),),
    "no_lot_awaited": (N_("protocol %(protocol)s awaits no drawing of lots"),),
    "lot_awaited": (N_("the round's tie awaits a drawing of lots: saylau lot draw first"),),
    "not_signed": (N_("a protocol is signed before publication"),),
    "already_signed": (N_("the protocol is already signed"),),
    "already_published": (N_("the protocol is already published"),),
    "not_commission_member": (
        N_("the signer is not a member of the commission that ran this contest"),
    ),
    "not_signatory": (N_("the secretary or the chair signs"),),
    # Repeat elections and appeals.
    "repeat_called": (
        N_(
            "contest %(contest)s failed and its repeat election"
            " (contest %(repeat_contest)s) has been called"
        ),
        N_("the contest already has repeat election %(repeat_election)s"),
        N_(
            "contest %(contest)s already has a repeat election:"
            " its protocols are no longer annulled"
        ),
    ),
    "not_failed": (
        N_(
            "registered candidates: %(registered)s, needed: %(min_candidates)s; registration is"
            " still open or enough candidates are registered"
        ),
        N_("only a failed contest gets a repeat election"),
    ),
    "contest_voted": (
        N_(
            "contest %(contest)s has voted; a registration is no longer changed"
            " (appeal its protocol instead)"
        ),
    ),
    "wrong_subject": (N_("the appeal's subject is not the decision the nomination has"),),
    "decided_before_filed": (N_("an appeal is decided on or after the day it was filed"),),
}

# Codes whose message is data, not prose: shown as the service gives it.
WITHOUT_TEMPLATE: dict[str, str] = {
    "close_match": "the message is a stored object's id and name, which are data",
    "ambiguous": "the message is a stored object's id and name, which are data",
    # The numbers count what the message names (an event's documents, deputies): names are data.
    "documents_missing": "the message names the documents; the numbers only count them",
    "unknown_document": "the message names the documents; the numbers only count them",
    "roll_incomplete": "the message names the deputies; the numbers only count them",
    # The input layer's (rules/input.py, csv) own words say what was expected where; an
    # InputError carries no code or numbers that a template could say them with.
    "bad_value": "the input layer's message, which says what was expected",
    "bad_file": "the input layer's message, which says what was expected",
    "bad_rule_set": "the input layer's message, which says what was expected",
    "bad_csv": "the input layer's message, which says what was expected",
    "bad_header": "the input layer's message, which says what was expected",
    "decision_refused": "the input layer's message, which says what was expected",
    # A refusal without problems of its own gets its class's code (services/errors.py): the
    # message is the one the site wrote, and its numbers are none.
    "invalid_input": "the class default: each site's own message, without numbers",
    "refused": "the class default: each site's own message, without numbers",
    "conflict": "the class default: each site's own message, without numbers",
}


def _heading(code: str, num: int, lang: Language) -> str | None:
    """The first line of a batch of `num` problems, by the refusal's class code."""
    ngettext = ngettext_for(lang)
    if code == "invalid_input":
        text = ngettext(
            "%(num)d problem in the input; nothing was stored",
            "%(num)d problems in the input; nothing was stored",
            num,
        )
    elif code == "refused":
        text = ngettext(
            "refused for %(num)d reason; nothing was stored",
            "refused for %(num)d reasons; nothing was stored",
            num,
        )
    elif code == "conflict":
        text = ngettext(
            "%(num)d conflict; nothing was stored", "%(num)d conflicts; nothing was stored", num
        )
    elif code == "not_found":
        text = ngettext("%(num)d close match:", "%(num)d close matches:", num)
    else:
        return None
    return text % {"num": num}


def placeholders(template: str) -> set[str]:
    return set(_PLACEHOLDER.findall(template))


def problem_message(problem: ProblemLike, lang: Language) -> str:
    """The problem's message in `lang`: its code's fullest template that its numbers fill,
    translated; else the service's English message."""
    if lang == "en":
        return problem.message
    numbers = dict(problem.numbers)
    for template in TEMPLATES.get(problem.code, ()):
        if placeholders(template) <= numbers.keys():
            return gettext_for(lang)(template) % numbers
    return problem.message


class RefusalLike(Protocol):
    """What a whole refusal needs (saylau.services.errors.ServiceError is one)."""

    code: str
    message: str

    @property
    def problems(self) -> tuple[PlacedProblem, ...]: ...


class PlacedProblem(ProblemLike, Protocol):
    @property
    def where(self) -> str: ...


def refusal_heading(error: RefusalLike, lang: Language) -> str:
    """A refusal's first line in `lang`: its own problem's message (the one it repeats), a
    batch's count of problems, or else the service's (English) message. In English, always the
    service's message."""
    if lang == "en":
        return error.message
    own = [p for p in error.problems if p.message == error.message]
    listed = [p for p in error.problems if p.message != error.message]
    if own:
        return problem_message(own[0], lang)
    if (_COUNTED.match(error.message) or len(listed) > 1) and (
        counted := _heading(error.code, len(listed), lang)
    ):
        # A batch's heading ("3 problem(s): nobody registered") says no more than its problems.
        return counted
    return error.message


def refusal_details(error: RefusalLike, lang: Language) -> list[str]:
    """Each problem of a refusal that says more than its heading, in `lang`: `where: message`."""
    found = []
    for p in error.problems:
        if p.message != error.message:
            text = problem_message(p, lang)
            found.append(f"{p.where}: {text}" if p.where else text)
    return found


def refusal_text(error: RefusalLike, lang: Language) -> str:
    """A whole refusal in `lang`, laid out as ServiceError.__str__ lays it out in English: its
    heading (refusal_heading), then each problem that says more (refusal_details) on an
    indented line."""
    lines = [refusal_heading(error, lang), *(f"  {d}" for d in refusal_details(error, lang))]
    return "\n".join(lines)
