"""The scripts speak the page's language in real Chromium: a Finnish browser gets Finnish confirmations
(confirm.js, from the page's translated data-confirm) and Finnish script text (sortable-table.js's t())."""
from __future__ import annotations

from tests.factories import PASSWORD
from tests.web.test_quiet_turfs import handed_out_days_ago

from .conftest import sign_in


def finnish_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fi-FI")
    return context, context.new_page()


def test_taking_a_quiet_turf_back_asks_in_finnish_and_no_keeps_it(browser, live_server, world):
    handed_out_days_ago(10)
    context, page = finnish_page(browser)
    try:
        sign_in(page, live_server, "organizer.a@test.example", PASSWORD)
        page.goto(f"{live_server}/offices/{world.office_a.id}/idle-turfs")
        assert page.inner_text("h1").startswith("Hiljaiset alueet")
        asked = []
        page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
        page.click("#idle-table button[type=submit]")
        page.wait_for_timeout(300)
        assert len(asked) == 1 and asked[0].startswith("Otetaanko alue Alpha 1 takaisin vapaaehtoiselta")
        assert "hänen kirjaamansa kontaktit säilyvät" in asked[0]
        assert page.url.endswith("/idle-turfs") and "Alpha 1" in page.inner_text("#idle-table")  # "no" kept it
    finally:
        context.close()


def test_the_sortable_tables_script_speaks_finnish(browser, live_server, world):
    context, page = finnish_page(browser)
    try:
        sign_in(page, live_server, "organizer.a@test.example", PASSWORD)
        page.goto(f"{live_server}/offices/{world.office_a.id}/dashboard")
        heading = page.locator("#turf-table thead th").first
        assert heading.get_attribute("title") == "Lajittele tämän sarakkeen mukaan"
        assert page.evaluate("window.ngettext('%(num)s contact waiting to sync', "
                             "'%(num)s contacts waiting to sync', 3)") == "3 kontaktia odottaa synkronointia"
    finally:
        context.close()
