"""The open-data export of the national demo (SQLite; the small election of test_cdf.py runs on
PostgreSQL too): the NIST report validates and its references resolve, every winner's count
is the published protocol's (read here straight from the tables), and a second export is the
same bytes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from saylau.cli.main import build_app
from saylau.db.engine import make_engine, make_session_factory
from saylau.db.tables.election import ContestRow, ProtocolRow, ProtocolVoteRow, RoundRow
from saylau.domain.election import EventId, ProtocolStatus
from saylau.exports.artefacts import open_data_artefacts
from saylau.exports.cdf_check import check_report
from saylau.services.events import latest_event

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'saylau-demo.db'}"
    done = CliRunner().invoke(build_app(), ["demo", "--db", url])
    assert done.exit_code == 0, done.output
    return url


def _published_winner_votes(session: Any) -> dict[int, int]:
    """Nomination id -> votes of each elected candidate in the deciding round's accepted,
    published protocol."""
    stmt = (
        select(ProtocolVoteRow.nomination_id, ProtocolVoteRow.votes)
        .join(ProtocolRow, ProtocolRow.id == ProtocolVoteRow.protocol_id)
        .join(RoundRow, RoundRow.id == ProtocolRow.round_id)
        .join(ContestRow, ContestRow.id == RoundRow.contest_id)
        .where(
            ContestRow.elected_nomination_id == ProtocolVoteRow.nomination_id,
            ContestRow.decided_round == RoundRow.round_no,
            ProtocolRow.status == ProtocolStatus.ACCEPTED,
            ProtocolRow.published_at.is_not(None),
        )
    )
    return {nid: votes for nid, votes in session.execute(stmt)}


def test_the_national_export(demo_url: str) -> None:
    engine = make_engine(demo_url)
    with make_session_factory(engine)() as session:
        latest = latest_event(session=session)  # the repeat event of 28 August
        artefacts = open_data_artefacts(session=session, event_id=latest)
        again = open_data_artefacts(session=session, event_id=EventId(1))
        expected = _published_winner_votes(session)
    engine.dispose()
    assert [a.sha256 for a in artefacts] == [a.sha256 for a in again]
    report = json.loads(artefacts[0].data)
    assert check_report(report) == []

    main, *repeats = report["Election"]
    assert len(main["Contest"]) == 2457
    assert [len(e["Contest"]) for e in repeats] == [8]  # seed 2013: 8 ties, each repeated
    assert report["Status"] == "certified"  # every result of the demo is published
    winners = {
        int(c["@id"].removeprefix("can-"))
        for e in report["Election"]
        for c in e["Candidate"]
        if c.get("PostElectionStatus") == "winner"
    }
    assert winners == set(expected)
    counted = {}
    for e in report["Election"]:
        for contest in e["Contest"]:
            for s in contest["ContestSelection"]:
                nid = int(s["@id"].removeprefix("sel-")) if s["CandidateIds"] else None
                if nid in winners:
                    # The deciding round is the winner's last.
                    counted[nid] = max(s["VoteCounts"], key=lambda v: v["Round"])["Count"]
    assert counted == expected
    assert len(counted) == 2457  # every post filled: 2,449 at once, 8 by repeat election


def test_the_national_csv_files_have_a_row_per_contest(demo_url: str, tmp_path: Path) -> None:
    done = CliRunner().invoke(build_app(), ["export", "csv", "--db", demo_url, "-o", str(tmp_path)])
    assert done.exit_code == 0, done.output
    lines = (tmp_path / "contests.csv").read_bytes().count(b"\r\n")
    assert lines == 1 + 2457 + 8
    assert (tmp_path / "appeals.csv").read_bytes().count(b"\r\n") == 1 + 42
