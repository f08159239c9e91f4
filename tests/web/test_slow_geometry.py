"""Slow geometry as a denial of service (issue 15): no page's time or size depends on one block's vertex count.

A drawn turf polygon has a vertex limit checked before any repair; an imported block keeps its exact shape
for the maths but is drawn from a display outline simplified once at import (and again when re-imported).
"""
from __future__ import annotations

import json
import math
import random
import time

import shapely
from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import Block
from fieldops.services import turfs
from fieldops.services.turfs import MAX_DRAWN_VERTICES

CENTRE = (24.906, 60.102)  # just east of office Alpha's grid


def toothed_ring(vertices: int, radius_m: float = 100.0, tooth_m: float = 4.0) -> list[list[float]]:
    """A ring of ``vertices`` points around CENTRE, alternating ``tooth_m`` in and out: a 0.5 m
    simplification cannot drop its teeth, so only a vertex budget bounds what is drawn."""
    lat_m, lon_m = 111_320.0, 111_320.0 * math.cos(math.radians(CENTRE[1]))
    points = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        r = radius_m - (tooth_m if i % 2 else 0.0)
        points.append([CENTRE[0] + r * math.cos(angle) / lon_m, CENTRE[1] + r * math.sin(angle) / lat_m])
    return [*points, points[0]]


def write_block_file(tmp_path, vertices: int, name: str = "big.geojson"):
    path = tmp_path / name
    feature = {"type": "Feature", "properties": {"GEOID20": "big-1", "HOUSING20": 40},
               "geometry": {"type": "Polygon", "coordinates": [toothed_ring(vertices)]}}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


def import_big_block(runner, tmp_path, vertices: int):
    result = runner.invoke(args=["import-blocks", str(write_block_file(tmp_path, vertices)), "--office", "Alpha"])
    assert result.exit_code == 0, result.output


def timed_get(client, path: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(path)
    seconds = time.perf_counter() - started
    assert response.status_code == 200, path
    return seconds, len(response.get_data())


def test_a_drawn_polygon_over_the_vertex_limit_is_refused_at_once(client, auth, world):
    auth.login("organizer.a@test.example")
    ring = toothed_ring(20_000)
    random.Random(15).shuffle(ring)  # every edge crosses others: a repair would take minutes
    ring.append(ring[0])
    started = time.perf_counter()
    response = client.post(f"/offices/{world.office_a.id}/turfs/preview",
                           json={"polygon": {"type": "Polygon", "coordinates": [ring]}})
    assert time.perf_counter() - started < 2.0
    assert response.status_code == 400
    assert f"at most {MAX_DRAWN_VERTICES:,} corners" in response.get_json()["error"]


def test_a_drawn_polygon_within_the_limit_still_previews(client, auth, world):
    auth.login("organizer.a@test.example")
    box = [[24.8995, 60.0995], [24.9045, 60.0995], [24.9045, 60.1045], [24.8995, 60.1045], [24.8995, 60.0995]]
    response = client.post(f"/offices/{world.office_a.id}/turfs/preview",
                           json={"polygon": {"type": "Polygon", "coordinates": [box]}})
    assert response.status_code == 200 and response.get_json()["taken"] == 16


def test_pages_with_a_huge_block_answer_in_bounded_time_and_size(app, client, auth, runner, world, tmp_path):
    import_big_block(runner, tmp_path, 2_000)
    auth.login("admin@test.example")
    pages = [f"/regions/{world.north.id}/compare", f"/offices/{world.office_a.id}/turfs",
             f"/offices/{world.office_a.id}/dashboard"]
    small = {page: timed_get(client, page)[1] for page in pages}

    import_big_block(runner, tmp_path, 40_000)  # the same block re-imported, twenty times the corners
    exact = db.session.scalar(select(Block.geometry).where(Block.source_id == "big-1"))
    assert shapely.get_num_coordinates(exact) == 40_001  # the maths keeps the exact shape
    for page in pages:
        seconds, size = timed_get(client, page)
        assert seconds < 3.0, (page, seconds)
        assert size < small[page] * 1.1 + 2_000, (page, small[page], size)  # not twenty times the corners


def test_a_self_crossing_drawing_within_the_limit_is_never_repaired_so_it_answers_at_once(client, auth, world):
    """A 4,000-corner scribble has millions of crossings: repairing it took minutes (200 corners: 14 s)."""
    auth.login("organizer.a@test.example")
    ring = toothed_ring(4_000)[:-1]
    random.Random(16).shuffle(ring)
    started = time.perf_counter()
    response = client.post(f"/offices/{world.office_a.id}/turfs/preview",
                           json={"polygon": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}})
    assert time.perf_counter() - started < 2.0
    assert response.status_code == 200


def test_a_figure_eight_drawing_takes_the_blocks_of_both_loops(client, auth, world):
    auth.login("organizer.b@test.example")
    # A bow tie over Bravo's free row 2 (centres at 60.1025), crossing itself at its middle: the left loop
    # holds columns 0-1, the right loop columns 2-3; rows 1 and 3 are outside.
    eight = [[24.950, 60.1015], [24.954, 60.1035], [24.954, 60.1015], [24.950, 60.1035], [24.950, 60.1015]]
    shape = shapely.Polygon(eight)
    assert not shape.is_valid
    response = client.post(f"/offices/{world.office_b.id}/turfs/preview",
                           json={"polygon": shapely.geometry.mapping(shape)})
    assert response.status_code == 200
    chosen = set(db.session.scalars(select(Block.source_id).where(Block.id.in_(response.get_json()["blocks"]))))
    assert chosen == {"bravo-2-0", "bravo-2-1", "bravo-2-2", "bravo-2-3"}
    assert chosen == set(db.session.scalars(select(Block.source_id).where(Block.id.in_(  # as the repair held
        turfs.blocks_in_polygon(world.office_b, shapely.geometry.mapping(shapely.make_valid(shape)))["blocks"]))))
