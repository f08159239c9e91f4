"""Markup from an import file or a rename never renders on a map (issue 15, security), in real Chromium.

Block ids, street names and names with ``<b>``, ``<img src=x>`` and ``<meta http-equiv=refresh>`` come in
through ``flask import-blocks`` and ``flask import-doors``, an office is made with such a name, and an
organizer renames a turf to markup on its page. Then the turf workspace map, the office's coverage map,
the region comparison map and the phone's map are opened as organizer, lead, admin and volunteer, every
tooltip and popup on them is opened, and: no injected element is in the page, nobody is sent anywhere,
and the markup reads literally.
"""
from __future__ import annotations

import csv
import json

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import select

from fieldops import unit_of_work
from fieldops.extensions import db
from fieldops.models import Block, Office, Turf, User
from fieldops.services import canvassing
from tests.factories import CELL, PASSWORD, make_turf

from .conftest import sign_in, wait_until

BOLD = "<b>Bold block</b>"
IMAGE = "<img src=x>"
REFRESH = '<meta http-equiv="refresh" content="0;url=http://example.invalid/">'
SHORT_REFRESH = '<meta http-equiv=refresh content=0;url=http://example.invalid/>'  # a block id has 64 characters
TURF_NAME = f"{BOLD} {REFRESH}"
OFFICE_NAME = f"{IMAGE}{REFRESH}"
INJECTED = "b, img[src='x'], meta[http-equiv='refresh' i]"
ORIGIN = (24.904, 60.100)  # just east of Alpha's grid (24.900-24.904)

# Open every tooltip and popup of every Leaflet map on the page, one layer at a time, and note what each
# showed and whether anything injected appeared. Folium's maps are globals (var map_...); ours register
# themselves in window.fieldopsMap.
OPEN_EVERYTHING = """(injected) => {
  const maps = new Set();
  for (const key of Object.keys(window)) {
    try { if (window[key] instanceof L.Map) maps.add(window[key]); } catch (error) { /* a cross-origin frame */ }
  }
  if (window.fieldopsMap && window.fieldopsMap.map) maps.add(window.fieldopsMap.map);
  const shown = [];
  let opened = 0, found = 0;
  const look = () => {
    document.querySelectorAll(".leaflet-tooltip, .leaflet-popup-content").forEach((el) => shown.push(el.textContent));
    found += document.querySelectorAll(injected).length;
  };
  for (const map of maps) {
    const layers = [];
    map.eachLayer((layer) => { if (layer instanceof L.Path || layer instanceof L.Marker) layers.push(layer); });
    for (const layer of layers) {
      const at = layer.getBounds ? layer.getBounds().getCenter() : layer.getLatLng();
      layer.fire("mouseover", {latlng: at}, true);
      look();
      layer.fire("mouseout", {latlng: at}, true);
      layer.fire("click", {latlng: at}, true);
      look();
      map.closePopup();
      opened += 1;
    }
  }
  look();
  return {maps: maps.size, opened, shown, found};
}"""


@pytest.fixture
def markup_world(world, runner, tmp_path):
    """Alpha gets three blocks and their doors from files full of markup, made a turf handed to volunteer a1;
    a new office of the North region is named with markup."""
    ids = [BOLD, IMAGE, SHORT_REFRESH]
    features = [{"type": "Feature", "properties": {"block_id": source_id, "homes": 2},
                 "geometry": {"type": "Polygon", "coordinates": [[
                     [ORIGIN[0] + n * CELL, ORIGIN[1]], [ORIGIN[0] + (n + 1) * CELL, ORIGIN[1]],
                     [ORIGIN[0] + (n + 1) * CELL, ORIGIN[1] + CELL], [ORIGIN[0] + n * CELL, ORIGIN[1] + CELL],
                     [ORIGIN[0] + n * CELL, ORIGIN[1]]]]}} for n, source_id in enumerate(ids)]
    blocks = tmp_path / "blocks.geojson"
    blocks.write_text(json.dumps({"type": "FeatureCollection", "features": features,
                                  "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}}))
    for office in ("Alpha", OFFICE_NAME):
        result = runner.invoke(args=["import-blocks", str(blocks), "--office", office, "--region", "North",
                                     "--id-field", "block_id", "--doors-field", "homes"])
        assert result.exit_code == 0, result.output
    doors = tmp_path / "voters.csv"
    with doors.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "street", "house_number", "unit", "lat", "lon", "first_name", "last_name"])
        for n, street in enumerate([BOLD, IMAGE, REFRESH]):
            lat, lon = ORIGIN[1] + CELL / 2, ORIGIN[0] + (n + 0.5) * CELL
            writer.writerow([f"m{n}", street, "1", "", lat, lon, BOLD, REFRESH])
            for unit in ("A", "B"):  # a building: one marker with a tooltip naming its street
                writer.writerow([f"m{n}{unit}", street, "3", unit, lat + CELL / 4, lon, IMAGE, ""])
    result = runner.invoke(args=["import-doors", str(doors), "--office", "Alpha"])
    assert result.exit_code == 0, result.output

    def hand_out():
        turf = make_turf(world.office_a, ids, "Imported")
        volunteer = db.session.scalar(select(User).where(User.email == "volunteer.a1@test.example"))
        canvassing.assign(turf.id, volunteer, world.canvass_north, None)
        return turf.id

    world.markup_turf_id = unit_of_work.run(hand_out)
    world.markup_office_id = db.session.scalar(select(Office.id).where(Office.name == OFFICE_NAME))
    return world


def guard(page) -> list[str]:
    """Serve the outside page a refresh would go to (so a redirect is seen, not a network error) and note
    every navigation and dialog from now on."""
    events: list[str] = []
    page.route("http://example.invalid/**", lambda route: route.fulfill(body="<h1>Session expired</h1>",
                                                                       content_type="text/html"))
    page.on("framenavigated", lambda frame: events.append(f"navigated to {frame.url}"))
    page.on("dialog", lambda dialog: (events.append(f"dialog {dialog.message}"), dialog.dismiss()))
    return events


def check_map(page, events: list[str], url: str, expected: list[str], zoom_to: int | None = None) -> None:
    page.goto(url)
    events.clear()
    try:
        page.wait_for_selector(".leaflet-container path.leaflet-interactive", timeout=10_000)
    except PlaywrightTimeout:
        pass
    assert page.url == url, f"opening {url} sent the browser to {page.url}"
    wait_until(page, "typeof L !== 'undefined'")
    if zoom_to:  # the workspace labels turfs once zoomed in
        page.evaluate(f"window.fieldopsMap.map.setView([{ORIGIN[1] + CELL / 2}, {ORIGIN[0] + CELL}], {zoom_to},"
                      " {animate: false})")
        page.wait_for_selector(".turf-label")
    seen = page.evaluate(OPEN_EVERYTHING, INJECTED)
    assert seen["opened"] > 0, seen
    page.wait_for_timeout(1500)  # a refresh of 0 s would have happened by now
    assert page.locator(INJECTED).count() == 0 and seen["found"] == 0, seen  # nothing became HTML
    assert events == [] and page.url == url, (events, page.url)
    text = "\n".join(seen["shown"])
    for literal in expected:
        assert literal in text, (literal, seen["shown"][:20])


@pytest.mark.parametrize("email", ["organizer.a@test.example", "lead.north@test.example", "admin@test.example"])
def test_office_maps_show_imported_and_renamed_markup_as_text(desktop, live_server, markup_world, email):
    world, page = markup_world, desktop
    office = world.office_a.id
    events = guard(page)
    if email.startswith("organizer"):  # the rename, through the turf's page
        sign_in(page, live_server, email, PASSWORD)
        page.goto(f"{live_server}/turfs/{world.markup_turf_id}")
        page.fill("#turf-name", TURF_NAME)
        page.click("form:has(#turf-name) button[type=submit]")
        page.wait_for_load_state()
        assert page.locator(INJECTED).count() == 0
        db.session.expire_all()
        assert db.session.get(Turf, world.markup_turf_id).name == TURF_NAME
    else:
        db.session.get(Turf, world.markup_turf_id).name = TURF_NAME
        db.session.commit()
        sign_in(page, live_server, email, PASSWORD)
    page.wait_for_load_state()
    check_map(page, events, f"{live_server}/offices/{office}/turfs", [BOLD, IMAGE, SHORT_REFRESH, TURF_NAME],
              zoom_to=17)
    check_map(page, events, f"{live_server}/offices/{office}/dashboard", [BOLD, IMAGE, SHORT_REFRESH, TURF_NAME])
    if not email.startswith("organizer"):
        check_map(page, events, f"{live_server}/regions/{world.north.id}/compare", [OFFICE_NAME])


def test_the_phone_map_shows_imported_markup_as_text(phone, live_server, markup_world):
    world, page = markup_world, phone
    db.session.get(Turf, world.markup_turf_id).name = TURF_NAME
    db.session.commit()
    sign_in(page, live_server, "volunteer.a1@test.example", PASSWORD)
    page.wait_for_url("**/my/turfs")
    url = f"{live_server}/canvass/{world.markup_turf_id}"
    events = guard(page)
    page.goto(url)
    events.clear()
    page.wait_for_selector("#mini-map path.leaflet-interactive")
    markers = page.locator("#mini-map path.leaflet-interactive")
    shown = []
    for n in range(markers.count()):
        page.evaluate("document.querySelectorAll('.leaflet-tooltip').forEach((t) => t.remove())")
        markers.nth(n).hover(force=True)
        page.wait_for_timeout(150)
        shown += page.locator(".leaflet-tooltip").all_inner_texts()
    page.wait_for_timeout(1500)
    assert page.locator(INJECTED).count() == 0
    assert events == [] and page.url == url, events
    text = "\n".join(shown)
    assert any(street in text for street in (BOLD, IMAGE, REFRESH)), shown
