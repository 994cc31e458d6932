"""`saylau publish-static DIR [--incremental]`: the whole public site as files nginx can serve
(docs/web.md#static-export). HTML in three languages under DIR/kk, DIR/ru, DIR/en (a page at
`/path` is DIR/LANG/path/index.html), the JSON API under DIR/api/v1 (`.json` files) and each
event's contests as CSV under DIR/data. The same templates and read models as the live site;
every view is read once per event (services/views/areas.py), never per page."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from saylau.domain.election import ContestId, EventId, ProtocolId
from saylau.i18n import LANGUAGES
from saylau.services.events import list_events
from saylau.services.views.appeals import aftermath_view
from saylau.services.views.areas import EventAreas, event_areas
from saylau.services.views.encode import to_json
from saylau.services.views.freshness import audit_head_seq
from saylau.services.views.protocol_sheets import protocol_digests
from saylau.services.views.protocols import (
    protocol_pages,
    protocol_versions_view,
    published_since,
)
from saylau.services.views.results import contest_detail, contest_details
from saylau.services.views.values import ContestDetailView, ContestView, Visibility
from saylau.web.api import contest_payload, summary_payload
from saylau.web.export_files import Manifest, Writer
from saylau.web.map import Measure, region_map
from saylau.web.public_contests import contest_context
from saylau.web.templating import render_text

PUBLIC = Visibility.PUBLIC


@dataclass(frozen=True)
class ExportReport:
    incremental: bool  # False also when --incremental found no usable manifest
    contests: int  # contests whose pages were rendered
    written: int  # files written (new or changed)
    unchanged: int  # files rendered but identical to the manifest's
    seconds: float


def publish_static(*, session: Session, out: Path, incremental: bool = False) -> ExportReport:
    """Export the public site to `out`; `incremental`: only what protocols published since the
    last export touch (a whole export when there is no manifest to start from)."""
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    head = audit_head_seq(session=session)
    previous = Manifest.read(out)
    is_incremental = incremental and previous is not None
    manifest = previous if previous is not None else Manifest(head)
    writer = Writer(out, manifest)
    events = [(e.id, e.name) for e in list_events(session=session)]
    latest = max((i for i, _ in events), default=None)
    site = _Site(writer, events)
    if is_incremental:
        changed = published_since(session=session, head_seq=manifest.audit_head)
    else:
        changed = {EventId(i): None for i, _ in events}  # type: ignore[misc]
    rendered = 0
    for event_id, contests in changed.items():
        rendered += site.event(session, event_id, contests, is_latest=event_id == latest)
    if not is_incremental or changed:
        site.common(session, latest)
    manifest.audit_head = head
    manifest.write(out)
    return ExportReport(
        is_incremental, rendered, writer.written, writer.unchanged, time.perf_counter() - started
    )


class _Site:
    def __init__(self, writer: Writer, events: Sequence[tuple[int, str]]) -> None:
        self.w = writer
        self.events = events

    def html(self, path: str, template: str, **context: Any) -> None:
        """The page at `path` in each language, at LANG/path/index.html."""
        inside = path.strip("/")
        for lang in LANGUAGES:
            body = render_text(
                template,
                lang,
                href=lambda p, lang=lang: (
                    f"/{lang}/" + (p.strip("/") + "/" if p.strip("/") else "")
                ),
                switch=lambda code: f"/{code}/" + (inside + "/" if inside else ""),
                api=lambda p: p + ".json",
                static=True,
                **context,
            )
            self.w.put(f"{lang}/{inside}/index.html" if inside else f"{lang}/index.html", body)

    def event(
        self,
        session: Session,
        event_id: EventId,
        contests: Collection[ContestId] | None,
        *,
        is_latest: bool,
    ) -> int:
        """An event's pages: all of them, or those the contests in `contests` touch."""
        areas = event_areas(
            session=session, event_id=event_id, visibility=PUBLIC, of_contests=contests
        )
        if contests is None:
            details = contest_details(session=session, event_id=event_id, visibility=PUBLIC)
        else:
            details = [
                contest_detail(session=session, event_id=event_id, contest_id=c, visibility=PUBLIC)
                for c in sorted(contests)
            ]
        versions = protocol_versions_view(session=session, event_id=event_id, visibility=PUBLIC)
        aftermath = aftermath_view(session=session, event_id=event_id, visibility=PUBLIC)
        calendar = areas.calendar
        e = f"/events/{event_id}"
        self.summaries(areas, aftermath, e, is_latest)
        for kato, view in areas.areas.items():
            kind = "regions" if view.parts else "districts"
            self.html(
                f"{e}/{kind}/{kato}", "area.html", view=view, offset=0, page=view.contests.limit
            )
            self.w.json(f"api/v1{e}/results/{kato}.json", to_json(view))
        self.contests(details, versions, event_id)
        pages = protocol_pages(
            session=session, event_id=event_id, visibility=PUBLIC, contest_ids=contests
        )
        digests = protocol_digests(
            session=session, protocol_ids=[ProtocolId(p.protocol.id) for p in pages]
        )
        for p in pages:
            c = self._contest(p.contest_id)
            digest = digests.get(ProtocolId(p.protocol.id))
            self.html(f"/protocols/{p.protocol.id}", "protocol.html", page=p, c=c, digest=digest)
            self.w.json(f"api/v1/protocols/{p.protocol.id}.json", to_json(p))
        for path in [e] + (["/"] if is_latest else []):
            self.html(f"{path.rstrip('/')}/calendar", "calendar.html", calendar=calendar)
            self.html(f"{path.rstrip('/')}/appeals", "appeals.html", aftermath=aftermath)
        self.w.json(f"api/v1{e}/calendar.json", to_json(calendar))
        self.w.json(f"api/v1{e}/aftermath.json", to_json(aftermath))
        self.w.put(f"data{e}/contests.csv", contests_csv(areas.contests))
        return len(details)

    def summaries(self, areas: EventAreas, aftermath: Any, e: str, is_latest: bool) -> None:
        national = areas.national
        for measure in Measure:
            context = {
                "view": national,
                "map": region_map(national.parts, measure),
                "measures": list(Measure),
                "events": self.events,
                "aftermath": aftermath,
            }
            paths = [e if measure is Measure.PROGRESS else f"{e}/map/{measure.value}"]
            if is_latest:
                paths.append("/" if measure is Measure.PROGRESS else f"/map/{measure.value}")
            for path in paths:
                self.html(path, "summary.html", **context)
        self.w.json(f"api/v1{e}/results.json", to_json(national))
        if is_latest:
            self.w.json("api/v1/summary.json", summary_payload(national))

    def contests(
        self, details: list[ContestDetailView], versions: dict[ContestId, Any], event_id: EventId
    ) -> None:
        self._by_id = {d.contest.id: d.contest for d in details}
        for d in details:
            shown = versions.get(d.contest.id, ())
            self.html(
                f"/contests/{d.contest.id}", "contest.html", **contest_context(event_id, d, shown)
            )
            self.w.json(f"api/v1/contests/{d.contest.id}.json", contest_payload(event_id, d, shown))

    def _contest(self, contest_id: ContestId) -> ContestView:
        return self._by_id[contest_id]

    def common(self, session: Session, latest: int | None) -> None:
        """The pages of no event, and the root that sends a reader to their language."""
        self.html("/open-data", "open_data.html", events=self.events)
        self.html(
            "/candidates", "candidates.html", q="", found=None, event_id=latest, events=self.events
        )
        self.w.json("api/v1/events.json", [{"id": i, "name": n} for i, n in self.events])
        self.w.put("index.html", ROOT)


ROOT = """<!doctype html>
<html lang="kk"><head><meta charset="utf-8"><title>saylau</title>
<meta http-equiv="refresh" content="0; url=/kk/"></head>
<body><ul><li><a href="/kk/" lang="kk">Қазақша</a></li><li><a href="/ru/" lang="ru">Русский</a></li>
<li><a href="/en/" lang="en">English</a></li></ul></body></html>
"""

CSV_FIELDS = (
    "contest_id", "region_kato", "council_kato", "post_kato", "post_name_kk", "post_name_ru",
    "post_name_en", "status", "failure_reason", "elected", "margin", "vote_day", "rounds",
    "protocol_id", "published_at",
)  # fmt: skip


def contests_csv(contests: tuple[ContestView, ...]) -> str:
    """One row per contest, as the public sees it."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(CSV_FIELDS)
    for c in contests:
        p = c.protocol
        out.writerow(
            [
                c.id,
                c.region.kato if c.region else "",
                c.council.kato,
                c.post.kato,
                c.post.names.kk,
                c.post.names.ru,
                c.post.names.en,
                c.status.value,
                c.failure_reason.value if c.failure_reason else "",
                c.elected.full_name if c.elected else "",
                "" if c.margin is None else c.margin,
                c.vote_day or "",
                c.num_rounds,
                p.id if p else "",
                p.published_at.isoformat() if p and p.published_at else "",
            ]
        )
    return buffer.getvalue()
