"""The API: bearer tokens, 401 for strangers, and the same scoping as the pages."""
from __future__ import annotations

from tests.factories import create_token


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_anonymous_api_calls_get_401_json(client, world):
    response = client.get("/api/v1/me/turfs")
    assert response.status_code == 401
    assert "error" in response.get_json()
    assert client.get(f"/api/v1/turfs/{world.turf_a1.id}/walklist").status_code == 401


def test_unknown_token_is_401(client, world):
    assert client.get("/api/v1/me/turfs", headers=bearer("fo_nope")).status_code == 401


def test_volunteer_token_lists_own_turfs(client, world):
    token = create_token("volunteer.a1@test.example")
    body = client.get("/api/v1/me/turfs", headers=bearer(token)).get_json()
    assert [t["name"] for t in body["turfs"]] == ["Alpha 1"]
    turf = body["turfs"][0]
    assert set(turf) >= {"id", "name", "canvass_id", "doors", "attempted", "state"}
    assert turf["doors"] == 40 and turf["attempted"] == 0 and turf["state"] == "checked_out"


def test_volunteer_walklist_is_scoped(client, world):
    token = create_token("volunteer.a1@test.example")
    own = client.get(f"/api/v1/turfs/{world.turf_a1.id}/walklist", headers=bearer(token))
    assert own.status_code == 200
    body = own.get_json()
    assert {"id": world.turf_a1.id, "name": "Alpha 1"}.items() <= body["turf"].items()
    assert body["turf"]["route_metres"] > 0
    assert len(body["doors"]) == 40
    assert set(body["doors"][0]) >= {"id", "address", "lat", "lon", "people", "history"}
    other = client.get(f"/api/v1/turfs/{world.turf_a2.id}/walklist", headers=bearer(token))
    assert other.status_code in (403, 404)
    assert "doors" not in other.get_json()


def test_walklist_walks_each_street_in_house_number_order(client, world):
    token = create_token("organizer.a@test.example")
    doors = client.get(f"/api/v1/turfs/{world.turf_a1.id}/walklist", headers=bearer(token)).get_json()["doors"]
    streets = [door["address"].rsplit(" ", 1)[0] for door in doors]
    assert sum(a != b for a, b in zip(streets, streets[1:])) == len(set(streets)) - 1  # each street in one go
    by_street: dict[str, list[int]] = {}
    for door in doors:
        street, number = door["address"].rsplit(" ", 1)
        by_street.setdefault(street, []).append(int(number))
    for numbers in by_street.values():
        assert numbers in (sorted(numbers), sorted(numbers, reverse=True))
    # Two parallel streets: the walk turns at the end of one and comes back along the other.
    first_street_end, second_street_start = doors[len(by_street[streets[0]]) - 1], doors[len(by_street[streets[0]])]
    assert abs(first_street_end["lon"] - second_street_start["lon"]) < 0.0002


def test_organizer_of_other_office_gets_403(client, world):
    token = create_token("organizer.b@test.example")
    response = client.get(f"/api/v1/turfs/{world.turf_a1.id}/walklist", headers=bearer(token))
    assert response.status_code == 403


def test_revoked_token_stops_working(client, world):
    from fieldops.extensions import db
    from fieldops.models import ApiToken
    from fieldops.models._base import utcnow
    token = create_token("volunteer.a1@test.example")
    assert client.get("/api/v1/me/turfs", headers=bearer(token)).status_code == 200
    for row in db.session.scalars(db.select(ApiToken)):
        row.revoked_at = utcnow()
    db.session.commit()
    assert client.get("/api/v1/me/turfs", headers=bearer(token)).status_code == 401


def test_openapi_lists_every_api_route(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    documented = set(spec["paths"])
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
            assert path in documented, f"{rule.rule} is missing from openapi.json"


def test_token_use_is_recorded_without_a_write_per_call(client, world):
    from fieldops.extensions import db
    from fieldops.models import ApiToken
    token = create_token("volunteer.a1@test.example")
    client.get("/api/v1/me/turfs", headers=bearer(token))
    first = db.session.scalar(db.select(ApiToken.last_used_at))
    assert first is not None
    db.session.expire_all()
    client.get("/api/v1/me/turfs", headers=bearer(token))
    assert db.session.scalar(db.select(ApiToken.last_used_at)) == first
