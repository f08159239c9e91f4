"""In real Chromium, election day: the organizer's live map counts a block's knocks as they arrive without a
reload; a volunteer's chase list loses the doors whose people voted at its next sync, and says why."""
from __future__ import annotations

from fieldops import unit_of_work
from fieldops.domain.universes import CHASE
from fieldops.extensions import db
from fieldops.services import universes, voted
from tests.api.test_api_access import bearer
from tests.api.test_contact_sync import doors_of, knock
from tests.factories import PASSWORD, create_token
from tests.services.test_gotv import voters_on_alpha_1, write_ids

from .conftest import sign_in, wait_until
from .test_phone_screens import open_turf


def test_the_live_map_counts_a_new_knock_without_a_reload(desktop, live_server, world, client):
    token = create_token("volunteer.a1@test.example")
    door = doors_of(world.turf_a1)[0]
    assert client.post("/api/v1/contacts", json={"contacts": [knock(door, world.canvass_north.id)]},
                       headers=bearer(token)).status_code == 200
    page = desktop
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, "organizer.a@test.example", PASSWORD)
    page.goto(f"{live_server}/offices/{world.office_a.id}")
    page.click("text=Live map")
    page.wait_for_selector("#live-blocks tbody tr")
    assert page.locator("#live-blocks tbody tr").count() == 1
    assert page.inner_text("#live-blocks tbody tr .knocks") == "1"
    assert page.inner_text("#live-knocks") == "1" and "Alpha 1" in page.inner_text("#live-turfs")
    assert page.locator("#live-map .leaflet-interactive").count() == 1  # one block drawn
    page.evaluate("window.__marker = document.title")  # survives only if the page is not reloaded
    batch = [knock(door, world.canvass_north.id, outcome="talked", answers={}),
             knock(doors_of(world.turf_a1)[1], world.canvass_north.id)]
    assert client.post("/api/v1/contacts", json={"contacts": batch}, headers=bearer(token)).status_code == 200
    page.evaluate("window.FieldopsLiveMap.refresh()")  # what the 30 s timer calls
    wait_until(page, "document.getElementById('live-knocks').textContent === '3'")
    row = page.locator("#live-blocks tbody tr").first
    assert row.locator(".knocks").inner_text() == "3" and row.locator(".conversations").inner_text() == "1"
    assert page.evaluate("window.__marker") == page.title()
    assert not errors


def test_the_phone_drops_voted_doors_at_its_next_sync_and_says_why(phone, live_server, world, tmp_path):
    people = voters_on_alpha_1(world)
    universes.save(world.canvass_north, CHASE, None)
    db.session.commit()
    page = phone
    open_turf(page, live_server)
    assert page.locator("#door-list .door-button").count() == len(people)
    assert page.is_hidden("#dropped-note")
    unit_of_work.run(voted.import_voted, write_ids(tmp_path, ["V0", "V1", "V2"]), "Alpha")
    page.click("#sync-now")
    wait_until(page, "!document.getElementById('dropped-note').hidden")
    assert page.inner_text("#dropped-note") == "3 doors dropped: everyone there has voted"
    assert page.locator("#door-list .door-button").count() == len(people) - 3
