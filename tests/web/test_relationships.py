"""Relationships: supporters not left waiting, re-visit turfs, household timelines, promises handed on,
and what people raise, counted. Contacts arrive through the real sync, as phones send them."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from fieldops.domain import time_zones
from fieldops.domain.relationships import is_neglected
from fieldops.extensions import db
from fieldops.models import Contact, Door, FollowUp, Turf, TurfDoor
from fieldops.services import canvassing, coverage, listening
from tests.factories import create_token
from tests.api.test_api_access import bearer
from tests.api.test_contact_sync import doors_of
from tests.factories import make_user

SUPPORT = [{"key": "support", "label": "How likely to support us?", "kind": "scale"}]


def support_canvass(world, name: str = "Support check"):
    """A canvass that asks the support question, with Alpha 1 handed to Volunteer A1 for it (and only it)."""
    for assignment, _ in canvassing.open_assignments(world.turf_a1.id):
        canvassing.take_back(assignment, world.users.organizer_a.id)
    canvass = canvassing.build_canvass(name, world.north.id, None, questions=SUPPORT)
    db.session.flush()
    canvassing.assign(world.turf_a1.id, world.users.volunteer_a1, canvass, world.users.organizer_a.id)
    db.session.commit()
    return canvass


def talk(door_id: int, canvass_id: int, days_ago: float, support: int | None = None, **fields) -> dict:
    contact = {"id": str(uuid.uuid4()), "door_id": door_id, "canvass_id": canvass_id, "outcome": "talked",
               "answers": {} if support is None else {"support": support},
               "recorded_at": (datetime.now(timezone.utc) - timedelta(days=days_ago)).isoformat()}
    contact.update(fields)
    return contact


def sync(client, email: str, *contacts: dict) -> list[str]:
    token = create_token(email)
    response = client.post("/api/v1/contacts", json={"contacts": list(contacts)}, headers=bearer(token))
    assert response.status_code == 200, response.get_data(as_text=True)
    return [r["status"] if r["status"] != "rejected" else f"rejected: {r['error']}"
            for r in response.get_json()["results"]]


def test_the_neglect_rule_on_plain_values():
    now = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
    assert is_neglected(5, now - timedelta(days=31), now)
    assert not is_neglected(5, now - timedelta(days=29), now)
    assert not is_neglected(2, now - timedelta(days=90), now)
    assert not is_neglected(None, None, now)


def test_supporters_and_promises_left_waiting_become_a_turf_anyone_can_walk(client, auth, world):
    canvass = support_canvass(world)
    d = doors_of(world.turf_a1)
    statuses = sync(client, "volunteer.a1@test.example",
                    talk(d[0], canvass.id, 31, support=5),                  # supporter, 31 days quiet: listed
                    talk(d[1], canvass.id, 29, support=4),                  # supporter, 29 days: not yet
                    talk(d[2], canvass.id, 60, support=5),
                    talk(d[2], canvass.id, 40, support=2),                  # support fell to 2: not a supporter
                    talk(d[3], canvass.id, 45, follow_ups=["call_back"]),   # an open promise, 45 days quiet
                    talk(d[4], canvass.id, 45, support=3))                  # lukewarm: not listed
    assert statuses == ["created"] * 6
    auth.login("organizer.a@test.example")
    page = client.get(f"/offices/{world.office_a.id}/neglected").get_data(as_text=True)
    listed = {door_id for door_id in d[:5] if f"/doors/{door_id}\"" in page}
    assert listed == {d[0], d[3]}
    figures = coverage.office_coverage(world.office_a, coverage.Window())
    assert figures["depth"]["supporters_not_spoken_30_days"] == 1

    response = client.post(f"/offices/{world.office_a.id}/neglected/turf")
    assert response.status_code == 302
    turf_page = client.get(response.headers["Location"])
    assert turf_page.status_code == 200 and "Re-visit" in turf_page.get_data(as_text=True)
    turf = db.session.scalar(select(Turf).where(Turf.kind == "doors"))
    assert turf.state == "open" and turf.door_count == 2
    assert set(db.session.scalars(select(TurfDoor.door_id).where(TurfDoor.turf_id == turf.id))) == {d[0], d[3]}

    # Assignable like any other turf: hand it to a volunteer who never had these doors, who walks it.
    handed = client.post(f"/turfs/{turf.id}/hand-out",
                         data={"canvass": canvass.id, "volunteers": [world.users.volunteer_a2.id]})
    assert handed.status_code == 302
    auth.logout()
    token = create_token("volunteer.a2@test.example")
    walk = client.get(f"/api/v1/turfs/{turf.id}/walklist", headers=bearer(token)).get_json()
    assert sorted(door["id"] for door in walk["doors"]) == sorted([d[0], d[3]])
    assert sync(client, "volunteer.a2@test.example", talk(d[0], canvass.id, 0, support=5)) == ["created"]
    assert db.session.scalar(select(Contact.turf_id).where(Contact.volunteer_id == world.users.volunteer_a2.id)) \
        == turf.id
    auth.login("organizer.a@test.example")
    page = client.get(f"/offices/{world.office_a.id}/neglected").get_data(as_text=True)
    assert f"/doors/{d[0]}\"" not in page and f"/doors/{d[3]}\"" in page


def test_an_office_note_is_a_conversation_but_not_a_knock(client, auth, world):
    canvass = support_canvass(world)
    d = doors_of(world.turf_a1)
    sync(client, "volunteer.a1@test.example", talk(d[0], canvass.id, 40, support=5))
    before = coverage.office_coverage(world.office_a, coverage.Window())
    auth.login("organizer.a@test.example")
    assert client.get(f"/offices/{world.office_a.id}/neglected").get_data(as_text=True).count(f"/doors/{d[0]}\"") == 1
    response = client.post(f"/doors/{d[0]}/notes", data={"channel": "phone", "note": "Called: will host a meeting",
                                                         "spoken_on": ""})
    assert response.status_code == 302
    assert f"/doors/{d[0]}\"" not in client.get(f"/offices/{world.office_a.id}/neglected").get_data(as_text=True)
    after = coverage.office_coverage(world.office_a, coverage.Window())
    assert (after["attempted"], after["reached"]) == (before["attempted"], before["reached"])
    bad = client.post(f"/doors/{d[0]}/notes", data={"channel": "phone", "note": "", "spoken_on": ""})
    assert bad.status_code == 400 and "write what was said" in bad.get_data(as_text=True)


def test_the_timeline_holds_both_canvasses_newest_first_and_only_for_those_who_may_see_it(client, auth, world):
    door = doors_of(world.turf_a1)[0]
    first = support_canvass(world, "Spring")
    sync(client, "volunteer.a1@test.example", talk(door, first.id, 50, support=3, note="Spring: worried about the school"))
    second = support_canvass(world, "Autumn")
    sync(client, "volunteer.a1@test.example", talk(door, second.id, 2, support=5, note="Autumn: glad we came back"))
    auth.login("organizer.a@test.example")
    page = client.get(f"/doors/{door}").get_data(as_text=True)
    assert page.index("Autumn: glad we came back") < page.index("Spring: worried about the school")
    assert "▲ up" in page  # support went from 3 to 5
    auth.logout()
    auth.login("organizer.b@test.example")
    assert client.get(f"/doors/{door}").status_code == 403
    auth.logout()
    auth.login("volunteer.a2@test.example")  # walks Alpha 2, not this door's turf
    assert client.get(f"/doors/{door}").status_code == 403
    auth.logout()
    auth.login("volunteer.a1@test.example")
    volunteer_view = client.get(f"/doors/{door}")
    assert volunteer_view.status_code == 200 and "Add a note" not in volunteer_view.get_data(as_text=True)
    assert client.post(f"/doors/{door}/notes", data={"channel": "phone", "note": "x"}).status_code == 403


def test_households_are_found_by_address(client, auth, world):
    door = db.session.get(Door, doors_of(world.turf_a1)[0])
    auth.login("organizer.a@test.example")
    page = client.get(f"/offices/{world.office_a.id}/households?q={door.street} {door.house_number}")
    assert f"/doors/{door.id}\"" in page.get_data(as_text=True)
    auth.logout()
    auth.login("organizer.b@test.example")
    assert client.get(f"/offices/{world.office_a.id}/households?q=x").status_code == 403


def test_notes_are_tagged_with_the_offices_issues_and_counted(client, auth, world):
    canvass = support_canvass(world)
    d = doors_of(world.turf_a1)
    auth.login("organizer.a@test.example")
    saved = client.post(f"/offices/{world.office_a.id}/settings", data={
        "due_call_back": "5", "due_send_info": "3", "due_yard_sign": "7", "due_volunteer": "2",
        "neglect_days": "30", "issues": "schools: school, teacher\ntransport: bus, tram"})
    assert saved.status_code == 302
    auth.logout()
    sync(client, "volunteer.a1@test.example",
         talk(d[0], canvass.id, 1, note="The schools are full"),
         talk(d[1], canvass.id, 1, note="The bus is late and the teacher left", follow_ups=["call_back"]),
         talk(d[2], canvass.id, 1, note="Preschool? No. Lovely weather"))
    assert listening.top_issues([world.office_a.id])[world.office_a.id] == [("schools", 2), ("transport", 1)]
    promise = db.session.scalar(select(FollowUp).where(FollowUp.door_id == d[1]))
    made = db.session.scalar(select(Contact.recorded_at).where(Contact.id == promise.contact_id))
    made_on = time_zones.local_day(made.replace(tzinfo=made.tzinfo or timezone.utc), world.office_a.time_zone)
    assert (promise.due_date - made_on).days == 5  # the office's 5 days (from its own day), not the default 2
    auth.login("organizer.a@test.example")
    assert "schools" in client.get(f"/offices/{world.office_a.id}/dashboard").get_data(as_text=True)
    # A new list re-tags what was already said.
    client.post(f"/offices/{world.office_a.id}/settings", data={
        "due_call_back": "5", "due_send_info": "3", "due_yard_sign": "7", "due_volunteer": "2",
        "neglect_days": "30", "issues": "weather: weather"})
    assert listening.top_issues([world.office_a.id])[world.office_a.id] == [("weather", 1)]
    bad = client.post(f"/offices/{world.office_a.id}/settings", data={
        "due_call_back": "soon", "due_send_info": "3", "due_yard_sign": "7", "due_volunteer": "2",
        "neglect_days": "30", "issues": ""})
    assert bad.status_code == 400 and "due_call_back" in bad.get_data(as_text=True)
    auth.logout()
    auth.login("lead.north@test.example")
    compare = client.get(f"/regions/{world.north.id}/compare").get_data(as_text=True)
    assert "weather (1)" in compare


def test_promises_are_handed_on_only_to_organizers_of_the_office(client, auth, world):
    second = make_user("organizer.a2@test.example", "organizer", office=world.office_a)
    door = doors_of(world.turf_a1)[0]
    promise = FollowUp(office_id=world.office_a.id, door_id=door, kind="call_back",
                       due_date=datetime.now(timezone.utc).date(), owner_id=world.users.organizer_a.id)
    db.session.add(promise)
    db.session.commit()
    auth.login("organizer.a@test.example")
    assert "Call back" in client.get(f"/offices/{world.office_a.id}/follow-ups").get_data(as_text=True)
    assert client.post(f"/follow-ups/{promise.id}/owner", data={"owner_id": world.users.organizer_b.id}).status_code == 400
    assert client.post(f"/follow-ups/{promise.id}/owner", data={"owner_id": second.id}).status_code == 302
    db.session.expire_all()
    assert db.session.get(FollowUp, promise.id).owner_id == second.id
    auth.logout()
    auth.login("organizer.b@test.example")
    assert client.post(f"/follow-ups/{promise.id}/owner", data={"owner_id": second.id}).status_code == 403
    assert client.get(f"/offices/{world.office_a.id}/follow-ups").status_code == 403
