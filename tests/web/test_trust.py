"""Contacts you can trust: distance and pace flags from real syncs, and a review queue whose rejections
leave the log alone but take the contact out of coverage."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import Contact, ContactFlag, Door
from fieldops.services import coverage
from tests.factories import create_token
from tests.api.test_api_access import bearer
from tests.api.test_contact_sync import doors_of, knock


def sync(client, *contacts) -> None:
    response = client.post("/api/v1/contacts", json={"contacts": list(contacts)},
                           headers=bearer(create_token("volunteer.a1@test.example")))
    assert [r["status"] for r in response.get_json()["results"]] == ["created"] * len(contacts)


def flags() -> dict[str, list[str]]:
    db.session.expire_all()
    return dict(db.session.execute(select(ContactFlag.contact_id, ContactFlag.flags)).all())


def test_far_from_the_door_is_flagged_but_still_stored(client, world):
    near, far, wild = doors_of(world.turf_a1)[:3]
    places = {d.id: (d.lat, d.lon) for d in db.session.scalars(select(Door).where(Door.id.in_([near, far, wild])))}
    a = knock(near, world.canvass_north.id, lat=places[near][0] + 0.0001, lon=places[near][1])   # 11 m
    b = knock(far, world.canvass_north.id, lat=places[far][0] + 0.0015, lon=places[far][1])      # 167 m
    c = knock(wild, world.canvass_north.id, lat=places[wild][0] + 0.01, lon=places[wild][1])     # 1.1 km
    sync(client, a, b, c)
    assert flags() == {b["id"]: ["far"], c["id"]: ["suspect"]}
    distances = dict(db.session.execute(select(Contact.id, Contact.distance_m)).all())
    assert 10 < distances[a["id"]] < 12 and 160 < distances[b["id"]] < 175


def test_ten_doors_in_two_minutes_are_flagged_and_an_honest_pace_is_not(client, world):
    doors = doors_of(world.turf_a1)
    start = datetime.now(timezone.utc) - timedelta(hours=2)
    honest = [knock(doors[n], world.canvass_north.id, recorded_at=(start + timedelta(minutes=2 * n)).isoformat())
              for n in range(12)]
    sync(client, *honest)
    assert flags() == {}
    rushed_start = start + timedelta(hours=1)
    rushed = [knock(doors[20 + n], world.canvass_north.id,
                    recorded_at=(rushed_start + timedelta(seconds=10 * n)).isoformat()) for n in range(10)]
    sync(client, *rushed)
    assert set(flags()) == {c["id"] for c in rushed} and all(f == ["pace"] for f in flags().values())


def test_rejecting_a_contact_takes_it_out_of_coverage_but_not_out_of_the_log(client, auth, world):
    door = doors_of(world.turf_a1)[0]
    place = db.session.get(Door, door)
    wild = knock(door, world.canvass_north.id, outcome="talked", note="Made up on the sofa",
                 lat=place.lat + 0.01, lon=place.lon)
    sync(client, wild)
    window = coverage.Window(world.canvass_north.id)
    assert coverage.office_coverage(world.office_a, window)["reached"] == 1
    auth.login("organizer.a@test.example")
    queue = client.get(f"/offices/{world.office_a.id}/review").get_data(as_text=True)
    assert "over 300 m from the door" in queue
    assert client.post(f"/contacts/{wild['id']}/review", data={"decision": "rejected"}).status_code == 302
    db.session.expire_all()
    figures = coverage.office_coverage(world.office_a, window)
    assert (figures["attempted"], figures["reached"]) == (0, 0)
    assert figures["volunteers"] == [] or figures["volunteers"][0]["knocks"] == 0
    dated = coverage.office_coverage(world.office_a, coverage.Window(world.canvass_north.id,
                                                                     datetime.now(timezone.utc).date(), None))
    assert dated["attempted"] == 0
    assert db.session.get(Contact, wild["id"]) is not None  # still in the ledger
    story = client.get(f"/doors/{door}").get_data(as_text=True)
    assert "Made up on the sofa" in story and "Rejected in review: not counted" in story
    assert "Nothing to review" in client.get(f"/offices/{world.office_a.id}/review").get_data(as_text=True)
    # Changing one's mind puts it back.
    assert client.post(f"/contacts/{wild['id']}/review", data={"decision": "accepted"}).status_code == 302
    db.session.expire_all()
    assert coverage.office_coverage(world.office_a, window)["reached"] == 1
    assert "Rejected in review" not in client.get(f"/doors/{door}").get_data(as_text=True)
    auth.logout()
    auth.login("organizer.b@test.example")
    assert client.post(f"/contacts/{wild['id']}/review", data={"decision": "rejected"}).status_code == 403


def test_a_conversation_at_nearly_every_door_is_flagged_counting_the_earlier_batches(client, world):
    doors = doors_of(world.turf_a1)
    start = datetime.now(timezone.utc) - timedelta(hours=5)
    talks = [knock(doors[n], world.canvass_north.id, outcome="talked",
                   recorded_at=(start + timedelta(minutes=3 * n)).isoformat()) for n in range(31)]
    sync(client, *talks[:10])
    sync(client, *talks[10:20])
    sync(client, *talks[20:29])
    assert flags() == {}  # 29 knocks: too few to judge
    sync(client, talks[29])
    assert flags() == {talks[29]["id"]: ["rate"]}  # the 30th, all conversations: worth a look
    sync(client, talks[30])
    assert flags()[talks[30]["id"]] == ["rate"]
