"""No expiry friction: an assignment lasts until its canvass ends or it is taken back, never a timer;
turfs gone quiet are listed for their organizer, and their volunteer is told."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update

from fieldops.extensions import db
from fieldops.models import Assignment
from tests.factories import create_token
from tests.api.test_api_access import bearer
from tests.api.test_contact_sync import doors_of, knock


def handed_out_days_ago(days: int) -> None:
    db.session.execute(update(Assignment).values(assigned_at=datetime.now(timezone.utc) - timedelta(days=days)))
    db.session.commit()


def sync(client, email, *contacts) -> list[dict]:
    response = client.post("/api/v1/contacts", json={"contacts": list(contacts)}, headers=bearer(create_token(email)))
    return response.get_json()["results"]


def test_an_assignment_handed_out_two_months_ago_still_takes_contacts(client, world):
    handed_out_days_ago(60)
    door = doors_of(world.turf_a1)[0]
    assert [r["status"] for r in sync(client, "volunteer.a1@test.example", knock(door, world.canvass_north.id))] \
        == ["created"]


def test_quiet_turfs_are_listed_for_the_organizer_and_the_volunteer_is_told(client, auth, world):
    handed_out_days_ago(10)
    recent = (datetime.now(timezone.utc) - timedelta(days=2)).isoformat()
    sync(client, "volunteer.a2@test.example", knock(doors_of(world.turf_a2)[0], world.canvass_north.id,
                                                    recorded_at=recent))
    auth.login("organizer.a@test.example")
    page = client.get(f"/offices/{world.office_a.id}/idle-turfs").get_data(as_text=True)
    assert "Alpha 1" in page and "10 days" in page and "Alpha 2" not in page  # Alpha 2 was walked 2 days ago
    settings = {"due_call_back": "2", "due_send_info": "3", "due_yard_sign": "7", "due_volunteer": "2",
                "neglect_days": "30", "idle_days": "14", "issues": "schools: school"}
    assert client.post(f"/offices/{world.office_a.id}/settings", data=settings).status_code == 302
    assert "Alpha 1" not in client.get(f"/offices/{world.office_a.id}/idle-turfs").get_data(as_text=True)
    settings["idle_days"] = "7"
    client.post(f"/offices/{world.office_a.id}/settings", data=settings)
    auth.logout()
    auth.login("volunteer.a1@test.example")
    mine = client.get("/my/turfs").get_data(as_text=True)
    assert "No knocks here for 10 days" in mine
    auth.logout()
    auth.login("volunteer.a2@test.example")
    assert "No knocks here" not in client.get("/my/turfs").get_data(as_text=True)


def test_when_the_canvass_ends_the_assignment_ends_but_earlier_offline_contacts_still_land(client, auth, world):
    today = datetime.now(timezone.utc)
    world.canvass_north.end_date = (today - timedelta(days=3)).date()
    db.session.commit()
    door = doors_of(world.turf_a1)[0]
    before_end = (today - timedelta(days=4)).isoformat()
    results = sync(client, "volunteer.a1@test.example", knock(door, world.canvass_north.id, recorded_at=before_end),
                   knock(door, world.canvass_north.id))
    assert results[0]["status"] == "created"
    assert results[1]["status"] == "rejected" and "ended on" in results[1]["error"]
    auth.login("volunteer.a1@test.example")
    assert "Alpha 1" not in client.get("/my/turfs").get_data(as_text=True)
