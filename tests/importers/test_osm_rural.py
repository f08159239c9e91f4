"""OpenStreetMap extracts of small towns (issue 16): paths only is a one-line refusal, and homes without an
address become doors named by their nearest street. ``data/rural.osm.pbf`` and ``data/paths_only.osm.pbf``
are made up by ``data/make_rural_osm.py`` (its docstring says what they are shaped after)."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from fieldops.errors import InvalidInput
from fieldops.extensions import db
from fieldops.importers.osm import read_osm
from fieldops.models import Block, Door, Office
from fieldops.services import canvassing, turfs, walklists
from tests.factories import make_user

DATA = Path(__file__).parent / "data"


def test_an_extract_of_paths_and_service_roads_is_refused_in_one_line():
    with pytest.raises(InvalidInput, match="only paths and service roads .*footway, path, service") as caught:
        read_osm(DATA / "paths_only.osm.pbf")
    assert "paths_only.osm.pbf" in caught.value.message and "\n" not in caught.value.message


def test_homes_without_an_address_are_doors_named_by_the_nearest_street():
    doors = read_osm(DATA / "rural.osm.pbf").doors
    assert doors[["source_id", "street", "house_number", "unaddressed"]].values.tolist() == [
        ["node/39", "Koulukatu", "8", False],     # an addressed entrance: its building is not a door again
        ["way/7", "Kauppalankatu", "3", False],   # addressed: as before
        ["way/8", "Kauppalankatu", "", True],     # a house: near Kauppalankatu
        ["way/9", "Koulukatu", "", True],         # building=yes in residential landuse: near Koulukatu
        ["way/12", "Itäkatu", "", True],          # building=detached is a home anywhere
    ]  # not the garage, nor the building=yes outside residential landuse


def test_import_osm_of_paths_only_exits_non_zero_and_writes_nothing(runner):
    result = runner.invoke(args=["import-osm", str(DATA / "paths_only.osm.pbf"), "--office", "Puisto",
                                 "--region", "Kymenlaakso"])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "only paths and service roads" in result.output
    assert len([line for line in result.output.splitlines() if "paths_only" in line]) == 1
    db.session.rollback()
    assert db.session.scalar(select(func.count(Office.id)).where(Office.name == "Puisto")) == 0


def test_unaddressed_homes_are_walked_and_labelled_near_their_street(runner):
    result = runner.invoke(args=["import-osm", str(DATA / "rural.osm.pbf"), "--office", "Kouvola",
                                 "--region", "Kymenlaakso"])
    assert result.exit_code == 0, result.output
    assert "of them 3 homes without an address" in result.output
    office = db.session.scalar(select(Office).where(Office.name == "Kouvola"))
    doors = db.session.scalars(select(Door).where(Door.office_id == office.id).order_by(Door.source_id)).all()
    assert {door.address for door in doors if door.unaddressed} == {
        "near Kauppalankatu", "near Koulukatu", "near Itäkatu"}
    block_ids = db.session.scalars(select(Block.id).where(Block.office_id == office.id)).all()
    turf = turfs.build_turf(office, list(block_ids), "Maaseutu", None)
    canvass = canvassing.build_canvass("Kevät", office.region_id, office.id)
    canvassing.assign(turf.id, make_user("walker@test.example", "volunteer", office=office), canvass, None)
    db.session.commit()
    walk = walklists.walklist(turf, canvass)["doors"]
    near = [door for door in walk if door["unaddressed"]]
    assert sorted(door["label"] for door in near) == ["near Itäkatu", "near Kauppalankatu", "near Koulukatu"]
    assert all(door["building"] is None for door in near)  # each a house of its own, not one "building"
    assert sorted(door["address"] for door in walk if not door["unaddressed"]) == ["Kauppalankatu 3", "Koulukatu 8"]
