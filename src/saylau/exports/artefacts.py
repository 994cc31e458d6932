"""The open-data artefacts of an election cycle — the NIST ElectionReport and the CSV files —
each with its SHA-256 digest, as `saylau export` writes them and the web's open-data page
serves them. Every artefact is made from one read of the public record."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from saylau.domain.election import EventId
from saylau.exports.cdf import election_report, to_bytes
from saylau.exports.cdf_check import check_report
from saylau.exports.csv_tables import csv_files
from saylau.services.views.opendata import OpenDataView, open_data_view
from saylau.services.views.values import Visibility

CDF_NAME = "election-report.json"


@dataclass(frozen=True)
class Artefact:
    name: str
    media_type: str
    data: bytes
    sha256: str  # hex digest of `data`

    def write(self, path: Path) -> None:
        path.write_bytes(self.data)


class InvalidReport(Exception):
    """A report that fails its own checks: a defect of the export, not of the input."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s): " + "; ".join(problems[:5]))
        self.problems = problems


def public_record(*, session: Session, event_id: EventId) -> OpenDataView:
    """What open data publishes: the cycle of `event_id` as the public sees it."""
    return open_data_view(session=session, event_id=event_id, visibility=Visibility.PUBLIC)


def artefact(name: str, media_type: str, data: bytes) -> Artefact:
    return Artefact(name, media_type, data, hashlib.sha256(data).hexdigest())


def cdf_artefact(view: OpenDataView, *, validate: bool = False) -> Artefact:
    """The ElectionReport; with `validate`, InvalidReport if it fails the schema or a
    reference does not resolve."""
    report = election_report(view)
    if validate and (problems := check_report(report)):
        raise InvalidReport(problems)
    return artefact(CDF_NAME, "application/json", to_bytes(report))


def csv_artefacts(view: OpenDataView) -> tuple[Artefact, ...]:
    return tuple(
        artefact(name, "text/csv; charset=utf-8", data) for name, data in csv_files(view).items()
    )


def open_data_artefacts(*, session: Session, event_id: EventId) -> tuple[Artefact, ...]:
    """Every artefact of the cycle of `event_id`: the ElectionReport, then the CSV files."""
    view = public_record(session=session, event_id=event_id)
    return (cdf_artefact(view), *csv_artefacts(view))
