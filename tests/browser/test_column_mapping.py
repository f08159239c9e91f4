"""The column-mapping step in real Chromium (issue 21.1): upload a VAN-style UTF-16 export, see its columns
with their first values and our guesses, change one, confirm, and read the import's result."""
from __future__ import annotations

from pathlib import Path

from fieldops.extensions import db
from fieldops.importers.blocks import read_blocks
from fieldops.models import Door, Person
from fieldops.services import territory
from sqlalchemy import select
from tests.factories import PASSWORD, make_user

from .conftest import sign_in

DATA = Path(__file__).resolve().parent.parent / "importers" / "data"


def test_confirm_the_columns_of_a_van_export(desktop, live_server, world, job_mode):
    office = territory.get_or_create_office("Maple", territory.get_or_create_region("Minnesota"))
    territory.save_blocks(office, read_blocks(DATA / "maple_block.geojson", id_field="source_id").blocks)
    make_user("organizer.maple@test.example", "organizer", office=office)
    db.session.commit()
    problems = []
    desktop.on("pageerror", lambda error: problems.append(str(error)))
    sign_in(desktop, live_server, "organizer.maple@test.example", PASSWORD)
    desktop.wait_for_url(f"**/offices/{office.id}")
    desktop.goto(f"{live_server}/offices/{office.id}/import")
    desktop.select_option("#kind", "doors")
    desktop.set_input_files("#upload", {"name": "MyVoters.xls", "mimeType": "application/vnd.ms-excel",
                                        "buffer": (DATA / "van_export.xls").read_bytes()})
    desktop.click("form.card button[type=submit]")
    desktop.wait_for_url("**/columns")
    assert "utf-16 text, tab-separated" in desktop.inner_text("main")
    assert desktop.locator("select[data-column='vAddress']").input_value() == "address"
    assert desktop.locator("select[data-column='Voter File VANID']").input_value() == "id"
    assert "100 Maple St" in desktop.locator("table").inner_text()
    assert db.session.scalar(select(Door.id).where(Door.office_id == office.id)) is None  # nothing written yet
    # The organizer reads VAN's "Cell Phone" as the phone instead of "Phone".
    desktop.select_option("select[data-column='Phone']", "")
    desktop.select_option("select[data-column='Cell Phone']", "phone")
    desktop.screenshot(path="/tmp/f2-columns.png", full_page=True)
    size = desktop.viewport_size
    desktop.set_viewport_size({"width": 360, "height": 800})  # an organizer checking it on a phone
    assert desktop.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert desktop.locator("select[data-column='vAddress']").bounding_box()["width"] > 250  # the whole width
    desktop.set_viewport_size(size)
    desktop.click("form.column-mapping button[type=submit]")
    desktop.wait_for_url("**/jobs/*")
    desktop.wait_for_selector("text=Imported into Maple", timeout=30_000)  # survives the page reloading itself
    desktop.wait_for_load_state()
    text = desktop.inner_text("main")
    assert "Placed from the address: 1 matched" in text and "2 interpolated" in text
    assert "address not found" in text
    desktop.screenshot(path="/tmp/f2-columns-done.png", full_page=True)
    db.session.expire_all()
    phones = dict(db.session.execute(select(Person.source_id, Person.phone).join(Door)
                                     .where(Door.office_id == office.id)).all())
    assert phones["100300"] == "6125559000" and phones["100200"] is None  # Cell Phone read, Phone not
    assert problems == []
