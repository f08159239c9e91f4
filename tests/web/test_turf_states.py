"""A turf in a volunteer's hands keeps its shape and state until it is taken back, and the turf page offers
exactly the actions the transition table allows: no button that leads to a refusal."""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from fieldops.extensions import db
from fieldops.models import Assignment, Door, Turf
from fieldops.services import canvassing, turfs
from tests.api.test_api_access import bearer
from tests.factories import create_token


def walk_ids(client, turf_id: int, token: str) -> list[int]:
    response = client.get(f"/api/v1/turfs/{turf_id}/walklist", headers=bearer(token))
    assert response.status_code == 200
    return [door["id"] for door in response.get_json()["doors"]]


def test_the_reported_sequence_open_then_split_is_refused_and_the_volunteer_walks_on(app, client, auth, world):
    """Checked out with an active assignment -> Open -> Split into halves used to leave the volunteer one door."""
    token = create_token("volunteer.a1@test.example")
    phone = app.test_client()  # the volunteer's phone, apart from the organizer's browser
    before = walk_ids(phone, world.turf_a1.id, token)
    auth.login("organizer.a@test.example")

    opened = client.post(f"/turfs/{world.turf_a1.id}/state", data={"state": "open"})
    assert opened.status_code == 409
    assert "Alpha 1 cannot be made open: it is in a volunteer&#39;s hands: take it back first" in opened.get_data(
        as_text=True)
    split = client.post(f"/turfs/{world.turf_a1.id}/split")
    assert split.status_code == 409 and "cannot be split: it is in a volunteer&#39;s hands" in split.get_data(
        as_text=True)

    db.session.expire_all()
    assert db.session.get(Turf, world.turf_a1.id).state == "checked_out"
    assert db.session.scalar(select(func.count(Turf.id)).where(Turf.office_id == world.office_a.id)) == 2
    assert walk_ids(phone, world.turf_a1.id, token) == before  # every door still on the volunteer's list
    last = {"id": str(uuid.uuid4()), "door_id": before[-1], "canvass_id": world.canvass_north.id,
            "outcome": "not_home", "recorded_at": (datetime.now(timezone.utc) - timedelta(minutes=1)).isoformat()}
    result = phone.post("/api/v1/contacts", json={"contacts": [last]}, headers=bearer(token)).get_json()
    assert result["results"][0]["status"] == "created", result  # the next contact is taken, at the far end of the route


def test_checked_out_cannot_be_chosen_by_hand(client, auth, world):
    auth.login("organizer.b@test.example")
    client.post(f"/turfs/{world.turf_b1.id}/state", data={"state": "open"})
    page = client.get(f"/turfs/{world.turf_b1.id}").get_data(as_text=True)
    assert 'value="checked_out"' not in page
    refused = client.post(f"/turfs/{world.turf_b1.id}/state", data={"state": "checked_out"})
    assert refused.status_code == 409 and "checked out by handing it out" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Turf, world.turf_b1.id).state == "open"


def test_taking_back_the_last_volunteer_opens_the_turf_and_the_page_offers_editing_again(client, auth, world):
    auth.login("organizer.a@test.example")
    assignment_id = db.session.scalar(select(Assignment.id).where(Assignment.turf_id == world.turf_a1.id))
    page = client.get(f"/turfs/{world.turf_a1.id}").get_data(as_text=True)
    assert "Split into halves" not in page and "take it back (above)" in page
    assert client.post(f"/assignments/{assignment_id}/take-back").status_code == 302
    page = client.get(f"/turfs/{world.turf_a1.id}").get_data(as_text=True)
    assert "<strong>open</strong>" in page and "Split into halves" in page
    assert "Delete turf" not in page and "archive it instead of deleting it" in page  # it was handed out once


# What the page offers, per state and holding: (states by hand, reshape, delete). Written out by hand: the spec.
CASES = {
    "draft, never used": ({"open", "archived"}, True, True),
    "open, never used": ({"draft", "completed", "archived"}, True, True),
    "checked out, held": (set(), False, False),
    "open but still held": (set(), False, False),  # what the old Open button left behind
    "open, taken back": ({"draft", "completed", "archived"}, True, False),
    "completed, taken back": ({"open", "archived"}, False, False),
    "archived, taken back": ({"open"}, False, False),
    "re-visit list, never used": ({"draft", "completed", "archived"}, False, True),
}


def _arrange(world, case: str) -> Turf:
    """Alpha 1 (handed to volunteer a1) or Bravo 1 (a draft nobody ever held), put in the case's situation."""
    if case == "draft, never used":
        return world.turf_b1
    if case == "open, never used":
        turfs.change_state(world.turf_b1, "open", None)
        return world.turf_b1
    if case == "re-visit list, never used":
        door_ids = list(db.session.scalars(select(Door.id).where(Door.office_id == world.office_b.id).limit(3)))
        return turfs.build_door_turf(world.office_b, door_ids, "Bravo re-visit", None)
    turf = world.turf_a1
    if case == "checked out, held":
        return turf
    if case == "open but still held":
        turf.state = "open"
        return turf
    (assignment, _), = canvassing.open_assignments(turf.id)
    canvassing.take_back(assignment, None)
    if case in ("completed, taken back", "archived, taken back"):
        turfs.change_state(turf, case.split(",")[0], None)
    return turf


def _offered(page: str) -> tuple[set[str], bool, bool]:
    states = set(re.findall(r'<button type="submit" name="state" value="(\w+)">', page))
    return states, "Split into halves" in page, "Delete turf" in page


@pytest.mark.parametrize("case", CASES)
def test_the_page_shows_only_the_actions_that_will_succeed(client, auth, world, case):
    turf = _arrange(world, case)
    db.session.commit()
    turf_id, state_before = turf.id, turf.state
    auth.login("admin@test.example")
    page = client.get(f"/turfs/{turf_id}").get_data(as_text=True)
    states, reshape, delete = CASES[case]
    assert _offered(page) == (states, reshape, delete)
    assert ("take it back (above)" in page) == ("held" in case)
    # Every action not offered is refused with a reason, and changes nothing.
    for state in {"draft", "open", "checked_out", "completed", "archived"} - states - {state_before}:
        refused = client.post(f"/turfs/{turf_id}/state", data={"state": state})
        assert refused.status_code == 409 and "cannot be made" in refused.get_data(as_text=True), (case, state)
    for path in ([] if reshape else ["split"]) + ([] if delete else ["delete"]):
        assert client.post(f"/turfs/{turf_id}/{path}").status_code == 409, (case, path)
    db.session.expire_all()
    assert db.session.get(Turf, turf_id).state == state_before


OFFERED = [(case, action) for case, (states, reshape, delete) in CASES.items()
           for action in sorted(states) + ["split"] * reshape + ["delete"] * delete]


@pytest.mark.parametrize("case,action", OFFERED)
def test_every_action_offered_succeeds(client, auth, world, case, action):
    turf_id = _arrange(world, case).id
    db.session.commit()
    auth.login("admin@test.example")
    if action in ("split", "delete"):
        response = client.post(f"/turfs/{turf_id}/{action}")
    else:
        response = client.post(f"/turfs/{turf_id}/state", data={"state": action})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    db.session.expire_all()
    turf = db.session.get(Turf, turf_id)
    if action == "delete":
        assert turf is None
    elif action != "split":
        assert turf.state == action


def test_the_merge_list_holds_only_turfs_that_can_be_merged_away(client, auth, world):
    (assignment, _), = canvassing.open_assignments(world.turf_a1.id)
    canvassing.take_back(assignment, None)
    db.session.commit()
    auth.login("organizer.a@test.example")
    page = client.get(f"/turfs/{world.turf_a1.id}").get_data(as_text=True)
    assert "Split into halves" in page
    assert "Merge another turf" not in page  # Alpha 2 is held by volunteer a2: nothing to offer
    assert client.post(f"/turfs/{world.turf_a1.id}/merge", data={"other": world.turf_a2.id}).status_code == 409


def test_delete_and_take_back_ask_first(client, auth, world):
    auth.login("organizer.a@test.example")
    page = client.get(f"/turfs/{world.turf_a1.id}").get_data(as_text=True)
    assert 'data-confirm="Take Alpha 1 back from' in page and "/static/js/confirm.js" in page
    auth.logout()
    auth.login("organizer.b@test.example")
    page = client.get(f"/turfs/{world.turf_b1.id}").get_data(as_text=True)
    assert 'data-confirm="Delete Bravo 1?' in page


def test_rejecting_a_flagged_contact_asks_first_and_accepting_does_not(client, auth, world):
    from tests.api.test_contact_sync import doors_of, knock
    from tests.web.test_trust import sync

    door = db.session.get(Door, doors_of(world.turf_a1)[0])
    sync(client, knock(door.id, world.canvass_north.id, lat=door.lat + 0.01, lon=door.lon))  # 1.1 km away
    auth.login("organizer.a@test.example")
    queue = client.get(f"/offices/{world.office_a.id}/review").get_data(as_text=True)
    forms = re.findall(r"<form[^>]*/review\"[^>]*>", queue)
    assert len(forms) == 2 and "data-confirm" not in forms[0]  # Accept
    assert 'data-confirm="Reject this contact?' in forms[1] and "/static/js/confirm.js" in queue
