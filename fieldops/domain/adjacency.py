"""Which blocks touch, and by how much: the graph turfs are cut on."""
from __future__ import annotations

import numpy as np
import shapely

from .turf_cut import BlockInput

# Blocks closer than this count as touching, so rounding in source files does
# not break a street-bounded neighbourhood apart: degrees (about 1 m at mid
# latitudes) for lon/lat polygons, metres for projected ones.
TOUCH_TOLERANCE_DEG = 1e-5
TOUCH_TOLERANCE_M = 1.0


def block_adjacency(geometries: np.ndarray, tolerance: float = TOUCH_TOLERANCE_DEG) -> list[list[int]]:
    """For each block, the sorted positions of the blocks it touches (tolerance in the geometries' units).

    One STRtree query for all blocks; never a loop of pairwise tests.
    """
    geometries = np.asarray(geometries, dtype=object)
    tree = shapely.STRtree(geometries)
    left, right = tree.query(geometries, predicate="dwithin", distance=tolerance)
    neighbours: list[list[int]] = [[] for _ in range(len(geometries))]
    for a, b in zip(left.tolist(), right.tolist()):
        if a != b:
            neighbours[a].append(b)
    return [sorted(set(items)) for items in neighbours]


def shared_edges(geometries: np.ndarray, neighbours: list[list[int]]) -> list[list[float]]:
    """For each block, the length of boundary it shares with each of its neighbours (parallel lists).

    Blocks that meet at a corner or across a rounding gap share 0. Units are
    the geometries' own, so pass polygons in metres.
    """
    geometries = np.asarray(geometries, dtype=object)
    left = np.repeat(np.arange(len(neighbours)), [len(near) for near in neighbours])
    right = np.fromiter((n for near in neighbours for n in near), dtype=int, count=len(left))
    boundaries = shapely.boundary(geometries)
    lengths = shapely.length(shapely.intersection(boundaries[left], boundaries[right])).tolist()
    out, start = [], 0
    for near in neighbours:
        out.append(lengths[start:start + len(near)])
        start += len(near)
    return out


def block_graph(metric_geometries: np.ndarray, doors) -> tuple[list[BlockInput], list[list[int]], list[list[float]]]:
    """Everything ``cut_turfs`` needs from block polygons in metres and their door counts."""
    metric_geometries = np.asarray(metric_geometries, dtype=object)
    neighbours = block_adjacency(metric_geometries, TOUCH_TOLERANCE_M)
    centres = shapely.centroid(metric_geometries)
    blocks = [BlockInput(int(d), float(x), float(y), float(a), float(p)) for d, x, y, a, p in zip(
        doors, shapely.get_x(centres), shapely.get_y(centres),
        shapely.area(metric_geometries), shapely.length(metric_geometries))]
    return blocks, neighbours, shared_edges(metric_geometries, neighbours)
