"""The limits of what saylau accepts and stores (docs/input.md): the same on SQLite and
PostgreSQL, because the input layer enforces them before either database sees a value."""

from __future__ import annotations

from datetime import date

# Input as a whole: checked before it is parsed.
MAX_FILE_BYTES = 64 * 1024 * 1024  # a national structure bundle is about 6 MB
MAX_DEPTH = 32  # deepest nesting of JSON objects and lists; saylau's own formats need 4
MAX_CSV_FIELD = 131_072  # characters in one CSV field (Python's csv module stops there)
MAX_INT_DIGITS = 19  # digits of a JSON integer; longer ones are refused before conversion

# Stored numbers: counts, seats and round numbers are INTEGER columns (signed 32 bits).
MAX_STORED_INT = 2**31 - 1
MAX_COUNT = 1_000_000  # votes, ballots or members of one council: far above any real council
MAX_SEATS = 1_000  # seats of one council (the largest maslikhat in 2013 had 50)
MAX_ROUNDS = 1_000

# Text: characters per column, as the tables declare them (tests/db checks they agree).
NAME = 200  # territory, council, event names; a person's full name; a nominator
COMMISSION_NAME = 300
REASON = 1000  # a correction's or a refusal's reason
REFUSAL_REASON = 500
APPEAL_TEXT = 2000  # an appeal's grounds, its decision's reason
ACTOR = 200
USER_NAME = 100  # a user's sign-in name (its display name is a NAME)
# A password's characters: argon2 takes any length, but its cost grows with it; 1,024 is far
# above any passphrase and bounds the work one sign-in attempt can cause.
PASSWORD = 1024
KATO_DIGITS = 9

# Plausible dates of people and mandates.
EARLIEST_BIRTH = date(1900, 1, 1)
