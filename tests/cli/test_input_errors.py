"""Malformed input files are refused with exit 2 and a message naming the field and what was
expected; nothing is stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from lifecycle_example import EVENT, bundle
from signed_in import ADMIN, ADMIN_PASSWORD, add_admin
from typer.testing import CliRunner

from saylau.cli.main import build_app

app = build_app()
runner = CliRunner()


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database with the worked example's structure and event (SQLite: input checks do not
    depend on the backend), signed in as its CEC administrator."""
    url = f"sqlite:///{tmp_path / 'saylau.db'}"
    add_admin(url)
    monkeypatch.setenv("SAYLAU_USER", ADMIN)
    monkeypatch.setenv("SAYLAU_PASSWORD", ADMIN_PASSWORD)
    for command, data in (("import bundle", bundle()), ("event create", EVENT)):
        path = tmp_path / "input.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        done = runner.invoke(app, [*command.split(), str(path), "--db", url])
        assert done.exit_code == 0, done.output
    return url


def _run(url: str, tmp_path: Path, args: list[str], data: Any) -> tuple[int, str]:
    """The exit code and the refusal's lines: each problem as `where: message`."""
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    done = runner.invoke(app, [*args, str(path), "--db", url, "--json"])
    refusal = json.loads(done.stdout)
    lines = [f"{p['where']}: {p['message']}" for p in refusal["problems"]]
    return done.exit_code, "\n".join(lines) or refusal["message"]


def _event(**changes: Any) -> dict[str, Any]:
    return EVENT | {"name": "Another event"} | changes


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            _event(calendar=EVENT["calendar"] | {"nomination_closes": "2013-13-01"}),
            'calendar.nomination_closes: expected a date YYYY-MM-DD, got "2013-13-01"',
        ),
        (
            _event(voting_days={"270000000": "7 August"}),
            'voting_days.270000000: expected a date YYYY-MM-DD, got "7 August"',
        ),
        (_event(min_candidates="two"), 'min_candidates: expected a whole number, got "two"'),
        (
            _event(eligibility={"min_age": -1}),
            "eligibility.min_age: -1; expected a whole number from 0 to 150",
        ),
        (_event(posts="271033000"), "posts: expected a list, got a string"),
        (
            {"name": "x", "calendar": {}, "voting_days": {}, "ballots_cats": 1},
            "ballots_cats: unknown key; expected one of: name, rules, calendar, voting_days,"
            " posts, min_candidates, eligibility\n"
            "rules: missing\n"
            "calendar.nomination_opens: missing\n"
            "calendar.nomination_closes: missing\n"
            "calendar.registration_deadline: missing",
        ),
    ],
)
def test_bad_event_file_names_the_field(
    url: str, tmp_path: Path, data: dict[str, Any], message: str
) -> None:
    assert _run(url, tmp_path, ["event", "create"], data) == (2, message)
    listed = runner.invoke(app, ["event", "list", "--db", url, "--json"])
    assert [e["name"] for e in json.loads(listed.stdout)] == ["Akim elections 2013"]


NOMINEE = {"contest": "271033000", "full_name": "X", "sex": "male", "birth_date": "1970-01-01"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            [NOMINEE | {"birth_date": "1970-1-1"}],
            'nominations[0].birth_date: expected a date YYYY-MM-DD, got "1970-1-1"',
        ),
        (
            [NOMINEE, {"contest": "271033000"}],
            "nominations[1].full_name: missing\n"
            "nominations[1].sex: missing\n"
            "nominations[1].birth_date: missing",
        ),
        (
            [NOMINEE | {"nominated_by": "akim"}],
            'nominations[0].nominated_by: expected one of district_akim, self, party, got "akim"',
        ),
        ([3], "nominations[0]: expected an object, got a number"),
    ],
)
def test_bad_nomination_file_names_the_item_and_field(
    url: str, tmp_path: Path, data: list[Any], message: str
) -> None:
    args = ["candidate", "nominate", "--on", "2013-07-10", "--file"]
    assert _run(url, tmp_path, args, data) == (2, message)
    listed = runner.invoke(app, ["candidate", "list", "--db", url, "--json"])
    assert json.loads(listed.stdout) == []


PROTOCOL = {
    "contest": "271037000",
    "members": 19,
    "present": 17,
    "ballots_received": 19,
    "ballots_issued": 17,
    "ballots_cast": 17,
}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (PROTOCOL | {"round": "two"}, 'protocols[0].round: expected a whole number, got "two"'),
        (
            [PROTOCOL, PROTOCOL | {"ballots_cast": -17}],
            "protocols[1].ballots_cast: -17; expected a whole number from 0 to 1,000,000",
        ),
        (
            PROTOCOL | {"votes": {"Candidate 7": 9, "Candidate 8": "8"}},
            'protocols[0].votes.Candidate 8: expected a whole number, got "8"',
        ),
        (PROTOCOL | {"votes": [9, 8]}, "protocols[0].votes: expected an object, got a list"),
        (
            {"round": 1, "members": 19},
            "protocols[0].contest: missing\n"
            + "\n".join(
                f"protocols[0].{k}: missing"
                # members, present and ballots_issued may be left to the sitting
                for k in ("ballots_received", "ballots_cast")
            ),
        ),
        (
            {"contest": "271037000"},
            "\n".join(f"protocols[0].{k}: missing" for k in ("ballots_received", "ballots_cast")),
        ),
    ],
)
def test_bad_protocol_file_names_the_item_and_field(
    url: str, tmp_path: Path, data: Any, message: str
) -> None:
    assert _run(url, tmp_path, ["protocol", "submit"], data) == (2, message)


def test_bad_correction_file_is_bad_input_not_a_crash(url: str, tmp_path: Path) -> None:
    data = PROTOCOL | {"round": 1, "votes": {"Candidate 7": 9.5}}
    assert _run(url, tmp_path, ["protocol", "correct", "1", "--reason", "recount"], data) == (
        2,
        "protocol.votes.Candidate 7: expected a whole number, got 9.5",
    )


def test_a_database_that_cannot_be_opened_is_one_error_line(tmp_path: Path) -> None:
    bad_url = runner.invoke(app, ["event", "list", "--db", "not a url"])
    assert bad_url.exit_code == 2
    assert bad_url.output.startswith("error: --db (or SAYLAU_DATABASE_URL) is not a database URL")
    missing_dir = f"sqlite:///{tmp_path / 'no such folder' / 'x.db'}"
    unreachable = runner.invoke(app, ["verify", "--db", missing_dir])
    assert (unreachable.exit_code, unreachable.output) == (
        1,
        f"error: cannot open the database {missing_dir}: unable to open database file\n",
    )


def test_unreadable_json_names_the_line(url: str, tmp_path: Path) -> None:
    path = tmp_path / "round1.json"
    path.write_text('{"contest": "271033000",\n "round": 1,,\n}', encoding="utf-8")
    done = runner.invoke(app, ["protocol", "submit", str(path), "--db", url])
    assert done.exit_code == 2
    assert done.output == (
        f"error: {path}: line 2, column 13: not JSON: Expecting property name enclosed in"
        " double quotes\n"
    )
    gone = runner.invoke(app, ["protocol", "submit", str(tmp_path / "none.json"), "--db", url])
    assert (gone.exit_code, gone.output) == (2, f"error: no file {tmp_path / 'none.json'}\n")


def test_options_that_contradict_are_refused(url: str) -> None:
    status = runner.invoke(app, ["contest", "list", "--status", "won", "--db", url])
    assert (status.exit_code, status.output) == (
        2,
        "error: --status 'won': expected one of pending, voting, elected, lot_required,"
        " repeat_election\n",
    )
    both = ["sitting", "attend", "1", "--absent", "Deputy 01", "--present", "Deputy 02"]
    done = runner.invoke(app, [*both, "--db", url])
    assert (done.exit_code, done.output) == (2, "error: give --absent or --present, not both\n")


def test_every_lookup_refuses_a_miss_alike_with_exit_1_and_its_close_matches(url: str) -> None:
    """contest, sitting --council, protocol sign --signer and --event: one resolver, one form."""
    misses = [
        (["contest", "show", "Derkull"], "no contest 'Derkull' in event 1", "Derkul"),
        (["contest", "list", "--event", "Akim elections 2031"], "no election event", "2013"),
        (
            [
                *("sitting", "schedule", "--council", "Uralsk maslikhatt"),
                *("--day", "2013-08-09", "--contest", "271033000"),
            ],
            "no council 'Uralsk maslikhatt'",
            "Uralsk maslikhat",
        ),
        (
            ["protocol", "sign", "1", "--signer", "Secretary Zhaksylykov"],
            "no commission member 'Secretary Zhaksylykov'",
            "Secretary Zhaksylykova",
        ),
    ]
    for args, message, suggestion in misses:
        done = runner.invoke(app, [*args, "--db", url, "--json"])
        assert done.exit_code == 1, (args, done.output)
        payload = json.loads(done.stdout)
        assert payload["error"] == "not_found"
        assert payload["message"].startswith(message), payload
        assert payload["problems"][0]["code"] == "close_match"
        assert suggestion in payload["problems"][0]["message"]
        assert suggestion in done.stderr


def test_a_deputy_named_on_the_roll_is_resolved_by_the_same_rule(url: str) -> None:
    schedule = ["sitting", "schedule", "--council", "Uralsk maslikhat", "--day", "2013-08-09"]
    done = runner.invoke(app, [*schedule, "--contest", "Derkul", "--db", url, "--json"])
    assert done.exit_code == 0, done.output
    sitting = str(json.loads(done.stdout)["sitting"])
    miss = runner.invoke(app, ["sitting", "attend", sitting, "--absent", "Depty 01", "--db", url])
    assert miss.exit_code == 1
    assert miss.stderr.startswith(
        f"error: no deputy 'Depty 01' in office for sitting {sitting} (read as an exact name)"
        ": close matches below\n  1: Deputy 01\n"
    )
    absent = ["--absent", "Deputy 01", "--absent", "Deputy 02"]
    done = runner.invoke(app, ["sitting", "attend", sitting, *absent, "--db", url, "--json"])
    assert done.exit_code == 0, done.output
    assert (json.loads(done.stdout)["present"], json.loads(done.stdout)["absent"]) == (17, 2)
