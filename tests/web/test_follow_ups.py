"""My follow-ups: the promises I owe, overdue first, and keeping them."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from fieldops.domain import time_zones
from fieldops.extensions import db
from fieldops.models import Block, Door, FollowUp


def promise(world, kind: str, due: date, owner) -> int:
    door_id = db.session.scalar(select(Door.id).join(Block, Block.id == Door.block_id)
                                .where(Block.turf_id == world.turf_a1.id).order_by(Door.id))
    follow_up = FollowUp(office_id=world.office_a.id, door_id=door_id, kind=kind, due_date=due, owner_id=owner.id)
    db.session.add(follow_up)
    db.session.commit()
    return follow_up.id


def test_overdue_promises_come_first_and_can_be_kept(client, auth, world):
    today = time_zones.today(datetime.now(timezone.utc), world.office_a.time_zone)  # the office's own day
    later = promise(world, "yard_sign", today + timedelta(days=5), world.users.organizer_a)
    overdue = promise(world, "call_back", today - timedelta(days=2), world.users.organizer_a)
    promise(world, "send_info", today, world.users.organizer_b)  # someone else's
    auth.login("organizer.a@test.example")
    page = client.get("/my/follow-ups").get_data(as_text=True)
    assert page.index("Call back") < page.index("Yard sign") and "Send information" not in page
    assert "2 days late" in page
    assert client.post(f"/follow-ups/{overdue}/kept", data={"result": "Called; she will host a meeting"}).status_code == 302
    db.session.expire_all()
    kept = db.session.get(FollowUp, overdue)
    assert kept.done_at is not None and kept.result == "Called; she will host a meeting"
    page = client.get("/my/follow-ups").get_data(as_text=True)
    assert "Call back" not in page and "Yard sign" in page
    assert client.post(f"/follow-ups/{later}/kept", data={"result": ""}).status_code == 400
    assert client.post(f"/follow-ups/{overdue}/kept", data={"result": "again"}).status_code == 409


def test_a_volunteer_cannot_close_someone_elses_promise(client, auth, world):
    owed = promise(world, "call_back", date.today(), world.users.organizer_a)
    auth.login("volunteer.a1@test.example")
    assert client.post(f"/follow-ups/{owed}/kept", data={"result": "done"}).status_code == 403
    auth.logout()
    auth.login("organizer.c@test.example")
    assert client.post(f"/follow-ups/{owed}/kept", data={"result": "done"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(FollowUp, owed).done_at is None


def test_the_next_knock_shows_whether_the_promise_was_kept(client, auth, world):
    open_one = promise(world, "yard_sign", date.today() + timedelta(days=3), world.users.organizer_a)
    kept_one = promise(world, "call_back", date.today(), world.users.organizer_a)
    auth.login("organizer.a@test.example")
    client.post(f"/follow-ups/{kept_one}/kept", data={"result": "Called back about the bus stop"})
    auth.logout()
    auth.login("volunteer.a1@test.example")
    walk = client.get(f"/api/v1/turfs/{world.turf_a1.id}/walklist").get_json()
    story = next(door for door in walk["doors"] if door["promises"])
    assert [(p["id"], p["kept_on"] is not None, p["result"]) for p in story["promises"]] == [
        (open_one, False, None), (kept_one, True, "Called back about the bus stop")]
