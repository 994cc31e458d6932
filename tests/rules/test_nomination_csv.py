"""Nominations from CSV: the same items as the JSON list, problems named `line N, column`."""

from __future__ import annotations

from datetime import date

import pytest

from saylau.domain.election import NominatorKind
from saylau.rules.errors import InputError
from saylau.rules.input import InputErrors
from saylau.rules.nomination_csv import read_nominations_csv
from saylau.rules.schemas import read_nominations

ON = date(2013, 7, 10)
HEADER = "contest,full_name,sex,birth_date,iin,nominated_by,nominator,documents,incumbent\n"


def test_rows_read_as_the_json_list_reads() -> None:
    text = (
        "\ufeff" + HEADER + "271033000,Candidate 1,male,1961-02-11,,district_akim,Akim of Uralsk,"
        "identity_document;consent,yes\n"
        "\n"
        '2,"Serikova, A.",female,1975-11-02,751102400123,self,,consent,\n'
    )
    from_csv = read_nominations_csv(text, on=ON)
    from_json = read_nominations(
        [
            {
                "contest": "271033000",
                "full_name": "Candidate 1",
                "sex": "male",
                "birth_date": "1961-02-11",
                "nominated_by": "district_akim",
                "nominator": "Akim of Uralsk",
                "documents": ["identity_document", "consent"],
                "incumbent": True,
            },
            {
                "contest": 2,
                "full_name": "Serikova, A.",
                "sex": "female",
                "birth_date": "1975-11-02",
                "iin": "751102400123",
                "nominated_by": "self",
                "documents": ["consent"],
            },
        ],
        path="nominations",
        on=ON,
    )
    assert from_csv == from_json
    assert [n.nominated_by for n in from_csv] == [NominatorKind.DISTRICT_AKIM, NominatorKind.SELF]


def test_only_the_required_columns_are_needed() -> None:
    (item,) = read_nominations_csv(
        "full_name,contest,sex,birth_date\nX Y,5,male,1970-01-01\n", on=ON
    )
    assert (item.contest, item.nominated_by, item.documents, item.is_incumbent) == (
        "5",
        NominatorKind.DISTRICT_AKIM,
        (),
        False,
    )


def test_every_problem_is_named_by_line_and_column() -> None:
    text = (
        HEADER
        + "271033000,Candidate 1,male,1961-02-11,,district_akim,,consent,no\n"
        + "x,,other,1961-02-30,123,mayor,,consent,perhaps\n"
    )
    with pytest.raises(InputErrors) as e:
        read_nominations_csv(text, on=ON)
    assert [err.path for err in e.value.errors] == [
        "line 3, contest",
        "line 3, full_name",
        "line 3, sex",
        "line 3, birth_date",
        "line 3, iin",
        "line 3, nominated_by",
        "line 3, incumbent",
    ]


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("contest,full_name,sex\n", "line 1", "missing birth_date; expected columns contest,"),
        (HEADER.replace("iin", "inn"), "line 1", "unknown inn; expected columns"),
        ("contest,full_name,sex,birth_date,sex\n", "line 1", "sex twice; expected columns"),
        (HEADER, "line 2", "no nomination: expected a row under the header"),
        (
            HEADER + "1,X,male\n",
            "line 2",
            "expected 9 fields as in the header, found 3",
        ),
        (HEADER + '1,"X\0",male,1970-01-01,,,,,\n', "line 2, full_name", "contains the control"),
        (HEADER + "1," + "x" * 131_073 + ",male,1970-01-01,,,,,\n", "line 2", "a field longer"),
    ],
)
def test_malformed_files_are_refused_at_their_line(text: str, where: str, message: str) -> None:
    with pytest.raises(InputError) as e:
        read_nominations_csv(text, on=ON)
    error = e.value.errors[0] if isinstance(e.value, InputErrors) else e.value
    assert error.path == where
    assert error.message.startswith(message), error.message
