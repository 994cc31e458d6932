"""The protocol sheets read model: a fixed number of statements whatever the number of
protocols, and what public callers may see."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from paper_fixtures import CANDIDATES, MEMBERS, Paper
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from saylau.db.engine import make_engine, make_session_factory
from saylau.domain.election import ProtocolId
from saylau.domain.structure import CommissionRole
from saylau.services.bundle import export_bundle
from saylau.services.views.protocol_sheets import (
    ProtocolSheetView,
    protocol_digest,
    protocol_sheets,
)
from saylau.services.views.values import Visibility


def _counted(engine: Engine, read: Callable[[Session], list[ProtocolSheetView]]) -> int:
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        with make_session_factory(engine)() as session:
            read(session)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_one_protocol_or_all_of_them_take_the_same_statements(paper: Paper) -> None:
    engine = make_engine(paper.url)
    ids = [paper.published, paper.unpublished]
    one = _counted(
        engine,
        lambda s: protocol_sheets(session=s, visibility=Visibility.STAFF, protocol_ids=ids[:1]),
    )
    both = _counted(
        engine, lambda s: protocol_sheets(session=s, visibility=Visibility.STAFF, protocol_ids=ids)
    )
    every = _counted(engine, lambda s: protocol_sheets(session=s, visibility=Visibility.STAFF))
    assert one == both == every <= 6
    engine.dispose()


def test_the_sheet_holds_the_commission_in_signing_order_and_the_signer(paper: Paper) -> None:
    engine = make_engine(paper.url)
    with make_session_factory(engine)() as session:
        staff = protocol_sheets(session=session, visibility=Visibility.STAFF)
        public = protocol_sheets(session=session, visibility=Visibility.PUBLIC)
    engine.dispose()
    assert [s.id for s in staff] == [paper.published, paper.unpublished]
    assert [s.id for s in public] == [ProtocolId(paper.published)]
    sheet = public[0]
    assert [(m.full_name, m.role) for m in sheet.members] == [
        (MEMBERS[0], CommissionRole.CHAIR),
        (MEMBERS[1], CommissionRole.SECRETARY),
        (MEMBERS[2], CommissionRole.MEMBER),
    ]
    assert sheet.signer is not None and sheet.signer.full_name == MEMBERS[1]
    assert [v.full_name for v in sheet.votes] == list(CANDIDATES)
    assert sheet.published_head is not None and sheet.is_published
    assert staff[1].signer is None and not staff[1].is_published


def test_the_digest_can_be_checked_from_the_observer_bundle(paper: Paper, tmp_path: Path) -> None:
    engine = make_engine(paper.url)
    with make_session_factory(engine)() as session:
        digest = protocol_digest(session=session, protocol_id=paper.published)
        export_bundle(session=session, path=tmp_path / "record.zip")
    engine.dispose()
    with zipfile.ZipFile(tmp_path / "record.zip") as z:
        lines = [json.loads(line) for line in z.read("states.jsonl").decode().splitlines()]
    (state,) = [
        s for s in lines if (s["object_type"], s["object_id"]) == ("protocol", str(paper.published))
    ]
    assert hashlib.sha256(state["state"].encode("utf-8")).hexdigest() == digest
    # The unpublished protocol is not in the bundle at all.
    assert ("protocol", str(paper.unpublished)) not in {
        (s["object_type"], s["object_id"]) for s in lines
    }
