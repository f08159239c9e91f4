"""POST /api/v1/contacts: each contact whole or rejected with its reason, never twice, only on my turfs."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select

from fieldops.extensions import db
from fieldops.models import Block, Contact, Door, FollowUp, Person
from tests.factories import create_token
from tests.api.test_api_access import bearer


def doors_of(turf) -> list[int]:
    return list(db.session.scalars(select(Door.id).join(Block, Block.id == Door.block_id)
                                   .where(Block.turf_id == turf.id).order_by(Door.id)))


def knock(door_id: int, canvass_id: int, **fields) -> dict:
    contact = {"id": str(uuid.uuid4()), "door_id": door_id, "canvass_id": canvass_id, "outcome": "not_home",
               "recorded_at": (datetime.now(timezone.utc) - timedelta(minutes=3)).isoformat()}
    contact.update(fields)
    return contact


def stored() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Contact.id)))


def test_the_same_batch_three_times_creates_each_contact_once(client, world):
    token = create_token("volunteer.a1@test.example")
    doors = doors_of(world.turf_a1)
    batch = {"contacts": [knock(doors[0], world.canvass_north.id, outcome="talked", note="Worried about the bus",
                                answers={}),
                          knock(doors[1], world.canvass_north.id)]}
    answers = [client.post("/api/v1/contacts", json=batch, headers=bearer(token)).get_json()["results"]
               for _ in range(3)]
    assert [r["status"] for r in answers[0]] == ["created", "created"]
    assert [r["status"] for r in answers[1]] == ["duplicate", "duplicate"] == [r["status"] for r in answers[2]]
    assert [r["id"] for r in answers[2]] == [c["id"] for c in batch["contacts"]]
    assert stored() == 2
    first = db.session.get(Contact, batch["contacts"][0]["id"])
    assert first.note == "Worried about the bus" and first.volunteer_id == world.users.volunteer_a1.id
    assert first.turf_id == world.turf_a1.id and first.office_id == world.office_a.id


def test_one_bad_contact_is_named_and_the_good_ones_are_written(client, world):
    token = create_token("volunteer.a1@test.example")
    doors = doors_of(world.turf_a1)
    good = [knock(doors[0], world.canvass_north.id), knock(doors[2], world.canvass_north.id, outcome="refused")]
    bad = knock(doors[1], world.canvass_north.id, outcome="asleep")
    results = client.post("/api/v1/contacts", json={"contacts": [good[0], bad, good[1]]},
                          headers=bearer(token)).get_json()["results"]
    assert [r["status"] for r in results] == ["created", "rejected", "created"]
    assert results[1]["id"] == bad["id"] and "unknown outcome 'asleep'" in results[1]["error"]
    assert stored() == 2
    assert db.session.get(Contact, bad["id"]) is None


def test_a_volunteer_cannot_sync_to_another_volunteers_turf(client, world):
    token = create_token("volunteer.a1@test.example")
    theirs = doors_of(world.turf_a2)[0]  # Alpha 2 is in volunteer A2's hands
    results = client.post("/api/v1/contacts", json={"contacts": [knock(theirs, world.canvass_north.id)]},
                          headers=bearer(token)).get_json()["results"]
    assert results[0]["status"] == "rejected"
    assert results[0]["error"] == f"door {theirs} is not in a turf handed to you for canvass {world.canvass_north.id}"
    wrong_canvass = client.post("/api/v1/contacts", json={"contacts": [
        knock(doors_of(world.turf_a1)[0], world.canvass_south.id)]}, headers=bearer(token)).get_json()["results"]
    assert wrong_canvass[0]["status"] == "rejected"
    assert stored() == 0


def test_answers_people_and_promises(client, world):
    world.canvass_north.questions = [{"key": "support", "label": "Support", "kind": "scale", "min": 1, "max": 5}]
    door_id = doors_of(world.turf_a1)[0]
    person = Person(door_id=door_id, first_name="Aino", last_name="Laine")
    db.session.add(person)
    db.session.commit()
    token = create_token("volunteer.a1@test.example")
    talked = knock(door_id, world.canvass_north.id, outcome="talked", person_id=person.id, answers={"support": 5},
                   follow_ups=["yard_sign", "call_back"], recorded_at="2026-11-20T10:00:00Z")
    wrong_person = knock(doors_of(world.turf_a1)[1], world.canvass_north.id, outcome="talked", person_id=person.id)
    bad_answer = knock(door_id, world.canvass_north.id, outcome="talked", answers={"support": 9})
    results = client.post("/api/v1/contacts", json={"contacts": [talked, wrong_person, bad_answer]},
                          headers=bearer(token)).get_json()["results"]
    assert [r["status"] for r in results] == ["created", "rejected", "rejected"]
    assert "does not live at door" in results[1]["error"] and "from 1 to 5" in results[2]["error"]
    db.session.expire_all()
    saved = db.session.get(Contact, talked["id"])
    assert saved.answers == {"support": 5} and saved.person_id == person.id
    promises = {f.kind: f for f in db.session.scalars(select(FollowUp))}
    assert set(promises) == {"yard_sign", "call_back"}
    assert promises["yard_sign"].due_date == date(2026, 11, 27) and promises["call_back"].due_date == date(2026, 11, 22)
    assert promises["call_back"].owner_id == world.users.organizer_a.id
    walk = client.get(f"/api/v1/turfs/{world.turf_a1.id}/walklist", headers=bearer(token)).get_json()
    story = next(d for d in walk["doors"] if d["id"] == door_id)
    assert story["history"][0]["person"] == "Aino Laine" and story["history"][0]["answers"] == {"support": 5}
    assert [p["kind"] for p in story["promises"]] == ["call_back", "yard_sign"]
    assert walk["canvass"]["id"] == world.canvass_north.id and walk["canvass"]["questions"][0]["key"] == "support"


def test_bad_batches_get_a_clear_4xx(client, world):
    token = create_token("volunteer.a1@test.example")
    response = client.post("/api/v1/contacts", data="{not json", headers={**bearer(token),
                                                                          "Content-Type": "application/json"})
    assert response.status_code == 400 and "contacts" in response.get_json()["error"]
    assert client.post("/api/v1/contacts", json={"contacts": "all"}, headers=bearer(token)).status_code == 400
    door = doors_of(world.turf_a1)[0]
    huge = {"contacts": [knock(door, world.canvass_north.id) for _ in range(501)]}
    response = client.post("/api/v1/contacts", json=huge, headers=bearer(token))
    assert response.status_code == 413 and "at most 500 contacts" in response.get_json()["error"]
    assert stored() == 0
    assert client.post("/api/v1/contacts", json={"contacts": []}).status_code == 401


def test_a_taken_back_turf_no_longer_accepts_contacts(client, world):
    from fieldops.models import Assignment
    from fieldops.services import canvassing
    assignment = db.session.scalar(select(Assignment).where(Assignment.turf_id == world.turf_a1.id))
    canvassing.take_back(assignment, world.users.organizer_a.id)
    db.session.commit()
    token = create_token("volunteer.a1@test.example")
    results = client.post("/api/v1/contacts", json={"contacts": [knock(doors_of(world.turf_a1)[0],
                                                                         world.canvass_north.id)]},
                          headers=bearer(token)).get_json()["results"]
    assert results[0]["status"] == "rejected"


def test_synced_contacts_reach_the_dashboards_once_however_often_the_phone_repeats(client, world):
    from fieldops.services import coverage
    token = create_token("volunteer.a1@test.example")
    doors = doors_of(world.turf_a1)
    north = world.canvass_north.id
    first = {"contacts": [knock(doors[0], north), knock(doors[1], north, outcome="talked")]}
    later = {"contacts": [knock(doors[0], north, outcome="talked")]}
    for batch in (first, first, later, later):
        assert client.post("/api/v1/contacts", json=batch, headers=bearer(token)).status_code == 200
    db.session.expire_all()
    figures = coverage.office_coverage(world.office_a, coverage.Window(north))
    assert (figures["attempted"], figures["reached"]) == (2, 2)  # the Not home door was reached on the second knock
    assert figures["volunteers"][0]["knocks"] == 3 and figures["volunteers"][0]["conversations"] == 2
    assert sum(day["knocks"] for day in figures["days"]) == 3
    region = coverage.region_coverage(world.north, coverage.Window(north))["offices"][0]
    assert (region["name"], region["attempted"], region["reached"]) == ("Alpha", 2, 2)
