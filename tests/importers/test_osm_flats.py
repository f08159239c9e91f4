"""OpenStreetMap flats: an address with addr:flats or building:flats becomes one door per flat, and the walk
list shows each building once with its flats in order.

``data/flats.osm.pbf`` is a made-up extract written by ``data/make_flats_osm.py`` (see its docstring)."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from fieldops.extensions import db
from fieldops.importers.osm import read_osm, units_of
from fieldops.models import Block, Door, Office
from fieldops.services import canvassing, turfs, walklists
from tests.factories import make_user

FLATS_PBF = Path(__file__).parent / "data" / "flats.osm.pbf"


def test_units_of_one_element():
    assert units_of({"addr:flats": "1-3;7"}) == ["1", "2", "3", "7"]
    assert units_of({"addr:unit": "B 4", "addr:flats": "1-9"}) == ["B 4"]  # its own unit wins
    assert units_of({"building:flats": "3"}) == ["1", "2", "3"]
    assert units_of({"addr:flats": "1-64 except 13", "building:flats": "64"}) == ["1-64 except 13"]  # as written
    assert units_of({}) == [None]


def test_the_extract_gives_one_door_per_flat():
    doors = read_osm(FLATS_PBF).doors
    by_number = doors.groupby("house_number")["unit"].apply(list).to_dict()
    assert by_number["1"] == [str(n) for n in range(1, 65)]
    assert by_number["3"] == [f"A{n}" for n in range(1, 13)]
    assert by_number["5"] == ["1", "2", "5"]
    assert by_number["7"] == ["1", "2", "3", "7"]
    assert by_number["9"] == ["1", "2", "3", "4", "5", "6"]  # building:flats=6 on the building
    assert by_number["11"] == ["B 4"] and by_number["13"] == [None] and by_number["15"] == ["1-64 except 13"]
    assert doors["source_id"].is_unique
    assert set(doors.loc[doors["house_number"] == "5", "source_id"]) == {"node/9#1", "node/9#2", "node/9#5"}
    assert doors.loc[doors["house_number"] == "13", "source_id"].tolist() == ["node/12"]  # one door: id as before


def test_imported_flats_are_walked_once_per_building_in_unit_order(runner):
    result = runner.invoke(args=["import-osm", str(FLATS_PBF), "--office", "Testi", "--region", "Testimaa"])
    assert result.exit_code == 0, result.output
    office = db.session.scalar(select(Office).where(Office.name == "Testi"))
    assert db.session.scalar(select(db.func.count(Door.id)).where(Door.office_id == office.id)) == 92
    block_id = db.session.scalar(select(Door.block_id).where(Door.house_number == "1").limit(1))
    turf = turfs.build_turf(office, [block_id], "Testikatu", None)
    canvass = canvassing.build_canvass("Flats", office.region_id, office.id)
    canvassing.assign(turf.id, make_user("walker@test.example", "volunteer", office=office), canvass, None)
    db.session.commit()

    walk = walklists.walklist(turf, canvass)["doors"]
    assert len(walk) == 92
    for number, units in (("1", [str(n) for n in range(1, 65)]), ("3", [f"A{n}" for n in range(1, 13)]),
                          ("9", [str(n) for n in range(1, 7)])):
        positions = [n for n, door in enumerate(walk) if door["house_number"] == number]
        assert positions == list(range(positions[0], positions[0] + len(units)))  # the building once, together
        assert [walk[n]["unit"] for n in positions] == units
        assert walk[positions[0]]["building"]["units"] == len(units)
    assert db.session.scalar(select(Block.door_count).where(Block.id == block_id)) == 92
