"""Schemathesis against the app's OpenAPI (ASGI, no server) on a database holding a small
published election: every documented response conforms to its schema, none is a server error,
and errors are the documented JSON.

The operations are driven with Hypothesis directly (`operation.as_strategy()`): schemathesis'
lazy pytest fixture loader does not run on pytest 9.2 (it reads a private node attribute)."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from web_fixtures import Published

from saylau.web.app import create_app

EXAMPLES = 40


def test_the_public_api_conforms_to_its_openapi(published: Published) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(published.url))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            case.call_and_validate()

        check()
