"""`--lang` and SAYLAU_LANG: refusals, headings and labels in Kazakh or Russian, JSON the same in
every language, an unknown language refused as malformed input (docs/i18n.md#the-cli)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from lifecycle_example import REGION, URALSK, console_steps, invoke, write_files
from typer.testing import CliRunner

from saylau.cli.main import build_app

app = build_app()
runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from saylau.cli.main import main; main()"]
EXAMPLE = ROOT / "examples" / "kz-akim-2013-repeat-voting.json"


def run(*args: str, lang: str | None = None) -> Any:
    env = {"SAYLAU_LANG": lang} if lang is not None else {"SAYLAU_LANG": None}
    return runner.invoke(app, list(args), env=env)


def _territories(admin_url: str, tmp_path: Path, parent: str = "270000000") -> Path:
    path = tmp_path / "t.csv"
    path.write_text(
        "kato,kind,parent_kato,name_kk,name_ru,name_en\n"
        "270000000,region,,Батыс Қазақстан облысы,Западно-Казахстанская область,\n"
        f"273400000,district,{parent},Ақжайық ауданы,Акжаикский район,\n",
        encoding="utf-8",
    )
    return path


def test_a_refusal_is_in_the_language_of_lang_and_of_saylau_lang(admin_url: str) -> None:
    english = run("event", "show", "--db", admin_url)
    russian = run("--lang", "ru", "event", "show", "--db", admin_url)
    kazakh = run("event", "show", "--db", admin_url, lang="kk")
    assert (english.exit_code, russian.exit_code, kazakh.exit_code) == (1, 1, 1)
    assert english.stderr == "error: no election event yet: saylau event create FILE\n"
    assert russian.stderr == ("ошибка: избирательных кампаний ещё нет: saylau event create FILE\n")
    assert kazakh.stderr == "қате: сайлау науқаны әлі жоқ: saylau event create FILE\n"
    # --lang wins over the environment.
    both = run("--lang", "ru", "event", "show", "--db", admin_url, lang="kk")
    assert both.stderr == russian.stderr


def test_a_batch_refusal_names_each_problem_in_the_language(admin_url: str, tmp_path: Path) -> None:
    path = _territories(admin_url, tmp_path, parent="279900000")
    done = run("--lang", "ru", "import", "territories", str(path), "--db", admin_url)
    assert done.exit_code == 2
    assert done.stderr.splitlines() == [
        "ошибка: 1 проблема во входных данных; ничего не сохранено",
        "  line 3, parent_kato: территории с этим кодом КАТО нет ни в базе, ни в этом пакете",
    ]


def test_the_json_of_a_refusal_stays_english(admin_url: str) -> None:
    english = run("event", "show", "--db", admin_url, "--json")
    kazakh = run("--lang", "kk", "event", "show", "--db", admin_url, "--json")
    assert english.exit_code == kazakh.exit_code == 1
    assert english.stdout == kazakh.stdout
    assert json.loads(kazakh.stdout)["problems"][0] == {
        "code": "no_event",
        "where": "",
        "message": "no election event yet: saylau event create FILE",
        "numbers": {},
    }


def test_a_table_has_its_headings_labels_and_names_in_the_language(
    admin_url: str, tmp_path: Path
) -> None:
    stored = run("import", "territories", str(_territories(admin_url, tmp_path)), "--db", admin_url)
    assert stored.exit_code == 0, stored.output
    english = run("territories", "list", "--db", admin_url)
    russian = run("--lang", "ru", "territories", "list", "--db", admin_url)
    kazakh = run("territories", "list", "--db", admin_url, lang="kk")
    assert "2 territories" in english.stdout and "kind" in english.stdout
    assert "district" in english.stdout and "Акжаикский район" in english.stdout
    assert "территорий: 2" in russian.stdout and "вид" in russian.stdout
    assert "Район" in russian.stdout and "Акжаикский район" in russian.stdout
    assert "аумақтар: 2" in kazakh.stdout and "түрі" in kazakh.stdout
    assert "Аудан" in kazakh.stdout and "Ақжайық ауданы" in kazakh.stdout


def test_json_output_is_the_same_in_every_language(admin_url: str, tmp_path: Path) -> None:
    stored = run("import", "territories", str(_territories(admin_url, tmp_path)), "--db", admin_url)
    assert stored.exit_code == 0, stored.output
    outputs = {
        lang: run("--lang", lang, "territories", "list", "--db", admin_url, "--json").stdout
        for lang in ("en", "kk", "ru")
    }
    assert outputs["kk"] == outputs["ru"] == outputs["en"]
    assert [t["kato"] for t in json.loads(outputs["en"])] == ["270000000", "273400000"]


def test_an_unknown_language_is_malformed_input() -> None:
    for args, lang in ((["--lang", "de", "rules", "list"], None), (["rules", "list"], "fr")):
        done = run(*args, lang=lang)
        assert done.exit_code == 2
        assert "is not a language; expected one of kk, ru, en" in done.stderr
        assert done.stdout == ""


def test_count_reads_the_language_on_its_fast_path_and_its_json_never_changes() -> None:
    def count(*args: str, lang: str | None = None) -> subprocess.CompletedProcess[str]:
        env = {"PATH": "", **({"SAYLAU_LANG": lang} if lang else {})}
        return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=ROOT, env=env)

    usage = count("count", lang="ru")
    assert usage.returncode == 2
    assert usage.stderr.startswith("использование: saylau count FILE|-")
    assert count("--lang", "kk", "count").stderr.startswith("қолданылуы: saylau count FILE|-")
    assert count("--lang=xx", "count").returncode == 2
    english = count("count", str(EXAMPLE))
    assert english.returncode == 0
    assert count("--lang", "kk", "count", str(EXAMPLE)).stdout == english.stdout
    assert count("count", str(EXAMPLE), lang="ru").stdout == english.stdout


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_worked_example_runs_in_every_language(
    lang: str, migrated_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/lifecycle.md's worked example in Kazakh and in Russian: every command ends as it does
    in English, and the reads that print tables of what it stored print them in the language."""
    write_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    env = {"SAYLAU_DATABASE_URL": migrated_database_url, "COLUMNS": "120", "SAYLAU_LANG": lang}
    for args, expected in console_steps("## Worked example"):
        if args[0] == "export":
            env |= dict(a.split("=", 1) for a in args[1:])
            continue
        done = invoke(runner, app, args, env, tmp_path)
        assert done.exit_code == (1 if expected[0].startswith(("error", "protocol 4")) else 0)
        assert done.exception is None or isinstance(done.exception, SystemExit), args
        if expected[0].startswith("error"):
            assert done.output.startswith({"kk": "қате: ", "ru": "ошибка: "}[lang]), args
    contest = json.loads(runner.invoke(app, ["contest", "list", "--json"], env=env).stdout)[0]
    reads = [
        ["results"],
        ["results", "--region", REGION],
        ["results", "--district", URALSK],
        ["contest", "list"],
        ["contest", "show", str(contest["contest_id"])],
        ["contest", "repeats"],
        ["event", "show"],
        ["event", "list"],
        ["candidate", "list"],
        ["appeal", "list"],
        ["councils", "list"],
        ["councils", "show", URALSK],
        ["commissions", "list"],
        ["territories", "list"],
        ["user", "list"],
        ["log", "--limit", "3"],
        ["verify"],
    ]
    for args in reads:
        done = runner.invoke(app, args, env=env)
        assert done.exit_code == 0, (args, done.output, done.exception)
    figures = runner.invoke(app, ["results"], env=env).stdout
    assert {"kk": "көрсеткіштер", "ru": "показатели"}[lang] in figures
    assert {"kk": "Қазақстан", "ru": "Казахстан"}[lang] in figures
