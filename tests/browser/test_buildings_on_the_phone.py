"""An apartment building on a volunteer's phone in real Chromium: one heading with its note, one marker."""
from __future__ import annotations

from fieldops.domain.buildings import building_key
from fieldops.extensions import db
from fieldops.models import BuildingNote, Door
from tests.factories import PASSWORD
from tests.web.test_buildings import make_building

from .conftest import sign_in, wait_until


def test_the_phone_shows_a_building_once_with_its_units_and_note_and_one_marker(phone, live_server, world):
    ids = make_building(world)
    first = db.session.get(Door, ids[0])
    db.session.add(BuildingNote(office_id=first.office_id, building_key=building_key(first.street, first.house_number),
                                note="Door code 4321"))
    db.session.commit()
    page = phone
    sign_in(page, live_server, "volunteer.a1@test.example", PASSWORD)
    page.wait_for_url("**/my/turfs")
    page.click("text=Alpha 1")
    page.wait_for_selector("#door-list .door-button")

    headings = page.locator("#door-list .building-head")
    assert headings.count() == 1
    assert "4 units" in headings.inner_text() and "Door code 4321" in headings.inner_text()
    units = page.locator("#door-list li.unit .door-address").all_inner_texts()
    assert len(units) == 4
    # Under the heading, floor by floor: the door without a unit, then 101, 102, then 201.
    assert "101" in units[1] and "102" in units[2] and "201" in units[3]
    assert page.locator("#door-list .door-button").count() == 43
    # The map: one marker per house, one for the building's four units.
    wait_until(page, "document.querySelectorAll('#mini-map path.leaflet-interactive').length > 0")
    assert page.locator("#mini-map path.leaflet-interactive").count() == 43 - 3

    page.locator("#door-list li.unit .door-button").nth(2).click()
    page.wait_for_selector("#door-view:not([hidden])")
    assert page.inner_text("#door-building") == "Building: Door code 4321"
