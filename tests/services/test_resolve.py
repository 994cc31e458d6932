"""The one resolver of "id, KATO or exact name": each form, each language, an ambiguous name, and
a miss with its close matches (services/resolve.py, docs/architecture.md)."""

from __future__ import annotations

import pytest
from election_fixtures import (
    CITY_KATO,
    OTHER_DISTRICT_KATO,
    OTHER_POST_KATO,
    POST_KATOS,
    Uralsk,
    register_candidates,
)
from sqlalchemy import update
from sqlalchemy.orm import Session

from saylau.db.tables.structure import CouncilRow, TerritoryRow
from saylau.domain.election import EventId
from saylau.services import resolve
from saylau.services.errors import NotFound
from saylau.services.transaction import transaction


def _rename(session: Session, kato: str, kk: str, ru: str, en: str) -> None:
    with transaction(session=session):
        session.execute(
            update(TerritoryRow)
            .where(TerritoryRow.kato == kato)
            .values(name_kk=kk, name_ru=ru, name_en=en)
        )


def _contest(session: Session, event_id: int, ref: str) -> int:
    return resolve.find_contest(session=session, event_id=EventId(event_id), ref=ref)


def test_a_contest_by_id_kato_and_its_name_in_each_language(
    session: Session, event_id: int
) -> None:
    _rename(session, POST_KATOS[0], "Деркөл", "Деркул", "Derkul")
    by_kato = _contest(session, event_id, POST_KATOS[0])
    assert _contest(session, event_id, str(by_kato)) == by_kato
    assert _contest(session, event_id, f"  {POST_KATOS[0]} ") == by_kato
    for name in ("Деркөл", "Деркул", "Derkul"):
        assert _contest(session, event_id, name) == by_kato
    others = {_contest(session, event_id, k) for k in (*POST_KATOS[1:], OTHER_POST_KATO)}
    assert len(others) == 3 and by_kato not in others


def test_nine_digits_are_a_kato_never_an_id(session: Session, event_id: int) -> None:
    # 000000001 is no stored KATO; read as an id it would be contest 1.
    with pytest.raises(NotFound) as refused:
        _contest(session, event_id, "000000001")
    assert "read as a KATO code" in refused.value.message


def test_an_ambiguous_name_lists_every_match(session: Session, event_id: int) -> None:
    _rename(session, POST_KATOS[1], "Ақжайық", "Акжаик", "Akzhaik")  # as OTHER_POST_KATO's
    with pytest.raises(NotFound) as refused:
        _contest(session, event_id, "Akzhaik")
    error = refused.value
    assert (
        error.message == f"'Akzhaik' names 2 contests in event {event_id}: give the id or the KATO"
    )
    assert [p.code for p in error.problems] == ["ambiguous", "ambiguous"]
    assert sorted(str(p.numbers["id"]) for p in error.problems) == sorted(
        str(_contest(session, event_id, k)) for k in (POST_KATOS[1], OTHER_POST_KATO)
    )
    assert {p.message.split(": ", 1)[1].split(" ")[0] for p in error.problems} == {
        POST_KATOS[1],
        OTHER_POST_KATO,
    }


def test_a_miss_lists_close_matches(session: Session, event_id: int) -> None:
    with pytest.raises(NotFound) as refused:
        _contest(session, event_id, "Derkull")
    error = refused.value
    assert error.code == "not_found"
    assert error.message == (
        f"no contest 'Derkull' in event {event_id} (read as an exact name): close matches below"
    )
    derkul = _contest(session, event_id, POST_KATOS[0])
    assert [(p.code, p.numbers["id"], p.message) for p in error.problems] == [
        ("close_match", derkul, f"{derkul}: {POST_KATOS[0]} Derkul")
    ]


def test_a_miss_by_kato_suggests_the_nearest_codes(session: Session, event_id: int) -> None:
    with pytest.raises(NotFound) as refused:
        _contest(session, event_id, "271033001")
    assert POST_KATOS[0] in [p.message.split(" ")[1] for p in refused.value.problems]


def test_arabic_indic_digits_are_not_a_kato(session: Session, event_id: int) -> None:
    with pytest.raises(NotFound) as refused:
        _contest(session, event_id, "٢٧١٠٣٣٠٠٠")
    assert "ids and KATO codes are written with the ASCII digits 0-9" in refused.value.message


def test_an_id_of_another_event_or_beyond_the_stored_range_is_not_found(
    session: Session, event_id: int
) -> None:
    for ref in ("999999", "9" * 30, ""):
        with pytest.raises(NotFound):
            _contest(session, event_id, ref)


def test_a_council_by_id_kato_and_names(session: Session, uralsk: Uralsk) -> None:
    with transaction(session=session):
        session.execute(
            update(CouncilRow)
            .where(CouncilRow.id == uralsk.council_id)
            .values(name_kk="Орал қалалық мәслихаты", name_ru="Уральский городской маслихат")
        )
    for ref in (
        str(uralsk.council_id),
        CITY_KATO,
        "Орал қалалық мәслихаты",
        "Уральский городской маслихат",
        "Uralsk",  # the city's own name
    ):
        assert resolve.find_council(session=session, ref=ref) == uralsk.council_id
    assert resolve.find_council(session=session, ref=OTHER_DISTRICT_KATO) == uralsk.other_council_id
    with pytest.raises(NotFound) as refused:
        resolve.find_council(session=session, ref="Uralskk")
    assert [p.numbers["id"] for p in refused.value.problems] == [uralsk.council_id]


def test_an_event_by_id_and_name(session: Session, event_id: int) -> None:
    assert resolve.find_event(session=session, ref=str(event_id)) == event_id
    assert resolve.find_event(session=session, ref="Akim elections 2013") == event_id
    with pytest.raises(NotFound) as refused:
        resolve.find_event(session=session, ref="Akim elections 2014")
    assert [p.numbers["id"] for p in refused.value.problems] == [event_id]


def test_a_nomination_by_id_and_full_name(session: Session, event_id: int) -> None:
    contest = _contest(session, event_id, POST_KATOS[0])
    first, second = register_candidates(session, contest, range(1, 3))
    assert (
        resolve.find_nomination(session=session, event_id=EventId(event_id), ref=str(first))
        == first
    )
    find = resolve.find_nomination
    assert find(session=session, event_id=EventId(event_id), ref="Candidate 02") == second
    with pytest.raises(NotFound) as refused:
        find(session=session, event_id=EventId(event_id), ref="Candidate 2")
    assert sorted(p.numbers["id"] for p in refused.value.problems) == sorted([first, second])


def test_a_commission_member_by_id_and_name_and_nine_digits_are_an_id_here(
    session: Session, uralsk: Uralsk
) -> None:
    find = resolve.find_commission_member
    assert find(session=session, ref="Secretary B.") == uralsk.secretary_id
    assert find(session=session, ref=str(uralsk.chair_id)) == uralsk.chair_id
    assert find(session=session, ref=f"{uralsk.chair_id:09d}") == uralsk.chair_id
    with pytest.raises(NotFound) as refused:
        find(session=session, ref="Secretary C.")
    assert uralsk.secretary_id in [p.numbers["id"] for p in refused.value.problems]


def test_a_commission_by_kato_id_name_and_cec(session: Session, uralsk: Uralsk) -> None:
    find = resolve.find_commission
    for ref in (CITY_KATO, str(uralsk.commission_id), "Uralsk city election commission"):
        assert find(session=session, ref=ref) == uralsk.commission_id
    with pytest.raises(NotFound) as refused:
        find(session=session, ref="cec")  # the fixture stores no CEC
    assert [p.code for p in refused.value.problems] == ["unknown_commission"]
    with pytest.raises(NotFound) as refused:
        find(session=session, ref="Uralsk city election comission")
    assert [p.numbers["id"] for p in refused.value.problems] == [uralsk.commission_id]


def test_find_among_objects_already_read_follows_the_same_rule() -> None:
    roll = [(4, "Deputy 01"), (5, "Deputy 02"), (6, "Deputy 02"), (123456789, "Deputy 03")]
    find = resolve.find_among
    assert find(noun="deputy", ref="4", objects=roll) == 4
    assert find(noun="deputy", ref="123456789", objects=roll) == 123456789  # no KATO here
    assert find(noun="deputy", ref=" Deputy 01 ", objects=roll) == 4
    with pytest.raises(NotFound) as refused:
        find(noun="deputy", ref="Deputy 02", objects=roll, scope=" on the roll")
    assert refused.value.message == "'Deputy 02' names 2 deputies on the roll: give the id"
    assert [p.numbers["id"] for p in refused.value.problems] == [5, 6]
    with pytest.raises(NotFound) as refused:
        find(noun="deputy", ref="Deputy O3", objects=roll)
    assert refused.value.problems[0].message == "123456789: Deputy 03"
