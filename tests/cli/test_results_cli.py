"""`saylau results`: the read models from the command line, staff and public, text and JSON
(docs/results.md), over the Uralsk meeting of docs/lifecycle.md's worked example."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from lifecycle_example import ABSENT, EVENT, REGION, ROUND_1, URALSK, bundle, nominations
from typer.testing import CliRunner

from saylau.cli.main import build_app

app = build_app()
runner = CliRunner()


def _run(
    url: str, *args: str, code: int = 0, as_user: tuple[str, str] | None = None, stdin: str = ""
) -> Any:
    """Runs saylau as the CEC administrator of `admin_url`, or as `as_user` (name, password)."""
    env = {"COLUMNS": "200"}
    if as_user is not None:
        env |= {"SAYLAU_USER": as_user[0], "SAYLAU_PASSWORD": as_user[1]}
    done = runner.invoke(app, [*args, "--db", url], env=env, input=stdin)
    assert done.exit_code == code, (args, done.output, done.exception)
    return done


def _file(tmp: Path, name: str, data: Any) -> str:
    path = tmp / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.fixture
def url(admin_url: str, tmp_path: Path) -> str:
    """Round 1 in Uralsk: Derkul and Zachagansk elect, Krugloozerny goes to repeat voting;
    all three protocols signed (by the commission's secretary), only Derkul's published."""
    u = admin_url
    _run(u, "import", "bundle", _file(tmp_path, "bundle.json", bundle()))
    _run(u, "event", "create", _file(tmp_path, "event.json", EVENT))
    n_file = _file(tmp_path, "n.json", nominations())
    done = _run(u, "candidate", "nominate", "--file", n_file, "--on", "2013-07-10", "--json")
    ids = json.loads(done.stdout)["nominations"]
    _run(u, "candidate", "register", *map(str, ids[:9]), "--on", "2013-07-22")
    contests = ("--contest", "271033000", "--contest", "271035000", "--contest", "271037000")
    sitting = json.loads(
        _run(
            u,
            "sitting",
            "schedule",
            "--council",
            URALSK,
            "--day",
            "2013-08-09",
            *contests,
            "--json",
        ).stdout
    )["sitting"]
    _run(u, "sitting", "attend", str(sitting), "--absent", ABSENT[0], "--absent", ABSENT[1])
    _run(u, "sitting", "open", str(sitting))
    first = json.loads(
        _run(u, "protocol", "submit", _file(tmp_path, "r1.json", ROUND_1), "--json").stdout
    )
    pids = [str(p["protocol_id"]) for p in first]
    secretary = ("secretary", "uralsk secretary 2013")
    add = ("user", "add", secretary[0], "--role", "secretary", "--scope", URALSK)
    _run(u, *add, "--password-stdin", stdin=secretary[1] + "\n")
    _run(u, "protocol", "sign", *pids, "--signer", "Secretary Zhaksylykova", as_user=secretary)
    _run(u, "protocol", "publish", pids[0])
    return u


def _figures(url: str, *args: str) -> dict[str, Any]:
    data = json.loads(_run(url, "results", *args, "--json").stdout)
    figures: dict[str, Any] = data["figures"]
    return figures


def test_results_json_staff_and_public(url: str) -> None:
    staff = _figures(url)
    public = _figures(url, "--public")
    keys = ("posts", "candidates", "elected", "pending", "repeat_voting", "signed", "published")
    assert [staff[k] for k in keys] == [3, 9, 2, 1, 1, 2, 1]
    assert [public[k] for k in keys] == [3, 9, 1, 2, 0, 1, 1]
    assert (staff["margins"], public["margins"]) == ({"5": 1, "8": 1}, {"8": 1})
    assert staff["youngest"]["elected"]["full_name"] in ("Candidate 1", "Candidate 4")
    assert (staff["refused"], staff["nominated"]) == (0, 10)


def test_results_json_adds_the_aftermath_nationally_only(url: str) -> None:
    national = json.loads(_run(url, "results", "--on", "2013-08-10", "--json").stdout)
    assert national["aftermath"] == {
        "event_id": national["event_id"],
        "visibility": "staff",
        "appeals": {
            "filed": 0,
            "decided": {"upheld": 0, "rejected": 0, "left_without_consideration": 0},
            "pending": 0,
            "overdue": 0,
            "at_once": 0,
            "on": "2013-08-10",
        },
        "repeat_elections": [],
        "filled_by_repeat": 0,
    }
    region = json.loads(_run(url, "results", "--region", REGION, "--json").stdout)
    assert "aftermath" not in region
    assert set(national) - {"aftermath"} == set(region)


def test_results_json_of_a_region_and_a_town(url: str) -> None:
    region = json.loads(_run(url, "results", "--region", REGION, "--json").stdout)
    assert region["area"]["names"]["en"] == "West Kazakhstan Region"
    assert [(p["territory"]["kato"], p["figures"]["elected"]) for p in region["parts"]] == [
        (URALSK, 2)
    ]
    town = json.loads(
        _run(url, "results", "--district", URALSK, "--public", "--limit", "2", "--json").stdout
    )
    assert town["visibility"] == "public"
    assert (town["contests"]["total"], town["contests"]["limit"], town["parts"]) == (3, 2, [])
    derkul, zachagansk = town["contests"]["items"]
    assert (derkul["status"], derkul["elected"]["full_name"], derkul["margin"]) == (
        "elected",
        "Candidate 1",
        8,
    )
    assert derkul["decision"]["kind"] == "elected"
    assert derkul["protocol"]["signed_by"] == "Secretary Zhaksylykova (secretary)"
    # Signed but not published: nothing of it in public.
    assert (zachagansk["status"], zachagansk["decision"], zachagansk["elected"]) == (
        "pending",
        None,
        None,
    )


def test_results_text(url: str) -> None:
    town = _run(url, "results", "--district", URALSK).stdout
    assert "Akim elections 2013: Uralsk (271010000), staff view" in town.splitlines()[0]
    assert "contests 1–3 of 3" in town
    derkul = next(line for line in town.splitlines() if "Derkul" in line)
    assert [c.strip() for c in derkul.split("│")[1:-1]][1:] == [
        "Derkul",
        "271033000",
        "elected",
        "Candidate 1",
        "8",
        "1",
        derkul.split("│")[-2].strip(),
    ]
    assert "published" in derkul
    national = _run(url, "results", "--public").stdout
    assert "3 contests: `saylau results --district KATO` lists them" in national


def test_results_refuses_bad_areas(url: str) -> None:
    both = _run(url, "results", "--region", REGION, "--district", URALSK, code=2)
    assert "not both" in both.stderr
    missing = _run(url, "results", "--region", "999999999", code=1)
    assert "no territory with KATO 999999999" in missing.stderr
    post = _run(url, "results", "--district", "271033000", code=2)
    assert "without a council" in post.stderr
    big = _run(url, "results", "--limit", "5000", code=2)
    assert "limit" in big.stderr
