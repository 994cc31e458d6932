"""Accounts from the command line: the bootstrap, and no write without a valid, enabled user."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer.main
from lifecycle_example import EVENT, ROUND_1, URALSK, bundle, nominations
from sqlalchemy import text
from typer.testing import CliRunner

from saylau.cli.main import build_app
from saylau.db.engine import make_engine

app = build_app()
runner = CliRunner()

PASSWORDS = {"admin": "uralsk admin 2013", "chair": "uralsk chair 2013", "west": "other 2013!"}
# Commands that change nothing a user acts on: the schema, and the demo (it makes its own
# database, with its own accounts).
EXEMPT = {"db upgrade", "demo", "serve"}  # serve: the web server; its writes are the web's
READS = {
    "candidate list", "commissions list", "commissions show", "contest list", "contest show",
    "councils list", "councils show", "count", "event list", "event show", "log",
    "protocol show", "results", "rules list", "rules show", "sitting show", "territories list",
    "verify", "head", "key list", "checkpoint list", "bundle export",
    "appeal list", "appeal show", "contest repeats", "lot check",
    "publish-static",  # the public site: published data only, no principal
    "protocol pdf", "protocol check-digest", "report press-release",
    "export cdf", "export csv",
}  # fmt: skip


def _leaves(command: Any, path: tuple[str, ...] = ()) -> list[str]:
    subcommands = getattr(command, "commands", None)
    if not subcommands:
        return [" ".join(path)]
    return [leaf for n, c in subcommands.items() for leaf in _leaves(c, (*path, n))]


def _write_commands(files: dict[str, str]) -> dict[str, list[str]]:
    """Every command that changes something, with arguments that pass every check made before
    the user is authenticated."""
    return {
        "candidate nominate": ["candidate", "nominate", "271033000", "--name", "New Nominee",
                               "--sex", "male", "--born", "1970-01-01", "--on", "2013-07-10"],
        "candidate register": ["candidate", "register", "1", "--on", "2013-07-22"],
        "candidate refuse": ["candidate", "refuse", "Nominee 10", "--reason", "no consent",
                             "--on", "2013-07-22"],
        "candidate withdraw": ["candidate", "withdraw", "2", "--on", "2013-07-20"],
        "event create": ["event", "create", files["event2"]],
        "appeal file": ["appeal", "file", "--subject", "refusal", "--object", "10", "--appellant",
                        "Nominee 10", "--authority", "regional commission", "--grounds", "consent",
                        "--on", "2013-07-23"],
        "appeal decide": ["appeal", "decide", "1", "--outcome", "rejected", "--reason", "none",
                          "--on", "2013-07-29"],
        "contest repeat": ["contest", "repeat", "271033000", "--voting-day", "2013-08-28",
                           "--on", "2013-08-10"],
        **{
            f"import {kind}": ["import", kind, files["bundle"]]
            for kind in ("bundle", "commissions", "councils", "deputies", "posts", "territories")
        },
        "protocol submit": ["protocol", "submit", files["round1"]],
        "protocol correct": ["protocol", "correct", "1", files["one"], "--reason", "recount"],
        "protocol sign": ["protocol", "sign", "1"],
        "protocol publish": ["protocol", "publish", "1"],
        "lot draw": ["lot", "draw", "1", "--seed", "01234567890123456789"],
        "sitting schedule": ["sitting", "schedule", "--council", URALSK, "--day", "2013-08-09",
                             "--contest", "271035000"],
        "sitting attend": ["sitting", "attend", "1", "--absent", "Deputy 18"],
        "sitting open": ["sitting", "open", "1"],
        "sitting arrive": ["sitting", "arrive", "1", "--deputy", "Deputy 18", "--at",
                           "2013-08-09T10:40"],
        "sitting leave": ["sitting", "leave", "1", "--deputy", "Deputy 18", "--at",
                          "2013-08-09T10:40"],
        "sitting adjourn": ["sitting", "adjourn", "1", "--reason", "a break"],
        "sitting resume": ["sitting", "resume", "1"],
        "sitting close": ["sitting", "close", "1"],
        "user add": ["user", "add", "observer", "--role", "observer", "--password-stdin"],
        "user disable": ["user", "disable", "chair"],
        "user passwd": ["user", "passwd", "chair", "--password-stdin"],
        "user list": ["user", "list"],
        "key create": ["key", "create", "--commission", URALSK, "-o", files["key"]],
        "checkpoint sign": ["checkpoint", "sign", "--key", files["key"]],
    }  # fmt: skip


def _env(user: str | None, password: str | None = None) -> dict[str, str | None]:
    if user is None:
        return {"SAYLAU_USER": None, "SAYLAU_PASSWORD": None}
    return {"SAYLAU_USER": user, "SAYLAU_PASSWORD": password or PASSWORDS[user]}


def _run(url: str, args: list[str], user: str | None, password: str | None = None) -> Any:
    return runner.invoke(
        app, [*args, "--db", url], env=_env(user, password), input="a new password 2013\n"
    )


def _num_entries(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        n = conn.execute(text("SELECT count(*) FROM audit_entry")).scalar_one()
    engine.dispose()
    return int(n)


def _file(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.fixture
def uralsk(migrated_database_url: str, tmp_path: Path) -> tuple[str, dict[str, str]]:
    """The worked example's structure and event, an admin and Uralsk's chair, ten nominees
    and a scheduled sitting."""
    url = migrated_database_url
    files = {
        "bundle": _file(tmp_path, "bundle.json", bundle()),
        "event": _file(tmp_path, "event.json", EVENT),
        "event2": _file(tmp_path, "event2.json", EVENT | {"name": "Second event"}),
        "nominations": _file(tmp_path, "n.json", nominations()),
        "round1": _file(tmp_path, "round1.json", ROUND_1),
        "one": _file(tmp_path, "one.json", ROUND_1[0]),
        "key": str(tmp_path / "uralsk.key"),  # not written: every key command is refused
    }
    steps = [
        (None, ["user", "add", "admin", "--role", "cec-admin", "--password-stdin"], "admin"),
        ("admin", ["import", "bundle", files["bundle"]], None),
        ("admin", ["event", "create", files["event"]], None),
        ("admin", ["user", "add", "chair", "--role", "chair", "--scope", URALSK,
                   "--password-stdin"], "chair"),
        ("chair", ["candidate", "nominate", "--file", files["nominations"], "--on",
                   "2013-07-10"], None),
        ("chair", ["sitting", "schedule", "--council", URALSK, "--day", "2013-08-09",
                   "--contest", "271033000"], None),
    ]  # fmt: skip
    for user, args, new_password in steps:
        stdin = PASSWORDS[new_password] + "\n" if new_password else None
        done = runner.invoke(app, [*args, "--db", url], env=_env(user), input=stdin)
        assert done.exit_code == 0, (args, done.output)
    return url, files


def test_every_command_is_classified() -> None:
    every = set(_leaves(typer.main.get_command(app)))
    assert every - READS - EXEMPT == set(_write_commands({k: "" for k in _FILE_KEYS}))


_FILE_KEYS = ("bundle", "event2", "round1", "one", "key")


@pytest.mark.parametrize(
    ("user", "password", "message"),
    [
        (None, None, "authentication required"),
        ("chair", "not the password", "bad credentials: unknown user or wrong password"),
        ("nobody", "uralsk chair 2013", "bad credentials: unknown user or wrong password"),
    ],
)
def test_no_write_succeeds_without_valid_credentials(
    uralsk: tuple[str, dict[str, str]], user: str | None, password: str | None, message: str
) -> None:
    url, files = uralsk
    before = _num_entries(url)
    for name, args in _write_commands(files).items():
        done = _run(url, args, user, password)
        assert done.exit_code == 1, (name, done.output)
        assert done.stderr.startswith(f"error: {message}"), (name, done.stderr)
    assert _num_entries(url) == before


def test_a_disabled_user_can_do_nothing(uralsk: tuple[str, dict[str, str]]) -> None:
    url, files = uralsk
    assert _run(url, ["user", "disable", "chair"], "admin").exit_code == 0
    before = _num_entries(url)
    for name, args in _write_commands(files).items():
        done = _run(url, args, "chair")
        assert done.exit_code == 1, (name, done.output)
        assert "error: user chair is disabled" in done.stderr, name
    assert _num_entries(url) == before


def test_the_first_user_is_a_cec_admin_and_only_the_first(migrated_database_url: str) -> None:
    url = migrated_database_url
    add = ["user", "add", "first", "--role", "regional", "--scope", "270000000",
           "--password-stdin"]  # fmt: skip
    refused = _run(url, add, None)
    assert refused.exit_code == 1 and "authentication required" in refused.stderr
    done = _run(url, ["user", "add", "first", "--role", "cec-admin", "--password-stdin"], None)
    assert (done.exit_code, done.stdout) == (0, "user 1 added: first (cec-admin)\n")
    again = _run(url, ["user", "add", "second", "--role", "cec-admin", "--password-stdin"], None)
    assert again.exit_code == 1 and "authentication required" in again.stderr
    bad = _run(url, ["user", "add", "x", "--role", "king", "--password-stdin"], None)
    assert bad.exit_code == 2 and "--role: unknown role 'king'; expected one of" in bad.stderr
    listed = _run(url, ["user", "list", "--json"], "first", "a new password 2013")
    assert [(u["name"], u["role"], u["has_password"]) for u in json.loads(listed.stdout)] == [
        ("first", "cec-admin", True)
    ]


def test_past_acts_are_recorded_and_scopes_enforced(
    uralsk: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    url, _files = uralsk
    log = runner.invoke(app, ["log", "--db", url, "--json", "--type", "nomination"])
    actors = {e["actor"] for e in json.loads(log.stdout)}
    assert len(actors) == 1
    (actor,) = actors
    assert actor.startswith("user:2 past-act entered 20") and "2013" not in actor

    # A regional user of another region may not touch Uralsk's contests.
    region = [{"kato": "350000000", "kind": "region", "name_en": "Karaganda Region"}]
    assert _run(url, ["import", "territories", _file(tmp_path, "r.json", region)],
                "admin").exit_code == 0  # fmt: skip
    add = ["user", "add", "west", "--role", "regional", "--scope", "350000000"]
    added = runner.invoke(
        app, [*add, "--password-stdin", "--db", url], env=_env("admin"), input="other 2013!\n"
    )
    assert added.exit_code == 0, added.output
    done = _run(url, ["candidate", "register", "1", "--on", "2013-07-22"], "west")
    assert done.exit_code == 1
    assert "may not candidate.decide outside its scope" in done.stderr
    assert "271010000: territory 271010000 is outside 350000000" in done.stderr


def test_as_user_prompts_for_the_password(
    uralsk: tuple[str, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _files = uralsk
    asked: list[str] = []

    def prompt(question: str) -> str:
        asked.append(question)
        return PASSWORDS["admin"]

    monkeypatch.setattr("getpass.getpass", prompt)
    done = runner.invoke(
        app, ["user", "list", "--as", "admin", "--db", url, "--json"], env=_env(None)
    )
    assert done.exit_code == 0, done.output
    assert asked == ["password for admin: "]
    assert [u["name"] for u in json.loads(done.stdout)] == ["admin", "chair"]
