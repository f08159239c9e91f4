"""The organizer draws a turf on the office map and clicks blocks into it, in real Chromium."""
from __future__ import annotations

from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import Block, Turf
from tests.factories import CELL, PASSWORD

from .conftest import sign_in, wait_until

ORIGIN = (24.95, 60.10)  # Bravo's south-west corner; rows 2 and 3 of its blocks are in no turf


def screen_point(page, lon: float, lat: float) -> tuple[float, float]:
    """Where a lon/lat falls on the screen, from the Leaflet map itself."""
    point = page.evaluate("([lat, lon]) => { const p = window.fieldopsMap.map.latLngToContainerPoint([lat, lon]);"
                          " return [p.x, p.y]; }", [lat, lon])
    box = page.locator(".folium-map").bounding_box()
    return box["x"] + point[0], box["y"] + point[1]


def show_street_zoom(page) -> None:
    """Zoom to Bravo's blocks and wait until the map has drawn what it asked for (issue 18: the map
    loads the blocks in view after each move)."""
    wait_until(page, "window.fieldopsMap.loaded > 0")
    loads = page.evaluate("window.fieldopsMap.loaded")
    moved = page.evaluate("(() => { const m = window.fieldopsMap.map; const before = m.getCenter().toString() + m.getZoom();"
                          " m.setView([60.1025, 24.952], 17, {animate: false});"
                          " return before !== m.getCenter().toString() + m.getZoom(); })()")
    if moved:
        wait_until(page, f"window.fieldopsMap.loaded > {loads}")
    wait_until(page, "window.fieldopsMap.mode === 'blocks' && window.fieldopsMap.blocks.getLayers().length > 0")


def turf_blocks(name: str) -> list[str]:
    db.session.expire_all()
    turf = db.session.scalar(select(Turf).where(Turf.name == name))
    assert turf is not None, f"no turf {name!r} was saved"
    return sorted(db.session.scalars(select(Block.source_id).where(Block.turf_id == turf.id)))


def test_drawing_a_polygon_makes_a_turf_of_the_blocks_inside(desktop, live_server, world):
    page = desktop
    sign_in(page, live_server, "organizer.b@test.example", PASSWORD)
    page.goto(f"{live_server}/offices/{world.office_b.id}/turfs")
    wait_until(page, "window.fieldopsMap !== undefined")
    show_street_zoom(page)
    # A shape around the centres of row 2 (4 blocks x 5 doors), clear of rows 1 and 3.
    lon0, lon1 = ORIGIN[0] + 0.2 * CELL, ORIGIN[0] + 3.8 * CELL
    lat0, lat1 = ORIGIN[1] + 2.3 * CELL, ORIGIN[1] + 2.7 * CELL
    page.evaluate("window.fieldopsMap.map.on('draw:created', (e) => { window.lastShape = e.layer.toGeoJSON(); })")
    page.click(".leaflet-draw-draw-polygon")
    page.wait_for_selector(".leaflet-draw-actions", state="visible")  # drawing has begun
    corners = [screen_point(page, lon, lat) for lon, lat in [(lon0, lat0), (lon1, lat0), (lon1, lat1), (lon0, lat1)]]
    for x, y in corners:
        # Leaflet.draw catches clicks on a marker that follows the pointer: let it arrive first.
        page.mouse.move(x, y, steps=3)
        page.wait_for_timeout(100)
        page.mouse.down()
        page.mouse.up()
        page.wait_for_timeout(300)  # clicks closer together would read as a double click
    page.click(".leaflet-draw-actions a[title='Finish drawing']")
    wait_until(page, "document.getElementById('editor-status').textContent.startsWith('Check the blocks')"
                     " || document.getElementById('editor-status').textContent.startsWith('Could not')"
                     " || document.getElementById('editor-status').textContent.startsWith('No block')")
    assert page.locator("#editor-status").inner_text().startswith("Check the blocks"), \
        page.locator("#editor-status").inner_text()
    assert page.locator("#selection-summary").inner_text().startswith("4 blocks, 20 doors"), (
        page.evaluate("JSON.stringify(window.lastShape)"), corners,
        [screen_point(page, lon, lat) for lon, lat in [(lon0, lat0), (lon1, lat0), (lon1, lat1), (lon0, lat1)]])
    page.fill("#selection-name", "Drawn row")
    with page.expect_navigation():
        page.click("#selection-save")
    assert turf_blocks("Drawn row") == [f"bravo-2-{c}" for c in range(4)]
    assert "Drawn row" in page.locator("table.data").inner_text()

    # Clicking two free blocks of row 3 makes another turf.
    wait_until(page, "window.fieldopsMap !== undefined")
    show_street_zoom(page)
    for column in (0, 1):
        page.mouse.click(*screen_point(page, ORIGIN[0] + (column + 0.5) * CELL, ORIGIN[1] + 3.5 * CELL))
    assert page.locator("#selection-summary").inner_text().startswith("2 blocks, 10 doors")
    page.fill("#selection-name", "Clicked pair")
    with page.expect_navigation():
        page.click("#selection-save")
    assert turf_blocks("Clicked pair") == ["bravo-3-0", "bravo-3-1"]
