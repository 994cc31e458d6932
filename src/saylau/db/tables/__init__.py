"""All tables, registered on `Base.metadata` by importing their modules here."""

from saylau.db.base import Base
from saylau.db.tables import accounts, appeals, audit, election, structure

__all__ = ["Base", "accounts", "appeals", "audit", "election", "structure"]
