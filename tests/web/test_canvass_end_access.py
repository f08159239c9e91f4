"""Access ends with the canvass (issue 15, security): once its last day is over on the office's clock, a
volunteer's walk list, households and printed list answer 403 or 404, while contacts they recorded before
the end still sync. Organizers keep every page."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from fieldops.domain.access import assignment_in_force
from fieldops.domain.time_zones import today
from fieldops.extensions import db
from tests.api.test_api_access import bearer
from tests.api.test_contact_sync import doors_of, knock
from tests.factories import create_token


def volunteer_pages(world) -> list[str]:
    turf, door = world.turf_a1.id, doors_of(world.turf_a1)[0]
    return [f"/api/v1/turfs/{turf}/walklist", f"/turfs/{turf}", f"/canvass/{turf}", f"/turfs/{turf}/print",
            f"/doors/{door}"]


def end_canvass(world, last_day, zone: str | None = None) -> None:
    world.canvass_north.end_date = last_day
    if zone:
        world.office_a.time_zone = zone
    db.session.commit()


def statuses(client, auth, email: str, pages: list[str]) -> dict[str, int]:
    auth.login(email)
    answers = {page: client.get(page).status_code for page in pages}
    auth.logout()
    return answers


def test_after_the_last_day_the_volunteer_loses_the_turf_and_its_households(client, auth, world):
    pages = volunteer_pages(world)
    assert set(statuses(client, auth, "volunteer.a1@test.example", pages).values()) == {200}
    office_today = today(datetime.now(timezone.utc), world.office_a.time_zone)
    end_canvass(world, office_today - timedelta(days=1))
    answers = statuses(client, auth, "volunteer.a1@test.example", pages)
    assert all(status in (403, 404) for status in answers.values()), answers
    assert set(statuses(client, auth, "organizer.a@test.example", pages).values()) == {200}
    auth.login("volunteer.a1@test.example")
    assert "Alpha 1" not in client.get("/my/turfs").get_data(as_text=True)


def test_contacts_recorded_before_the_end_still_sync_after_it(client, world):
    now = datetime.now(timezone.utc)
    end_canvass(world, today(now, world.office_a.time_zone) - timedelta(days=2))
    door = doors_of(world.turf_a1)[0]
    results = client.post("/api/v1/contacts", headers=bearer(create_token("volunteer.a1@test.example")), json={
        "contacts": [knock(door, world.canvass_north.id, recorded_at=(now - timedelta(days=3)).isoformat()),
                     knock(door, world.canvass_north.id)]}).get_json()["results"]
    assert [r["status"] for r in results] == ["created", "rejected"]


def test_the_last_day_is_the_offices_own(client, auth, world):
    """On the last day in the office's zone the turf is still theirs, whatever day it is in UTC; the day
    after (there), it is not."""
    now = datetime.now(timezone.utc)
    # Whatever the hour, one of these zones is on another calendar day than UTC.
    zone = next(z for z in ("Pacific/Kiritimati", "Pacific/Pago_Pago") if today(now, z) != now.date())
    pages = volunteer_pages(world)
    end_canvass(world, today(now, zone), zone)  # the office's last day is today there
    assert set(statuses(client, auth, "volunteer.a1@test.example", pages).values()) == {200}
    auth.login("volunteer.a1@test.example")
    assert "Alpha 1" in client.get("/my/turfs").get_data(as_text=True)
    auth.logout()
    end_canvass(world, today(now, zone) - timedelta(days=1))  # it ended yesterday there
    answers = statuses(client, auth, "volunteer.a1@test.example", pages)
    assert all(status in (403, 404) for status in answers.values()), answers


@pytest.mark.parametrize("end, in_force", [(None, True), (1, True), (0, True), (-1, False)])
def test_the_rule_counts_the_last_day_in(end, in_force):
    day = datetime(2026, 12, 3).date()
    assert assignment_in_force(None if end is None else day + timedelta(days=end), day) is in_force
