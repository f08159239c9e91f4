"""An organizer names the committee's result codes on Settings, then downloads the VAN bulk-upload and
OSDI files from the office dashboard in real Chromium (the files stream after the request's unit of work)."""
from __future__ import annotations

import csv
import json

from tests.factories import PASSWORD
from tests.web.test_committee_exports import QUESTIONS, add_contact, ask, door_with_people

from .conftest import sign_in


def test_van_and_osdi_files_download_with_the_saved_codes(desktop, live_server, world):
    ask(world, QUESTIONS)
    door_id, (ann, _bob) = door_with_people(world, "900001", "900002")
    add_contact(world, door_id, "talked", {"support": 5}, person_id=ann)
    add_contact(world, door_id, "not_home", day=6)
    page = desktop
    sign_in(page, live_server, "organizer.a@test.example", PASSWORD)
    page.goto(f"{live_server}/offices/{world.office_a.id}/settings/results")
    page.fill("#result_talked", "Canvassed")
    page.fill("#survey_names", "support=5: Strong Support")
    page.click("#codes-form button[type=submit]")
    assert "Result codes saved" in page.inner_text("body")
    page.goto(f"{live_server}/offices/{world.office_a.id}/dashboard")
    with page.expect_download() as download:
        page.click("#contact-downloads >> text=VAN bulk upload")
    with open(download.value.path(), encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["VAN ID", "Date Contacted", "Canvass Result", "Support"]
    assert ["900001", "11/05/2026", "Canvassed", "Strong Support"] in rows
    assert ["900002", "11/06/2026", "Not home", ""] in rows
    with page.expect_download() as download:
        page.click("#contact-downloads >> text=OSDI (JSON)")
    with open(download.value.path(), encoding="utf-8") as handle:
        document = json.load(handle)
    assert len(document["canvasses"]) == 3 and document["office"] == "Alpha"
