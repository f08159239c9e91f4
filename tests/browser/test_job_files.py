"""A job's files download from its page in real Chromium, through the live server: an import's rejected rows
(in the reader's language) and a prepared contact export. These files stream after the request has ended;
the test client keeps a request's context open while it reads the body, so only a real server showed the
job and the signed-in user already gone from their session by then (a 500 instead of the file)."""
from __future__ import annotations

import csv

from fieldops.services import territory
from tests.factories import PASSWORD
from tests.importers.conftest import voter_rows
from tests.web.test_committee_exports import add_contact, door_with_people

from .conftest import sign_in, wait_until


def test_an_imports_rejected_rows_download_in_the_readers_language(browser, live_server, world):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fi-FI", accept_downloads=True)
    page = context.new_page()
    try:
        sign_in(page, live_server, "organizer.a@test.example", PASSWORD)
        page.wait_for_url(f"**/offices/{world.office_a.id}")
        frame = voter_rows(territory.office_blocks_frame(world.office_a))
        frame.loc[0, ["latitude", "longitude"]] = [None, None]  # no point, and an address no door is at
        frame.loc[0, "street"] = "Nowhere St"
        page.goto(f"{live_server}/offices/{world.office_a.id}/import")
        page.select_option("#kind", "doors")
        page.set_input_files("#upload", {"name": "voters.csv", "mimeType": "text/csv",
                                         "buffer": frame.to_csv(index=False).encode()})
        page.click("form.card button[type=submit]")
        page.wait_for_url("**/columns")
        page.click("form.column-mapping button[type=submit]")
        page.wait_for_url("**/jobs/*")
        wait_until(page, "!!document.querySelector(\"a[href*='/files/rejects']\")", timeout=30_000)
        assert "osoitetta ei löytynyt" in page.inner_text("table.rejects")
        with page.expect_download() as download:
            page.click("a[href*='/files/rejects']")
        with open(download.value.path(), encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0][:3] == ["rivi", "syy", "voter_id"] and rows[1][:3] == ["2", "osoitetta ei löytynyt", "V0a"]
        assert len(rows) == 2  # the one rejected row, every other row imported
    finally:
        context.close()


def test_a_prepared_export_downloads_from_its_job_page(desktop, live_server, world):
    door_id, (ann, _bob) = door_with_people(world, "900001", "900002")
    add_contact(world, door_id, "talked", {"support": 5}, person_id=ann)
    page = desktop
    sign_in(page, live_server, "organizer.a@test.example", PASSWORD)
    page.wait_for_url(f"**/offices/{world.office_a.id}")
    page.goto(f"{live_server}/offices/{world.office_a.id}/dashboard")
    page.select_option("#export-job-format", "van-bulk")
    page.click("#export-job-form button[type=submit]")
    page.wait_for_url("**/jobs/*")
    wait_until(page, "!!document.querySelector(\"a[href*='/files/export']\")", timeout=30_000)
    with page.expect_download() as download:
        page.click("a[href*='/files/export']")
    with open(download.value.path(), encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["VAN ID", "Date Contacted", "Canvass Result"]
    assert [row[0] for row in rows[1:]] == ["900001"]
