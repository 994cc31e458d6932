"""saylau's fast canonical JSON (saylau/services/audit/encoding.py) writes the definition's text
(saylau/audit/chain.py) for every value an audit state can hold."""

from __future__ import annotations

import dataclasses
import enum
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.audit import chain
from saylau.services.audit import encoding


class Colour(enum.Enum):
    RED = "red"
    SEVEN = 7


class Kind(enum.StrEnum):
    ELECTED = "elected"


# Every code point but surrogates: control characters, quotes, backslashes, U+2028 and Kazakh.
texts = st.text(st.characters(exclude_categories=("Cs",)))
zones = st.sampled_from([UTC, timezone(timedelta(hours=6)), timezone(timedelta(hours=-3))])
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),  # beyond 64 bits too: the definition writes those
    texts,
    st.datetimes(timezones=zones),
    st.dates(),
    st.sampled_from([Colour.RED, Colour.SEVEN, Kind.ELECTED]),
    st.fractions(),
    st.decimals(allow_nan=False, allow_infinity=False),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.frozensets(st.integers(), max_size=4),
        st.dictionaries(texts, inner, max_size=4),
    ),
    max_leaves=30,
)


@settings(max_examples=400)
@given(values)
def test_the_fast_encoder_writes_the_definitions_text(value: object) -> None:
    assert encoding.canonical_json(value) == chain.canonical_json(value)


@pytest.mark.parametrize(
    "value",
    [
        {"seats": 2**70, "b": [2**64, -(2**63) - 1]},  # beyond orjson's 64 bits
        {1: "int keys", 2: "sorted as numbers"},  # keys that are not strings
        {"a": '\x00\x1f\x7f\u2028\u202e"\\/ә'},
        {"at": datetime(2013, 8, 5, 10, tzinfo=UTC), "on": date(2013, 8, 5)},
        {"share": Fraction(2, 3), "amount": Decimal("1.50"), "set": {3, 1, 2}},
    ],
)
def test_the_values_orjson_cannot_write_or_writes_its_own_way(value: object) -> None:
    assert encoding.canonical_json(value) == chain.canonical_json(value)


def test_nesting_deeper_than_orjson_allows_is_the_definitions_text() -> None:
    deep: object = "leaf"
    for _ in range(300):
        deep = [deep]
    assert encoding.canonical_json(deep) == chain.canonical_json(deep)


def test_what_the_definition_refuses_the_fast_encoder_refuses() -> None:
    @dataclasses.dataclass
    class Thing:
        name: str

    for refused in (Thing("x"), object()):
        with pytest.raises(TypeError):
            chain.canonical_json(refused)
        with pytest.raises(TypeError):
            encoding.canonical_json(refused)
