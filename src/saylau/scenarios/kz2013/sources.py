"""Read the kz2013 source CSVs shipped in this package (data/) into typed rows.

Only the columns the scenario uses are kept; the files themselves cite their sources.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

# akim_units.csv names some district-level units differently from districts.csv.
_DISTRICT_ALIASES = {
    ("KZ-MAN", "Beineu"): "Beyneu",
}


@dataclass(frozen=True, slots=True)
class RegionRow:
    code: str  # 2013 ISO 3166-2 alpha code, e.g. "KZ-KAR"
    kato_prefix: str  # two digits
    name_en: str
    name_ru: str
    name_kk: str
    vote_dates: tuple[dt.date, ...]


@dataclass(frozen=True, slots=True)
class DistrictRow:
    region_code: str
    kato: str
    name_en: str
    name_ru: str
    name_kk: str
    is_city: bool  # city of regional significance, else district
    vote_dates: tuple[dt.date, ...]
    towns: tuple[str, ...]  # English names of its towns of district significance


@dataclass(frozen=True, slots=True)
class UnitRow:
    region_code: str
    district_en: str  # normalized to districts.csv's name_en
    district_is_city: bool  # marked "(city)" in the file
    name_en: str
    name_ru: str
    name_kk: str
    kind: str  # town_of_district_significance | rural_district | settlement | village
    attested_2013: str
    confidence: str


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _dates(field: str) -> tuple[dt.date, ...]:
    return tuple(dt.date.fromisoformat(part) for part in field.split(";") if part)


@cache
def load_regions() -> tuple[RegionRow, ...]:
    return tuple(
        RegionRow(
            code=r["region_code"],
            kato_prefix=r["kato_region_prefix_2013"],
            name_en=r["name_en"],
            name_ru=r["name_ru"],
            name_kk=r["name_kk"],
            vote_dates=_dates(r["vote_dates_2013"]),
        )
        for r in _read("regions.csv")
    )


@cache
def load_districts() -> tuple[DistrictRow, ...]:
    return tuple(
        DistrictRow(
            region_code=r["region_code"],
            kato=r["kato_2013"],
            name_en=r["name_en"],
            name_ru=r["name_ru"],
            name_kk=r["name_kk"],
            is_city=r["kind"] == "city_of_regional_significance",
            vote_dates=_dates(r["vote_date_2013"]),
            towns=tuple(
                t.strip() for t in r["towns_of_district_significance_2013"].split(";") if t.strip()
            ),
        )
        for r in _read("districts.csv")
    )


def _district_name(region_code: str, district_en: str) -> str:
    name = district_en.removesuffix(" (city)")
    return _DISTRICT_ALIASES.get((region_code, name), name)


@cache
def load_units() -> tuple[UnitRow, ...]:
    return tuple(
        UnitRow(
            region_code=r["region_code"],
            district_en=_district_name(r["region_code"], r["district_en"]),
            district_is_city=r["district_en"].endswith(" (city)"),
            name_en=r["name_en"],
            name_ru=r["name_ru"],
            name_kk=r["name_kk"],
            kind=r["kind"],
            attested_2013=r["attested_2013"],
            confidence=r["confidence"],
        )
        for r in _read("akim_units.csv")
    )
