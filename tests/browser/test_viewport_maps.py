"""Issue 18: the office maps load what the viewport shows, in real Chromium.

Zoomed out, the turf workspace shows cells of blocks and says to zoom in; zoomed in, the blocks
themselves, which can be clicked into a selection that outlives a move of the map; the coverage
map asks again on every move."""
from __future__ import annotations

from tests.factories import CELL, PASSWORD

from .conftest import sign_in, wait_until
from .test_turf_map import ORIGIN, screen_point


def test_the_workspace_groups_blocks_zoomed_out_and_keeps_a_selection_across_moves(desktop, live_server, world):
    page = desktop
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/map/turfs?" in request.url else None)
    sign_in(page, live_server, "organizer.b@test.example", PASSWORD)
    page.goto(f"{live_server}/offices/{world.office_b.id}/turfs")
    wait_until(page, "window.fieldopsMap !== undefined && window.fieldopsMap.loaded > 0")
    page.evaluate("window.fieldopsMap.map.setView([60.1025, 24.952], 10, {animate: false}); null")
    wait_until(page, "window.fieldopsMap.mode === 'cells'")
    assert "zoom in to pick blocks" in page.locator(".map-note").inner_text()
    page.evaluate("window.fieldopsMap.map.setView([60.1025, 24.952], 17, {animate: false}); null")
    wait_until(page, "window.fieldopsMap.mode === 'blocks' && window.fieldopsMap.blocks.getLayers().length === 16")
    assert page.locator(".map-note").inner_text() == ""
    page.mouse.click(*screen_point(page, ORIGIN[0] + 0.5 * CELL, ORIGIN[1] + 3.5 * CELL))  # a free block
    assert page.locator("#selection-summary").inner_text().startswith("1 blocks, 5 doors")
    before, loads = len(asked), page.evaluate("window.fieldopsMap.loaded")
    page.evaluate("window.fieldopsMap.map.panBy([40, 0], {animate: false}); null")
    wait_until(page, f"window.fieldopsMap.loaded > {loads} && window.fieldopsMap.mode === 'blocks'")
    assert len(asked) > before  # the move asked for the new view, and the blocks were drawn again
    assert page.locator("#selection-summary").inner_text().startswith("1 blocks, 5 doors")
    page.mouse.click(*screen_point(page, ORIGIN[0] + 1.5 * CELL, ORIGIN[1] + 3.5 * CELL))
    assert page.locator("#selection-summary").inner_text().startswith("2 blocks, 10 doors")
    assert errors == []


def test_the_coverage_map_asks_for_each_view(desktop, live_server, world):
    page = desktop
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/map/coverage?" in request.url else None)
    sign_in(page, live_server, "organizer.a@test.example", PASSWORD)
    page.goto(f"{live_server}/offices/{world.office_a.id}/dashboard")
    wait_until(page, "window.fieldopsMap && window.fieldopsMap.loaded > 0")
    first = len(asked)
    page.evaluate("window.fieldopsMap.map.setView([60.102, 24.902], 9, {animate: false}); null")
    wait_until(page, "window.fieldopsMap.mode === 'cells'")
    assert len(asked) > first and "zoom=9" in asked[-1] and "bbox=" in asked[-1]
    assert page.evaluate("window.fieldopsMap.doors.getLayers().length") == 0  # doors only at street zoom
    assert "zoom in to see each block" in page.locator(".map-note").inner_text()
