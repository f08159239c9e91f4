"""Dividing a block's doors into walkable groups, and measuring offices that span the map."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyproj
import shapely

from fieldops.domain.door_groups import DoorInput, divide_block, walking_sequence
from fieldops.domain.projection import centre_of, equal_area_crs
from fieldops.domain.turf_plan import plan_turfs
from fieldops.domain.turf_quality import is_contiguous


def apartment_block():
    """A 200 x 100 m block: 8 buildings along two streets, 12 flats each, and one tower of 70 flats."""
    block = shapely.box(0, 0, 200, 100)
    doors = []
    for b in range(8):
        street, y = ("North Road", 95) if b < 4 else ("South Road", 5)
        x = 25 + 50 * (b % 4)
        doors += [DoorInput(x, y, f"{street}|{b}", street, ("", f // 4, f % 4, ""), 1, f"{street} {b}")
                  for f in range(12)]
    doors += [DoorInput(100, 50, "tower|1", "Tower Lane", (s, f, 0, ""), 1, "Tower Lane 1")
              for s in "AB" for f in range(35)]
    return block, doors


def test_buildings_stay_whole_unless_bigger_than_the_target_then_part_by_staircase_and_floor():
    block, doors = apartment_block()
    pieces = divide_block(block, doors, target=40, piece=10)
    assert sorted(i for p in pieces for i in p.doors) == list(range(len(doors)))
    for b in range(8):  # 12-flat buildings are never split
        assert len({k for k, p in enumerate(pieces) for i in p.doors if doors[i].building == f"{'North Road' if b < 4 else 'South Road'}|{b}"}) == 1
    tower = [p for p in pieces if any(doors[i].building == "tower|1" for i in p.doors)]
    assert len(tower) == 2 and all(p.weight == 35 for p in tower)  # 70 flats > 40: two runs of floors
    first = [doors[i].unit for i in tower[0].doors]
    assert first == sorted(first) and {u[0] for u in first} == {"A"}  # staircase A, floor by floor
    cells = shapely.union_all([p.cell for p in pieces])
    assert abs(cells.area - block.area) < 1e-6 * block.area  # the pieces' cells tile the block


def test_a_street_side_is_walked_in_order_before_the_next():
    block, doors = apartment_block()
    sequence = walking_sequence(doors)
    streets = [doors[b[0]].street for b in sequence]
    changes = sum(1 for a, b in zip(streets, streets[1:]) if a != b)
    assert changes == 2  # each street once: its buildings side by side
    north = [doors[b[0]].x for b in sequence if doors[b[0]].street == "North Road"]
    assert north in (sorted(north), sorted(north, reverse=True))


def test_a_plan_divides_the_big_block_keeps_small_ones_whole_and_holds_every_door_once():
    block, doors = apartment_block()
    neighbours = [shapely.box(-100, 0, 0, 100), shapely.box(200, 0, 300, 100)]
    geometries = np.array([block, *neighbours], dtype=object)
    weights = [len(doors), 20, 20]
    plan = plan_turfs(geometries, weights, 40, {0: doors})
    assert plan.divided == [0]
    held = sorted(i for t in plan.turfs for i in t.parts.get(0, []))
    assert held == list(range(len(doors)))
    assert sorted(b for t in plan.turfs for b in t.blocks) == [1, 2]  # the small blocks stay whole
    assert all(is_contiguous(g, plan.unit_neighbours) for g in plan.unit_groups)
    assert sum(abs(t.weight - 40) <= 8 for t in plan.turfs) / len(plan.turfs) >= 0.8


def test_an_office_across_the_antimeridian_with_guam_keeps_every_polygon_valid():
    """Issue 16.11: one UTM zone for all US counties (Aleutians, Guam) made 21 geometries invalid."""
    parts = [shapely.box(179.2, 51.2, 179.9, 51.9), shapely.box(-179.9, 51.2, -179.2, 51.9),  # the Aleutians
             shapely.box(144.6, 13.2, 145.0, 13.7),                                            # Guam
             shapely.box(-77.2, 38.8, -76.9, 39.0), shapely.box(-158.3, 21.2, -157.6, 21.7)]   # DC, Oahu
    lon, lat = zip(*[(p.centroid.x, p.centroid.y) for p in parts])
    assert abs(abs(centre_of([179.5, -179.5], [0, 0])[0]) - 180) < 1e-6
    metric = gpd.GeoSeries(parts, crs="EPSG:4326").to_crs(equal_area_crs(lon, lat))
    assert metric.is_valid.all()
    geod = pyproj.Geod(ellps="WGS84")
    for polygon, projected in zip(parts, metric):
        true_area = abs(geod.geometry_area_perimeter(polygon)[0])
        assert abs(projected.area - true_area) / true_area < 0.01  # equal-area: areas stay true
    utm = gpd.GeoSeries(parts, crs="EPSG:4326").to_crs(gpd.GeoSeries(parts, crs="EPSG:4326").estimate_utm_crs())
    assert not all(abs(p.area - abs(geod.geometry_area_perimeter(q)[0])) / p.area < 0.01 for p, q in zip(utm, parts))
