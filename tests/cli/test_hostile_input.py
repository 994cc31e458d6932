"""Hostile input (issue 7, docs/input.md): one test per class of bad input, each asserting the
exact lines of the refusal, exit 2 (1 for a refusal by the rules), and that nothing was stored;
on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from lifecycle_example import ABSENT, EVENT, ROUND_1, URALSK, bundle, nominations
from sqlalchemy import text
from typer.testing import CliRunner

from saylau.cli.main import build_app
from saylau.db.engine import make_engine
from saylau.domain import limits

app = build_app()
runner = CliRunner()

REGION = {"kato": "270000000", "kind": "region", "name_ru": "Западно-Казахстанская область"}
DISTRICT = {"kato": "273400000", "kind": "district", "parent_kato": "270000000", "name_ru": "А"}
COUNCIL = {"territory_kato": "273400000", "num_seats": 19, "name_ru": "Маслихат"}
DEPUTY = {
    "council_kato": "273400000",
    "full_name": "Абдрахманова Айгуль",
    "sex": "female",
    "birth_date": "1968-03-14",
    "mandate_start": "2012-01-15",
}
TABLES = ("territory", "council", "deputy", "commission", "commission_member", "audit_entry")


def rows(url: str, tables: tuple[str, ...] = TABLES) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        found = {
            t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in tables
        }
    engine.dispose()
    return found


def import_file(url: str, path: Path, kind: str) -> tuple[int, list[str]]:
    """Exit code and stderr lines of `saylau import KIND FILE`."""
    done = runner.invoke(app, ["import", kind, str(path), "--db", url])
    return done.exit_code, done.stderr.splitlines()


def refused(url: str, path: Path, kind: str, *problems: str, code: int = 2) -> None:
    """The import is refused with exactly `problems` (after the summary line); nothing stored."""
    before = rows(url)
    exit_code, lines = import_file(url, path, kind)
    assert (exit_code, [line.strip() for line in lines[1:]]) == (code, list(problems)), lines
    assert rows(url) == before


def bundle_file(tmp_path: Path, **sections: list[dict[str, Any]]) -> Path:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(sections, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_duplicate_json_key_is_refused(admin_url: str, tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text('[{"kato": "270000000", "kato": "271000000", "kind": "region"}]')
    refused(admin_url, path, "territories", "duplicate key 'kato' in one JSON object")


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        (
            REGION | {"name_kz": "x"},
            "[0].name_kz: unknown column; expected kato, kind, name_en, name_kk, name_ru,"
            " parent_kato",
        ),
        (
            REGION | {"kind": 5},
            "[0].kind: expected one of region, district,"
            " city_of_regional_significance, town_of_district_significance, rural_district,"
            " settlement, village, got 5",
        ),
        (REGION | {"name_ru": ["x"]}, "[0].name_ru: expected text, got a list"),
    ],
)
def test_unknown_keys_and_wrong_types_are_refused(
    admin_url: str, tmp_path: Path, item: dict[str, Any], problem: str
) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps([item]), encoding="utf-8")
    refused(admin_url, path, "territories", problem)


@pytest.mark.parametrize(
    ("seats", "problem"),
    [
        ("19.5", "councils[0].num_seats: expected a whole number, got 19.5"),
        ("true", "councils[0].num_seats: expected a whole number, got true"),
        ("NaN", "NaN is not a JSON number"),
        ("Infinity", "Infinity is not a JSON number"),
        ("1e999", "1e999 is out of range"),
        (str(2**31), "councils[0].num_seats: 2147483648; expected a whole number from 1 to 1,000"),
        (
            str(2**63),
            "councils[0].num_seats: 9223372036854775808; expected a whole number from 1 to 1,000",
        ),
        ("1001", "councils[0].num_seats: 1001; expected a whole number from 1 to 1,000"),
        ("9" * 5000, "a number of 5,000 digits; at most 19"),
    ],
)
def test_counts_must_be_whole_numbers_in_range(
    admin_url: str, tmp_path: Path, seats: str, problem: str
) -> None:
    path = bundle_file(tmp_path, territories=[REGION, DISTRICT], councils=[COUNCIL])
    path.write_text(
        path.read_text(encoding="utf-8").replace('"num_seats": 19', f'"num_seats": {seats}')
    )
    refused(admin_url, path, "bundle", problem)


@pytest.mark.parametrize(
    ("content", "kind", "problem"),
    [
        (
            [REGION | {"kato": "٢٧٠٠٠٠٠٠٠"}],
            "territories",
            '[0].kato: a KATO code: expected 9 digits 0-9, got "\\u0662\\u0667\\u0660\\u0660'
            '\\u0660\\u0660\\u0660\\u0660\\u0660"',
        ),
        (
            "kato,kind,name_ru\n27000000²,region,X\n",
            "territories",
            'line 2, kato: a KATO code: expected 9 digits 0-9, got "27000000\\u00b2"',
        ),
    ],
)
def test_only_ascii_digits_make_a_number_or_code(
    admin_url: str, tmp_path: Path, content: Any, kind: str, problem: str
) -> None:
    path = tmp_path / ("t.csv" if isinstance(content, str) else "t.json")
    path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    refused(admin_url, path, kind, problem)


def test_seats_in_superscript_digits_are_refused(admin_url: str, tmp_path: Path) -> None:
    path = bundle_file(tmp_path, territories=[REGION, DISTRICT])
    assert import_file(admin_url, path, "bundle")[0] == 0
    csv = tmp_path / "c.csv"
    csv.write_text("territory_kato,num_seats,name_ru\n273400000,²,X\n", encoding="utf-8")
    refused(
        admin_url,
        csv,
        "councils",
        'line 2, num_seats: expected a whole number, got "\\u00b2"',
    )


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Ақжайық\x00", "[0].name_ru: contains the control character U+0000"),
        ("Ақ\x1bжайық", "[0].name_ru: contains the control character U+001B"),
        ("Ақ\x85жайық", "[0].name_ru: contains the control character U+0085"),
        ("\u202eкиыйажқА", "[0].name_ru: contains the control character U+202E"),
        ("Ақжайық\nауданы", "[0].name_ru: contains the control character U+000A"),
        ("Ж" * 201, "[0].name_ru: 201 characters; at most 200"),
        ("Ж" * 1_000_000, "[0].name_ru: 1,000,000 characters; at most 200"),
    ],
)
def test_text_with_control_characters_or_too_long_is_refused(
    admin_url: str, tmp_path: Path, name: str, problem: str
) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps([REGION | {"name_ru": name}]), encoding="utf-8")
    refused(admin_url, path, "territories", problem)


TODAY = date.today()
LATEST_START = TODAY + timedelta(days=366)


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"birth_date": "0001-01-01"}, "deputies[0].birth_date: 0001-01-01 is before 1900-01-01"),
        (
            {"birth_date": "2999-01-01"},
            f"deputies[0].birth_date: 2999-01-01 is after today ({TODAY})",
        ),
        (
            {"mandate_start": "9999-01-01"},
            f"deputies[0].mandate_start: 9999-01-01 is after {LATEST_START}, 366 days after today",
        ),
    ],
)
def test_implausible_dates_are_refused(
    admin_url: str, tmp_path: Path, changes: dict[str, str], problem: str
) -> None:
    path = bundle_file(
        tmp_path, territories=[REGION, DISTRICT], councils=[COUNCIL], deputies=[DEPUTY | changes]
    )
    refused(admin_url, path, "bundle", problem)


def test_one_person_as_chair_and_secretary_is_refused(admin_url: str, tmp_path: Path) -> None:
    commission = {
        "level": "district",
        "territory_kato": "273400000",
        "name": "Акжаикская районная избирательная комиссия",
        "members": [
            {"full_name": "Сабирова Г.", "role": "chair"},
            {"full_name": "сабирова  г.", "role": "secretary"},
        ],
    }
    path = bundle_file(tmp_path, territories=[REGION, DISTRICT], commissions=[commission])
    refused(
        admin_url,
        path,
        "bundle",
        "commissions[0].members[1].full_name: сабирова  г. is already the chair of the"
        " commission of 273400000; one person holds one role",
        code=1,
    )


def test_too_large_too_deep_and_a_huge_csv_field_are_refused(
    admin_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    refused(admin_url, deep, "territories", "nested deeper than 32 levels")
    wide = tmp_path / "wide.csv"
    wide.write_text("kato,kind,name_ru\n270000000,region," + "Ж" * 131_073 + "\n", "utf-8")
    refused(admin_url, wide, "territories", "line 2: a field longer than 131,072 characters")
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "big.json"
    big.write_text(json.dumps([REGION] * 20), encoding="utf-8")
    refused(admin_url, big, "territories", "larger than the limit of 1,000 bytes")


def test_a_file_that_is_not_utf8_is_refused(admin_url: str, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"kato,kind,name_ru\n270000000,region," + "Запад".encode("cp1251") + b"\n")
    refused(
        admin_url,
        path,
        "territories",
        "line 2, column 18: not UTF-8 text (byte 0xc7); save the file as UTF-8",
    )


# --- protocols: a sitting of the worked example opened, round 1 waiting for its protocol ----


@pytest.fixture
def opened(admin_url: str, tmp_path: Path) -> str:
    url = admin_url

    def run(*args: str) -> Any:
        done = runner.invoke(app, [*args, "--db", url, "--json"])
        assert done.exit_code == 0, done.output
        return json.loads(done.stdout)

    def file(name: str, data: Any) -> str:
        path = tmp_path / name
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return str(path)

    run("import", "bundle", file("bundle.json", bundle()))
    run("event", "create", file("event.json", EVENT))
    ids = run(
        "candidate", "nominate", "--file", file("n.json", nominations()), "--on", "2013-07-10"
    )
    run("candidate", "register", *map(str, ids["nominations"][:9]), "--on", "2013-07-22")
    sitting = run(
        "sitting",
        "schedule",
        "--council",
        URALSK,
        "--day",
        "2013-08-09",
        *("--contest", "271033000", "--contest", "271035000", "--contest", "271037000"),
    )["sitting"]
    run("sitting", "attend", str(sitting), "--absent", ABSENT[0], "--absent", ABSENT[1])
    run("sitting", "open", str(sitting))
    return url


def _submit(url: str, tmp_path: Path, data: Any) -> tuple[int, list[str]]:
    path = tmp_path / "protocol.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = rows(url, ("protocol", "audit_entry"))
    done = runner.invoke(app, ["protocol", "submit", str(path), "--db", url])
    assert rows(url, ("protocol", "audit_entry")) == before
    return done.exit_code, [line.strip() for line in done.stderr.splitlines()]


@pytest.mark.parametrize(
    ("data", "lines"),
    [
        (
            [],
            [
                "error: 1 problem(s) in the protocol file; nothing was stored",
                "protocols: an empty list; expected at least 1 item(s)",
            ],
        ),
        (
            ROUND_1[0] | {"ballots_cats": 17},
            [
                "error: 1 problem(s) in the protocol file; nothing was stored",
                "protocols[0].ballots_cats: unknown key; expected one of: contest, round, members,"
                " present, ballots_received, ballots_issued, ballots_cast, ballots_unused,"
                " ballots_spoiled, invalid, blank, against_all, scattered, votes, lot_winner",
            ],
        ),
        (
            ROUND_1[0] | {"votes": {"Candidate 1": 12, "candidate  1": 4, "Candidate 3": 1}},
            [
                "error: 1 problem(s) in the protocol file; nothing was stored",
                "protocols[0].votes.candidate  1: the same candidate as votes.Candidate 1",
            ],
        ),
        (
            ROUND_1[0] | {"votes": {"Candidate 1": 12, "1": 4, "Candidate 3": 1}},
            [
                "error: votes.1: nomination 1 is also given as votes.Candidate 1; name each"
                " candidate once"
            ],
        ),
    ],
)
def test_bad_protocols_are_refused_and_nothing_is_stored(
    opened: str, tmp_path: Path, data: Any, lines: list[str]
) -> None:
    assert _submit(opened, tmp_path, data) == (2, lines)


def test_bad_nominations_are_refused_and_nothing_is_stored(opened: str, tmp_path: Path) -> None:
    nominee = {"contest": "271033000", "full_name": "X", "sex": "male", "birth_date": "1970-01-01"}
    path = tmp_path / "n.json"
    path.write_text(
        json.dumps(
            [
                nominee | {"birth_date": "0001-01-01"},
                nominee | {"full_name": "\u202eX", "incumbent": "yes"},
                nominee | {"contest": "٢٧١٠٣٣٠٠٠"},
            ]
        ),
        encoding="utf-8",
    )
    before = rows(opened, ("nomination", "person", "audit_entry"))
    args = ["candidate", "nominate", "--file", str(path), "--on", "2013-07-10", "--db", opened]
    done = runner.invoke(app, args)
    assert (done.exit_code, [line.strip() for line in done.stderr.splitlines()]) == (
        2,
        [
            "error: 4 problem(s) in the nominations; nothing was stored",
            "nominations[0].birth_date: 0001-01-01 is before 1900-01-01",
            "nominations[1].full_name: contains the control character U+202E",
            "nominations[1].incumbent: expected true or false",
            "nominations[2].contest: expected a contest id or the post's KATO code (digits 0-9)",
        ],
    )
    assert rows(opened, ("nomination", "person", "audit_entry")) == before


@pytest.mark.parametrize("day", ["2013-W28-3", "20130710", "٢٠١٣-07-10"])
def test_a_day_option_is_yyyy_mm_dd_only(tmp_path: Path, day: str) -> None:
    url = f"sqlite:///{tmp_path / 'never-opened.db'}"
    args = ["candidate", "nominate", "1", "--name", "X", "--sex", "male", "--born", "1970-01-01"]
    done = runner.invoke(app, [*args, "--on", day, "--db", url])
    assert (done.exit_code, done.stderr) == (2, f"error: --on: {day!r} is not a date YYYY-MM-DD\n")
    assert not (tmp_path / "never-opened.db").exists()


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["event", "show", "--event", "a\x00b"],
            "error: --event: contains the control character U+0000",
        ),
        (
            ["protocol", "sign", "1", "--signer", "Сабирова\u202e"],
            "error: --signer: contains the control character U+202E",
        ),
        (
            ["contest", "show", "2710\x0033000"],
            "error: contest: contains the control character U+0000",
        ),
    ],
)
def test_control_characters_in_options_are_refused_before_any_query(
    admin_url: str, args: list[str], line: str
) -> None:
    done = runner.invoke(app, [*args, "--db", admin_url])
    assert (done.exit_code, done.stderr) == (2, line + "\n")
