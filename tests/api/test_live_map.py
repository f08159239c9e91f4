"""The live map's data: today's knocks and conversations by block on the office's own clock, each turf's
last knock today, an office's and a region's, scoped like every other figure."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from fieldops.domain.time_zones import day_starts, today
from fieldops.extensions import db
from fieldops.models import Door, Office
from fieldops.services import live
from tests.api.test_api_access import bearer
from tests.api.test_contact_sync import doors_of, knock
from tests.factories import create_token


def test_todays_knocks_and_conversations_by_block_and_the_last_knock_per_turf(client, world):
    token = create_token("volunteer.a1@test.example")
    office = db.session.get(Office, world.office_a.id)
    now = datetime.now(timezone.utc)
    midnight = day_starts(today(now, office.time_zone), office.time_zone)
    doors = doors_of(world.turf_a1)
    block_of = dict(db.session.execute(select(Door.id, Door.block_id).where(Door.id.in_(doors))).all())
    first_block = [d for d in doors if block_of[d] == block_of[doors[0]]]
    batch = [knock(first_block[0], world.canvass_north.id, outcome="talked", answers={}),
             knock(first_block[1], world.canvass_north.id),
             knock(first_block[2], world.canvass_north.id,
                   recorded_at=(midnight - timedelta(minutes=5)).isoformat())]  # yesterday, on Alpha's clock
    assert client.post("/api/v1/contacts", json={"contacts": batch}, headers=bearer(token)).status_code == 200
    answer = client.get(f"/api/v1/offices/{world.office_a.id}/live", headers=bearer(create_token(
        "organizer.a@test.example")))
    assert answer.status_code == 200
    data = answer.get_json()
    assert data["scope"] == "office" and data["refresh_seconds"] == 30
    assert (data["knocks"], data["conversations"]) == (2, 1)
    assert [(b["id"], b["knocks"], b["conversations"]) for b in data["blocks"]] == [(block_of[doors[0]], 2, 1)]
    assert [(t["name"], t["knocks"]) for t in data["turfs"]] == [("Alpha 1", 2)]
    assert data["offices"][0]["day"] == today(now, office.time_zone).isoformat()
    # The region's map holds each of its offices; Bravo knocked nothing today.
    region = client.get(f"/api/v1/regions/{world.north.id}/live",
                        headers=bearer(create_token("lead.north@test.example"))).get_json()
    assert [o["name"] for o in region["offices"]] == ["Alpha", "Bravo"]
    assert region["knocks"] == 2 and region["blocks"] == data["blocks"]
    assert live.office_live(world.office_b)["blocks"] == []


def test_the_live_map_is_refused_outside_ones_scope(client, world):
    assert client.get(f"/api/v1/offices/{world.office_a.id}/live",
                      headers=bearer(create_token("organizer.b@test.example"))).status_code == 403
    assert client.get(f"/api/v1/regions/{world.north.id}/live",
                      headers=bearer(create_token("lead.south@test.example"))).status_code == 403
    assert client.get(f"/api/v1/offices/{world.office_a.id}/live",
                      headers=bearer(create_token("volunteer.a1@test.example"))).status_code == 403
