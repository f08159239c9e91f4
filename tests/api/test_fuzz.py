"""The API fuzzed from its own OpenAPI document (schemathesis), over real HTTP on 127.0.0.1: whatever
the request, the answer is never a 500 and always matches the spec. ``bench/fuzz_api.py`` runs longer."""
from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.factories import create_token

EXAMPLES_PER_OPERATION = 40


def fuzz(live_server: str, token: str, examples: int) -> list[str]:
    """Fuzz every operation; returns the failures, each naming the operation and what went wrong."""
    schema = schemathesis.openapi.from_url(f"{live_server}/api/v1/openapi.json")
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=examples, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, timeout=30)

        try:
            check()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - collected, reported per operation
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    return failures


def test_no_generated_request_gets_a_500_or_an_answer_outside_the_spec(live_server, world):
    for email in ("volunteer.a1@test.example", "admin@test.example"):
        failures = fuzz(live_server, create_token(email), EXAMPLES_PER_OPERATION)
        assert failures == [], "\n\n".join(failures)
