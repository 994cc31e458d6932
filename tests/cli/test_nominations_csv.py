"""`saylau candidate nominate --file x.csv`: nominations from CSV, refused whole with the line
and column of each problem (exit 2), or stored like the JSON list."""

from __future__ import annotations

import json
from pathlib import Path

from lifecycle_example import EVENT, bundle
from typer.testing import CliRunner

from saylau.cli.main import build_app

app = build_app()
runner = CliRunner()

HEADER = "contest,full_name,sex,birth_date,nominated_by,documents,incumbent\n"
GOOD = (
    HEADER
    + "271033000,Candidate 1,male,1961-02-11,district_akim,identity_document;consent,yes\n"
    + '271035000,"Serikova, A.",female,1975-11-02,self,consent,\n'
)


def _run(url: str, *args: str) -> tuple[int, str, str]:
    done = runner.invoke(app, [*args, "--db", url])
    return done.exit_code, done.stdout, done.stderr


def test_nominations_from_csv(admin_url: str, tmp_path: Path) -> None:
    for name, data in (("bundle.json", bundle()), ("event.json", EVENT)):
        (tmp_path / name).write_text(json.dumps(data), encoding="utf-8")
    assert _run(admin_url, "import", "bundle", str(tmp_path / "bundle.json"))[0] == 0
    assert _run(admin_url, "event", "create", str(tmp_path / "event.json"))[0] == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD + "271037000,X,other,1970-01-01,,consnet,\n", encoding="utf-8")
    code, _out, err = _run(
        admin_url, "candidate", "nominate", "--file", str(bad), "--on", "2013-07-10"
    )
    assert code == 2, err
    assert "line 4, sex" in err
    # Well-formed but unknown document names are refused by the service (1), at the row.
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(GOOD.replace("consent,\n", "consnet,\n"), encoding="utf-8")
    code, _out, err = _run(
        admin_url, "candidate", "nominate", "--file", str(wrong), "--format", "csv",
        "--on", "2013-07-10",
    )  # fmt: skip
    assert code == 1, err
    assert "unknown document 'consnet'" in err and "nominations[1].documents" in err
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    code, out, err = _run(
        admin_url, "candidate", "nominate", "--file", str(good), "--on", "2013-07-10", "--json"
    )
    assert code == 0, err
    ids = json.loads(out)["nominations"]
    assert len(ids) == 2
    code, out, err = _run(admin_url, "candidate", "list", "--json")
    listed = {c["nomination_id"]: c for c in json.loads(out)}
    assert listed[ids[0]]["documents"] == ["identity_document", "consent"]
    assert listed[ids[1]]["full_name"] == "Serikova, A."
    code, _out, err = _run(
        admin_url, "candidate", "nominate", "--file", str(good), "--format", "xml"
    )
    assert (code, err.strip()) == (2, "error: --format: expected csv or json, got 'xml'")
