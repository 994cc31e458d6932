"""The worked example of docs/lifecycle.md as data: Uralsk's city maslikhat (19 deputies)
elects the akims of three settlements on 9 August 2013; one contest needs repeat voting.

KATO codes follow the 2013 pattern; deputies', commission members' and candidates' names are
synthetic.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Any

REGION, URALSK = "270000000", "271010000"
POSTS = {"271033000": "Derkul", "271035000": "Zachagansk", "271037000": "Krugloozerny"}
ABSENT = ("Deputy 18", "Deputy 19")


def bundle() -> dict[str, Any]:
    return {
        "territories": [
            {"kato": REGION, "kind": "region", "name_en": "West Kazakhstan Region"},
            {
                "kato": URALSK,
                "kind": "city_of_regional_significance",
                "parent_kato": REGION,
                "name_en": "Uralsk",
            },
            *[
                {"kato": k, "kind": "settlement", "parent_kato": URALSK, "name_en": n}
                for k, n in POSTS.items()
            ],
        ],
        "councils": [{"territory_kato": URALSK, "num_seats": 19, "name_en": "Uralsk maslikhat"}],
        "deputies": [
            {
                "council_kato": URALSK,
                "full_name": f"Deputy {n:02d}",
                "sex": "female" if n % 3 == 0 else "male",
                "birth_date": f"{1955 + n}-05-01",
                "mandate_start": "2012-01-15",
            }
            for n in range(1, 20)
        ],
        "commissions": [
            {
                "level": "district",
                "territory_kato": URALSK,
                "name": "Uralsk city election commission",
                "members": [
                    {"full_name": "Chair Amanov", "role": "chair"},
                    {"full_name": "Secretary Zhaksylykova", "role": "secretary"},
                    {"full_name": "Member Ospanov", "role": "member"},
                ],
            }
        ],
        "posts": [{"territory_kato": k, "council_kato": URALSK} for k in POSTS],
    }


EVENT = {
    "name": "Akim elections 2013",
    "rules": "kz-akim-2013",
    "calendar": {
        "nomination_opens": "2013-07-05",
        "nomination_closes": "2013-07-19",
        "registration_deadline": "2013-07-24",
    },
    "voting_days": {REGION: "2013-08-07", URALSK: "2013-08-09"},
    "posts": list(POSTS),
    "min_candidates": 2,
    "eligibility": {"min_age": 25, "required_documents": ["identity_document", "consent"]},
}


def nominations() -> list[dict[str, Any]]:
    """Three candidates per post, and a tenth nominee who files no consent."""
    people = []
    for i, kato in enumerate(POSTS):
        for j in range(3):
            n = 3 * i + j + 1
            people.append(
                {
                    "contest": kato,
                    "full_name": f"Candidate {n}",
                    "sex": "female" if n % 4 == 0 else "male",
                    "birth_date": f"{1960 + n}-02-11",
                    "nominated_by": "district_akim",
                    "nominator": "Akim of Uralsk",
                    "documents": ["identity_document", "consent"],
                    "incumbent": j == 0,
                }
            )
    people.append(
        {
            "contest": "271033000",
            "full_name": "Nominee 10",
            "sex": "male",
            "birth_date": "1980-09-09",
            "nominator": "Akim of Uralsk",
            "documents": ["identity_document"],
        }
    )
    return people


def _protocol(kato: str, round_no: int, votes: dict[str, int], **extra: int) -> dict[str, Any]:
    return {
        "contest": kato,
        "round": round_no,
        "members": 19,
        "present": 17,
        "ballots_received": 19,
        "ballots_issued": 17,
        "ballots_unused": 2,
        "ballots_spoiled": 0,
        "ballots_cast": 17,
        "invalid": 0,
        "blank": 0,
        "votes": votes,
    } | extra


ROUND_1 = [
    _protocol("271033000", 1, {"Candidate 1": 12, "Candidate 2": 4, "Candidate 3": 1}),
    _protocol("271035000", 1, {"Candidate 4": 10, "Candidate 5": 5, "Candidate 6": 1}, invalid=1),
    _protocol("271037000", 1, {"Candidate 7": 7, "Candidate 8": 6, "Candidate 9": 4}),
]
# Repeat voting in Krugloozerny, first filled in with a slip: 10 + 6 votes for 17 ballots.
ROUND_2_DRAFT = _protocol("271037000", 2, {"Candidate 7": 10, "Candidate 8": 6})
ROUND_2 = _protocol("271037000", 2, {"Candidate 7": 10, "Candidate 8": 7})
# Derkul's round 1 voted again after its protocol was annulled on appeal (docs/lifecycle.md).
ROUND_1_AGAIN = _protocol("271033000", 1, {"Candidate 1": 11, "Candidate 2": 5, "Candidate 3": 1})

# Example passwords of the worked example's two users (docs/lifecycle.md); choose your own.
PASSWORDS = {"admin": "uralsk admin 2013", "chair": "uralsk chair 2013"}

FILES = {
    "bundle.json": bundle,
    "event.json": lambda: EVENT,
    "nominations.json": nominations,
    "round1.json": lambda: ROUND_1,
    "round2-draft.json": lambda: ROUND_2_DRAFT,
    "round2.json": lambda: ROUND_2,
    "round1-again.json": lambda: ROUND_1_AGAIN,
}


def write_files(folder: Path) -> list[Path]:
    """The worked example's input files, as docs/lifecycle.md names them."""
    written = []
    for name, make in FILES.items():
        path = folder / name
        path.write_text(json.dumps(make(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    for user, password in PASSWORDS.items():
        path = folder / f"{user}.password"
        path.write_text(password + "\n", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    # `python tests/cli/lifecycle_example.py DIR` writes the files the worked example reads.
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    for written in write_files(target):
        print(written)


DOC = Path(__file__).resolve().parents[2] / "docs" / "lifecycle.md"


def console_steps(heading: str, doc: Path = DOC) -> list[tuple[list[str], list[str]]]:
    """The commands of the first console block under `heading` in `doc`, each with the lines it
    prints; a command continued with a trailing backslash is one command."""
    text = doc.read_text("utf-8").split(heading, 1)[1]
    block = text.split("```console\n", 1)[1].split("```", 1)[0]
    steps: list[tuple[list[str], list[str]]] = []
    command = ""
    for line in block.splitlines():
        if line.startswith("$ ") or command.endswith("\\"):
            continued = command.endswith("\\")
            command = (command.removesuffix("\\") if continued else "") + line.removeprefix("$ ")
            if not command.endswith("\\"):
                steps.append((shlex.split(command), []))
        else:
            command = ""
            steps[-1][1].append(line.rstrip())
    return steps


def invoke(runner: Any, app: Any, args: list[str], env: dict[str, str], folder: Path) -> Any:
    """Run one documented `saylau ...` command line; `< FILE` (a file in `folder`) is stdin."""
    stdin = None
    if "<" in args:
        stdin = (folder / args[args.index("<") + 1]).read_text("utf-8")
        args = args[: args.index("<")]
    return runner.invoke(app, args[1:], env=env, input=stdin)


def up_to_the_count(
    runner: Any, app: Any, url: str, folder: Path, event_file: str = "event.json"
) -> dict[str, str]:
    """Run the worked example's commands up to its first `protocol submit` (the sitting open),
    with `event_file` as the event, in `folder` (the current directory, holding the files);
    returns the environment its `export` lines set."""
    env = {"SAYLAU_DATABASE_URL": url, "COLUMNS": "120"}
    for args, expected in console_steps("## Worked example"):
        if args[0] == "export":
            env |= dict(a.split("=", 1) for a in args[1:])
            continue
        if args[1:3] == ["protocol", "submit"]:
            break
        if args[1:3] == ["event", "create"]:
            args = [*args[:3], event_file]
        done = invoke(runner, app, args, env, folder)
        assert done.exit_code == (1 if expected[0].startswith("error") else 0), args
    return env
