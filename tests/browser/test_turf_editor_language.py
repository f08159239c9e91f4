"""The turf workspace's map editor speaks the page's language: its script's strings come from the same catalogs."""
from __future__ import annotations

from fieldops.extensions import db
from tests.factories import PASSWORD

from .conftest import sign_in


def test_the_turf_editor_speaks_swedish_on_a_swedish_page(desktop, live_server, world):
    world.users.organizer_b.locale = "sv"
    db.session.commit()
    page = desktop
    sign_in(page, live_server, "organizer.b@test.example", PASSWORD)
    page.goto(f"{live_server}/offices/{world.office_b.id}/turfs")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("#editor-status").inner_text().startswith("Rita en form runt kvarter")
    page.click("button.edit-blocks")  # the script answers: a string it translates with t('...')
    status = page.locator("#editor-status")
    assert status.inner_text() == ("Redigerar Bravo 1: klicka på dess kvarter för att ta bort dem, "
                                   "eller på lediga kvarter för att lägga till dem.")
    assert page.locator("#selection-save").inner_text() == "Spara ändringarna"
    assert "Redigerar Bravo 1: lägger till 0 kvarter (0 dörrar)" in page.locator("#selection-summary").inner_text()
    page.click("#selection-cancel")
    assert status.inner_text() == "Avbrutet. Rita en form eller klicka på lediga kvarter för att börja om."
