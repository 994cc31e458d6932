"""What the workspace's pages and its API share: the real time of an act, a form's fields as
the input layer reads them, refusals sorted by the field they concern, and HTTP statuses."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from saylau.domain.appeals import RepeatReason
from saylau.domain.election import COUNT_FIELDS, RoundStatus
from saylau.i18n import Language
from saylau.i18n.problems import problem_message, refusal_heading
from saylau.rules.errors import InputError
from saylau.rules.input import InputErrors
from saylau.services.errors import InvalidInput, Problem, ServiceError
from saylau.services.permissions import Action, reach
from saylau.services.sign_in import SignedIn
from saylau.web.auth.session import csrf_token, remember_csrf
from saylau.web.templating import render


def real_now() -> datetime:
    """The real time of an act entered on the web (the web enters today's acts only)."""
    return datetime.now(UTC)


def input_refused(error: InputError) -> InvalidInput:
    """The input layer's refusal as the services' InvalidInput: a problem per field."""
    errors = error.errors if isinstance(error, InputErrors) else (error,)
    return InvalidInput(
        f"{len(errors)} problem(s) in the form; nothing was stored",
        problems=[Problem("bad_value", e.message, e.path) for e in errors],
    )


@dataclass
class Shown:
    """Refusals to show in the page's language (`lang`): by the field they concern (its form
    name), the rest above the form. Each problem is told by saylau.i18n.problems from its code
    and numbers, as the CLI tells it; the JSON API keeps the services' English."""

    lang: Language
    by_field: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    general: list[str] = field(default_factory=list)

    def add(
        self,
        problems: Iterable[Problem],
        fields: Iterable[str],
        codes: Mapping[str, str] | None = None,
    ) -> Shown:
        """Sort `problems` by field: by the field their `where` names, else by `codes` (a
        problem's code to the field it concerns, where a service names the object instead)."""
        known = set(fields)
        for p in problems:
            where = (codes or {}).get(p.code) or _field_name(p.where)
            text = problem_message(p, self.lang)
            if where in known:
                self.by_field[where].append(text)
            else:
                self.general.append(text)
        return self

    @classmethod
    def of(
        cls,
        error: ServiceError,
        fields: Iterable[str],
        lang: Language,
        codes: Mapping[str, str] | None = None,
    ) -> Shown:
        """A refusal's problems by field; above the form, its heading and the rest."""
        shown = cls(lang).add(error.problems, fields, codes)
        heading = refusal_heading(error, lang)
        if shown.general and heading not in shown.general:
            shown.general.insert(0, heading)
        return shown

    def __bool__(self) -> bool:
        return bool(self.by_field or self.general)


def _field_name(where: str) -> str:
    """A problem's `where` as a form field's name: `protocol.ballots_cast` is `ballots_cast`,
    `votes.7` (a candidate's votes) is `vote_7`."""
    where = where.removeprefix("protocol.").rsplit(", ", 1)[-1]
    if where.startswith("votes."):
        return "vote_" + where.removeprefix("votes.")
    return where.rsplit(".", 1)[-1]


def counts_form(
    form: Mapping[str, Any], votes: Iterable[int], named: Iterable[str] = ()
) -> dict[str, object]:
    """A protocol form as the input layer's protocol object: a count of digits becomes a
    number, anything else stays text (and is refused by the schema with its field), an empty
    optional count is left out (0). Votes come from the fields `vote_<nomination id>`. The
    fields `named` (a correction's `contest` and `round`) are read the same way, when given."""

    def value(raw: object) -> object:
        text = str(raw).strip()
        return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else text

    found: dict[str, object] = {}
    for name in (*named, *COUNT_FIELDS):
        raw = form.get(name)
        if raw is not None and str(raw).strip() != "":
            found[name] = value(raw)
    found["votes"] = {str(n): value(form.get(f"vote_{n}") or "0") for n in votes}
    return found


def page(
    request: Request, template: str, user: SignedIn | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """A workspace page with the signed-in user and this browser's CSRF token."""
    response = render(
        request,
        template,
        status_code=status_code,
        user=user,
        csrf=csrf_token(request),
        RepeatReason=RepeatReason,
        RoundStatus=RoundStatus,
        who=lambda ids, names: ", ".join(names.get(str(i), str(i)) for i in ids or ()),
        may=lambda action: (
            user is not None and reach(user.principal.role, Action(action)) is not None
        ),
        **context,
    )
    remember_csrf(request, response)
    return response


def see_other(url: str) -> RedirectResponse:
    """After a form's write: the page to show (POST, redirect, GET)."""
    return RedirectResponse(url, status_code=303)
