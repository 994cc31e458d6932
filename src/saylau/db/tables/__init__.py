"""All tables, registered on `Base.metadata` by importing their modules here."""

from saylau.db.base import Base

__all__ = ["Base"]
