"""The turf page's map and the phone's "where am I" and next nearest door, in real Chromium (issue 17,
point 4): the turf's blocks, its doors numbered in walking order and the route; on a 360 px phone, the
volunteer's own position only when they tap for it, and the nearest door still to knock."""
from __future__ import annotations

import math
import uuid
from datetime import datetime, timedelta, timezone

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import Block, Contact, Door, Turf
from fieldops.services import canvassing, territory, turfs, walklists
from tests.factories import PASSWORD, make_user

from .conftest import PHONE, sign_in, wait_until
from .test_phone_screens import open_turf
from .test_turf_page_flows import SHOTS

HOSTILE_STREET = '<img src=x onerror="window.pwned=1">katu'


def walk_of(world) -> list[dict]:
    return walklists.walklist(db.session.get(Turf, world.turf_a1.id), world.canvass_north)["doors"]


def test_the_turf_page_maps_its_blocks_its_doors_in_walking_order_and_the_route(desktop, live_server, world):
    first = db.session.get(Door, walk_of(world)[0]["id"])
    first.street = HOSTILE_STREET  # street names come from imported files: shown as text, never markup
    db.session.commit()
    walk = walk_of(world)
    page = desktop
    sign_in(page, live_server, "organizer.a@test.example", PASSWORD)
    page.goto(f"{live_server}/turfs/{world.turf_a1.id}")
    wait_until(page, "window.fieldopsTurfMap !== undefined")
    drawn = page.evaluate("""() => { const m = window.fieldopsTurfMap;
        return {blocks: m.blocks.length, parts: m.parts === null,
                route: m.route.getLatLngs().map((p) => [p.lat, p.lng]),
                marks: m.marks.map((k) => { const p = k.getLatLng(); return [k.getElement().textContent, p.lat, p.lng]; })}; }""")
    assert drawn["blocks"] == 8 and drawn["parts"] is True
    # Every door is a numbered mark, numbered as the walk list below orders them, and the route joins them so.
    assert [m[0] for m in drawn["marks"]] == [str(n) for n in range(1, len(walk) + 1)]
    for (text, lat, lon), door in zip(drawn["marks"], walk):
        assert math.isclose(lat, door["lat"], abs_tol=1e-6) and math.isclose(lon, door["lon"], abs_tol=1e-6), text
    assert [[round(a, 6), round(b, 6)] for a, b in drawn["route"]] == [[round(d["lat"], 6), round(d["lon"], 6)]
                                                                         for d in walk]
    page.locator("#turf-map").screenshot(path=f"{SHOTS}/k-turf-page-map.png")
    list_text = page.locator("ol.doors li .door-address").all_inner_texts()
    assert list_text[0] == walk[0]["address"] and len(list_text) == len(walk)
    # The hostile street name is text in the tooltip: no element was made of it and nothing ran.
    hostile = next(n for n, d in enumerate(walk) if d["street"] == HOSTILE_STREET)
    page.evaluate(f"window.fieldopsTurfMap.marks[{hostile}].openTooltip()")
    tip = page.locator(".leaflet-tooltip").first
    assert HOSTILE_STREET in tip.inner_text()
    assert page.evaluate("document.querySelectorAll('#turf-map img:not(.leaflet-tile)').length") == 0
    assert page.evaluate("window.pwned") is None


def know_door_done(world, door_id: int) -> None:
    """A refusal at the door in this canvass, on the server: the walk list then says the door is done."""
    office_id = db.session.get(Door, door_id).office_id
    db.session.add(Contact(id=str(uuid.uuid4()), office_id=office_id, door_id=door_id,
                           canvass_id=world.canvass_north.id, volunteer_id=world.users.volunteer_a2.id,
                           outcome="refused", answers={}, note="",
                           recorded_at=datetime.now(timezone.utc) - timedelta(hours=1)))
    db.session.commit()


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    k = math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot((a[1] - b[1]) * k, a[0] - b[0]) * 111_195


@pytest.fixture
def located_phone(browser):
    """A 360 px phone whose owner allowed location, standing a few metres from the 13th door of Alpha 1."""
    def make(lat: float, lon: float):
        context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                      geolocation={"latitude": lat, "longitude": lon, "accuracy": 8},
                                      permissions=["geolocation"])
        contexts.append(context)
        return context.new_page()
    contexts = []
    yield make
    for context in contexts:
        context.close()


def test_next_nearest_door_opens_the_closest_door_still_to_knock_even_offline(located_phone, live_server, world):
    walk = walk_of(world)
    here_door, beside = walk[12], walk[13]
    # A few metres from door 13 towards door 14; door 13 is refused already, so the nearest to knock is 14.
    lat = here_door["lat"] + 0.3 * (beside["lat"] - here_door["lat"])
    lon = here_door["lon"] + 0.3 * (beside["lon"] - here_door["lon"])
    know_door_done(world, here_door["id"])
    todo = [d for d in walk if d["id"] != here_door["id"]]
    expected = min(todo, key=lambda d: metres((lat, lon), (d["lat"], d["lon"])))
    assert expected["id"] == beside["id"]
    page = located_phone(lat, lon)
    open_turf(page, live_server)
    page.context.set_offline(True)  # position and walk list are both on the phone: no network needed
    assert page.locator("#next-nearest").is_visible() and page.locator("#show-me").is_visible()
    # "Show where I am" puts a dot on the map, asked for only now.
    page.tap("#show-me")
    wait_until(page, "document.querySelectorAll('#mini-map path[fill=\"#2563eb\"]').length > 0")
    assert page.locator("#where-note").is_hidden()
    page.screenshot(path=f"{SHOTS}/k-where-i-am.png")
    page.tap("#next-nearest")
    page.wait_for_selector("#door-view:not([hidden])")
    assert page.inner_text("#door-address") == expected["label"]
    away = round(metres((lat, lon), (expected["lat"], expected["lon"])))
    assert page.inner_text("#door-nearby") == f"The nearest door to you still to knock: about {away} m away."
    page.screenshot(path=f"{SHOTS}/k-next-nearest-door.png")
    # Back in the list, the planned next door is still the walk's first.
    page.tap("#back-to-list")
    assert page.inner_text("#next-open .door-address") == walk[0]["label"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def busy_street_turf(world):
    """One street whose two sides are 35 m apart (so the walk takes one side, then the other): odd
    numbers on the north side, even on the south, houses 44 m apart along it."""
    office = territory.get_or_create_office("Foxtrot", world.north, lat=60.5, lon=24.5)
    x0, y0 = 24.5, 60.5
    territory.save_blocks(office, gpd.GeoDataFrame({"source_id": ["wide"]}, geometry=[
        shapely.box(x0, y0, x0 + 0.005, y0 + 0.001)], crs="EPSG:4326"))
    rows = [{"source_id": f"wide-{side}-{i}", "street": "Leveäkatu", "house_number": str(2 * i + 1 + side),
             "unit": None, "city": "F", "postcode": "00100", "lat": y0 + (0.0003 if side else 0.000615),
             "lon": x0 + 0.0004 + i * 0.0008} for side in (0, 1) for i in range(5)]
    territory.save_doors(office, pd.DataFrame(rows))
    block = db.session.scalar(select(Block.id).where(Block.office_id == office.id))
    turf = turfs.build_turf(office, [block], "Foxtrot 1", None)
    volunteer = make_user("volunteer.f@test.example", "volunteer", office=office)
    organizer = make_user("organizer.f@test.example", "organizer", office=office)
    canvassing.assign(turf.id, volunteer, world.canvass_north, organizer.id)
    db.session.commit()
    return turf


def test_the_next_nearest_door_counts_crossing_a_busy_street_as_the_walk_order_does(located_phone, live_server, world):
    turf = busy_street_turf(world)
    walk = walklists.walklist(db.session.get(Turf, turf.id), world.canvass_north)
    by_number = {d["house_number"]: d for d in walk["doors"]}
    assert {d["crossing"][1] for d in walk["doors"] if d["crossing"]} == {0, 1}, "a street walked side by side"
    assert walk["walking"]["busy_crossing_m"] > 0
    five, six, seven = by_number["5"], by_number["6"], by_number["7"]
    know_door_done(world, five["id"])
    # Standing at number 5, a little towards 7: number 6, across the street, is nearer in a straight line,
    # but 7 is nearer on foot once crossing the busy street is counted.
    lat, lon = five["lat"], five["lon"] + 0.00005
    assert metres((lat, lon), (six["lat"], six["lon"])) < metres((lat, lon), (seven["lat"], seven["lon"]))
    page = located_phone(lat, lon)
    open_turf(page, live_server, email="volunteer.f@test.example", turf="Foxtrot 1")
    page.tap("#next-nearest")
    page.wait_for_selector("#door-view:not([hidden])")
    assert page.inner_text("#door-address") == seven["label"]


def test_a_refused_location_says_so_and_the_planned_order_stays(browser, live_server, world):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        open_turf(page, live_server)
        page.tap("#next-nearest")
        wait_until(page, "!document.getElementById('where-note').hidden"
                         " && !document.getElementById('where-note').textContent.startsWith('Finding')")
        assert page.inner_text("#where-note").startswith("Location is not allowed for this page")
        assert page.locator("#list-view").is_visible() and page.locator("#door-view").is_hidden()
        assert page.locator("#next-open").is_visible()
        page.screenshot(path=f"{SHOTS}/k-location-refused.png")
        page.tap("#show-me")
        wait_until(page, "document.getElementById('where-note').textContent.startsWith('Location is not allowed')")
        assert page.evaluate("document.querySelectorAll('#mini-map path[fill=\"#2563eb\"]').length") == 0
    finally:
        context.close()
