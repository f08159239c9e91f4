"""Regions and offices made in real Chromium: an admin, a region's lead, an office's organizer."""
from __future__ import annotations

from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import Office, Region
from tests.factories import PASSWORD

from .conftest import sign_in


def submit(page, selector: str) -> None:
    """Click and wait for the page the form leads to (a redirect, or the form again with its reason)."""
    with page.expect_navigation():
        page.click(selector)


def test_an_admin_makes_a_region_and_an_office_from_the_pages(desktop, live_server, world):
    page = desktop
    sign_in(page, live_server, "admin@test.example", PASSWORD)
    page.goto(f"{live_server}/regions")
    submit(page, "text=Regions and offices")
    page.fill("#region-name", "West Coast")
    submit(page, "#new-region button[type=submit]")
    assert "Region West Coast created" in page.inner_text("main")
    page.fill("#region-name", "west coast")
    submit(page, "#new-region button[type=submit]")
    assert "already a region named 'West Coast'" in page.inner_text("#territory-error")
    region = db.session.scalar(select(Region).where(Region.name == "West Coast"))
    submit(page, f"#region-{region.id} >> text=New office in West Coast")
    page.fill("#name", "Echo Park")
    page.fill("#address", "1500 Sunset Blvd")
    page.fill("#lat", "34.0782")
    page.fill("#lon", "-118.2606")
    submit(page, "#office-form button[type=submit]")
    assert "its clock is America/Los_Angeles" in page.inner_text("main")
    page.screenshot(path="/tmp/d-browser-admin-office.png", full_page=True)
    office = db.session.scalar(select(Office).where(Office.name == "Echo Park"))
    assert (office.region_id, office.time_zone) == (region.id, "America/Los_Angeles")


def test_a_lead_adds_and_renames_an_office_and_an_organizer_moves_its_clock(desktop, live_server, world):
    page = desktop
    sign_in(page, live_server, "lead.north@test.example", PASSWORD)
    page.goto(f"{live_server}/regions/{world.north.id}")
    submit(page, "text=New office")
    assert page.input_value("#time_zone") == "Europe/Helsinki"  # the region's offices' clock, suggested
    page.fill("#name", "Kallio")
    submit(page, "#office-form button[type=submit]")
    assert "Office Kallio created in North" in page.inner_text("main")
    submit(page, "text=Rename or change the address")
    page.fill("#name", "Alpha")
    submit(page, "#office-form button[type=submit]")
    assert "already an office named 'Alpha'" in page.inner_text("#office-error")
    page.fill("#name", "Kallio East")
    submit(page, "#office-form button[type=submit]")
    assert page.inner_text("h1").startswith("Kallio East")
    submit(page, "text=Sign out")

    sign_in(page, live_server, "organizer.a@test.example", PASSWORD)
    page.goto(f"{live_server}/offices/{world.office_a.id}")
    assert page.locator("text=Rename or change the address").count() == 0
    submit(page, "a.button:has-text('Settings')")
    assert page.input_value("#time_zone") == "Europe/Helsinki"
    page.fill("#time_zone", "America/Chicago")
    submit(page, "#settings-form button[type=submit]")
    assert "now keeps America/Chicago time" in page.inner_text("main")
    page.goto(f"{live_server}/offices/{world.office_a.id}/review")
    assert "When (Chicago time)" in page.inner_text("#review-table")
    page.screenshot(path="/tmp/d-browser-organizer-review.png", full_page=True)
