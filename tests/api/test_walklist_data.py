"""The walk list carries what the phone needs as data (issue 15, defects 3, 4 and 6): each door's knock
state and label, the canvass's re-knock rule, the one outcome table, and the walk's progress, which My
turfs shows with the same figures."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from fieldops.domain import outcomes
from fieldops.extensions import db
from fieldops.models import Contact, Door, Person
from tests.api.test_api_access import bearer
from tests.api.test_contact_sync import doors_of, knock, stored
from tests.factories import PASSWORD, create_token


def at(hours_ago: float) -> str:
    return (datetime.now(timezone.utc) - timedelta(hours=hours_ago)).isoformat()


def walk_list(client, token, turf) -> dict:
    return client.get(f"/api/v1/turfs/{turf.id}/walklist", headers=bearer(token)).get_json()


def sync(client, token, *contacts, **batch):
    return client.post("/api/v1/contacts", json={"contacts": list(contacts), **batch}, headers=bearer(token))


def test_the_walk_list_sends_the_outcome_table_and_the_canvass_rule(client, world):
    world.canvass_north.reknock_hours, world.canvass_north.max_attempts = 7, 2
    db.session.commit()
    walk = walk_list(client, create_token("volunteer.a1@test.example"), world.turf_a1)
    assert [fact["code"] for fact in walk["outcomes"]] == list(outcomes.OUTCOME_CODES)
    by_code = {fact["code"]: fact for fact in walk["outcomes"]}
    for outcome in outcomes.OUTCOMES:
        fact = by_code[outcome.code]
        assert (fact["label"], fact["retry"], fact["finishes_door"], fact["do_not_contact"], fact["opens_survey"]) == (
            outcome.label, outcome.retry, outcome.finishes_door, outcome.do_not_contact, outcome.opens_survey)
    assert (walk["canvass"]["reknock_hours"], walk["canvass"]["max_attempts"]) == (7, 2)
    assert walk["canvass"]["per_person"] is False


def test_each_door_says_where_it_stands_as_the_server_computed_it(client, world):
    token = create_token("volunteer.a1@test.example")
    fresh, out, talked, twice = doors_of(world.turf_a1)[:4]
    canvass = world.canvass_north.id
    assert sync(client, token, knock(out, canvass, recorded_at=at(1)),
                knock(talked, canvass, outcome="talked", recorded_at=at(2)),
                knock(twice, canvass, recorded_at=at(9)), knock(twice, canvass, recorded_at=at(5))).status_code == 200
    doors = {door["id"]: door for door in walk_list(client, token, world.turf_a1)["doors"]}
    assert doors[fresh]["knock"] == {"state": "todo", "attempts": 0, "max_attempts": 3, "back_after": None,
                                     "last_outcome": None, "last_at": None}
    later = doors[out]["knock"]
    assert (later["state"], later["attempts"], later["last_outcome"]) == ("later", 1, "not_home")
    assert datetime.fromisoformat(later["back_after"]) - datetime.fromisoformat(later["last_at"]) == timedelta(hours=4)
    assert doors[talked]["knock"]["state"] == "done"
    assert (doors[twice]["knock"]["state"], doors[twice]["knock"]["attempts"]) == ("todo", 2)


def test_a_changed_outcome_table_changes_the_walk_list(client, world):
    """The server's knock states and the phone's facts both come from domain/outcomes.py."""
    token = create_token("volunteer.a1@test.example")
    refused = doors_of(world.turf_a1)[0]
    sync(client, token, knock(refused, world.canvass_north.id, outcome="refused", recorded_at=at(1)))
    fact = outcomes.BY_CODE["refused"]
    object.__setattr__(fact, "retry", True)  # as if the table said Refused doors come back
    try:
        walk = walk_list(client, token, world.turf_a1)
    finally:
        object.__setattr__(fact, "retry", False)
    assert {f["code"]: f["retry"] for f in walk["outcomes"]}["refused"] is True
    assert next(d for d in walk["doors"] if d["id"] == refused)["knock"]["state"] == "later"


def test_my_turfs_and_the_walk_list_show_the_same_progress(client, auth, world):
    """Once 'knocked' counted not-home doors and the turf counted doors done: now one definition."""
    token = create_token("volunteer.a1@test.example")
    doors = doors_of(world.turf_a1)
    canvass = world.canvass_north.id
    sync(client, token, knock(doors[0], canvass, outcome="talked"), knock(doors[1], canvass, outcome="refused"),
         knock(doors[2], canvass, recorded_at=at(1)), knock(doors[3], canvass, recorded_at=at(6)))
    walk = walk_list(client, token, world.turf_a1)
    assert walk["progress"] == {"doors": 40, "done": 2, "later": 1, "attempted": 4}
    mine = client.get("/api/v1/me/turfs", headers=bearer(token)).get_json()["turfs"]
    alpha = next(turf for turf in mine if turf["id"] == world.turf_a1.id)
    assert alpha["progress"] == walk["progress"] and alpha["attempted"] == 4
    auth.login("volunteer.a1@test.example", PASSWORD)
    page = client.get("/my/turfs").get_data(as_text=True)
    assert "2 of 40 doors done · 1 to knock again later" in page
    # (the scripts' strings the page carries for static/js/i18n.js are not text on the page)
    shown = re.sub(r'<script type="application/json" id="fieldops-text">.*?</script>', "", page, flags=re.S)
    assert "knocked" not in shown


def test_doors_at_one_address_get_labels_that_tell_them_apart(client, auth, world):
    """OpenStreetMap gives many doors one street and number and no unit: unit, else name, else a number."""
    token = create_token("volunteer.a1@test.example")
    first = db.session.get(Door, doors_of(world.turf_a1)[0])
    others = [Door(office_id=first.office_id, block_id=first.block_id, source_id=f"same-{n}", street=first.street,
                   house_number=first.house_number, unit=unit, name=name, lat=first.lat, lon=first.lon)
              for n, (unit, name) in enumerate([(None, "Kahvila Sävy"), (None, None), ("B 12", None)])]
    db.session.add_all(others)
    db.session.commit()
    address = f"{first.street} {first.house_number}"
    labels = {door["id"]: door["label"] for door in walk_list(client, token, world.turf_a1)["doors"]}
    assert labels[first.id] == f"{address} · door 1 of 4 at this address"
    assert labels[others[0].id] == f"{address} · Kahvila Sävy"
    assert labels[others[1].id] == f"{address} · door 3 of 4 at this address"
    assert labels[others[2].id] == f"{address} B 12"
    assert len(set(labels.values())) == len(labels)
    # The household timeline uses the same labels: never "no unit / no unit".
    auth.login("organizer.a@test.example", PASSWORD)
    page = client.get(f"/doors/{others[1].id}").get_data(as_text=True)
    assert "no unit" not in page
    assert f"<h1>{address} · door 3 of 4 at this address" in page
    assert re.search(r"<strong>door 3 of 4 at this address</strong> \(this one\)", page)
    assert "Kahvila Sävy</a>" in page and "B 12</a>" in page


def test_a_batch_recorded_by_someone_else_is_refused_whole(client, world):
    """On a shared phone the outbox names who recorded its contacts: never stored as the next user's."""
    token = create_token("volunteer.a1@test.example")
    door = doors_of(world.turf_a1)[0]
    stranger = sync(client, token, knock(door, world.canvass_north.id), owner=world.users.volunteer_a2.id)
    assert stranger.status_code == 409 and "someone else" in stranger.get_json()["error"]
    assert stored() == 0
    assert sync(client, token, knock(door, world.canvass_north.id), owner="7").status_code == 400
    mine = sync(client, token, knock(door, world.canvass_north.id), owner=world.users.volunteer_a1.id)
    assert [r["status"] for r in mine.get_json()["results"]] == ["created"]
    assert db.session.scalar(select(Contact.volunteer_id)) == world.users.volunteer_a1.id


def test_the_organizer_asks_for_per_person_answers_on_the_canvass_form(client, auth, world):
    auth.login("organizer.a@test.example", PASSWORD)
    response = client.post(f"/offices/{world.office_a.id}/canvasses", data={
        "name": "Everyone's view", "per_person": "yes", "q0_label": "Support?", "q0_kind": "scale"})
    assert response.status_code == 302
    client.post(f"/offices/{world.office_a.id}/canvasses", data={"name": "Household view"})
    from fieldops.models import Canvass
    per_person = dict(db.session.execute(select(Canvass.name, Canvass.per_person)).all())
    assert per_person["Everyone's view"] is True and per_person["Household view"] is False
    assert per_person["North spring"] is False  # canvasses made before keep one survey per household
    assert 'name="per_person"' in client.get(f"/offices/{world.office_a.id}/canvasses").get_data(as_text=True)


def test_per_person_answers_keep_whose_answers_they_are(client, world):
    token = create_token("volunteer.a1@test.example")
    door = doors_of(world.turf_a1)[0]
    people = [Person(door_id=door, first_name=name, last_name="Koski") for name in ("Anna", "Pekka")]
    db.session.add_all(people)
    world.canvass_north.per_person = True
    world.canvass_north.questions = [{"key": "support", "label": "Support?", "kind": "scale", "min": 1, "max": 5}]
    db.session.commit()
    assert walk_list(client, token, world.turf_a1)["canvass"]["per_person"] is True
    when = at(0.1)
    sync(client, token, *(knock(door, world.canvass_north.id, outcome="talked", person_id=p.id, recorded_at=when,
                                answers={"support": n + 3}) for n, p in enumerate(people)))
    db.session.expire_all()
    assert sorted((c.person_id, c.answers["support"]) for c in db.session.scalars(select(Contact))) == [
        (people[0].id, 3), (people[1].id, 4)]
    # Two people's answers at one visit are one knock.
    walk = walk_list(client, token, world.turf_a1)
    assert next(d for d in walk["doors"] if d["id"] == door)["knock"]["attempts"] == 1
