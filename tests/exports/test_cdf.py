"""The NIST SP 1500-100 v2 export of a small election held through the services: it validates
(saylau's check and the reference validator, jsonschema, agree), every reference resolves, and
it says what the published protocols say — no more (docs/open-data.md)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from held_election import Held
from jsonschema import Draft4Validator, FormatChecker
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from saylau.domain.election import EventId
from saylau.domain.structure import Names
from saylau.exports.artefacts import cdf_artefact, open_data_artefacts, public_record
from saylau.exports.cdf import election_report
from saylau.exports.cdf_check import check_report, reference_problems, schema, schema_problems
from saylau.exports.cdf_units import names_text

WON_1 = ("winner", "defeated", "defeated")
RUNOFF_2 = ("advanced-to-runoff", "advanced-to-runoff", "defeated")


def _report(session: Session, held: Held) -> dict[str, Any]:
    return election_report(public_record(session=session, event_id=EventId(held.event_id)))


def _reference_errors(report: Any) -> list[str]:
    """The reference implementation's verdict (jsonschema, Draft-04, formats checked)."""
    validator = Draft4Validator(schema(), format_checker=FormatChecker())
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(report)]


def _by_id(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {o["@id"]: o for o in objects}


def _votes(contest: dict[str, Any]) -> dict[str, list[tuple[int, int]]]:
    """Selection @id -> (round, count) of each VoteCounts."""
    return {
        s["@id"]: [(v["Round"], v["Count"]) for v in s["VoteCounts"]]
        for s in contest["ContestSelection"]
    }


def test_the_report_validates_and_its_references_resolve(session: Session, held: Held) -> None:
    report = _report(session, held)
    assert check_report(report) == []
    assert _reference_errors(report) == []


def test_both_validators_refuse_a_broken_report(session: Session, held: Held) -> None:
    report = _report(session, held)
    for path, value in (
        (("Election", 0, "StartDate"), "2013-13-45"),
        (("GeneratedDate",), "yesterday"),
        (("GpUnit", 1, "Type"), "planet"),
        (("Election", 0, "Contest", 0, "VotesAllowed"), "one"),
    ):
        broken = copy.deepcopy(report)
        target = broken
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        assert schema_problems(broken), path
        assert _reference_errors(broken), path


def test_the_reference_check_finds_what_names_nothing_or_the_wrong_type(
    session: Session, held: Held
) -> None:
    report = _report(session, held)
    candidate = report["Election"][0]["Candidate"][0]
    candidate["PersonId"] = "per-999"
    contest = report["Election"][0]["Contest"][0]
    contest["OfficeIds"] = [report["GpUnit"][0]["@id"]]
    report["Person"].append(dict(report["Person"][0]))
    problems = reference_problems(report)
    assert problems == [
        f"$.Person[{len(report['Person']) - 1}]: @id {report['Person'][0]['@id']!r} is used twice",
        "$.Election[0].Candidate[0].PersonId: 'per-999' names no @id of the report",
        "$.Election[0].Contest[0].OfficeIds[0]: 'gpu-country' is a"
        " ElectionResults.ReportingUnit, not a ElectionResults.Office",
    ]
    assert schema_problems(report) == []  # the schema alone cannot see any of it


def test_contests_carry_the_published_protocols(session: Session, held: Held) -> None:
    report = _report(session, held)
    main, repeat = report["Election"]
    assert (main["Type"], repeat["Type"]) == ("general", "special")
    assert (main["StartDate"], main["EndDate"]) == ("2013-08-07", "2013-08-09")
    assert (repeat["StartDate"], repeat["EndDate"]) == ("2013-08-28", "2013-08-28")
    contests = _by_id(main["Contest"])
    assert sorted(contests) == [
        "con-1-271033000",
        "con-1-271035000",
        "con-1-271037000",
        "con-1-273430000",
    ]
    a_, b_, c_ = (held.candidates[c] for c in held.contests)

    # A: elected in round 1, 10-5-2; the winner's count is the protocol's.
    a = contests["con-1-271033000"]
    assert _votes(a) == {
        f"sel-{a_[0]}": [(1, 10)],
        f"sel-{a_[1]}": [(1, 5)],
        f"sel-{a_[2]}": [(1, 2)],
    }
    assert a["CountStatus"] == [
        {"@type": "ElectionResults.CountStatus", "Status": "completed", "Type": "total"}
    ]
    # B: round 1 published (7-6-4), round 2 signed only: in public, repeat voting is under way.
    b = contests["con-1-271035000"]
    assert _votes(b) == {
        f"sel-{b_[0]}": [(1, 7)],
        f"sel-{b_[1]}": [(1, 6)],
        f"sel-{b_[2]}": [(1, 4)],
    }
    assert b["CountStatus"][0]["Status"] == "in-process"
    # C: tied twice, failed; both rounds, with round 2's blank ballot.
    c = contests["con-1-271037000"]
    assert _votes(c) == {
        f"sel-{c_[0]}": [(1, 8), (2, 8)],
        f"sel-{c_[1]}": [(1, 8), (2, 8)],
        f"sel-{c_[2]}": [(1, 1)],
    }
    ids = {(i.get("OtherType") or i["Type"]): i["Value"] for i in c["ExternalIdentifier"]}
    assert (ids["saylau-status"], ids["saylau-failure-reason"], ids["national-level"]) == (
        "repeat_election",
        "tie",
        "271037000",
    )
    ballots = [
        (b["GpUnitId"], b["Round"], b.get("OtherType", b["Type"]), b["BallotsCast"])
        for b in main["BallotCounts"]
        if b["GpUnitId"] == "gpu-271037000"
    ]
    assert ballots == [
        ("gpu-271037000", 1, "total", 17),
        ("gpu-271037000", 1, "blank", 0),
        ("gpu-271037000", 2, "total", 17),
        ("gpu-271037000", 2, "blank", 1),
    ]
    # Terekti: nothing voted.
    assert contests["con-1-273430000"]["CountStatus"][0]["Status"] == "not-processed"
    assert contests["con-1-273430000"]["ContestSelection"] == []
    # The repeat election fills C's post: its own contest, the same office, elected 12-7.
    (r,) = repeat["Contest"]
    assert r["@id"] == "con-2-271037000" and r["OfficeIds"] == c["OfficeIds"] == ["off-271037000"]
    ids = {(i.get("OtherType") or i["Type"]): i for i in r["ExternalIdentifier"]}
    assert (ids["saylau-repeat-of"]["Value"], ids["saylau-repeat-of"]["Label"]) == (
        "con-1-271037000",
        "tie",
    )
    rep_ = held.candidates[held.repeat_contest]
    assert _votes(r) == {f"sel-{rep_[0]}": [(1, 12)], f"sel-{rep_[1]}": [(1, 7)]}


def test_candidates_offices_and_people(session: Session, held: Held) -> None:
    report = _report(session, held)
    main, repeat = report["Election"]
    status = {
        c["@id"]: (c["PreElectionStatus"], c.get("PostElectionStatus"))
        for e in (main, repeat)
        for c in e["Candidate"]
    }
    a_, b_, c_ = (held.candidates[c] for c in held.contests)
    rep_ = held.candidates[held.repeat_contest]
    assert status == {
        f"can-{held.withdrawn}": ("withdrawn", None),  # the refused nomination is not listed
        **{f"can-{n}": ("qualified", s) for n, s in zip(a_, WON_1, strict=True)},
        **{f"can-{n}": ("qualified", s) for n, s in zip(b_, RUNOFF_2, strict=True)},
        **{f"can-{n}": ("qualified", "defeated") for n in c_},
        f"can-{rep_[0]}": ("qualified", "winner"),
        f"can-{rep_[1]}": ("qualified", "defeated"),
    }
    offices = _by_id(report["Office"])
    winner = next(c for c in repeat["Candidate"] if c["@id"] == f"can-{rep_[0]}")
    assert offices["off-271037000"]["OfficeHolderPersonIds"] == [winner["PersonId"]]
    assert "OfficeHolderPersonIds" not in offices["off-271035000"]  # B: not yet published
    assert offices["off-271033000"]["Name"]["Text"] == [
        {"@type": "ElectionResults.LanguageString", "Content": "Derkul әкімі", "Language": "kk"},
        {"@type": "ElectionResults.LanguageString", "Content": "Аким (Derkul)", "Language": "ru"},
        {"@type": "ElectionResults.LanguageString", "Content": "Akim of Derkul", "Language": "en"},
    ]
    people = _by_id(report["Person"])
    person = people[winner["PersonId"]]
    assert (person["Gender"], person["DateOfBirth"], person["FullName"]["Text"][0]["Content"]) == (
        "male",
        "1965-03-13",
        "Candidate 40",
    )
    assert len(people) == 9 + 2 + 1  # registered in A, B, C and the repeat; the withdrawn one


def test_geography_status_and_date(session: Session, held: Held) -> None:
    report = _report(session, held)
    units = _by_id(report["GpUnit"])
    assert units["gpu-country"]["ComposingGpUnitIds"] == ["gpu-270000000"]
    assert units["gpu-270000000"]["ComposingGpUnitIds"] == ["gpu-271000000", "gpu-273400000"]
    assert units["gpu-271000000"]["ComposingGpUnitIds"] == [
        "gpu-271033000",
        "gpu-271035000",
        "gpu-271037000",
    ]
    assert (units["gpu-271000000"]["Type"], units["gpu-271000000"]["VotersRegistered"]) == (
        "city",
        19,
    )
    assert (units["gpu-273430000"]["Type"], units["gpu-273430000"]["OtherType"]) == (
        "other",
        "rural_district",
    )
    # B and Terekti have no final published result: the report is partial.
    assert report["Status"] == "unofficial-partial"
    assert report["GeneratedDate"] == "2013-08-28T10:00:00Z"  # the latest publication


def test_names_only_in_the_languages_the_data_has() -> None:
    assert [s["Language"] for s in names_text(Names(ru="Деркул"), "271033000")["Text"]] == ["ru"]
    assert names_text(Names(), "271033000")["Text"] == [
        {"@type": "ElectionResults.LanguageString", "Content": "271033000", "Language": "en"}
    ]
    office = names_text(Names(kk="Деркөл"), "271033000", template="office")
    assert office["Text"][0]["Content"] == "Деркөл әкімі"


def test_the_export_is_deterministic_and_a_repeat_event_exports_its_cycle(
    session: Session, held: Held
) -> None:
    first = open_data_artefacts(session=session, event_id=EventId(held.event_id))
    again = open_data_artefacts(session=session, event_id=EventId(held.event_id))
    via_repeat = open_data_artefacts(session=session, event_id=EventId(held.repeat_event_id))
    assert [(a.name, a.sha256) for a in first] == [(a.name, a.sha256) for a in again]
    assert [a.data for a in first] == [a.data for a in via_repeat]
    assert first[0].name == "election-report.json"
    assert first[0].data.endswith(b"}\n") and b"\n" not in first[0].data[:-1]


def test_nothing_published_is_a_pre_election_report(
    session: Session, uralsk: object, event_id: int
) -> None:
    report = election_report(public_record(session=session, event_id=EventId(event_id)))
    assert check_report(report) == []
    assert report["Status"] == "pre-election"
    assert [c["CountStatus"][0]["Status"] for c in report["Election"][0]["Contest"]] == [
        "not-processed"
    ] * 4


@contextmanager
def _statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_a_fixed_number_of_statements_per_event(
    session: Session, engine: Engine, held: Held
) -> None:
    session.expire_all()
    with _statements(engine) as seen:
        view = public_record(session=session, event_id=EventId(held.event_id))
        cdf_artefact(view)
    # Per event of the cycle: its row, the facts' 7 statements, the councils' seats, the
    # appeals, the repeat elections (2); and one step up from the first event.
    assert len(view.elections) == 2
    assert len(seen) == 1 + 2 * 12, seen


def test_vote_days_come_from_the_meetings(session: Session, held: Held) -> None:
    view = public_record(session=session, event_id=EventId(held.event_id))
    days = {d.contest.post.kato: d.contest.vote_day for d in view.elections[0].contests}
    assert days["271033000"] == date(2013, 8, 9)
    assert days["273430000"] == date(2013, 8, 7)  # no meeting yet: the region's voting day
