"""A regional lead opens the comparison of their offices, in real Chromium."""
from __future__ import annotations

from tests.factories import PASSWORD

from .conftest import sign_in


def test_lead_sees_one_row_per_office_and_a_drawn_map(desktop, live_server, world):
    page = desktop
    sign_in(page, live_server, "lead.north@test.example", PASSWORD)
    page.goto(f"{live_server}/regions/{world.north.id}/compare")
    rows = page.locator("#office-table tbody tr")
    assert rows.count() == 2
    assert [name.strip() for name in page.locator("#office-table tbody tr td:first-child").all_inner_texts()] == [
        "Alpha", "Bravo"]
    # Leaflet drew each office's territory as a path on the map.
    page.wait_for_selector("#region-map path.leaflet-interactive")
    assert page.locator("#region-map path.leaflet-interactive").count() == 2
    assert "Nothing to draw in this period" in page.inner_text(".chart-box")  # no contacts yet in this world
    # Sorting by doors, then reversing, reorders the rows.
    page.click("#office-table th:has-text('Attempted')")
    page.click("#office-table th:has-text('Office')")
    page.click("#office-table th:has-text('Office')")
    assert page.locator("#office-table tbody tr td:first-child").first.inner_text().strip() == "Bravo"
