"""Every public service function takes `session` keyword-only (`f(*, session, ...)`), so a call
reads the same everywhere and no argument can land in the wrong place."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any

import saylau.services


def public_service_functions() -> Iterator[tuple[str, Callable[..., Any]]]:
    for info in pkgutil.iter_modules(saylau.services.__path__):
        module = importlib.import_module(f"saylau.services.{info.name}")
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
