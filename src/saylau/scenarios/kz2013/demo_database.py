"""The demo's database: an empty saylau database at the newest schema, or the demo's own from an
earlier run, emptied; anything else is refused (docs/demo.md, "Which database")."""

from __future__ import annotations

from typing import Any

from saylau.scenarios.kz2013.accounts import USER_PREFIX
from saylau.scenarios.kz2013.build import EVENT_NAME_PREFIX


class DemoRefused(Exception):
    """The demo will not run on this database (it holds data that is not the demo's own, or it
    would not outlive the run)."""


def prepare_database(url: str) -> str:
    """Make `url` an empty saylau database at the newest schema; returns what was done.

    An empty database (or a missing SQLite file) is used as it is. A database whose only
    election events are demo events is the demo's own: it is emptied (a SQLite file is
    replaced); so is one with no event whose only users are the demo's (`demo-…`), which a
    demo stopped before it created its event leaves. Anything else raises DemoRefused.
    """
    from sqlalchemy import make_url

    from saylau.db.engine import make_engine
    from saylau.db.migrate import upgrade

    parsed = make_url(url)
    path = parsed.database if parsed.get_backend_name() == "sqlite" else None
    is_file = bool(path) and path != ":memory:"
    if parsed.get_backend_name() == "sqlite" and not is_file:
        raise DemoRefused(
            "an in-memory SQLite database would be gone before `saylau verify` could read it:"
            " give a file, e.g. --db sqlite:///saylau-demo.db"
        )
    if is_file and path is not None and not _file_exists(path):
        done = "created"
    else:
        engine = make_engine(url)
        try:
            state = database_state(engine)
            if state != "other" and not is_file:
                # An empty database may still hold a schema half made by a demo killed while
                # migrating: without rows, dropping it loses nothing.
                _drop_saylau_tables(engine)
        finally:
            engine.dispose()
        if state == "other":
            raise DemoRefused(
                f"{parsed.render_as_string(hide_password=True)} already holds data that is not"
                " the demo's: give an empty database (or a new SQLite file) with --db"
            )
        if is_file and path is not None:
            _remove_sqlite_file(path)
        done = {"empty": "empty, used", "demo": "a previous demo's, replaced"}[state]
    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    return done


def _file_exists(path: str) -> bool:
    import os

    return os.path.exists(path)


def _remove_sqlite_file(path: str) -> None:
    import os

    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def database_state(engine: Any) -> str:
    """ "empty" (no rows in any table), "demo" (only demo events) or "other"."""
    from saylau.services.database import UnreadableDatabase, database_contents

    try:
        found = database_contents(engine)
    except UnreadableDatabase as e:
        raise DemoRefused(f"cannot read the database: {e}") from None
    if found.has_other_tables:
        return "other"
    if found.is_empty:
        return "empty"
    if found.event_names:
        return (
            "demo" if all(n.startswith(EVENT_NAME_PREFIX) for n in found.event_names) else "other"
        )
    # No event yet: a demo stopped (killed, crashed) before it created its event. Its first act
    # is to create its CEC administrator, so its database holds users, all of them the demo's.
    if found.user_names and all(n.startswith(USER_PREFIX) for n in found.user_names):
        return "demo"
    return "other"


def _drop_saylau_tables(engine: Any) -> None:
    from saylau.services.database import drop_saylau_tables

    drop_saylau_tables(engine)
