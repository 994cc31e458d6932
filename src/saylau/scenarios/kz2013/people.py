"""Synthetic people for the 2013 scenario: names, sex and birth dates drawn from a seeded RNG.

No real person is named: names are combined at random from common given names and surnames.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from operator import mul

from saylau.domain.structure import Sex


@dataclass(frozen=True, slots=True)
class PersonName:
    ru: str  # Cyrillic, as on a Kazakh ballot
    en: str  # Latin transliteration


_MALE_GIVEN = (
    ("Асхат", "Askhat"), ("Ерлан", "Yerlan"), ("Нурлан", "Nurlan"), ("Бауыржан", "Bauyrzhan"),
    ("Серик", "Serik"), ("Марат", "Marat"), ("Ержан", "Yerzhan"), ("Канат", "Kanat"),
    ("Болат", "Bolat"), ("Даурен", "Dauren"), ("Талгат", "Talgat"), ("Мурат", "Murat"),
    ("Арман", "Arman"), ("Алмас", "Almas"), ("Жанат", "Zhanat"), ("Руслан", "Ruslan"),
    ("Сергей", "Sergey"), ("Александр", "Aleksandr"), ("Владимир", "Vladimir"),
    ("Николай", "Nikolay"), ("Виктор", "Viktor"), ("Кайрат", "Kairat"), ("Берик", "Berik"),
    ("Санжар", "Sanzhar"),
)  # fmt: skip
_FEMALE_GIVEN = (
    ("Айгуль", "Aigul"), ("Гульнара", "Gulnara"), ("Динара", "Dinara"), ("Сауле", "Saule"),
    ("Жанар", "Zhanar"), ("Алия", "Aliya"), ("Асель", "Assel"), ("Мадина", "Madina"),
    ("Гульмира", "Gulmira"), ("Роза", "Roza"), ("Бибигуль", "Bibigul"), ("Назгуль", "Nazgul"),
    ("Елена", "Yelena"), ("Наталья", "Natalya"), ("Ольга", "Olga"), ("Татьяна", "Tatyana"),
)  # fmt: skip
# Male forms; every one ends in -ов/-ев/-ин, so the female form adds "а"/"a".
_SURNAMES = (
    ("Ахметов", "Akhmetov"), ("Омаров", "Omarov"), ("Сулейменов", "Suleimenov"),
    ("Жумабаев", "Zhumabayev"), ("Касымов", "Kassymov"), ("Искаков", "Iskakov"),
    ("Абдрахманов", "Abdrakhmanov"), ("Нурпеисов", "Nurpeisov"), ("Байжанов", "Baizhanov"),
    ("Сейткалиев", "Seitkaliyev"), ("Тулегенов", "Tulegenov"), ("Садыков", "Sadykov"),
    ("Есенов", "Yessenov"), ("Мусин", "Mussin"), ("Кенжебаев", "Kenzhebayev"),
    ("Иванов", "Ivanov"), ("Петров", "Petrov"), ("Ковалев", "Kovalev"), ("Жакупов", "Zhakupov"),
    ("Смагулов", "Smagulov"), ("Утегенов", "Utegenov"), ("Ибраев", "Ibrayev"),
    ("Калиев", "Kaliyev"), ("Токтаров", "Toktarov"),
)  # fmt: skip


def draw_name(rng: random.Random, sex: Sex) -> PersonName:
    surname_ru, surname_en = rng.choice(_SURNAMES)
    if sex is Sex.FEMALE:
        given_ru, given_en = rng.choice(_FEMALE_GIVEN)
        surname_ru, surname_en = surname_ru + "а", surname_en + "a"
    else:
        given_ru, given_en = rng.choice(_MALE_GIVEN)
    return PersonName(ru=f"{surname_ru} {given_ru}", en=f"{given_en} {surname_en}")


def draw_sex(rng: random.Random, p_female: float) -> Sex:
    return Sex.FEMALE if rng.random() < p_female else Sex.MALE


def birth_date_for_age(rng: random.Random, on: dt.date, age: int) -> dt.date:
    """A birth date such that the person is exactly `age` full years old on `on`."""
    latest = _years_before(on, age)  # turned `age` on this day at the latest
    earliest = _years_before(on, age + 1) + dt.timedelta(days=1)
    return earliest + dt.timedelta(days=rng.randrange((latest - earliest).days + 1))


def age_on(birth_date: dt.date, on: dt.date) -> int:
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - int(before_birthday)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year - years, day=28)


def synthetic_iins(people: Sequence[tuple[dt.date, str]]) -> list[str]:
    """Made-up individual identification numbers (IIN) of the Kazakh form, one per (birth date,
    sex): YYMMDD, a century-and-sex digit, a 4-digit serial and a check digit. They keep two
    synthetic people with the same name and birth date apart; serials that give no valid check
    digit are skipped, as in the real scheme."""
    used: set[str] = set()
    found = []
    for serial, (birth_date, sex) in enumerate(people):
        century = 3 if birth_date.year < 2000 else 5
        head = f"{birth_date:%y%m%d}{century + (sex == 'female')}"
        for n in range(serial, serial + 10_000):
            body = head + f"{n % 10_000:04d}"
            check = _iin_check_digit(body)
            if check is not None and body + str(check) not in used:
                used.add(body + str(check))
                found.append(body + str(check))
                break
        else:
            raise ValueError(f"no free IIN for {birth_date} {sex}")
    return found


_IIN_WEIGHTS = (tuple(range(1, 12)), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))


def _iin_check_digit(body: str) -> int | None:
    digits = list(map(int, body))
    for weights in _IIN_WEIGHTS:
        check: int = sum(map(mul, digits, weights)) % 11
        if check < 10:
            return check
    return None
