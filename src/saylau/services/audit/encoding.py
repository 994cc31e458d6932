"""The audit log's canonical JSON, written by orjson: the same text as
`saylau.audit.chain.canonical_json`, about seven times faster (docs/audit.md, "The canonical
JSON").

`chain.canonical_json` is the definition (the standard library only, so that an outside
verifier can copy it); this is what saylau itself writes and checks ~50,000 states with. The
two give the same text for every value an audit state holds — strings, integers, booleans,
null, lists, objects with string keys, and the dates, times, enums, fractions, decimals and
sets that `chain` turns into those. tests/audit/test_fast_encoding.py compares them with
Hypothesis, and tests/scenarios/test_demo.py re-encodes every state of the national demo's log
with the definition.

Where orjson refuses a value (an integer beyond 64 bits, a key that is not a string, nesting
deeper than 254), the standard library's encoder writes it, so the text stays the one
definition's. A state holds no floating-point numbers (counts are integers, shares exact
fractions): the two encoders write exponents differently (1e+16 against 1e16).
"""

from __future__ import annotations

import orjson

from saylau.audit import chain

# Dates and times go to chain's `default` (UTC, microseconds always), not orjson's own form;
# so do dataclasses, which the definition refuses rather than writes.
_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def canonical_json(value: object) -> str:
    """Sorted keys, no spaces, UTF-8 text, dates in ISO 8601: `chain.canonical_json`'s text."""
    try:
        return orjson.dumps(value, default=chain.json_default, option=_OPTIONS).decode()
    except TypeError:  # orjson.JSONEncodeError: beyond orjson's range; the definition writes it
        return chain.canonical_json(value)
