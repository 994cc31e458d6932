"""Database fixtures: every test that asks for `engine`, `session`, `database_url` or
`migrated_database_url` runs on SQLite and, when SAYLAU_TEST_DATABASE_URL is set, on
PostgreSQL too."""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url, text
from sqlalchemy.orm import Session

import saylau.db.tables  # noqa: F401  (registers every table on Base.metadata)
from saylau.db.base import Base
from saylau.db.engine import make_engine, make_session_factory
from saylau.db.migrate import upgrade

POSTGRES_URL = os.environ.get("SAYLAU_TEST_DATABASE_URL")

# The election fixtures of tests/services (election_fixtures.py) are shared by the web, export
# and document tests: importable from every test directory.
sys.path.insert(0, str(Path(__file__).resolve().parent / "services"))


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashes() -> Iterator[None]:
    """argon2id with its cheapest parameters while testing: a CLI test signs in at every command,
    and the production cost (tens of milliseconds by design, far more on a loaded machine) would
    dominate the suite. Hashes stay argon2id, and a hash records its own parameters, so hashes
    made either way verify either way. Subprocesses (tests/cli/killing.py) keep the default."""
    from argon2 import PasswordHasher
    from argon2.profiles import CHEAPEST

    from saylau.services import users

    default = users._hasher
    users._hasher = PasswordHasher.from_parameters(CHEAPEST)
    yield
    users._hasher = default


BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


@pytest.fixture(scope="session")
def _postgres_engine() -> Iterator[Engine]:
    """One PostgreSQL engine per run; the schema is made once and emptied between tests."""
    assert POSTGRES_URL is not None
    engine = make_engine(POSTGRES_URL)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


def _truncate_all(engine: Engine) -> None:
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    if names:
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty saylau database with the full schema (made by create_all)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'saylau.db'}"
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        engine.dispose()
        yield url
    else:
        pg: Engine = request.getfixturevalue("_postgres_engine")
        _truncate_all(pg)
        assert POSTGRES_URL is not None
        yield POSTGRES_URL


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with make_session_factory(engine)() as session:
        yield session


# --- databases made by the migrations (what the CLI opens) -----------------------------------


def scratch_postgres_database(prefix: str) -> tuple[str, str]:
    """Create an empty PostgreSQL database on the test server; returns (its URL, its name)."""
    assert POSTGRES_URL is not None
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    server = make_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False), name


def drop_postgres_database(name: str) -> None:
    assert POSTGRES_URL is not None
    server = make_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database with no tables at all (for migration tests)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    url, name = scratch_postgres_database("saylau_empty")
    yield url
    drop_postgres_database(name)


@pytest.fixture(scope="session")
def _sqlite_migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def _postgres_migrated_url() -> Iterator[str]:
    url, name = scratch_postgres_database("saylau_migrated")
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    drop_postgres_database(name)


@pytest.fixture(params=BACKENDS)
def migrated_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database brought to head by the migrations, as `saylau` makes it:
    use it for CLI tests (the CLI upgrades the database it opens)."""
    if request.param == "sqlite":
        path = tmp_path / "saylau.db"
        shutil.copyfile(request.getfixturevalue("_sqlite_migrated_template"), path)
        yield f"sqlite:///{path}"
        return
    url: str = request.getfixturevalue("_postgres_migrated_url")
    engine = make_engine(url)
    _truncate_all(engine)
    engine.dispose()
    yield url


# --- a small structure, as an import bundle --------------------------------------------------


@pytest.fixture
def structure_bundle() -> dict[str, list[dict[str, object]]]:
    """West Kazakhstan in miniature: a region, Uralsk, a district with two rural districts,
    their councils, deputies, commissions and posts (KATO codes in the 2013 pattern)."""
    region, uralsk, district = "270000000", "271010000", "273400000"
    return {
        "territories": [
            {
                "kato": region,
                "kind": "region",
                "name_ru": "Западно-Казахстанская область",
                "name_kk": "Батыс Қазақстан облысы",
                "name_en": "West Kazakhstan Region",
            },
            {
                "kato": uralsk,
                "kind": "city_of_regional_significance",
                "parent_kato": region,
                "name_ru": "г. Уральск",
                "name_kk": "Орал қаласы",
                "name_en": "Uralsk",
            },
            {
                "kato": district,
                "kind": "district",
                "parent_kato": region,
                "name_ru": "Акжаикский район",
                "name_en": "Akzhaik District",
            },
            {
                "kato": "273430000",
                "kind": "rural_district",
                "parent_kato": district,
                "name_ru": "Алгабасский сельский округ",
            },
            {
                "kato": "273450000",
                "kind": "rural_district",
                "parent_kato": district,
                "name_ru": "Бударинский сельский округ",
            },
            {
                "kato": "271033000",
                "kind": "settlement",
                "parent_kato": uralsk,
                "name_ru": "пос. Деркул",
            },
        ],
        "councils": [
            {"territory_kato": uralsk, "num_seats": 19, "name_ru": "Уральский городской маслихат"},
            {"territory_kato": district, "num_seats": 3, "name_ru": "Акжаикский районный маслихат"},
        ],
        "deputies": [
            {
                "council_kato": district,
                "full_name": "Абдрахманова Айгуль",
                "sex": "female",
                "birth_date": "1968-03-14",
                "mandate_start": "2012-01-15",
            },
            {
                "council_kato": district,
                "full_name": "Бекетов Ерлан",
                "sex": "male",
                "birth_date": "1959-11-02",
                "mandate_start": "2012-01-15",
            },
            {
                "council_kato": uralsk,
                "full_name": "Жаксылыкова Алия",
                "sex": "female",
                "birth_date": "1975-06-30",
                "mandate_start": "2012-01-15",
            },
        ],
        "commissions": [
            {
                "level": "cec",
                "name": "Central Election Commission",
                "members": [{"full_name": "Турганкулов К.", "role": "chair"}],
            },
            {
                "level": "district",
                "territory_kato": district,
                "name": "Акжаикская районная ИК",
                "members": [
                    {"full_name": "Сабирова Г.", "role": "chair"},
                    {"full_name": "Нуртаев Б.", "role": "secretary"},
                ],
            },
        ],
        "posts": [
            {"territory_kato": "273430000", "council_kato": district},
            {"territory_kato": "273450000", "council_kato": district},
            {"territory_kato": "271033000", "council_kato": uralsk},
        ],
    }
