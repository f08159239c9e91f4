"""Do not contact: Hostile and requests take doors and people off every later walk list; Moved and
Deceased take people off; an organizer can put a door back, and the audit log says why."""
from __future__ import annotations

from sqlalchemy import select

from fieldops.domain.consequences import Consequence, consequences
from fieldops.extensions import db
from fieldops.models import AuditEvent, Person
from fieldops.services import canvassing
from tests.factories import create_token
from tests.api.test_api_access import bearer
from tests.api.test_contact_sync import doors_of, knock


def test_what_each_outcome_means():
    assert consequences("hostile", False, False) == [Consequence("door", "hostile")]
    assert consequences("talked", True, True) == [Consequence("person", "do_not_contact")]
    assert consequences("talked", False, True) == [Consequence("door", "request")]
    assert consequences("moved", True, False) == [Consequence("person", "moved")]
    assert consequences("deceased", True, False) == [Consequence("person", "deceased")]
    assert consequences("moved", False, False) == []  # nobody named: nobody marked gone
    assert consequences("not_home", False, False) == consequences("refused", True, False) == []


def walk_door_ids(client, token, turf) -> list[int]:
    return [door["id"] for door in client.get(f"/api/v1/turfs/{turf.id}/walklist", headers=bearer(token))
            .get_json()["doors"]]


def sync(client, token, *contacts) -> None:
    response = client.post("/api/v1/contacts", json={"contacts": list(contacts)}, headers=bearer(token))
    assert [r["status"] for r in response.get_json()["results"]] == ["created"] * len(contacts)


def test_a_hostile_door_never_appears_in_a_later_canvass_until_an_organizer_says_why(client, auth, world):
    token = create_token("volunteer.a1@test.example")
    hostile, asked = doors_of(world.turf_a1)[:2]
    sync(client, token, knock(hostile, world.canvass_north.id, outcome="hostile"),
         knock(asked, world.canvass_north.id, outcome="talked", do_not_contact=True))
    assert hostile not in walk_door_ids(client, token, world.turf_a1)
    assert asked not in walk_door_ids(client, token, world.turf_a1)
    # A later canvass: the turf is taken back and handed out again; the doors stay off.
    for assignment, _ in canvassing.open_assignments(world.turf_a1.id):
        canvassing.take_back(assignment, world.users.organizer_a.id)
    autumn = canvassing.build_canvass("North autumn", world.north.id, None)
    db.session.flush()
    canvassing.assign(world.turf_a1.id, world.users.volunteer_a1, autumn, world.users.organizer_a.id)
    db.session.commit()
    later = walk_door_ids(client, token, world.turf_a1)
    assert hostile not in later and asked not in later and len(later) == 38

    auth.login("volunteer.a1@test.example")
    assert client.post(f"/doors/{hostile}/knock-again", data={"reason": "I think it's fine"}).status_code == 403
    auth.logout()
    auth.login("organizer.a@test.example")
    page = client.get(f"/doors/{hostile}").get_data(as_text=True)
    assert "Not on walk lists: Hostile at the door" in page
    assert client.post(f"/doors/{hostile}/knock-again", data={"reason": ""}).status_code == 400
    back = client.post(f"/doors/{hostile}/knock-again", data={"reason": "New tenants since the spring"})
    assert back.status_code == 302
    auth.logout()
    assert hostile in walk_door_ids(client, token, world.turf_a1)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "door.knock_again"))
    assert event.details["reason"] == "New tenants since the spring" and event.details["was"] == "hostile"


def test_people_who_moved_died_or_asked_are_not_asked_for_again(client, auth, world):
    token = create_token("volunteer.a1@test.example")
    door = doors_of(world.turf_a1)[0]
    people = [Person(door_id=door, first_name=name, last_name="Virtanen") for name in ("Aino", "Eino", "Kalle", "Liisa")]
    db.session.add_all(people)
    db.session.commit()
    aino, eino, kalle, liisa = (p.id for p in people)
    sync(client, token, knock(door, world.canvass_north.id, outcome="moved", person_id=aino),
         knock(door, world.canvass_north.id, outcome="deceased", person_id=eino),
         knock(door, world.canvass_north.id, outcome="talked", person_id=kalle, do_not_contact=True))
    walk = client.get(f"/api/v1/turfs/{world.turf_a1.id}/walklist", headers=bearer(token)).get_json()
    listed = next(d for d in walk["doors"] if d["id"] == door)
    assert [p["name"] for p in listed["people"]] == ["Liisa Virtanen"]  # the door stays: Liisa still lives there
    statuses = dict(db.session.execute(select(Person.id, Person.status).where(Person.door_id == door)).all())
    assert statuses == {aino: "moved", eino: "deceased", kalle: "do_not_contact", liisa: "active"}
    auth.login("organizer.a@test.example")
    page = client.get(f"/doors/{door}").get_data(as_text=True)
    assert "Moved away" in page and "Deceased" in page and "Asked not to be contacted" in page


def test_the_walk_list_says_when_a_not_home_door_comes_back(client, world):
    from datetime import datetime, timedelta, timezone
    token = create_token("volunteer.a1@test.example")
    world.canvass_north.reknock_hours, world.canvass_north.max_attempts = 4, 2
    db.session.commit()
    recent, earlier, finished, twice = doors_of(world.turf_a1)[:4]
    at = lambda hours: (datetime.now(timezone.utc) - timedelta(hours=hours)).isoformat()  # noqa: E731
    sync(client, token, knock(recent, world.canvass_north.id, recorded_at=at(1)),
         knock(earlier, world.canvass_north.id, recorded_at=at(5)),
         knock(finished, world.canvass_north.id, outcome="refused", recorded_at=at(1)),
         knock(twice, world.canvass_north.id, recorded_at=at(9)), knock(twice, world.canvass_north.id, recorded_at=at(6)))
    walk = client.get(f"/api/v1/turfs/{world.turf_a1.id}/walklist", headers=bearer(token)).get_json()
    state = {door["id"]: door["knock"] for door in walk["doors"]}
    assert walk["canvass"]["reknock_hours"] == 4 and walk["canvass"]["max_attempts"] == 2
    assert state[recent]["state"] == "later" and state[recent]["back_after"]
    brief = lambda knock: {key: knock[key] for key in ("state", "attempts", "back_after", "max_attempts")}  # noqa: E731
    assert brief(state[earlier]) == {"state": "todo", "attempts": 1, "back_after": None, "max_attempts": 2}
    assert state[finished]["state"] == "done"
    assert brief(state[twice]) == {"state": "done", "attempts": 2, "back_after": None, "max_attempts": 2}
