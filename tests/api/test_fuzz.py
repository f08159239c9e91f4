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


def explicit_contact_examples(door_id: int, canvass_id: int) -> list[tuple[str, object, str]]:
    """The malformed contacts a review sent (issue 15), each after a good one, with what the last one
    becomes: rejected alone, or created (a field the API does not know is ignored); a body too deep to
    parse is a 400. Never a 500."""
    from tests.api.test_contact_sync import knock
    from tests.api.test_malformed_contacts import MALFORMED, nested

    batches = [(f"contact with {change!r:.60}", {"contacts": [knock(door_id, canvass_id),
                                                                {**knock(door_id, canvass_id), **change}]}, "rejected")
               for change, _ in MALFORMED]
    batches.append(("a turf name sent as a list",
                    {"contacts": [knock(door_id, canvass_id), knock(door_id, canvass_id, turf=["Alpha 1"])]}, "created"))
    batches.append(("a body nested 5,000 levels deep", nested(5000), "400"))
    return batches


def test_the_explicit_examples_of_malformed_contacts_get_no_500(live_server, world):
    from tests.api.test_contact_sync import doors_of

    token = create_token("volunteer.a1@test.example")
    schema = schemathesis.openapi.from_url(f"{live_server}/api/v1/openapi.json")
    operation = schema["/api/v1/contacts"]["POST"]
    failures = []
    for title, body, expected in explicit_contact_examples(doors_of(world.turf_a1)[0], world.canvass_north.id):
        case = operation.Case(body=body, media_type="application/json")
        try:
            response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, timeout=30)
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - collected, reported per example
            failures.append(f"{title}: {error}")
            continue
        if isinstance(body, dict):
            statuses = [result["status"] for result in response.json()["results"]]
            if statuses != ["created", expected]:
                failures.append(f"{title}: {statuses}")
        elif response.status_code != 400:
            failures.append(f"{title}: {response.status_code}")
    assert failures == [], "\n\n".join(failures)
