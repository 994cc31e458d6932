"""Presets load, round-trip through inline JSON, and malformed rule sets name their field."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest

from saylau.rules.errors import RuleSetError
from saylau.rules.model import Advance, Base, Tie, WinKind
from saylau.rules.presets import load_rule_set, preset_names, rule_set_to_json


def test_the_five_presets() -> None:
    assert preset_names() == [
        "de-bundesversammlung",
        "fr-maire",
        "it-presidente",
        "kz-akim-2013",
        "us-house-speaker",
    ]


@pytest.mark.parametrize("name", preset_names())
def test_preset_round_trips_and_cites_its_source(name: str) -> None:
    rule_set = load_rule_set(name)
    assert rule_set.name == name
    assert rule_set.source and rule_set.title and rule_set.reading
    inline = rule_set_to_json(rule_set)
    assert load_rule_set(json.loads(json.dumps(inline))) == rule_set
    assert load_rule_set(json.dumps(inline)) == rule_set


def test_kz_akim_2013() -> None:
    kz = load_rule_set("kz-akim-2013")
    assert kz.quorum is not None
    assert (kz.quorum.fraction, kz.quorum.of, kz.quorum.strict) == (
        Fraction(1, 2),
        Base.MEMBERS,
        True,
    )
    r1, r2 = kz.rule_for(1), kz.rule_for(2)
    assert (r1.win.kind, r1.win.fraction, r1.win.of, r1.win.strict, r1.advance) == (
        WinKind.MAJORITY,
        Fraction(1, 2),
        Base.BALLOTS_CAST,
        True,
        Advance.TOP_TWO,
    )
    assert r2.win.kind is WinKind.PLURALITY
    assert (kz.max_rounds, kz.tie, kz.against_all) == (2, Tie.FAIL, False)
    with pytest.raises(ValueError):
        kz.rule_for(3)


def test_other_presets_readings() -> None:
    it = load_rule_set("it-presidente")
    assert (it.rule_for(3).win.fraction, it.rule_for(3).win.strict) == (Fraction(2, 3), False)
    assert (it.rule_for(4).win.fraction, it.rule_for(99).win.strict) == (Fraction(1, 2), True)
    de = load_rule_set("de-bundesversammlung")
    assert [de.rule_for(n).win.kind for n in (1, 2, 3, 7)] == [
        WinKind.MAJORITY,
        WinKind.MAJORITY,
        WinKind.PLURALITY,
        WinKind.PLURALITY,
    ]
    # BPräsWahlG § 9(1): new nominations for ballots 2 and 3 only; a further ballot after a tie
    # in ballot 3 is between those of ballot 3.
    assert [de.rule_for(n).advance for n in (1, 2, 3, 4)] == [
        Advance.OPEN,
        Advance.OPEN,
        Advance.ALL,
        Advance.ALL,
    ]
    fr = load_rule_set("fr-maire")
    assert (fr.rule_for(1).win.of, fr.max_rounds, fr.tie) == (Base.CANDIDATE_VOTES, 3, Tie.OLDEST)
    us = load_rule_set("us-house-speaker")
    assert (us.rule_for(40).win.of, us.max_rounds) == (Base.CANDIDATE_VOTES, None)


def _base() -> dict[str, Any]:
    return rule_set_to_json(load_rule_set("kz-akim-2013"))


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda d: d.pop("tie"), "rules.tie: missing"),
        (lambda d: d.update(tie="coin"), "rules.tie: 'coin' is not one of 'lot', 'oldest',"),
        (lambda d: d.update(colour=1), "rules.colour: unknown field; expected one of: name,"),
        (
            lambda d: d["quorum"].update(fraction="0.5"),
            'rules.quorum.fraction: expected a fraction such as "1/2", got "0.5"',
        ),
        (
            lambda d: d["quorum"].update(fraction="\u0661/\u0662"),
            'rules.quorum.fraction: expected a fraction such as "1/2", got "\\u0661/\\u0662"',
        ),
        (
            lambda d: d["quorum"].update(fraction="1" * 5000 + "/2"),
            'rules.quorum.fraction: expected a fraction such as "1/2", got "1111',
        ),
        (
            lambda d: d["quorum"].update(of="people"),
            "rules.quorum.of: 'people' is not one of 'members',",
        ),
        (
            lambda d: d["rounds"][0]["win"].update(fraction="1/1"),
            "rules.rounds[0].win.fraction: 1/1 is out of range (0 < fraction < 1 when strict)",
        ),
        (
            lambda d: d["rounds"][1]["win"].update(of="members"),
            "rules.rounds[1].win.of: a plurality takes no fraction",
        ),
        (
            lambda d: d["rounds"][1].update({"from": 3, "to": 3}),
            "rules.rounds[1].from: 3; expected 2 (no gaps, no overlaps)",
        ),
        (
            lambda d: d["rounds"][0].update(to=None),
            'rules.rounds[1]: follows a rule with "to": null',
        ),
        (
            lambda d: d.update(max_rounds=3),
            "rules.max_rounds: 3 but the round rules stop at round 2",
        ),
        (lambda d: d.update(max_rounds=0), "rules.max_rounds: expected a whole number ≥ 1, got 0"),
        (lambda d: d.update(rounds=[]), "rules.rounds: expected a non-empty list of round rules"),
        (
            lambda d: d["rounds"][0].update(advance="best"),
            "rules.rounds[0].advance: 'best' is not one of",
        ),
        (
            lambda d: d.update(against_all="no"),
            "rules.against_all: expected true or false, got a string",
        ),
    ],
)
def test_errors_name_the_field(change: Any, error: str) -> None:
    data = _base()
    change(data)
    with pytest.raises(RuleSetError) as e:
        load_rule_set(data)
    assert str(e.value).startswith(error)
    assert str(e.value) == f"{e.value.path}: {e.value.message}"


def test_unknown_preset_lists_presets() -> None:
    with pytest.raises(RuleSetError) as e:
        load_rule_set("kz-akim-2031")
    assert e.value.path == "rules"
    assert e.value.message == (
        "unknown preset 'kz-akim-2031'; presets: de-bundesversammlung, fr-maire, it-presidente,"
        " kz-akim-2013, us-house-speaker"
    )


def test_strict_defaults_to_true() -> None:
    data = _base()
    del data["quorum"]["strict"]
    del data["rounds"][0]["win"]["strict"]
    assert load_rule_set(data) == load_rule_set("kz-akim-2013")


def test_a_whole_fraction_round_trips() -> None:
    # str(Fraction(1)) is "1", which the "p/q" format refuses: the inline form (stored with an
    # event and printed by `rules show`) must write "1/1".
    data = _base()
    data["quorum"].update(fraction="2/2", strict=False)
    data["rounds"][0]["win"].update(fraction="4/4", strict=False)
    rule_set = load_rule_set(data)
    inline = rule_set_to_json(rule_set)
    assert inline["quorum"] == {"fraction": "1/1", "of": "members", "strict": False}
    assert load_rule_set(inline) == rule_set
