"""`saylau import`: files stored whole or not at all, bad rows named by line, exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from saylau.cli.main import build_app
from saylau.db.engine import make_engine
from saylau.db.tables.structure import TerritoryRow

app = build_app()
runner = CliRunner()

TERRITORY_HEADER = "kato,kind,parent_kato,name_kk,name_ru,name_en\n"


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


def count(url: str, table: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        n = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    engine.dispose()
    return int(n)


def territories_csv(path: Path, num_rural: int, bad_line: int | None = None) -> Path:
    """A region, a district and `num_rural` rural districts; line `bad_line` has a bad kind."""
    lines = [
        TERRITORY_HEADER,
        "270000000,region,,,Западно-Казахстанская область,\n",
        "273400000,district,270000000,,Акжаикский район,\n",
    ]
    for n in range(num_rural):
        lines.append(f"2734{n + 1:05d},rural_district,273400000,,с.о. {n + 1},\n")
    if bad_line is not None:
        lines[bad_line - 1] = lines[bad_line - 1].replace("rural_district", "rural-district")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_territories_csv_is_imported(admin_url: str, tmp_path: Path) -> None:
    path = territories_csv(tmp_path / "t.csv", 5)
    done = invoke(
        "import",
        "territories",
        str(path),
        "--db",
        admin_url,
        "--json",
    )
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["stored"] == {"territory": 7}
    assert count(admin_url, "territory") == 7
    assert count(admin_url, "audit_entry") == 1 + 7  # the admin user, then the territories
    listed = invoke("territories", "list", "--kind", "rural_district", "--db", admin_url, "--json")
    assert [t["kato"] for t in json.loads(listed.stdout)] == [f"2734{n:05d}" for n in range(1, 6)]


def test_bad_row_57_is_named_and_nothing_is_stored(admin_url: str, tmp_path: Path) -> None:
    path = territories_csv(tmp_path / "t.csv", 80, bad_line=57)
    done = invoke("import", "territories", str(path), "--db", admin_url)
    assert done.exit_code == 2
    assert "line 57, kind: expected one of region, district" in done.stderr
    assert 'got "rural-district"' in done.stderr
    assert count(admin_url, "territory") == 0
    assert count(admin_url, "audit_entry") == 1  # the admin user's only


def test_rule_broken_on_line_57_refuses_the_whole_file(admin_url: str, tmp_path: Path) -> None:
    # Well-formed rows, but line 57 names a parent that does not exist: the service's check.
    path = territories_csv(tmp_path / "t.csv", 80)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[56] = lines[56].replace(",273400000,", ",273900000,")
    path.write_text("".join(lines), encoding="utf-8")
    done = invoke("import", "territories", str(path), "--db", admin_url, "--json")
    assert done.exit_code == 2
    problems = json.loads(done.stdout)["problems"]
    assert [(p["where"], p["code"]) for p in problems] == [
        ("line 57, parent_kato", "unknown_parent")
    ]
    assert count(admin_url, "territory") == 0


def test_json_item_56_is_named_by_its_path(admin_url: str, tmp_path: Path) -> None:
    items = [{"kato": "270000000", "kind": "region", "name_ru": "ЗКО"}]
    items += [
        {"kato": f"2734{n:05d}", "kind": "district", "parent_kato": "270000000", "name_ru": str(n)}
        for n in range(1, 80)
    ]
    items[55]["birth_date"] = "1970-01-01"  # the 56th item: [55]
    path = tmp_path / "t.json"
    path.write_text("[\n" + ",\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n]\n")
    done = invoke("import", "territories", str(path), "--db", admin_url)
    assert done.exit_code == 2
    assert "[55].birth_date: unknown column; expected kato, kind, " in done.stderr
    assert count(admin_url, "territory") == 0


def test_broken_json_names_its_line(admin_url: str, tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text('[\n{"kato": "270000000", "kind": "region"},\n{"kato": }\n]\n')
    done = invoke("import", "territories", str(path), "--db", admin_url)
    assert done.exit_code == 2
    assert "line 3, column 10: not JSON: Expecting value" in done.stderr


def test_bundle_then_listing_then_refused_again(
    admin_url: str, tmp_path: Path, structure_bundle: dict[str, Any]
) -> None:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(structure_bundle, ensure_ascii=False, indent=1), encoding="utf-8")
    done = invoke("import", "bundle", str(path), "--db", admin_url, "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["stored"] == {
        "territory": 6,
        "council": 2,
        "deputy": 3,
        "commission": 2,
        "commission_member": 3,
        "post": 3,
    }
    shown = invoke("councils", "show", "273400000", "--db", admin_url, "--json")
    council = json.loads(shown.stdout)
    assert [d["full_name"] for d in council["deputies"]] == ["Абдрахманова Айгуль", "Бекетов Ерлан"]
    assert [p["territory_kato"] for p in council["posts"]] == ["273430000", "273450000"]
    # The same council by id and by its district's exact name (services/resolve.py).
    for ref in (str(council["council"]["id"]), "Akzhaik District", "Акжаикский район"):
        again = invoke("councils", "show", ref, "--db", admin_url, "--json")
        assert json.loads(again.stdout)["council"] == council["council"], ref
    members = invoke("commissions", "show", "273400000", "--db", admin_url, "--json")
    assert [(m["role"], m["full_name"]) for m in json.loads(members.stdout)] == [
        ("chair", "Сабирова Г."),
        ("secretary", "Нуртаев Б."),
    ]
    for ref in ("cec", "CEC", "Central Election Commission"):
        cec = invoke("commissions", "show", ref, "--db", admin_url, "--json")
        assert [m["full_name"] for m in json.loads(cec.stdout)] == ["Турганкулов К."], ref
    by_name = invoke("commissions", "show", "Акжаикская районная ИК", "--db", admin_url)
    assert by_name.stdout.startswith("Акжаикская районная ИК (Акжаикская районная ИК): 2 members")
    again = invoke("import", "bundle", str(path), "--db", admin_url)
    assert again.exit_code == 1
    assert "territories[0].kato: a territory with KATO 270000000 is already stored" in again.stderr
    assert count(admin_url, "territory") == 6
    human = invoke("verify", "--db", admin_url)
    assert (human.exit_code, human.stdout) == (
        0,
        "ok: 20 entries, chain intact, 20 objects match\n",
    )


def test_commissions_csv_groups_members(
    admin_url: str, tmp_path: Path, structure_bundle: dict[str, Any]
) -> None:
    structure_bundle = {"territories": structure_bundle["territories"]}
    bundle = tmp_path / "b.json"
    bundle.write_text(json.dumps(structure_bundle), encoding="utf-8")
    assert invoke("import", "bundle", str(bundle), "--db", admin_url).exit_code == 0
    path = tmp_path / "c.csv"
    path.write_text(
        "level,territory_kato,name,member_name,member_role\n"
        "cec,,ЦИК,Турганкулов К.,chair\n"
        "district,273400000,Акжаикская ИК,Сабирова Г.,chair\n"
        "district,273400000,Акжаикская ИК,Нуртаев Б.,secretary\n"
        "district,273400000,Акжаикская ИК,Иванов И.,member\n"
        "regional,270000000,ЗКО ИК,,\n",
        encoding="utf-8",
    )
    done = invoke("import", "commissions", str(path), "--db", admin_url, "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["stored"] == {"commission": 3, "commission_member": 4}


def test_bad_format_and_missing_file_are_bad_input(admin_url: str, tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("x")
    done = invoke("import", "posts", str(path), "--db", admin_url)
    assert (done.exit_code, "give --format csv or json" in done.stderr) == (2, True)
    missing = invoke("import", "posts", str(tmp_path / "none.csv"), "--db", admin_url)
    assert missing.exit_code == 2


@pytest.mark.parametrize("header", ["kato,kind,parent\n", "kind,name_ru\n"])
def test_bad_header_is_line_1(admin_url: str, tmp_path: Path, header: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text(header + "270000000,region,\n")
    done = invoke("import", "territories", str(path), "--db", admin_url)
    assert done.exit_code == 2
    assert "line 1: " in done.stderr
    engine = make_engine(admin_url)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(TerritoryRow)).scalar_one() == 0
    engine.dispose()
