"""In real Chromium: an organizer defines a canvass's target universe, sees its counts before saving, saves
it, sets a goal, and reads the pacing chart on the office dashboard; the lead sees the goal map."""
from __future__ import annotations

from datetime import date, timedelta

from fieldops.extensions import db
from fieldops.models import Person
from fieldops.services import canvassing
from tests.api.test_contact_sync import doors_of, knock
from tests.api.test_api_access import bearer
from tests.factories import PASSWORD, create_token

from .conftest import sign_in, wait_until


def test_universe_preview_goal_and_pacing_chart(desktop, live_server, world, client):
    canvass = canvassing.build_canvass("Alpha listening", world.north.id, world.office_a.id)
    doors = doors_of(world.turf_a1)
    for n, door_id in enumerate(doors[:10]):
        db.session.add(Person(door_id=door_id, first_name=f"Resident {n}", age=20 + 5 * n))
    db.session.commit()
    canvassing_token = create_token("volunteer.a1@test.example")
    # Alpha 1 is handed out for North spring: knock 5 doors there so the dashboard has something to pace.
    batch = [knock(d, world.canvass_north.id, answers={}) for d in doors[:5]]
    assert client.post("/api/v1/contacts", json={"contacts": batch},
                       headers=bearer(canvassing_token)).status_code == 200
    page = desktop
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, "organizer.a@test.example", PASSWORD)
    page.goto(f"{live_server}/offices/{world.office_a.id}/canvasses")
    page.click("text=Targets and goals >> nth=0")  # the canvasses are listed by name: Alpha listening first
    assert "Alpha listening" in page.inner_text("h1")
    page.fill("#u-age_min", "30")
    page.fill("#u-age_max", "50")
    page.click("button[value=preview]")
    assert page.inner_text("#preview-people") == "5" and page.inner_text("#preview-doors") == "5"  # 30 to 50
    assert "Nothing is saved yet." in page.inner_text("#universe-preview")
    assert page.input_value("#u-age_min") == "30"  # the form keeps what was typed
    page.click("#universe-save")
    assert "Universe saved: 5 people at 5 doors in Alpha." in page.inner_text("body")
    assert "aged 30 to 50" in page.inner_text("#universe-current")
    # A goal for the region's canvass, from its own page.
    page.goto(f"{live_server}/offices/{world.office_a.id}/canvasses/{world.canvass_north.id}")
    page.fill("#g-doors", "20")
    page.fill("#g-conversations", "8")
    page.fill("#g-by", (date.today() + timedelta(days=6)).isoformat())
    page.click("#goal-save")
    assert "Goal set: 20 doors and 8 conversations" in page.inner_text("body")
    assert "Alpha" in page.inner_text("#goal-table") and "25%" in page.inner_text("#goal-table")
    page.click("text=Coverage and pacing")
    wait_until(page, "document.querySelector('#pacing-chart svg') !== null")
    assert page.locator("#pacing-chart .pacing-actual").count() == 1
    assert page.locator("#pacing-chart .pacing-goal").count() == 1
    assert page.locator("#pacing-chart .pacing-projection").count() == 1
    assert page.inner_text("[data-figure=done]") == "5 / 20"
    assert page.inner_text("[data-figure=pace_needed]") == "2.1"  # 15 doors over 7 days
    box = page.locator("#pacing-chart svg").bounding_box()
    assert box["width"] > 300 and box["height"] > 100
    page.context.clear_cookies()
    sign_in(page, live_server, "lead.north@test.example", PASSWORD)
    page.goto(f"{live_server}/regions/{world.north.id}/compare?canvass_id={world.canvass_north.id}")
    wait_until(page, "document.querySelectorAll('#goal-map path.leaflet-interactive').length > 0")
    assert "Alpha" in page.inner_text("#goal-ranking")
    assert errors == []
