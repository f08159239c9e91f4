"""People at the door through POST /api/v1/contacts: added and corrected with a contact, answered in its
result, never twice, a bad entry refusing its contact alone; the walk list, timeline and review show them."""
from __future__ import annotations

import uuid

from sqlalchemy import func, select

from fieldops.extensions import db
from fieldops.models import AuditEvent, Contact, Person, PersonChange
from fieldops.services import canvassing
from tests.api.test_api_access import bearer
from tests.api.test_contact_sync import doors_of, knock
from tests.factories import create_token


def sync(client, token, *contacts):
    response = client.post("/api/v1/contacts", json={"contacts": list(contacts)}, headers=bearer(token))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["results"]


def resident(**fields) -> dict:
    person = {"id": str(uuid.uuid4()), "first_name": "María", "last_name": "García", "phone": "+358 40 123 4567",
              "email": "Maria@Example.org", "birth_year": 1984, "language": "es", "consent_phone": True,
              "consent_email": False}
    person.update(fields)
    return person


def people_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Person.id)))


def test_a_person_added_at_the_door_is_stored_once_however_often_the_batch_comes(client, world):
    token = create_token("volunteer.a1@test.example")
    door = doors_of(world.turf_a1)[0]
    maria = resident()
    contact = knock(door, world.canvass_north.id, outcome="talked", people_added=[maria])
    before = people_count()
    first = sync(client, token, contact)
    assert first[0]["status"] == "created"
    assert first[0]["people_added"][0]["id"] == maria["id"] and first[0]["people_added"][0]["status"] == "created"
    for _ in range(2):
        assert sync(client, token, contact)[0]["status"] == "duplicate"
    # The same person sent again with another contact (a phone that lost its answer) is the same person.
    again = sync(client, token, knock(door, world.canvass_north.id, outcome="not_home", people_added=[maria]))
    assert again[0]["people_added"][0]["status"] == "duplicate"
    assert again[0]["people_added"][0]["person_id"] == first[0]["people_added"][0]["person_id"]
    assert people_count() == before + 1
    person = db.session.get(Person, first[0]["people_added"][0]["person_id"])
    assert (person.full_name, person.language, person.birth_year, person.email) == ("María García", "es", 1984,
                                                                                    "maria@example.org")
    assert person.consent_phone_at is not None and person.consent_email_at is None
    assert person.added_by_id == world.users.volunteer_a1.id and person.door_id == door
    history = db.session.scalars(select(PersonChange)).all()
    assert [(h.kind, h.person_id, h.contact_id) for h in history] == [("added", person.id, contact["id"])]

    # Every phone of the turf gets them with its next walk list (here: a second volunteer on the same turf).
    canvassing.assign(world.turf_a1.id, world.users.volunteer_a2, world.canvass_north, world.users.organizer_a.id)
    db.session.commit()
    other = create_token("volunteer.a2@test.example")
    walk = client.get(f"/api/v1/turfs/{world.turf_a1.id}/walklist", headers=bearer(other)).get_json()
    listed = next(d for d in walk["doors"] if d["id"] == door)
    assert [(p["name"], p["language"], p["added"]) for p in listed["people"]] == [("María García", "es", True)]
    assert listed["languages"] == ["es"]
    assert "phone" not in listed["people"][0] and "email" not in listed["people"][0]  # never on a phone


def test_a_name_corrected_and_a_person_gone_keep_the_original_in_the_history(client, auth, world):
    door = doors_of(world.turf_a1)[0]
    jon = Person(door_id=door, first_name="Jon", last_name="Virtanen", source_id="v-1")
    liisa = Person(door_id=door, first_name="Liisa", last_name="Virtanen", source_id="v-2")
    db.session.add_all([jon, liisa])
    db.session.commit()
    token = create_token("volunteer.a1@test.example")
    results = sync(client, token, knock(door, world.canvass_north.id, outcome="talked", people_changed=[
        {"person_id": jon.id, "first_name": "John"}, {"person_id": liisa.id, "status": "moved"}]))
    assert results[0]["people_changed"] == [{"person_id": jon.id, "status": "changed"},
                                            {"person_id": liisa.id, "status": "changed"}]
    db.session.expire_all()
    assert db.session.get(Person, jon.id).first_name == "John"
    assert db.session.get(Person, liisa.id).status == "moved"
    changes = db.session.scalars(select(PersonChange).order_by(PersonChange.id)).all()
    assert [(c.kind, c.before, c.after) for c in changes] == [
        ("corrected", {"first_name": "Jon"}, {"first_name": "John"}), ("status", {"status": "active"}, {"status": "moved"})]
    walk = client.get(f"/api/v1/turfs/{world.turf_a1.id}/walklist", headers=bearer(token)).get_json()
    assert [p["name"] for p in next(d for d in walk["doors"] if d["id"] == door)["people"]] == ["John Virtanen"]
    # The organizer's timeline says who changed what; the review list has both.
    auth.login("organizer.a@test.example")
    page = client.get(f"/doors/{door}").get_data(as_text=True)
    assert "Name corrected: Jon → John" in page and "Liisa Virtanen: Not living here" in page
    assert "Volunteer A1" in page  # who changed it
    review = client.get(f"/offices/{world.office_a.id}/people").get_data(as_text=True)
    assert "Name corrected: Jon → John" in review


def test_a_bad_person_entry_rejects_its_contact_alone_with_the_reason(client, world):
    token = create_token("volunteer.a1@test.example")
    doors = doors_of(world.turf_a1)
    north = world.canvass_north.id
    elsewhere = Person(door_id=doors[5], first_name="Other", last_name="Door")
    db.session.add(elsewhere)
    db.session.commit()
    before = people_count()
    good = knock(doors[0], north, people_added=[resident()])
    bad_email = knock(doors[1], north, people_added=[resident(email="not-an-address")])
    no_name = knock(doors[2], north, people_added=[resident(first_name="", last_name=None)])
    consent_without_phone = knock(doors[3], north, people_added=[resident(phone=None)])
    other_door = knock(doors[4], north, people_changed=[{"person_id": elsewhere.id, "first_name": "X"}])
    bad_status = knock(doors[4], north, people_changed=[{"person_id": elsewhere.id, "status": "abducted"}])
    results = sync(client, token, good, bad_email, no_name, consent_without_phone, other_door, bad_status)
    assert [r["status"] for r in results] == ["created"] + ["rejected"] * 5
    assert "people_added 1: email 'not-an-address' is not an e-mail address" in results[1]["error"]
    assert "give a first or a last name" in results[2]["error"]
    assert "consent_phone needs the phone" in results[3]["error"]
    assert f"person {elsewhere.id} does not live at door {doors[4]}" in results[4]["error"]
    assert "status must be one of" in results[5]["error"]
    assert people_count() == before + 1
    assert db.session.scalar(select(func.count(Contact.id))) == 1
    assert db.session.get(Person, elsewhere.id).first_name == "Other"


def test_an_organizer_merges_a_new_person_into_the_imported_one(client, auth, world):
    door = doors_of(world.turf_a1)[0]
    imported = Person(door_id=door, first_name="Maria", last_name="Garcia", source_id="voter-7")
    db.session.add(imported)
    db.session.commit()
    token = create_token("volunteer.a1@test.example")
    added = sync(client, token, knock(door, world.canvass_north.id, people_added=[resident()]))[0]["people_added"][0]
    auth.login("organizer.a@test.example")
    review = client.get(f"/offices/{world.office_a.id}/people").get_data(as_text=True)
    assert "Resident added: María García (Spanish, born 1984)" in review and "+358 40 123 4567" in review
    response = client.post(f"/people/{added['person_id']}/merge", data={"into": str(imported.id)})
    assert response.status_code == 302
    db.session.expire_all()
    target, new = db.session.get(Person, imported.id), db.session.get(Person, added["person_id"])
    assert (target.phone, target.language, target.birth_year) == ("+358 40 123 4567", "es", 1984)
    assert target.first_name == "Maria"  # the imported spelling stays: only empty fields are filled
    assert (new.status, new.merged_into_id) == ("merged", imported.id)
    assert db.session.scalar(select(PersonChange.kind).order_by(PersonChange.id.desc()).limit(1)) == "merged"
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "person.merge")) == "person.merge"
    walk = client.get(f"/api/v1/turfs/{world.turf_a1.id}/walklist").get_json()
    assert [p["name"] for p in next(d for d in walk["doors"] if d["id"] == door)["people"]] == ["Maria Garcia"]
    assert client.post(f"/people/{added['person_id']}/merge", data={"into": str(imported.id)}).status_code == 409


def test_volunteers_never_see_phone_or_email_on_the_timeline(client, auth, world):
    token = create_token("volunteer.a1@test.example")
    door = doors_of(world.turf_a1)[0]
    sync(client, token, knock(door, world.canvass_north.id, people_added=[resident()]))
    auth.login("volunteer.a1@test.example")
    page = client.get(f"/doors/{door}").get_data(as_text=True)
    assert "María García" in page and "+358 40 123 4567" not in page and "maria@example.org" not in page
    auth.logout()
    auth.login("organizer.a@test.example")
    assert "+358 40 123 4567" in client.get(f"/doors/{door}").get_data(as_text=True)


def test_the_export_of_new_people_carries_their_details_and_is_audited(client, auth, world):
    token = create_token("volunteer.a1@test.example")
    sync(client, token, knock(doors_of(world.turf_a1)[0], world.canvass_north.id, people_added=[resident()]))
    auth.login("organizer.a@test.example")
    response = client.get(f"/offices/{world.office_a.id}/people.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("at,door_id,address") and "+358 40 123 4567" in text and "maria@example.org" in text
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export.people")).one()
    assert event.actor_id == world.users.organizer_a.id and event.details["rows"] == 1


def test_a_contact_names_a_person_added_at_the_door_by_their_uuid(client, world):
    world.canvass_north.questions = [{"key": "support", "label": "Support", "kind": "scale", "min": 1, "max": 5}]
    world.canvass_north.per_person = True
    db.session.commit()
    token = create_token("volunteer.a1@test.example")
    doors = doors_of(world.turf_a1)
    north = world.canvass_north.id
    ana, bea = resident(first_name="Ana"), resident(first_name="Bea")
    # One visit, two contacts: the one naming Ana comes first (an outbox keeps no order within a visit).
    answers = knock(doors[0], north, outcome="talked", person_id=ana["id"], answers={"support": 5})
    adding = knock(doors[0], north, outcome="talked", people_added=[ana], answers={})
    elsewhere = knock(doors[1], north, outcome="talked", person_id=ana["id"])
    orphan = knock(doors[2], north, outcome="talked", person_id=bea["id"])
    refused = knock(doors[2], north, outcome="talked", people_added=[bea], answers={"support": 9})
    results = sync(client, token, answers, adding, elsewhere, orphan, refused)
    assert [r["status"] for r in results] == ["created", "created", "rejected", "rejected", "rejected"]
    assert f"person {ana['id']} was not added at door {doors[1]}" in results[2]["error"]
    assert "the contact that added them was refused" in results[3]["error"]
    db.session.expire_all()
    person_id = results[1]["people_added"][0]["person_id"]
    assert db.session.get(Contact, answers["id"]).person_id == person_id
    # Later, another visit names her by the same UUID: she is stored by then.
    later = sync(client, token, knock(doors[0], north, outcome="talked", person_id=ana["id"], answers={"support": 4}))
    assert later[0]["status"] == "created" and db.session.get(Contact, later[0]["id"]).person_id == person_id
