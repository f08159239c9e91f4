"""Shapes and points packed as small integers for the browser: what keeps a 10,000-block map light.

Coordinates become whole numbers of 1e-5 degree (about 1 m), lat before lon
as Leaflet takes them, and each is sent as the difference from the one
before it, so most numbers are one to three digits instead of ten.
``static/js/coverage-map.js`` undoes it. Pure functions: no Flask, no Folium.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from ..domain.display import bounded_simplify

SCALE = 100_000  # units per degree


def pack_geometry(geometry: BaseGeometry, tolerance: float = 1e-5) -> list[list[list[int]]]:
    """A (multi)polygon as polygons of rings, each ring [lat0, lon0, dlat1, dlon1, ...] in 1e-5 degrees.

    Rings are simplified to ``tolerance`` degrees first; the closing point is
    left out (Leaflet closes rings itself) and repeated points are dropped.
    """
    simple = bounded_simplify(geometry, tolerance)  # and at most DISPLAY_MAX_VERTICES corners
    polygons = []
    for polygon in shapely.get_parts(simple):
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        rings = [_pack_ring(ring) for ring in (polygon.exterior, *polygon.interiors)]
        rings = [ring for ring in rings if len(ring) >= 6]
        if rings:
            polygons.append(rings)
    return polygons


def _pack_ring(ring) -> list[int]:
    points = np.rint(shapely.get_coordinates(ring)[:-1, ::-1] * SCALE).astype(np.int64)
    if len(points) > 1:
        keep = np.ones(len(points), dtype=bool)
        keep[1:] = np.any(points[1:] != points[:-1], axis=1)
        points = points[keep]
    return np.diff(points, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).ravel().tolist()


def pack_points(points: Iterable[tuple[float, float, int]]) -> list[int]:
    """(lat, lon, id) points, sorted so neighbours are near, as [lat0, lon0, id0, dlat1, dlon1, id1, ...]."""
    rows = np.asarray(list(points), dtype=float).reshape(-1, 3)
    if not len(rows):
        return []
    array = np.column_stack([np.rint(rows[:, :2] * SCALE), rows[:, 2]]).astype(np.int64)
    array = array[np.lexsort((array[:, 1], array[:, 0]))]
    array[1:, :2] = np.diff(array[:, :2], axis=0)
    return array.ravel().tolist()


def unpack_points(packed: list[int]) -> list[tuple[float, float, int]]:
    """The inverse of ``pack_points`` (to 1e-5 degree), for tests and for readers in Python."""
    rows = np.asarray(packed, dtype=np.int64).reshape(-1, 3)
    rows[:, :2] = np.cumsum(rows[:, :2], axis=0)
    return [(lat / SCALE, lon / SCALE, door_id) for lat, lon, door_id in rows.tolist()]


def unpack_ring(packed: list[int]) -> list[tuple[float, float]]:
    """One packed ring back to (lat, lon) points."""
    pairs = np.cumsum(np.asarray(packed, dtype=np.int64).reshape(-1, 2), axis=0)
    return [(lat / SCALE, lon / SCALE) for lat, lon in pairs.tolist()]

