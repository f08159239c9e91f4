"""Defect 9: each office counts its own days and shows its own times; the database keeps UTC.

Two offices of one region, one in Los Angeles and one in Helsinki, each with a volunteer who knocks
at 06:30 UTC: in Los Angeles that is the evening before (22:30 or 23:30), in Helsinki the same
morning. The offices' zones come from their locations, as any office's do.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import ContactFlag, Door, FollowUp, VolunteerDay
from fieldops.services import canvassing, territory
from tests import factories
from tests.api.test_api_access import bearer
from tests.api.test_contact_sync import doors_of, knock

LOS_ANGELES = (-118.2437, 34.0522)  # lon, lat
HELSINKI = (24.9384, 60.1699)


@pytest.fixture
def two_clocks(app):
    region = territory.get_or_create_region("Two clocks")
    la = factories.make_office("Los Angeles", region, LOS_ANGELES)
    hel = factories.make_office("Helsinki", region, HELSINKI)
    turf_la = factories.make_turf(la, [f"los angeles-0-{c}" for c in range(4)], "LA 1")
    turf_hel = factories.make_turf(hel, [f"helsinki-0-{c}" for c in range(4)], "Helsinki 1")
    canvass = canvassing.build_canvass("Both", region.id, None)
    walker_la = factories.make_user("walker.la@test.example", "volunteer", office=la)
    walker_hel = factories.make_user("walker.hel@test.example", "volunteer", office=hel)
    factories.make_user("organizer.la@test.example", "organizer", office=la)
    factories.make_user("organizer.hel@test.example", "organizer", office=hel)
    factories.make_user("lead.clocks@test.example", "lead", region=region)
    canvassing.assign(turf_la.id, walker_la, canvass, None)
    canvassing.assign(turf_hel.id, walker_hel, canvass, None)
    db.session.commit()
    # Yesterday at 06:30 UTC: in the past, within a day of now, and a day apart on the two clocks.
    day = datetime.now(timezone.utc).date() - timedelta(days=1)
    return SimpleNamespace(region=region, la=la, hel=hel, turf_la=turf_la, turf_hel=turf_hel, canvass=canvass,
                           knock_at=datetime.combine(day, time(6, 30), tzinfo=timezone.utc), day=day)


def knock_in_each(client, world, **fields):
    made = {}
    for email, turf in (("walker.la@test.example", world.turf_la), ("walker.hel@test.example", world.turf_hel)):
        contact = knock(doors_of(turf)[0], world.canvass.id, outcome="talked", answers={},
                        recorded_at=world.knock_at.isoformat(), **fields)
        response = client.post("/api/v1/contacts", json={"contacts": [contact]},
                               headers=bearer(factories.create_token(email)))
        assert response.get_json()["results"][0]["status"] == "created", response.get_json()
        made[turf.office_id] = contact
    return made


def days_of(client, office, **window) -> list[str]:
    auth_token = factories.create_token("lead.clocks@test.example")
    figures = client.get(f"/api/v1/offices/{office.id}/coverage", query_string=window,
                         headers=bearer(auth_token)).get_json()
    return [(d["date"], d["knocks"]) for d in figures["days"]]


def test_a_knock_at_half_past_six_utc_counts_on_the_previous_day_in_los_angeles(client, two_clocks):
    world = two_clocks
    knock_in_each(client, world)
    yesterday, today = str(world.day - timedelta(days=1)), str(world.day)
    assert days_of(client, world.la) == [(yesterday, 1)]
    assert days_of(client, world.hel) == [(today, 1)]
    # The database keeps the moment itself, in UTC.
    stored = {row.office_id: row.day for row in db.session.scalars(select(VolunteerDay))}
    assert {k: str(v) for k, v in stored.items()} == {world.la.id: yesterday, world.hel.id: today}


def test_flask_rebuild_summaries_counts_the_same_local_days(client, runner, two_clocks):
    world = two_clocks
    knock_in_each(client, world)
    before = days_of(client, world.la), days_of(client, world.hel)
    result = runner.invoke(args=["rebuild-summaries"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert (days_of(client, world.la), days_of(client, world.hel)) == before
    assert before[0][0][0] == str(world.day - timedelta(days=1))


def test_date_windows_are_days_on_each_office_clock(client, two_clocks):
    world = two_clocks
    knock_in_each(client, world)
    token = factories.create_token("lead.clocks@test.example")

    def attempted(day) -> dict[str, int]:
        figures = client.get(f"/api/v1/regions/{world.region.id}/coverage",
                             query_string={"start": str(day), "end": str(day)}, headers=bearer(token)).get_json()
        return {o["name"]: o["attempted"] for o in figures["offices"]}

    # The region comparison measures each office by its own days.
    assert attempted(world.day) == {"Helsinki": 1, "Los Angeles": 0}
    assert attempted(world.day - timedelta(days=1)) == {"Helsinki": 0, "Los Angeles": 1}
    one_office = client.get(f"/api/v1/offices/{world.la.id}/coverage", headers=bearer(token),
                            query_string={"start": str(world.day - timedelta(days=1)),
                                          "end": str(world.day - timedelta(days=1))}).get_json()
    assert one_office["attempted"] == 1 and one_office["volunteers"][0]["knocks"] == 1


def test_the_region_trend_counts_each_office_first_knock_on_its_own_day(client, auth, two_clocks):
    world = two_clocks
    knock_in_each(client, world)
    from fieldops.services import coverage
    trend = coverage.region_trend(world.region, coverage.Window())
    assert [day for day, _ in trend["Los Angeles"]] == [str(world.day - timedelta(days=1))]
    assert [day for day, _ in trend["Helsinki"]] == [str(world.day)]


def test_a_promise_is_due_counting_from_the_office_day(client, two_clocks):
    world = two_clocks
    knock_in_each(client, world, follow_ups=["call_back"])  # kept within 2 days
    due = dict(db.session.execute(select(FollowUp.office_id, FollowUp.due_date)).all())
    assert due[world.la.id] == world.day - timedelta(days=1) + timedelta(days=2)
    assert due[world.hel.id] == world.day + timedelta(days=2)


def test_rejecting_a_knock_recounts_the_volunteer_day_it_was_counted_on(client, auth, two_clocks):
    world = two_clocks
    door = db.session.get(Door, doors_of(world.turf_la)[0])
    made = knock_in_each(client, world, lat=door.lat + 0.01, lon=door.lon)  # 1.1 km away: flagged
    contact_id = made[world.la.id]["id"]
    assert db.session.get(ContactFlag, contact_id) is not None
    auth.login("organizer.la@test.example")
    assert client.post(f"/contacts/{contact_id}/review", data={"decision": "rejected"}).status_code == 302
    auth.logout()
    db.session.expire_all()
    assert days_of(client, world.la) == []  # the evening's one knock no longer counts
    assert days_of(client, world.hel) == [(str(world.day), 1)]


def test_organizer_pages_show_times_on_the_office_clock(client, auth, two_clocks):
    world = two_clocks
    made = knock_in_each(client, world)
    door_la = made[world.la.id]["door_id"]
    auth.login("organizer.la@test.example")
    page = client.get(f"/doors/{door_la}").get_data(as_text=True)
    evening = str(world.day - timedelta(days=1))
    assert "Los Angeles time" in page and (f"{evening} 22:30" in page or f"{evening} 23:30" in page)
    assert f"{world.day} 06:30" not in page  # (only the machine-readable datetime attribute keeps UTC)
    auth.logout()
    auth.login("organizer.hel@test.example")
    page = client.get(f"/doors/{made[world.hel.id]['door_id']}").get_data(as_text=True)
    assert "Helsinki time" in page and (f"{world.day} 08:30" in page or f"{world.day} 09:30" in page)


def test_an_evening_knock_on_the_last_day_is_still_the_last_day(client, two_clocks):
    world = two_clocks
    world.canvass.end_date = world.day - timedelta(days=1)  # in Los Angeles the knock was on the last evening
    db.session.commit()
    contact = knock(doors_of(world.turf_la)[0], world.canvass.id, recorded_at=world.knock_at.isoformat())
    la = client.post("/api/v1/contacts", json={"contacts": [contact]},
                     headers=bearer(factories.create_token("walker.la@test.example"))).get_json()["results"][0]
    assert la["status"] == "created", la
    late = knock(doors_of(world.turf_hel)[0], world.canvass.id, recorded_at=world.knock_at.isoformat())
    hel = client.post("/api/v1/contacts", json={"contacts": [late]},
                      headers=bearer(factories.create_token("walker.hel@test.example"))).get_json()["results"][0]
    assert hel["status"] == "rejected" and "ended on" in hel["error"]  # in Helsinki it was the day after
