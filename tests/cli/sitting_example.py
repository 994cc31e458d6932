"""The input files of docs/lifecycle.md's walk-through "Eleven deputies, two village akims": a
district maslikhat of 11 deputies elects the akims of two villages on 8 August 2013; one
contest is decided in the repeat voting, the other ties twice and is settled by lot.

The district, the villages and every person are illustrative (synthetic names; KATO codes in
the 2013 pattern). The protocol files leave members, present and ballots issued to the sitting.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from lots_example import lot_rules

REGION, DISTRICT = "270000000", "273600000"
VILLAGES = {"273633000": "Akzhol", "273635000": "Saryomir"}
# Example passwords (docs/lifecycle.md); choose your own.
PASSWORDS = {"admin": "terekti admin 2013", "chair": "terekti chair 2013"}


def bundle() -> dict[str, Any]:
    return {
        "territories": [
            {"kato": REGION, "kind": "region", "name_en": "West Kazakhstan Region"},
            {
                "kato": DISTRICT,
                "kind": "district",
                "parent_kato": REGION,
                "name_en": "Terekti District",
            },
            *[
                {"kato": k, "kind": "village", "parent_kato": DISTRICT, "name_en": n}
                for k, n in VILLAGES.items()
            ],
        ],
        "councils": [
            {"territory_kato": DISTRICT, "num_seats": 11, "name_en": "Terekti district maslikhat"}
        ],
        "deputies": [
            {
                "council_kato": DISTRICT,
                "full_name": f"Deputy {n:02d}",
                "sex": "female" if n % 3 == 0 else "male",
                "birth_date": f"{1958 + n}-03-01",
                "mandate_start": "2012-01-15",
            }
            for n in range(1, 12)
        ],
        "commissions": [
            {
                "level": "district",
                "territory_kato": DISTRICT,
                "name": "Terekti district election commission",
                "members": [
                    {"full_name": "Chair Bekova", "role": "chair"},
                    {"full_name": "Secretary Nurlanov", "role": "secretary"},
                ],
            }
        ],
        "posts": [{"territory_kato": k, "council_kato": DISTRICT} for k in VILLAGES],
    }


EVENT = {
    "name": "Akim elections 2013, Terekti",
    "rules": lot_rules(),  # kz-akim-2013 with a tie settled by lot
    "calendar": {
        "nomination_opens": "2013-07-05",
        "nomination_closes": "2013-07-19",
        "registration_deadline": "2013-07-24",
    },
    "voting_days": {DISTRICT: "2013-08-08"},
    "posts": list(VILLAGES),
    "min_candidates": 2,
    "eligibility": {"min_age": 25, "required_documents": ["identity_document", "consent"]},
}


def nominations() -> list[dict[str, Any]]:
    """Three candidates in Akzhol, two in Saryomir."""
    posts = ["273633000"] * 3 + ["273635000"] * 2
    return [
        {
            "contest": kato,
            "full_name": f"Candidate {n}",
            "sex": "female" if n % 2 == 0 else "male",
            "birth_date": f"{1965 + n}-04-20",
            "nominator": "Akim of Terekti District",
            "documents": ["identity_document", "consent"],
        }
        for n, kato in enumerate(posts, start=1)
    ]


def _protocol(kato: str, round_no: int, votes: dict[str, int], cast: int, **extra: int) -> Any:
    """Members, present and ballots issued left out: the sitting knows them."""
    return {
        "contest": kato,
        "round": round_no,
        "ballots_received": 11,
        "ballots_unused": 11 - cast,
        "ballots_cast": cast,
        "votes": votes,
    } | extra


# Round 1, ten deputies present: no majority in either village (more than 5 of 10 needed).
ROUND_1 = [
    _protocol("273633000", 1, {"Candidate 1": 5, "Candidate 2": 3, "Candidate 3": 2}, 10),
    _protocol("273635000", 1, {"Candidate 4": 5, "Candidate 5": 5}, 10),
]
# Round 2, eleven present once Deputy 11 has arrived: Akzhol elects, Saryomir ties again.
ROUND_2 = [
    _protocol("273633000", 2, {"Candidate 1": 7, "Candidate 2": 4}, 11),
    _protocol("273635000", 2, {"Candidate 4": 5, "Candidate 5": 5}, 11, blank=1),
]

FILES = {
    "terekti.json": bundle,
    "event-terekti.json": lambda: EVENT,
    "nominations-terekti.json": nominations,
    "terekti-round1.json": lambda: ROUND_1,
    "terekti-round2.json": lambda: ROUND_2,
}


def write_files(folder: Path) -> list[Path]:
    written = []
    for name, make in FILES.items():
        path = folder / name
        path.write_text(json.dumps(make(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    for user, password in PASSWORDS.items():
        path = folder / f"terekti-{user}.password"
        path.write_text(password + "\n", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    # `python tests/cli/sitting_example.py DIR` writes the files the walk-through reads.
    for written in write_files(Path(sys.argv[1] if len(sys.argv) > 1 else ".")):
        print(written)
