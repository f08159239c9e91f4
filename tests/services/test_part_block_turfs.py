"""Turfs smaller than a block: a block of apartment buildings divided between turfs, and everything that
reads turfs (walk lists, coverage, the sync, the map, editing, deleting) treating each door as held once."""
from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from sqlalchemy import func, select

from fieldops.errors import Conflict
from fieldops.extensions import db
from fieldops.models import Block, Contact, Door, Turf, TurfDoor
from fieldops.services import canvassing, coverage, territory, turf_doors, turfs, walklists
from tests.api.test_contact_sync import knock
from tests.api.test_api_access import bearer
from tests.factories import CELL, create_token, make_user

ORIGIN = (24.80, 60.30)


def tower_office(region, name="Towers"):
    """Two small blocks of 10 houses beside a big block of 4 apartment buildings (30 flats each)."""
    office = territory.get_or_create_office(name, region, lat=ORIGIN[1], lon=ORIGIN[0])
    x, y = ORIGIN
    boxes = [shapely.box(x, y, x + CELL, y + CELL), shapely.box(x + CELL, y, x + 3 * CELL, y + CELL),
             shapely.box(x + 3 * CELL, y, x + 4 * CELL, y + CELL)]
    territory.save_blocks(office, gpd.GeoDataFrame({"source_id": ["west", "towers", "east"]}, geometry=boxes,
                                                   crs="EPSG:4326"))
    rows = []
    for block, (minx, maxx) in (("west", (x, x + CELL)), ("east", (x + 3 * CELL, x + 4 * CELL))):
        for n in range(10):
            rows.append({"source_id": f"{block}-{n}", "street": f"{block.title()} Lane", "house_number": str(n + 1),
                         "unit": None, "city": "T", "postcode": "00100", "lat": y + CELL / 2,
                         "lon": minx + (maxx - minx) * (n + 0.5) / 10})
    for building in range(4):
        for flat in range(30):
            rows.append({"source_id": f"tower-{building}-{flat}", "street": "High Street",
                         "house_number": str(building * 2 + 1), "unit": f"{'AB'[flat // 15]} {flat % 15 + 1}",
                         "city": "T", "postcode": "00100", "lat": y + CELL * (0.3 + 0.4 * (building % 2)),
                         "lon": x + CELL * (1.3 + 0.45 * building)})
    territory.save_doors(office, pd.DataFrame(rows))
    return office


def held(turf) -> list[int]:
    return sorted(db.session.scalars(turfs.turf_doors(turf).with_only_columns(Door.id)))


@pytest.fixture
def towers(world):
    office = tower_office(world.north)
    result = turfs.auto_cut(office, 35, None)  # a building (30) or a building and a small block (40) a turf
    db.session.commit()
    return office, result


def test_a_block_bigger_than_a_turf_is_divided_and_every_door_is_held_once(towers):
    office, result = towers
    tower_block = db.session.scalar(select(Block).where(Block.source_id == "towers"))
    assert tower_block.divided and tower_block.turf_id is None  # never handed out whole
    every = sorted(db.session.scalars(select(Door.id).where(Door.office_id == office.id)))
    assert sorted(d for turf in result.turfs for d in held(turf)) == every  # each door in exactly one turf
    assert result.report["divided_blocks"] == 1 and result.report["part_block_turfs"] >= 3
    assert result.report["within_20pct"] == 1.0 and result.report["contiguous"]
    for turf in result.turfs:
        assert turf.door_count == len(held(turf)) and turf.count_basis == "doors"
        assert turf.outline.is_valid and turf.outline.area > 0
    # No building of 30 flats (under the target) is split between turfs.
    for building in range(4):
        owners = {turf.id for turf in result.turfs for d in db.session.scalars(
            select(Door.id).where(Door.source_id.like(f"tower-{building}-%"))) if d in held(turf)}
        assert len(owners) == 1


def test_walk_lists_coverage_and_the_map_count_the_doors_a_turf_holds(towers, world):
    office, result = towers
    part = next(t for t in result.turfs if db.session.scalar(select(func.count()).where(TurfDoor.turf_id == t.id)))
    listed = sorted(d["id"] for d in walklists.walklist(part)["doors"])
    assert listed == held(part)
    figures = coverage.office_coverage(office, coverage.Window(None, None, None))
    assert sum(t["doors"] for t in figures["turfs"]) == 140
    assert {t["id"]: t["doors"] for t in figures["turfs"]} == {t.id: t.door_count for t in result.turfs}
    blocks, _ = turfs.office_map_data(office)
    assert [b.source_id for b in blocks if b.divided] == ["towers"]
    with pytest.raises(Conflict, match="divided between turfs"):
        turfs.build_turf(office, [b.id for b in blocks if b.divided], "Whole towers", None)


def test_the_sync_takes_a_knock_at_a_door_of_my_part_and_refuses_the_rest_of_the_block(client, towers, world):
    office, result = towers
    parts = [t for t in result.turfs if db.session.scalar(select(func.count()).where(TurfDoor.turf_id == t.id))]
    mine, other = parts[0], parts[1]
    volunteer = make_user("tower.walker@test.example", "volunteer", office=office)
    canvassing.assign(mine.id, volunteer, world.canvass_north, None)
    db.session.commit()
    token = create_token("tower.walker@test.example")
    my_door = db.session.scalar(select(TurfDoor.door_id).where(TurfDoor.turf_id == mine.id))
    their_door = db.session.scalar(select(TurfDoor.door_id).where(TurfDoor.turf_id == other.id))
    batch = {"contacts": [knock(my_door, world.canvass_north.id), knock(their_door, world.canvass_north.id)]}
    results = client.post("/api/v1/contacts", json=batch, headers=bearer(token)).get_json()["results"]
    assert [r["status"] for r in results] == ["created", "rejected"]
    assert "not in a turf handed to you" in results[1]["error"]
    assert db.session.get(Contact, results[0]["id"]).turf_id == mine.id


def test_deleting_part_turfs_frees_their_doors_for_the_next_cut_and_the_block_when_none_is_held(towers):
    office, result = towers
    tower = db.session.scalar(select(Block).where(Block.source_id == "towers"))
    parts = [t for t in result.turfs if db.session.scalar(select(func.count()).where(TurfDoor.turf_id == t.id))]
    gone = held(parts[0])
    turfs.delete_turf(parts[0], None)
    db.session.commit()
    assert tower.divided  # other turfs still hold some of its doors
    assert sorted(d for ds in turf_doors.free_part_doors(office.id).values() for d in ds) == \
        sorted(set(gone) - set(db.session.scalars(select(Door.id).where(Door.block_id != tower.id))))
    again = turfs.auto_cut(office, 35, None)  # what is left of the block is cut again, as doors
    db.session.commit()
    assert again.turfs and turf_doors.free_part_doors(office.id) == {}
    assert db.session.get(Block, tower.id).turf_id is None
    for turf in db.session.scalars(select(Turf).where(Turf.office_id == office.id)).all():
        turfs.delete_turf(turf, None)
    db.session.commit()
    db.session.refresh(tower)
    assert not tower.divided  # nobody holds its doors: it is a free block again


def test_turfs_count_housing_units_where_no_doors_are_imported(world):
    """Issue 16.3: every turf of a census office with housing counts and no door file showed 0 doors."""
    office = territory.get_or_create_office("Census", world.north, lat=60.5, lon=24.5)
    boxes = [shapely.box(24.5 + i * CELL, 60.5, 24.5 + (i + 1) * CELL, 60.5 + CELL) for i in range(6)]
    territory.save_blocks(office, gpd.GeoDataFrame({"source_id": [f"c{i}" for i in range(6)]}, geometry=boxes,
                                                   crs="EPSG:4326"))
    db.session.execute(Block.__table__.update().where(Block.office_id == office.id).values(housing_units=25))
    result = turfs.auto_cut(office, 50, None)
    assert [t.door_count for t in result.turfs] == [50, 50, 50]
    assert {t.count_basis for t in result.turfs} == {"housing_units"} and result.report["counts"] == "housing units"
    assert "housing units" in turfs.cut_summary(result)


def test_a_doorless_block_alone_is_never_a_turf(world):
    """Issue 16.4: door-less plots that touch no other block became empty turfs of their own."""
    office = territory.get_or_create_office("Plots", world.north, lat=60.6, lon=24.6)
    boxes = [shapely.box(24.6, 60.6, 24.6 + CELL, 60.6 + CELL),                       # a block with doors
             shapely.box(24.6 + 5 * CELL, 60.6, 24.6 + 6 * CELL, 60.6 + CELL)]        # a park far away
    territory.save_blocks(office, gpd.GeoDataFrame({"source_id": ["homes", "park"]}, geometry=boxes,
                                                   crs="EPSG:4326"))
    territory.save_doors(office, pd.DataFrame([{"source_id": f"h{n}", "street": "Plot Road", "house_number": str(n),
                                                "unit": None, "city": "P", "postcode": "1", "lat": 60.6 + CELL / 2,
                                                "lon": 24.6 + CELL * (n + 0.5) / 5} for n in range(5)]))
    result = turfs.auto_cut(office, 5, None)
    assert [t.door_count for t in result.turfs] == [5]
    park = db.session.scalar(select(Block).where(Block.source_id == "park"))
    assert park.turf_id is None and result.report["unassigned_blocks"] == 1


def test_the_cut_names_a_building_bigger_than_the_target(world):
    office = tower_office(world.north, name="Tall")
    result = turfs.auto_cut(office, 12, None)  # each building of 30 flats is more than a turf
    report = result.report
    assert report["divided_blocks"] >= 1
    if report["largest_deviation_reason"]:
        assert "High Street" in report["largest_deviation_reason"] or "block" in report["largest_deviation_reason"]
    assert f"{report['turfs_within_20pct']} of {report['turfs']}" in turfs.cut_summary(result)


def test_a_part_block_turfs_outline_holds_every_door_even_one_on_the_kerb(world):
    """An address point can stand just outside its block's polygon (an OpenStreetMap entrance on the kerb):
    the outline drawn for a part-block turf is its blocks and the hull of its doors, so it holds them all."""
    office = tower_office(world.north, name="Kerb")
    kerb = db.session.scalar(select(Door).where(Door.office_id == office.id, Door.street == "High Street",
                                                Door.house_number == "1").order_by(Door.id))
    kerb.lat = ORIGIN[1] - CELL * 0.05  # a few metres south of the block's edge, still the block's door
    db.session.commit()
    turfs.auto_cut(office, 35, None)
    db.session.commit()
    for turf in db.session.scalars(select(Turf).where(Turf.office_id == office.id)):
        points = db.session.execute(turfs.turf_doors(turf).with_only_columns(Door.lon, Door.lat)).all()
        outside = [p for p in points if not turf.outline.buffer(1e-9).contains(shapely.Point(*p))]
        assert outside == [], f"{turf.name}: {len(outside)} of {len(points)} doors outside its outline"
        part = turf_doors.part_outline(turf)
        if part is not None:
            held_in_parts = db.session.execute(select(Door.lon, Door.lat).join(TurfDoor, TurfDoor.door_id == Door.id)
                                               .where(TurfDoor.turf_id == turf.id)).all()
            assert all(part.buffer(1e-9).contains(shapely.Point(*p)) for p in held_in_parts)
