"""Every public service function takes `session` keyword-only (`f(*, session, ...)`), so a call
reads the same everywhere and no argument can land in the wrong place."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any

import saylau.services


def service_modules() -> Iterator[Any]:
    """Every module of saylau.services, its subpackages (audit, views) included."""
    for info in pkgutil.walk_packages(saylau.services.__path__, prefix="saylau.services."):
        yield importlib.import_module(info.name)


def public_service_functions() -> Iterator[tuple[str, Callable[..., Any]]]:
    for module in service_modules():
        for name, value in vars(module).items():
            if (
                inspect.isfunction(value)
                and value.__module__ == module.__name__
                and not name.startswith("_")
            ):
                yield f"{module.__name__}.{name}", value


def test_session_is_keyword_only_in_every_public_service_function() -> None:
    positional = [
        name
        for name, function in public_service_functions()
        if "session" in inspect.signature(function).parameters
        and inspect.signature(function).parameters["session"].kind
        is not inspect.Parameter.KEYWORD_ONLY
    ]
    assert positional == []


def test_the_check_sees_the_service_functions() -> None:
    names = dict(public_service_functions())
    assert "saylau.services.events.create_event" in names
    assert "saylau.services.protocols.submit_protocol" in names
    assert len(names) > 40


# Ids that may name an object of any kind, so no one NewType fits.
# An appeal's object is a nomination, a sitting or a protocol, as its subject says.
ANY_KIND = {"audit.", "resolve.Match.id", "views.opendata.AppealRecordView.object_id"}
# The result views are rebuilt as read models with typed ids (issue 7, part 2).
READ_MODELS = {"results.ProtocolView.", "results.ContestResult."}


def untyped_ids() -> list[str]:
    """Parameters and dataclass fields named `id`, `*_id` or `*_ids` in saylau.services whose
    annotation names no `...Id` NewType."""
    found = []

    def check(where: str, name: str, annotation: object) -> None:
        if name == "id" or name.endswith(("_id", "_ids")):
            short = where.removeprefix("saylau.services.") + "." + name
            exempt = any(short.startswith(p) for p in ANY_KIND | READ_MODELS)
            if "Id" not in str(annotation) and not exempt:
                found.append(f"{short}: {annotation}")

    for module in service_modules():
        for name, value in vars(module).items():
            if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
                continue
            where = f"{module.__name__}.{name}"
            if dataclasses.is_dataclass(value):
                for f in dataclasses.fields(value):
                    check(where, f.name, f.type)
            elif inspect.isfunction(value):
                for p in inspect.signature(value).parameters.values():
                    check(where, p.name, p.annotation)
    return found


def test_ids_in_service_signatures_and_views_are_typed() -> None:
    assert untyped_ids() == []
