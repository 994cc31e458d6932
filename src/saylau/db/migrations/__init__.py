"""Alembic migrations of the saylau schema (script_location "saylau.db:migrations")."""
