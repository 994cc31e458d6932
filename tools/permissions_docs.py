"""Writes docs/permissions.md from the permission matrix of saylau.services.permissions.

`python tools/permissions_docs.py` rewrites the file; `python tools/permissions_docs.py --check`
exits 1 when the file is out of date (tests/services/test_permissions.py runs the check).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "permissions.md"

HEADER = """# Permissions

Generated from `MATRIX` in `saylau.services.permissions` by `python tools/permissions_docs.py`;
a test fails when this page and the matrix disagree. Every write service calls
`permissions.authorize(*, session, principal, action, territories)` before it changes anything.

- **everywhere**: the role may do the action anywhere in the country.
- **in scope**: only where every territory the act concerns (the council's district or town of
  a contest, a sitting, a nomination or a protocol) is the user's scope or lies inside it: a
  regional user's region, a commission user's council territory.
- **—**: refused (`forbidden`, exit 1), whatever the scope.

An act dated before the real time (`--on` a past day) also needs `act.enter-past` for the same
territories, and its audit entry's actor says so (`user:17 past-act entered 2026-…`). A
signature is the signing user's own: `protocol.sign` also requires that the user is linked to
the chair or secretary of the commission that ran the contest (see [accounts.md](accounts.md)).
"""


def render() -> str:
    from saylau.domain.accounts import Role
    from saylau.services.permissions import DESCRIPTIONS, Action, reach

    roles = list(Role)
    lines = [
        HEADER,
        "| action | what | " + " | ".join(f"`{r}`" for r in roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for action in Action:
        cells = []
        for role in roles:
            found = reach(role, action)
            cells.append(found.value if found is not None else "—")
        lines.append(f"| `{action}` | {DESCRIPTIONS[action]} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    text = render()
    if "--check" in sys.argv[1:]:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            where = TARGET.relative_to(ROOT)
            print(f"{where} is out of date: run python tools/permissions_docs.py")
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
