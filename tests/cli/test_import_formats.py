"""Issue 21.1/21.2 end to end: field exports imported with `flask import-doors`, address-only rows placed
from the doors held and marked so on the door, --map overriding the guess, Latin-1 read with a warning."""
from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select

from fieldops.domain.addresses import distance_m
from fieldops.extensions import db
from fieldops.models import Door, Person

DATA = Path(__file__).resolve().parent.parent / "importers" / "data"


def run(runner, *args):
    return runner.invoke(args=[*args])


def maple(runner):
    result = run(runner, "import-blocks", str(DATA / "maple_block.geojson"), "--office", "Maple",
                 "--region", "Minnesota", "--id-field", "source_id")
    assert result.exit_code == 0, result.output


def door_at(number: str) -> Door:
    return db.session.scalars(select(Door).where(Door.house_number == number)).one()


def test_a_van_export_is_imported_and_its_address_only_rows_placed(runner, tmp_path):
    maple(runner)
    rejects = tmp_path / "rejects.csv"
    result = run(runner, "import-doors", str(DATA / "van_export.xls"), "--office", "Maple",
                 "--rejects", str(rejects))
    assert result.exit_code == 0, result.output
    assert "read as utf-16 text, tab-separated" in result.output
    assert "placed from the address: 1 matched to a door we hold, 2 interpolated along the street" in result.output
    assert "kept as tags: MiddleName, Cell Phone" in result.output
    assert "columns not used" not in result.output  # a column kept as a tag is read: not "not used" too
    # Ida (104, no point) joined the door of Bo at 104: one door, two people, placed as the file said.
    door_104 = door_at("104")
    assert door_104.placed_by is None and {p.source_id for p in door_104.people} == {"100201", "100300"}
    # 112 lies between 108 and 120 on the even side: a third of the way, on that side of the street.
    door_112, door_108, door_120 = door_at("112"), door_at("108"), door_at("120")
    assert door_112.placed_by == "interpolated"
    expected_lon = door_108.lon + (door_120.lon - door_108.lon) * (112 - 108) / (120 - 108)
    assert distance_m(door_112.lat, door_112.lon, door_108.lat, expected_lon) < 2
    assert door_at("113").placed_by == "interpolated" and door_at("113").unit == "3"
    with rejects.open(newline="") as handle:
        rejected = list(csv.DictReader(handle))
    reasons = {row["row"]: row["reason"] for row in rejected}
    assert reasons == {"13": "address not split into number and street (a PO box, or no number)",
                       "14": "address not found"}
    # Each row as the file has it, under its own names: the address to fix is there to fix.
    assert list(rejected[0])[:4] == ["row", "reason", "Voter File VANID", "FirstName"]
    assert rejected[0]["vAddress"] == "PO Box 17" and "MiddleName" in rejected[0] and "street" not in rejected[0]
    assert "2 rejected" not in result.output and "address not found" in result.output
    assert db.session.scalar(select(Person).where(Person.source_id == "100304")) is None


def test_an_address_only_row_matches_a_door_of_another_file(runner, tmp_path):
    maple(runner)
    assert run(runner, "import-doors", str(DATA / "ecanvasser_export.csv"), "--office", "Maple").exit_code == 0
    path = tmp_path / "walk.csv"
    path.write_text("VANID,FirstName,StreetNo,StreetName,AptNo,Zip5\n9001,Pia,106,Maple St,B,55401\n9002,Rex,108,Maple St,,55401\n")
    result = run(runner, "import-doors", str(path), "--office", "Maple")
    assert result.exit_code == 0, result.output
    assert "1 matched to a door we hold, 1 interpolated" in result.output
    person = db.session.scalar(select(Person).where(Person.source_id == "9001"))
    assert person.door.unit == "B" and person.door.placed_by is None  # the Ecanvasser door, which had a point


def test_map_overrides_a_guess_and_latin1_is_a_warning(runner, tmp_path):
    maple(runner)
    path = tmp_path / "list.csv"
    path.write_bytes("Ref,Number,Street,Years,Latitude,Longitude\nR1,100,Maple St,40,44.97235,-93.279\n"
                     "R2,102,Mäple St,41,44.97235,-93.2786\n".encode("latin-1"))
    result = run(runner, "import-doors", str(path), "--office", "Maple", "--map", "Ref=id", "--map", "Years=age")
    assert result.exit_code == 0, result.output
    assert "warning: list.csv is not UTF-8" in result.output and "Windows-1252" in result.output
    assert db.session.scalar(select(Person).where(Person.source_id == "R2")).age == 41
    assert run(runner, "import-doors", str(path), "--office", "Maple", "--map", "Ref").exit_code != 0


def test_a_column_not_used_is_not_kept_and_one_kept_as_a_tag_is(runner, tmp_path):
    """Extra columns are kept as tags; "not used" (``--map "Column=-"``) keeps one nowhere, so a campaign can
    leave out what it must not store; ``=tag`` keeps a column that was guessed as one of our fields."""
    maple(runner)
    path = tmp_path / "list.csv"
    path.write_text("id,house_number,street,lat,lon,Ward,SSN,Phone\n"
                    "R1,100,Maple St,44.97235,-93.279,3,123-45-6789,612 555 0100\n", encoding="utf-8")
    result = run(runner, "import-doors", str(path), "--office", "Maple", "--map", "SSN=-", "--map", "Phone=tag")
    assert result.exit_code == 0, result.output
    person = db.session.scalar(select(Person).where(Person.source_id == "R1"))
    assert person.tags == {"ward": "3", "phone": "612 555 0100"} and person.phone is None


def test_a_door_placed_just_outside_its_block_is_matched_again_on_the_next_import(runner, tmp_path):
    """An address carried on past every block goes in the block of the door it was placed from; the same file
    imported again matches that door (whose point is still outside) and keeps it in that block: no row is
    rejected as outside the blocks. (Maple's one block ends at longitude -93.27.)"""
    maple(runner)
    source = tmp_path / "voters.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "street", "house_number", "city", "zip", "lat", "lon"])
        writer.writerow(["P1", "Edge St", "101", "Minneapolis", "55401", "44.972", "-93.2720"])
        writer.writerow(["P3", "Edge St", "103", "Minneapolis", "55401", "44.972", "-93.2705"])  # 38 m from the edge
        writer.writerow(["P5", "Edge St", "105", "Minneapolis", "55401", "", ""])  # carried on 118 m: outside
    outputs = []
    for _ in range(2):
        result = run(runner, "import-doors", str(source), "--office", "Maple")
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
        db.session.expire_all()
        assert door_at("105").lon > -93.27 and door_at("105").block_id == door_at("103").block_id
    assert "1 interpolated" in outputs[0] and "1 matched to a door we hold" in outputs[1]
    assert "rejected rows" not in outputs[1], outputs[1]


def test_a_file_none_of_whose_rows_can_be_placed_is_all_rejects_not_a_crash(runner, tmp_path):
    """A voter file put into the wrong office: every address is unknown there. The organizer gets the
    summary (nothing written, every row a reject with its reason) and the rejects file, not an error."""
    maple(runner)
    source = tmp_path / "elsewhere.csv"
    source.write_text("Voter File VANID,FirstName,vAddress,City\nZ1,Ann,Nowhere St 5,Helsinki\n"
                      "Z2,Bo,Kirkkokatu 3,Helsinki\n", encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    result = run(runner, "import-doors", str(source), "--office", "Maple", "--rejects", str(rejects))
    assert result.exit_code == 0, result.output
    assert "doors: 0 new, 0 updated from 2 rows" in result.output and "2 address not found" in result.output
    assert db.session.scalar(select(Door.id)) is None
    with rejects.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["reason"] for row in rows] == ["address not found"] * 2


def test_a_files_own_row_and_reason_columns_stay_in_its_rejects_file(runner, tmp_path):
    maple(runner)
    source = tmp_path / "own_columns.csv"
    source.write_text("id,vAddress,City,reason,row\n1,PO Box 17,Minneapolis,moved,A\n"
                      "2,990 Nowhere Ave,Minneapolis,,B\n", encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    result = run(runner, "import-doors", str(source), "--office", "Maple", "--rejects", str(rejects))
    assert result.exit_code == 0, result.output
    with rejects.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["row", "reason", "id", "vAddress", "City", "reason", "row"]
    assert rows[1] == ["2", "address not split into number and street (a PO box, or no number)",
                       "1", "PO Box 17", "Minneapolis", "moved", "A"]
    assert rows[2] == ["3", "address not found", "2", "990 Nowhere Ave", "Minneapolis", "", "B"]
