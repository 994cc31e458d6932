"""docs/import-formats.md is tested: it names every column and kind, and its examples import."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from saylau.domain.accounts import Principal, Role, UserId
from saylau.domain.structure import CommissionLevel, CommissionRole, Sex, TerritoryKind
from saylau.services.audit.verify import verify_log
from saylau.services.imports import COLUMNS, ImportKind, import_file

DOC = (Path(__file__).resolve().parents[2] / "docs" / "import-formats.md").read_text("utf-8")
EXAMPLES = dict(re.findall(r"<!-- example: (\S+) -->\n```\w+\n(.*?)```", DOC, flags=re.S))
WORDS = [c for required, optional in COLUMNS.values() for c in required + optional]
WORDS += [*TerritoryKind, *CommissionLevel, *CommissionRole, *Sex]


@pytest.mark.parametrize("word", sorted(set(WORDS)))
def test_doc_names(word: str) -> None:
    assert f"`{word}`" in DOC


def test_doc_has_a_section_per_kind() -> None:
    assert [k.value for k in ImportKind if f"\n## {k.value}\n" in DOC] == [
        k.value for k in ImportKind
    ]


def _import(session: Session, tmp_path: Path, name: str) -> dict[str, int]:
    path = tmp_path / name
    path.write_text(EXAMPLES[name], encoding="utf-8")
    kind = ImportKind(name.split(".")[0])
    return dict(
        import_file(
            session=session,
            principal=Principal(UserId(1), Role.CEC_ADMIN),
            kind=kind,
            path=path,
            on=date(2013, 8, 1),
        ).stored
    )


def test_csv_examples_import_in_order(session: Session, tmp_path: Path) -> None:
    stored = {}
    for name in ["territories.csv", "councils.csv", "deputies.csv", "commissions.csv", "posts.csv"]:
        stored.update(_import(session, tmp_path, name))
    assert stored == {
        "territory": 5, "council": 2, "deputy": 4, "commission": 3, "commission_member": 4,
        "post": 2,
    }  # fmt: skip
    report = verify_log(session=session)
    assert (report.is_ok, report.num_entries) == (True, 20)


def test_json_examples_import(session: Session, tmp_path: Path) -> None:
    assert _import(session, tmp_path, "territories.json") == {"territory": 5}


def test_bundle_example_imports(session: Session, tmp_path: Path) -> None:
    assert _import(session, tmp_path, "bundle.json") == {
        "territory": 3, "council": 1, "deputy": 1, "commission": 1, "commission_member": 2,
        "post": 1,
    }  # fmt: skip


def test_a_row_stored_meanwhile_is_a_conflict_and_nothing_is_stored(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import func, select

    from saylau.db.tables.structure import TerritoryRow
    from saylau.services import structure
    from saylau.services.errors import Conflict

    _import(session, tmp_path, "territories.csv")
    # As if another process stored the same KATO between the check and the insert.
    monkeypatch.setattr(structure, "territories_by_kato", lambda *, session, katos: {})
    with pytest.raises(Conflict, match="nothing was stored, run it again"):
        _import(session, tmp_path, "territories.json")
    assert session.scalar(select(func.count()).select_from(TerritoryRow)) == 5
