"""Shared, built-once national scenario values (building them is pure and deterministic)."""

from __future__ import annotations

import pytest

from saylau.scenarios.kz2013.candidates import NominationSpec, build_nominations
from saylau.scenarios.kz2013.specs import NationalStructure
from saylau.scenarios.kz2013.structure import build_structure

SEED = 2013


@pytest.fixture(scope="session")
def structure() -> NationalStructure:
    return build_structure(SEED)


@pytest.fixture(scope="session")
def nominations(structure: NationalStructure) -> tuple[NominationSpec, ...]:
    return build_nominations(structure, SEED)
