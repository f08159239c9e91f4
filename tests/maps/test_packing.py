"""Packed shapes and points: what the browser decodes is the shape we meant, to the metre."""
from __future__ import annotations

import json

import shapely
from shapely.geometry import Polygon

from fieldops.maps.packing import SCALE, pack_geometry, pack_points, unpack_points, unpack_ring


def test_a_block_with_a_courtyard_comes_back_to_within_a_metre():
    outer = [(24.9410, 60.1690), (24.9430, 60.1690), (24.9430, 60.1702), (24.9410, 60.1702)]
    hole = [(24.9415, 60.1694), (24.9420, 60.1694), (24.9420, 60.1698), (24.9415, 60.1698)]
    block = Polygon(outer, [hole])
    [rings] = pack_geometry(block)
    assert len(rings) == 2
    back = Polygon([(lon, lat) for lat, lon in unpack_ring(rings[0])],
                   [[(lon, lat) for lat, lon in unpack_ring(rings[1])]])
    assert back.symmetric_difference(block).area < block.area * 1e-3
    assert max(abs(v) for v in rings[0][2:]) <= 200  # after the first point, small differences only


def test_doors_keep_their_ids_and_places():
    doors = [(60.16912, 24.94123, 17), (60.16901, 24.94180, 4), (60.17000, 24.93000, 123456)]
    back = {door_id: (lat, lon) for lat, lon, door_id in unpack_points(pack_points(doors))}
    assert set(back) == {17, 4, 123456}
    for lat, lon, door_id in doors:
        assert abs(back[door_id][0] - lat) <= 1 / SCALE and abs(back[door_id][1] - lon) <= 1 / SCALE


def test_the_packed_map_is_a_fraction_of_the_geojson():
    grid = [shapely.box(24.9 + i * 0.001, 60.1 + j * 0.001, 24.9 + i * 0.001 + 0.0009, 60.1 + j * 0.001 + 0.0009)
            for i in range(30) for j in range(30)]
    packed = len(json.dumps([pack_geometry(g) for g in grid], separators=(",", ":")))
    geojson = len(json.dumps([shapely.geometry.mapping(shapely.set_precision(g, 1e-5)) for g in grid],
                             separators=(",", ":")))
    assert packed * 2 < geojson
