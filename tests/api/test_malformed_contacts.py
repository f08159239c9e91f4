"""One malformed contact never fails its batch (issue 15, security): a value of the wrong JSON type or size,
or a time outside the calendar, rejects that contact alone with its reason, and the rest are stored. A
body nested too deep for the JSON parser is a clear 400, never a 500."""
from __future__ import annotations

import json

import pytest

from fieldops.extensions import db
from fieldops.models import Contact, Turf
from tests.api.test_api_access import bearer
from tests.api.test_contact_sync import doors_of, knock, stored
from tests.factories import create_token

HUGE = "x" * 1_000_000

# (what the phone sent instead, words the reason must hold)
MALFORMED = [
    ({"outcome": ["talked"]}, "unknown outcome a list"),
    ({"outcome": {"code": "talked"}}, "unknown outcome an object"),
    ({"outcome": HUGE}, "unknown outcome"),
    ({"recorded_at": "0001-01-01T00:00:00+01:00"}, "outside the calendar"),
    ({"recorded_at": "9999-12-31T23:59:59-01:00"}, "outside the calendar"),
    ({"recorded_at": ["2026-11-22T14:03:00Z"]}, "recorded_at must be an ISO-8601 time"),
    ({"recorded_at": HUGE}, "not an ISO-8601 time"),
    ({"note": ["a", "list"]}, "note must be text"),
    ({"note": {"text": "an object"}}, "note must be text"),
    ({"note": HUGE}, "note must be text of at most 2000 characters"),
    ({"follow_ups": [["call_back"]]}, "follow_ups must be a list of"),
    ({"follow_ups": [{"kind": "call_back"}]}, "follow_ups must be a list of"),
    ({"id": ["0b7e3c1e-5d7a-4f43-9a59-1f7f6f3e2a10"]}, "id must be a UUID"),
    ({"id": HUGE}, "id must be a UUID"),
    ({"door_id": [1]}, "door_id must be a whole number"),
    ({"lat": [60.1], "lon": 24.9}, "lat must be a number"),
    ({"do_not_contact": "yes"}, "do_not_contact must be true or false"),
    ({"outcome": "talked", "answers": {HUGE: 1}}, "no question 'xxxx"),
]


@pytest.mark.parametrize("change, reason", MALFORMED, ids=[f"{sorted(c)[0]}-{n}" for n, (c, _) in enumerate(MALFORMED)])
def test_a_malformed_contact_is_rejected_alone_and_the_rest_are_stored(client, world, change, reason):
    token = create_token("volunteer.a1@test.example")
    doors = doors_of(world.turf_a1)
    good = [knock(doors[0], world.canvass_north.id), knock(doors[2], world.canvass_north.id, outcome="refused")]
    bad = {**knock(doors[1], world.canvass_north.id), **change}
    response = client.post("/api/v1/contacts", json={"contacts": [good[0], bad, good[1]]}, headers=bearer(token))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == ["created", "rejected", "created"]
    assert reason in results[1]["error"], results[1]
    assert len(results[1]["error"]) < 300  # a reason, not the value sent back
    assert stored() == 2


def nested(depth: int) -> bytes:
    return b'{"contacts": [' + b"[" * depth + b"]" * depth + b"]}"


def test_a_body_nested_five_thousand_levels_deep_is_a_clear_400(client, world):
    token = create_token("volunteer.a1@test.example")
    response = client.post("/api/v1/contacts", data=nested(5000),
                           headers={**bearer(token), "Content-Type": "application/json"})
    assert response.status_code == 400
    assert "nested too deeply" in response.get_json()["error"]
    assert stored() == 0


def test_a_contact_nested_within_the_parser_limit_is_rejected_alone(client, world):
    token = create_token("volunteer.a1@test.example")
    doors = doors_of(world.turf_a1)
    good = knock(doors[0], world.canvass_north.id)
    deep = {**knock(doors[1], world.canvass_north.id), "outcome": json.loads("[" * 900 + "]" * 900)}
    response = client.post("/api/v1/contacts", json={"contacts": [good, deep]}, headers=bearer(token))
    assert response.status_code == 200
    assert [r["status"] for r in response.get_json()["results"]] == ["created", "rejected"]
    assert stored() == 1


@pytest.mark.parametrize("name", [["Alpha", "north"], {"name": "Alpha north"}])
def test_a_turf_name_sent_as_a_list_or_object_is_a_400_naming_the_field(client, auth, world, name):
    auth.login("organizer.a@test.example")
    page = client.get(f"/offices/{world.office_a.id}/turfs")
    token = page.get_data(as_text=True).split('data-csrf="')[1].split('"')[0]
    before = db.session.query(Turf).count()
    response = client.post(f"/offices/{world.office_a.id}/turfs", json={"blocks": [], "name": name},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 400
    assert "name" in response.get_json()["error"]
    db.session.expire_all()
    assert db.session.query(Turf).count() == before


def test_a_turf_editor_body_nested_too_deep_is_a_clear_400(client, auth, world):
    auth.login("organizer.a@test.example")
    page = client.get(f"/offices/{world.office_a.id}/turfs")
    token = page.get_data(as_text=True).split('data-csrf="')[1].split('"')[0]
    response = client.post(f"/offices/{world.office_a.id}/turfs", data=b"[" * 5000 + b"]" * 5000,
                           headers={"X-CSRFToken": token, "Content-Type": "application/json"})
    assert response.status_code == 400 and "nested too deeply" in response.get_json()["error"]
    assert db.session.query(Contact).count() == 0
