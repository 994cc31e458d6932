"""The JSON Schemas of the public API's responses (OpenAPI 3.1), written out because the
responses are the read models' one JSON encoding (services/views/encode.py), not Pydantic
models. Objects name their required fields; more fields may come (the contract only grows)."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

INT: Schema = {"type": "integer"}
COUNT: Schema = {"type": "integer", "minimum": 0}
STR: Schema = {"type": "string"}
BOOL: Schema = {"type": "boolean"}
DATE: Schema = {"type": "string", "format": "date"}
DATETIME: Schema = {"type": "string", "format": "date-time"}
EXACT: Schema = {"anyOf": [INT, {"type": "string", "pattern": r"^-?\d+/\d+$"}]}


def null(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def obj(**properties: Schema) -> Schema:
    return {"type": "object", "required": sorted(properties), "properties": properties}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def counts_by(value: Schema = COUNT) -> Schema:
    return {"type": "object", "additionalProperties": value}


def page(items: Schema) -> Schema:
    return obj(items=array(items), total=COUNT, limit=COUNT, offset=COUNT)


NAMES = obj(kk=STR, ru=STR, en=STR)
TERRITORY = obj(id=INT, kato=STR, kind=STR, names=NAMES)
DECISION = {
    "type": "object",
    "required": ["round", "kind"],
    "properties": {
        "round": INT,
        "kind": {"enum": ["elected", "next_round", "failed", "lot_required"]},
    },
}
PROTOCOL_STATUS = obj(
    id=INT,
    round_no=INT,
    version=INT,
    num_versions=INT,
    signed_by=null(STR),
    signed_at=null(DATETIME),
    published_at=null(DATETIME),
)
ELECTED = obj(
    nomination_id=INT,
    person_id=INT,
    full_name=STR,
    sex=STR,
    birth_date=DATE,
    age=null(INT),
    is_incumbent=BOOL,
)
CONTEST = obj(
    id=INT,
    post=TERRITORY,
    council=TERRITORY,
    region=null(TERRITORY),
    status=STR,
    failure_reason=null(STR),
    decision=null(DECISION),
    elected=null(ELECTED),
    num_candidates=COUNT,
    num_rounds=COUNT,
    margin=null(INT),
    vote_day=null(DATE),
    protocol=null(PROTOCOL_STATUS),
)
FIGURES = obj(
    posts=COUNT,
    posts_by_kind=counts_by(),
    nominated=COUNT,
    candidates=COUNT,
    women_candidates=COUNT,
    withdrawn=COUNT,
    refused=COUNT,
    refusal_reasons=counts_by(),
    councils=COUNT,
    deputies=COUNT,
    commission_staff=COUNT,
    vote_dates=array(DATE),
    elected=COUNT,
    failed=COUNT,
    failed_by_reason=counts_by(),
    lot_required=COUNT,
    pending=COUNT,
    repeat_voting=COUNT,
    ties_broken=COUNT,
    one_vote_wins=COUNT,
    margins=counts_by(),
    women_elected=COUNT,
    incumbents_reelected=COUNT,
    average_age=null(EXACT),
    youngest=null(CONTEST),
    oldest_age=null(INT),
    signed=COUNT,
    published=COUNT,
)
RESULTS = obj(
    event_id=INT,
    event_name=STR,
    visibility={"const": "public"},
    area=null(TERRITORY),
    figures=FIGURES,
    parts=array(obj(territory=TERRITORY, figures=FIGURES)),
    contests=page(CONTEST),
)
SUMMARY = obj(event_id=INT, event_name=STR, figures=FIGURES)
VERSION = obj(
    id=INT,
    round_no=INT,
    version=INT,
    status=STR,
    correction_reason=null(STR),
    signed_by=null(STR),
    signed_at=null(DATETIME),
    published_at=null(DATETIME),
    published_head=null(STR),
)
# (nomination id, full name, votes)
VOTES = array(
    {"type": "array", "items": {"type": ["integer", "string"]}, "minItems": 3, "maxItems": 3}
)
LISTING = obj(
    nomination_id=INT,
    person_id=INT,
    full_name=STR,
    sex=STR,
    birth_date=DATE,
    is_incumbent=BOOL,
    status=STR,
    contest_id=INT,
    post=TERRITORY,
    council=TERRITORY,
    is_elected=BOOL,
)
CONTEST_DETAIL = obj(
    event_id=INT,
    contest=CONTEST,
    candidates=array(LISTING),
    rounds=array(
        obj(
            round_no=INT,
            decision=null(DECISION),
            votes=VOTES,
            counts=counts_by(INT),
            protocol=PROTOCOL_STATUS,
        )
    ),
    versions=array(VERSION),
)
PROTOCOL = obj(
    event_id=INT,
    contest_id=INT,
    protocol=VERSION,
    counts=counts_by(INT),
    votes=VOTES,
    decision=null(DECISION),
)
CALENDAR = obj(
    event_id=INT,
    visibility={"const": "public"},
    nomination_opens=DATE,
    nomination_closes=DATE,
    registration_deadline=DATE,
    days=array(
        obj(
            day=DATE,
            regions=array(TERRITORY),
            councils=COUNT,
            contests=COUNT,
            elected=COUNT,
            failed=COUNT,
            lot_required=COUNT,
            pending=COUNT,
            published=COUNT,
        )
    ),
    unscheduled=COUNT,
)
AFTERMATH = obj(
    event_id=INT,
    visibility={"const": "public"},
    appeals=obj(
        filed=COUNT,
        decided=counts_by(),
        pending=COUNT,
        overdue=COUNT,
        at_once=COUNT,
        on=null(DATE),
    ),
    repeat_elections=array(
        obj(
            failed_contest_id=INT,
            contest_id=INT,
            event_id=INT,
            post_kato=STR,
            post_names=NAMES,
            reason=STR,
            failed_on=DATE,
            voting_day=DATE,
            is_filled=BOOL,
        )
    ),
    filled_by_repeat=COUNT,
)
EVENTS = array(obj(id=INT, name=STR, num_contests=COUNT))
PROBLEM = obj(code=STR, message=STR, where=STR, numbers=counts_by({"type": ["integer", "string"]}))
ERROR = obj(error=STR, message=STR, problems=array(PROBLEM))


def responses(schema: Schema, description: str) -> dict[int | str, dict[str, Any]]:
    """The documented responses of a read: 200 with `schema`, 404 and 422 as errors."""

    def json(s: Schema, text: str) -> dict[str, Any]:
        return {"description": text, "content": {"application/json": {"schema": s}}}

    return {
        200: json(schema, description),
        404: json(ERROR, "Not found: an unknown id, or nothing published yet."),
        422: json(ERROR, "A malformed parameter."),
    }


def _error(text: str) -> dict[str, Any]:
    return {"description": text, "content": {"application/json": {"schema": ERROR}}}


# The refusals every staff API operation may answer with (docs/web.md, "The staff API").
STAFF_ERRORS: dict[int | str, dict[str, Any]] = {
    401: _error("Not signed in: no session cookie and no HTTP Basic credentials."),
    403: _error("The role may not (forbidden, out_of_scope), or a missing CSRF token."),
    404: _error("Not found, or outside the user's reach."),
    409: _error("Refused by a rule, or a conflict with the stored state."),
    422: _error("Malformed input."),
}
