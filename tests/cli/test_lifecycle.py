"""A whole contest from the command line: structure import, event, nominations, registration,
sitting with attendance, round 1, repeat voting, signature, publication, `saylau verify`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lifecycle_example import (
    ABSENT,
    DOC,
    EVENT,
    REGION,
    ROUND_1,
    ROUND_2,
    ROUND_2_DRAFT,
    URALSK,
    bundle,
    console_steps,
    invoke,
    nominations,
    write_files,
)
from typer.testing import CliRunner

from saylau.cli.main import build_app

app = build_app()
runner = CliRunner()


PASSWORDS = {
    "admin": "uralsk admin 2013",
    "regional": "west region 2013",
    "chair": "uralsk chair 2013",
    "secretary": "uralsk secretary 2013",
    "member": "uralsk member 2013",
}


class Cli:
    """Runs saylau as `user` (SAYLAU_USER, SAYLAU_PASSWORD); reads run signed out."""

    def __init__(self, url: str, tmp_path: Path) -> None:
        self.url, self.tmp = url, tmp_path
        self.user: str | None = None  # signed out

    def file(self, name: str, data: Any) -> str:
        path = self.tmp / name
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return str(path)

    def run(self, *args: str, code: int = 0, stdin: str | None = None) -> Any:
        reads = args[0] in ("verify", "head") or args[1] in ("list", "show")
        env = {"COLUMNS": "200"}
        if not reads and self.user is not None:
            env |= {"SAYLAU_USER": self.user, "SAYLAU_PASSWORD": PASSWORDS[self.user]}
        done = runner.invoke(app, [*args, "--db", self.url], env=env, input=stdin)
        assert done.exit_code == code, (args, done.output, done.exception)
        return done

    def add_user(self, name: str, role: str, scope: str | None = None) -> None:
        where = ["--scope", scope] if scope else []
        self.run(
            "user",
            "add",
            name,
            "--role",
            role,
            *where,
            "--password-stdin",
            stdin=PASSWORDS[name] + "\n",
        )

    def json(self, *args: str, code: int = 0) -> Any:
        done = self.run(*args, "--json", code=code)
        assert done.stdout, (args, done.output, done.exception)
        return json.loads(done.stdout)


def test_whole_contest_from_the_cli(migrated_database_url: str, tmp_path: Path) -> None:
    cli = Cli(migrated_database_url, tmp_path)
    cli.add_user("admin", "cec-admin")  # the bootstrap: no credentials on an empty database
    cli.user = "admin"
    cli.run("import", "bundle", cli.file("bundle.json", bundle()))
    event = cli.json("event", "create", cli.file("event.json", EVENT))
    assert (event["num_contests"], event["rule_set_name"]) == (3, "kz-akim-2013")
    shown = cli.run("event", "show").stdout
    for line in (
        "rule set kz-akim-2013: Kazakhstan: akims of towns of district significance",
        "quorum: more than 1/2 of members",
        "rounds 1–1: win by more than 1/2 of ballots_cast; then top_two",
        "rounds 2–2: win by most votes; then all",
        "at most 2 rounds",
        "tie: fail; against all: no",
        "reading: Quorum: more than half of the maslikhat's deputies present.",
    ):
        assert line in shown, (line, shown)
    as_json = cli.json("event", "show")["rule_set"]
    assert (as_json["max_rounds"], as_json["tie"], len(as_json["rounds"])) == (2, "fail", 2)
    assert as_json["quorum"] == {"fraction": "1/2", "of": "members", "strict": True}
    cli.add_user("regional", "regional", REGION)
    for role in ("chair", "secretary", "member"):
        cli.add_user(role, role, URALSK)

    # Entering July's acts in 2026 is entering past acts: a secretary may not, the chair may.
    cli.user = "secretary"
    past = cli.run(
        "candidate",
        "nominate",
        "--file",
        cli.file("n.json", nominations()),
        "--on",
        "2013-07-10",
        code=1,
    )
    assert "may not act.enter-past" in past.stderr
    cli.user = "chair"

    # Nominations in July; a nomination after the 19th is refused, naming the date.
    late = cli.run(
        "candidate",
        "nominate",
        "271033000",
        "--name",
        "Late Nominee",
        "--sex",
        "male",
        "--born",
        "1970-01-01",
        "--on",
        "2013-07-20",
        code=1,
    )
    assert "2013-07-19" in late.stderr
    ids = cli.json(
        "candidate", "nominate", "--file", cli.file("n.json", nominations()), "--on", "2013-07-10"
    )["nominations"]
    assert len(ids) == 10
    refused = cli.run("candidate", "register", *map(str, ids), "--on", "2013-07-22", code=1)
    assert "documents_missing" not in refused.stdout and "consent" in refused.stderr
    # A document's name is one of the event's: "consnet" is refused with the expected names, and
    # "identity_document,consent" is two documents, not one.
    typo = cli.run("candidate", "register", "Nominee 10", "--document", "consnet", code=1)
    assert "unknown document 'consnet'; expected one of: identity_document, consent" in typo.stderr
    both = "identity_document,consent"
    nominee = cli.json(
        "candidate", "nominate", "271033000", "--name", "Nominee 11", "--sex", "male",
        "--born", "1970-01-01", "--document", both, "--on", "2013-07-10",
    )["nominations"]  # fmt: skip
    listed = cli.json("candidate", "list", "--status", "nominated", "--contest", "271033000")
    (eleventh,) = [c for c in listed if c["nomination_id"] == nominee[0]]
    assert eleventh["documents"] == ["identity_document", "consent"], eleventh
    cli.run("candidate", "withdraw", str(nominee[0]), "--on", "2013-07-11")
    cli.run(
        "candidate", "refuse", "Nominee 10", "--reason", "no consent filed", "--on", "2013-07-22"
    )
    cli.run("candidate", "register", *map(str, ids[:9]), "--on", "2013-07-22")
    listed = cli.json("candidate", "list", "--status", "registered")
    assert len(listed) == 9

    sitting = cli.json(
        "sitting",
        "schedule",
        "--council",
        URALSK,
        "--day",
        "2013-08-09",
        "--contest",
        "271033000",
        "--contest",
        "271035000",
        "--contest",
        "271037000",
    )["sitting"]
    roll = cli.json("sitting", "attend", str(sitting), "--absent", ABSENT[0], "--absent", ABSENT[1])
    assert (roll["members"], roll["present"], roll["absent"]) == (19, 17, 2)
    opened = cli.json("sitting", "open", str(sitting))
    assert opened["quorum_needed"] == 10
    assert [issued for _c, issued in opened["contests"]] == [17, 17, 17]

    first = cli.json("protocol", "submit", cli.file("round1.json", ROUND_1))
    assert [p["decision"]["kind"] for p in first] == ["elected", "elected", "next_round"]
    assert first[2]["next_round_no"] == 2
    draft = cli.json("protocol", "submit", cli.file("round2-draft.json", ROUND_2_DRAFT), code=1)
    assert [v["code"] for v in draft[0]["violations"]] == ["cast_not_sum"]
    (second,) = cli.json("protocol", "submit", cli.file("round2.json", ROUND_2))
    assert (second["status"], second["version"], second["decision"]["kind"]) == (
        "accepted",
        2,
        "elected",
    )
    cli.run("protocol", "submit", cli.file("again.json", ROUND_2), code=1)  # a conflict

    accepted = [str(p["protocol_id"]) for p in first] + [str(second["protocol_id"])]
    cli.user = "member"
    member = cli.run("protocol", "sign", *accepted, code=1)
    assert "user 5 (member) may not protocol.sign" in member.stderr
    key = str(tmp_path / "uralsk.key")
    cli.run("key", "create", "--commission", URALSK, "-o", key, code=1)  # a member may not
    cli.user = "secretary"
    cli.run("key", "create", "--commission", URALSK, "-o", key)
    not_me = cli.run("protocol", "sign", *accepted, "--signer", "Chair Amanov", code=1)
    assert "a signature is the signing user's own" in not_me.stderr
    cli.run("protocol", "sign", *accepted, "--signer", "Secretary Zhaksylykova", "--key", key)
    head = cli.json("head")
    cli.run("protocol", "publish", *accepted, code=1)  # a secretary does not publish
    cli.user = "chair"
    cli.run("protocol", "publish", *accepted, "--key", key)
    # Each --key left a checkpoint; the first signed the head after the signatures, which the
    # publication then names, after the first checkpoint's own entry.
    checkpoints = cli.json("checkpoint", "list")
    assert [c["seq"] for c in checkpoints] == [head["seq"] - 1, head["seq"] + len(accepted)]
    published_on = f"{head['seq']}:{head['hash']}"
    assert [cli.json("protocol", "show", p)[0]["published_head"] for p in accepted] == [
        published_on
    ] * len(accepted)

    contests = cli.json("contest", "list")
    assert [
        (c["status"], c["elected_name"], c["decided_round"], c["is_published"]) for c in contests
    ] == [
        ("elected", "Candidate 1", 1, True),
        ("elected", "Candidate 4", 1, True),
        ("elected", "Candidate 7", 2, True),
    ]
    versions = cli.json("protocol", "show", "--contest", "271037000", "--round", "2")
    assert [(v["version"], v["status"]) for v in versions] == [(1, "rejected"), (2, "accepted")]
    shown = cli.run("contest", "show", "271037000")
    assert "Candidate 7" in shown.stdout and "next_round" in shown.stdout
    assert "Candidate 7, Candidate 8, Candidate 9" in shown.stdout  # round 1's ballot, by name
    round_one = cli.run("protocol", "show", str(first[2]["protocol_id"])).stdout.splitlines()
    assert round_one[-1] == (
        "decision: repeat voting between Candidate 7 and Candidate 8 (nominations 7, 8);"
        " votes needed 9"
    )
    assert "signed by Secretary Zhaksylykova (secretary) at " in round_one[0]
    assert round_one[0].endswith(f"on log head {published_on}")

    # A published protocol is corrected by the regional or CEC level only, with a reason.
    recount = cli.file(
        "recount.json",
        ROUND_1[0] | {"votes": {"Candidate 1": 11, "Candidate 2": 5, "Candidate 3": 1}},
    )
    denied = cli.run("protocol", "correct", accepted[0], recount, "--reason", "recount", code=1)
    assert "may not protocol.correct-published" in denied.stderr
    cli.user = "regional"
    cli.run("protocol", "correct", accepted[0], recount, "--reason", " ", code=2)
    (fixed,) = cli.json("protocol", "correct", accepted[0], recount, "--reason", "recount")
    shown = cli.json("protocol", "show", str(fixed["protocol_id"]))
    assert (shown[0]["correction_reason"], shown[0]["submitted_by"]) == ("recount", "user:2")
    assert shown[0]["submitted_by_name"] == "regional (regional of 270000000)"
    text = cli.run("protocol", "show", str(fixed["protocol_id"])).stdout
    assert "correction by regional (regional of 270000000): recount" in text
    verified = cli.run("verify")
    assert verified.stdout.startswith("ok")


def test_worked_example_prints_what_the_doc_says(
    migrated_database_url: str, tmp_path: Path, monkeypatch: Any
) -> None:
    """Every command of docs/lifecycle.md's worked example, run as written, prints its lines.
    `export NAME=VALUE ...` sets the environment of the commands after it; `< FILE` is stdin."""
    write_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    env = {"SAYLAU_DATABASE_URL": migrated_database_url, "COLUMNS": "120"}
    steps = console_steps("## Worked example")
    assert len(steps) == 20
    for args, expected in steps:
        if args[0] == "export":
            env |= dict(a.split("=", 1) for a in args[1:])
            assert expected == []
            continue
        assert args[0] == "saylau"
        done = invoke(runner, app, args, env, tmp_path)
        printed = [line.rstrip() for line in done.output.splitlines()]
        assert printed == expected, args
        assert done.exit_code == (1 if expected[0].startswith(("error", "protocol 4")) else 0)


def test_every_election_command_is_documented() -> None:
    """docs/lifecycle.md names every command of the election-flow groups."""
    import typer.main

    doc = DOC.read_text("utf-8")
    click_app = typer.main.get_command(app)
    groups = ("event", "contest", "candidate", "sitting", "protocol")
    missing = []
    for group in groups:
        for name in click_app.commands[group].commands:  # type: ignore[attr-defined]
            if f"{group} {name}" not in doc and not (
                f"`{name}`" in doc and f"saylau {group}" in doc
            ):
                missing.append(f"saylau {group} {name}")
    assert missing == []
