"""The geography and offices of a NIST SP 1500-100 v2 export: one ReportingUnit (GpUnit) for
the country, each region, each district or city whose council elects, and each territory whose
akim is elected; one Office per post; multilingual names as LanguageStrings (docs/open-data.md),
the stored names as they are and the words around them through the catalogs (saylau.i18n).

@ids are stable: `gpu-<KATO>` (`gpu-country` for the country) and `off-<KATO of the post>`.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from typing import Any

from saylau.domain.structure import Names, TerritoryKind
from saylau.i18n import LANGUAGES, N_, Language, gettext_for
from saylau.services.views.opendata import OpenDataView
from saylau.services.views.values import TerritoryView

COUNTRY_ID = "gpu-country"
COUNTRY_NAME = N_("Republic of Kazakhstan")
# An office's name: the title around the territory's name in each language, through the
# catalogs (saylau.i18n), as the web shows it.
OFFICE_TITLE = N_("Akim of {name}")
# NIST ReportingUnitType where one fits; else `other` with saylau's kind as OtherType.
UNIT_TYPES = {
    TerritoryKind.CITY_OF_REGIONAL_SIGNIFICANCE: "city",
    TerritoryKind.TOWN_OF_DISTRICT_SIGNIFICANCE: "town",
    TerritoryKind.VILLAGE: "village",
}
UNDETERMINED = "und"  # BCP 47: a text in no particular language (a person's or event's name)


def unit_id(territory: TerritoryView) -> str:
    return f"gpu-{territory.kato}"


def office_id(post: TerritoryView) -> str:
    return f"off-{post.kato}"


def text(content: str, language: str = UNDETERMINED) -> dict[str, Any]:
    return {
        "@type": "ElectionResults.InternationalizedText",
        "Text": [language_string(content, language)],
    }


def language_string(content: str, language: str) -> dict[str, Any]:
    return {"@type": "ElectionResults.LanguageString", "Content": content, "Language": language}


def names_text(names: Names, fallback: str, template: str | None = None) -> dict[str, Any]:
    """A name in every language the data has it in (kk, ru, en); `fallback` (a KATO) if in
    none. `template` frames each one (an office's title)."""
    strings = [
        language_string(_office(value, lang) if template == "office" else value, lang)
        for lang in LANGUAGES
        if (value := getattr(names, lang)).strip()
    ]
    if not strings:
        shown = _office(fallback, "en") if template == "office" else fallback
        strings = [language_string(shown, "en")]
    return {"@type": "ElectionResults.InternationalizedText", "Text": strings}


def _office(name: str, lang: Language) -> str:
    return gettext_for(lang)(OFFICE_TITLE).format(name=name)


def country_names() -> Names:
    return Names(**{lang: gettext_for(lang)(COUNTRY_NAME) for lang in LANGUAGES})


def label(names: Names, fallback: str) -> str:
    """One plain-text name: English, else Russian, else Kazakh, else `fallback`."""
    return next((n for n in (names.en, names.ru, names.kk) if n.strip()), fallback)


def kato_identifier(kato: str) -> dict[str, Any]:
    return identifier("national-level", kato, label="KATO")


def identifier(kind: str, value: str, *, label: str | None = None) -> dict[str, Any]:
    """An ExternalIdentifier: a NIST IdentifierType, or `other` with its OtherType `kind`."""
    found: dict[str, Any] = {"@type": "ElectionResults.ExternalIdentifier", "Value": value}
    if kind in ("fips", "local-level", "national-level", "ocd-id", "state-level"):
        found["Type"] = kind
    else:
        found["Type"], found["OtherType"] = "other", kind
    if label is not None:
        found["Label"] = label
    return found


def gp_units(view: OpenDataView) -> list[dict[str, Any]]:
    """The country, then every territory of the record by KATO, each with the units it is
    made of: regions of the country, electing districts and cities of a region, the
    territories whose akims a council elects."""
    territories: dict[str, TerritoryView] = {}
    parts: dict[str, set[str]] = defaultdict(set)
    for election in view.elections:
        for d in election.contests:
            c = d.contest
            chain = [t for t in (c.region, c.council, c.post) if t is not None]
            for t in chain:
                territories[t.kato] = t
            top = chain[0]
            parts[COUNTRY_ID].add(unit_id(top))
            for upper, lower in pairwise(chain):
                if upper.kato != lower.kato:
                    parts[unit_id(upper)].add(unit_id(lower))
    electors: dict[str, int] = {
        c.territory.kato: c.figures.deputies
        for c in view.councils
        if view.elections and c.event_id == view.elections[0].event_id
    }
    units = [_unit(COUNTRY_ID, "country", country_names(), "", parts[COUNTRY_ID])]
    for kato in sorted(territories):
        t = territories[kato]
        unit = _unit(unit_id(t), t.kind, t.names, kato, parts.get(unit_id(t), set()))
        if electors.get(kato):
            # The electors of a council's meeting: its deputies in office on the day.
            unit["VotersRegistered"] = electors[kato]
        units.append(unit)
    return units


def _unit(at_id: str, kind: str, names: Names, kato: str, composing: set[str]) -> dict[str, Any]:
    unit: dict[str, Any] = {
        "@id": at_id,
        "@type": "ElectionResults.ReportingUnit",
        "Name": names_text(names, kato),
    }
    if kind == "country":
        unit["Type"] = "country"
    elif kind in UNIT_TYPES:
        unit["Type"] = UNIT_TYPES[TerritoryKind(kind)]
    else:
        unit["Type"], unit["OtherType"] = "other", str(kind)
    if kato:
        unit["ExternalIdentifier"] = [kato_identifier(kato)]
    if composing:
        unit["ComposingGpUnitIds"] = sorted(composing)
    return unit


def offices(view: OpenDataView) -> list[dict[str, Any]]:
    """One Office per post, held by whoever its latest filled contest elected."""
    posts: dict[str, TerritoryView] = {}
    holders: dict[str, str] = {}
    for election in view.elections:  # the repeat events come after the event they repeat
        for d in election.contests:
            posts[d.contest.post.kato] = d.contest.post
            if d.contest.elected is not None:
                holders[d.contest.post.kato] = f"per-{d.contest.elected.person_id}"
    found = []
    for kato in sorted(posts):
        post = posts[kato]
        office: dict[str, Any] = {
            "@id": office_id(post),
            "@type": "ElectionResults.Office",
            "Name": names_text(post.names, kato, template="office"),
            "ElectionDistrictId": unit_id(post),
            "ExternalIdentifier": [kato_identifier(kato)],
            "IsPartisan": False,
        }
        if kato in holders:
            office["OfficeHolderPersonIds"] = [holders[kato]]
        found.append(office)
    return found
