"""Block shapes for the screen: simplified once, with a vertex budget, so no map's cost follows one block's detail.

An imported block keeps its exact shape for the maths (which doors lie inside, which blocks touch); maps
draw its display outline instead: simplified by ``DISPLAY_TOLERANCE_M`` (0.5 m) in a local metric
projection, topology preserved, and, if it still has more than ``DISPLAY_MAX_VERTICES`` corners (a
20,000-corner toothed block loses nothing to 0.5 m), simplified harder until it fits. Pure: no Flask,
no database.
"""
from __future__ import annotations

import numpy as np
import pyproj
import shapely

from .projection import equal_area_crs

DISPLAY_TOLERANCE_M = 0.5      # invisible at street zoom
DISPLAY_MAX_VERTICES = 1_000   # per block: an ordinary city block has tens


def bounded_simplify(geometry, tolerance: float, most: int = DISPLAY_MAX_VERTICES):
    """``geometry`` simplified by ``tolerance`` (its own units), topology preserved, then by doubling tolerances
    until it has at most ``most`` vertices (or cannot lose more)."""
    simple = shapely.simplify(geometry, tolerance, preserve_topology=True)
    count = shapely.get_num_coordinates(simple)
    while count > most:
        tolerance *= 2
        simpler = shapely.simplify(geometry, tolerance, preserve_topology=True)
        fewer = shapely.get_num_coordinates(simpler)
        if fewer >= count:  # nothing more to drop (many tiny rings): keep what we have
            break
        simple, count = simpler, fewer
    return simple


def display_outlines(geometries: np.ndarray, tolerance_m: float = DISPLAY_TOLERANCE_M,
                     most: int = DISPLAY_MAX_VERTICES) -> np.ndarray:
    """Display outlines (lon/lat, EPSG:4326) of lon/lat block geometries, simplified in metres as above."""
    geometries = np.asarray(geometries, dtype=object)
    if not len(geometries):
        return geometries
    centres = shapely.centroid(geometries)
    crs = equal_area_crs(shapely.get_x(centres), shapely.get_y(centres))
    forward = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    back = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    metric = shapely.transform(geometries, lambda xy: np.column_stack(forward.transform(xy[:, 0], xy[:, 1])))
    simple = shapely.simplify(metric, tolerance_m, preserve_topology=True)
    over = np.flatnonzero(shapely.get_num_coordinates(simple) > most)
    for i in over:
        simple[i] = bounded_simplify(metric[i], tolerance_m, most)
    return shapely.transform(simple, lambda xy: np.column_stack(back.transform(xy[:, 0], xy[:, 1])))
